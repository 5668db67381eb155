#include "daemon.h"

#include "acme/acme_issuer.h"
#include "acme/curl_http.h"
#include "base/atomic_file.h"
#include "authorization.h"
#include "bus_names.h"
#include "base/clock.h"
#include "bus_errors.h"
#include "expiry/expiry.h"
#include "base/degradation.h"
#include "ca_objects.h"
#include "event_loop.h"
#include "expiry/expiry_checker.h"
#include "host/host_certificates.h"
#include "host/hostname.h"
#include "host_objects.h"
#include "hostname_watcher.h"
#include "journal.h"
#include "manager_object.h"
#include "managed_objects.h"
#include "metrics/metrics_file.h"
#include "base/state_directory.h"
#include "trust/trust_store.h"
#include "x509/certificate_input.h"
#include "unit_reloader.h"

#include <sdbus-c++/sdbus-c++.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <malloc.h>

namespace certd {
namespace {

std::unique_ptr<sdbus::IConnection> connectToBus(bool session)
{
    return session ? sdbus::createSessionBusConnection() : sdbus::createSystemBusConnection();
}

// Claims org.certd.Certd1, explaining the usual reasons it fails.
void requestServiceName(sdbus::IConnection& connection, const char* busName)
{
    try {
        connection.requestName(bus::serviceName);
    } catch (const sdbus::Error& error) {
        const std::string reason = error.getName() == "org.freedesktop.DBus.Error.FileExists"
                                       ? "another process owns it (is certd already running?)"
                                       : error.getName() == "org.freedesktop.DBus.Error.AccessDenied"
                                             ? "the bus policy does not allow this user to own it "
                                               "(certd runs as root; is org.certd.Certd1.conf installed?)"
                                             : error.getMessage();
        throw std::runtime_error("Could not own the name " + std::string(bus::serviceName) + " on the " +
                                 busName + " bus: " + reason);
    }
}

// The stored CAs whose subject is certificate's issuer name (by the hash
// the trust directory is named by; a few at most), to complete an upload's
// chain. Safe on any thread.
std::vector<X509Ptr> storedIssuersOf(const TrustStore& store, const X509& certificate)
{
    const unsigned long hash = X509_issuer_name_hash(const_cast<X509*>(&certificate));
    std::vector<X509Ptr> issuers;
    for (const auto& stored : *store.snapshot())
        if (stored->subjectHash == hash)
            issuers.push_back(std::move(readFirstCertificate(asBytes(stored->pem)).certificate));
    return issuers;
}

// The host certificates and the appliance CA, as the expiry check and the
// metrics see them.
std::vector<WatchedCertificate> watchedHosts(const HostCertificates& hosts, const AcmeIssuer& acme)
{
    std::vector<WatchedCertificate> watched;
    if (const auto ca = hosts.applianceCaDetails())
        watched.push_back({WatchedCertificate::Kind::ApplianceCa, {}, ca->commonName, ca->fingerprint, ca->notBefore,
                           ca->notAfter, false, false});
    for (const auto& service : hosts.services())
        if (const auto& host = hosts.current(service)) {
            const auto& d = host->details;
            watched.push_back({WatchedCertificate::Kind::Host, service, d.commonName, d.fingerprint, d.notBefore,
                               d.notAfter, hosts.renewsItself(service) || acme.renewsItself(service),
                               hosts.renewalFailed(service), acme.renewalDue(service)});
        }
    return watched;
}

// The CAs, then the hosts. One WatchedCertificate is refilled for every CA:
// assigning strings reuses their buffers, so 10,000 CAs cost no allocation.
void visitWatched(const std::vector<StoredCaPtr>& cas, const std::vector<WatchedCertificate>& hosts,
                  const ExpiryChecker::Sources::Visit& visit)
{
    WatchedCertificate ca;
    for (const auto& stored : cas) {
        const auto& d = stored->details;
        ca.commonName = d.commonName;
        ca.fingerprint = d.fingerprint;
        ca.notBefore = d.notBefore;
        ca.notAfter = d.notAfter;
        visit(ca);
    }
    for (const auto& host : hosts)
        visit(host);
}

// Everything that lives while certd serves, in construction order. The
// wiring is here: what lib reports becomes signals, journal entries and
// object updates, always on the bus thread.
class Daemon {
public:
    Daemon(sdbus::IConnection& connection, const StateLayout& layout, const Config& config)
        : loop_(connection)
        , authorizer_(connection, config.access.adminGroup, config.access.adminGroupId)
        , reloader_(connection)
        , store_(TrustStorePaths::in(layout, config.trust.systemTrust),
                 [this](std::size_t count, const std::string& error) { onBundleWritten(count, error); },
                 [this](std::function<void()> task) { loop_.post(std::move(task)); })
        , cas_(connection, store_, loop_, authorizer_,
               [this](const std::string& subject, const std::string& problem) { outputState(subject, problem); })
        , hosts_({layout, config.applianceCa, config.services,
                  [this](const X509& certificate) { return storedIssuersOf(store_, certificate); }},
                 [this](std::function<void()> task) { loop_.post(std::move(task)); }, currentHostname)
        , acme_({config.acme, layout},
                hosts_, [this](std::function<void()> task) { loop_.post(std::move(task)); },
                [layout, proxy = config.acme.proxy](const std::atomic<bool>& cancelled) {
                    return std::make_unique<acme::CurlHttpClient>(
                        acme::CurlSettings{layout.trustBundle(), "/etc/ssl/certs", proxy, std::chrono::seconds(30),
                                           &cancelled});
                },
                [this](const std::string& service) { hostObjects_.refresh(service); },
                [](const std::string& service, const std::string& step) {
                    spdlog::info("ACME order for {}: {}", service, step);
                })
        , hostObjects_(connection, hosts_, acme_, authorizer_, reloader_,
                       [this, policy = config.expiry](const std::string& service) { return renewalDue(service, policy); },
                       [this](const std::string& service) {
                           outputState(service, {}); // delivered: whatever was wrong is not any more
                           manager_->emitHostCertificateChanged(service, sdbus::ObjectPath(bus::hostObjectPath(service)));
                           publishMetrics();
                       },
                       [this](const std::string& service, const std::string& reason) {
                           manager_->emitRenewalFailed(sdbus::ObjectPath(bus::hostObjectPath(service)), service,
                                                       reason);
                           ++renewalFailures_[service];
                           publishMetrics();
                       })
        , checker_(config.expiry, layout.expiryAnnouncements(),
                   {[this](const ExpiryChecker::Sources::Visit& visit) { forEachWatched(visit); },
                    [this](const std::string& service) {
                        return hostObjects_.renew(service) != HostCertificates::Renewal::NotPossible;
                    }})
    {
        cas_.publishStored();
        applyHostHealth(hosts_.start());
        hostObjects_.publish();
        manager_ = std::make_unique<ManagerObject>(
            connection, store_, cas_, hosts_, degradation_, [this] { return checkExpiry(); },
            [this](unsigned days) { return toReport(checker_.expiring(unixNow(), days)); }, authorizer_,
            config.applianceCa, [this](ApplianceCaSettings settings, HostCertificates::RotationCompletion done) {
                rotateApplianceCa(std::move(settings), std::move(done));
            });
        managedObjects_ = std::make_unique<ManagedObjects>(connection, bus::managerPath,
                                                           [this](ManagedObjectsWriter& writer) {
                                                               hostObjects_.writeManaged(writer);
                                                               cas_.writeManaged(writer);
                                                           });
        hostnameWatcher_ = std::make_unique<HostnameWatcher>(loop_, [this](const std::string&) {
            hostObjects_.hostnameChanged();
        });
        metrics_ = makeMetrics(config.metrics);
        publishMetrics();
    }

    ~Daemon()
    {
        // Finish pending output writes while the objects still exist; their
        // notifications are dropped with the loop.
        store_.flushOutputs();
    }

    EventLoop& loop() { return loop_; }
    std::size_t caCount() const { return store_.size(); }

private:
    // On the bundle writer's thread.
    void onBundleWritten(std::size_t count, const std::string& error)
    {
        loop_.post([this, count, error] {
            outputState("trust bundle", error);
            if (error.empty()) {
                manager_->emitTrustStoreChanged(static_cast<uint32_t>(count));
                publishMetrics();
            }
        });
    }

    // ---- Degradation: what could not be written is reported and retried.

    void outputState(const std::string& subject, const std::string& problem)
    {
        const bool changed = problem.empty() ? degradation_.resolve(subject) : degradation_.report(subject, problem);
        if (changed) {
            if (problem.empty())
                logRecovery(subject);
            else
                logDegradation(subject, problem);
            if (manager_)
                manager_->degradationChanged();
        } else if (!problem.empty()) {
            spdlog::debug("Still failing, retrying: {}: {}", subject, problem);
        }
        // Also when nothing changed: a retry that failed the same way retries again.
        if (degradation_.degraded())
            scheduleRetry();
        else
            retryDelay_ = firstRetryDelay;
    }

    void applyHostHealth(const HostHealth& health)
    {
        const bool caMissing = degradation_.has(applianceCaSubject);
        for (const auto& note : health.notes)
            spdlog::info("{}", note);
        for (const auto& subject : {std::string(applianceCaSubject), std::string("https"), std::string("postgresql")}) {
            const auto problem = health.problems.find(subject);
            outputState(subject, problem == health.problems.end() ? std::string() : problem->second);
        }
        for (const auto& service : health.changed)
            hostObjects_.changed(service);
        if (caMissing && !degradation_.has(applianceCaSubject) && manager_)
            manager_->applianceCaChanged();
    }

    void scheduleRetry()
    {
        if (retryScheduled_)
            return;
        retryScheduled_ = true;
        loop_.runAfter(retryDelay_, [this] {
            retryScheduled_ = false;
            retryDelay_ = std::min(retryDelay_ * 2, lastRetryDelay);
            retry();
        });
    }

    void retry()
    {
        if (degradation_.has("trust directory") || degradation_.has("trust bundle"))
            cas_.repairOutputs();
        if (degradation_.has(applianceCaSubject) || degradation_.has("https") || degradation_.has("postgresql"))
            hosts_.retry([this](const HostHealth& health) { applyHostHealth(health); });
        if (degradation_.has("metrics"))
            publishMetrics();
    }

    static constexpr std::chrono::milliseconds firstRetryDelay{1000};
    static constexpr std::chrono::milliseconds lastRetryDelay{60000};

    // The host certificates are taken first: visit may start a renewal.
    void forEachWatched(const ExpiryChecker::Sources::Visit& visit) const
    {
        visitWatched(*store_.snapshot(), watchedHosts(hosts_, acme_), visit);
    }

    // RenewalDue: ACME's rule for its certificates, RenewDays= for generated
    // ones; RenewDays=0 stops both (the expiry check's rule).
    std::int64_t renewalDue(const std::string& service, const ExpiryPolicy& policy) const
    {
        if (policy.renewDays == 0)
            return 0;
        if (acme_.renewsItself(service))
            return acme_.renewalDue(service);
        if (!hosts_.renewsItself(service))
            return 0;
        const auto& details = hosts_.current(service)->details;
        return renewalStart(details.notBefore, details.notAfter, policy);
    }

    // ---- Rotation of the appliance CA.

    void rotateApplianceCa(ApplianceCaSettings settings, HostCertificates::RotationCompletion done)
    {
        spdlog::info("Rotating the appliance CA");
        hosts_.rotateApplianceCa(std::move(settings), [this, done](const RotationOutcome& outcome) {
            for (const auto& warning : outcome.warnings)
                spdlog::warn("{}", warning);
            if (!outcome.failure) {
                const auto ca = hosts_.applianceCaDetails();
                logCertificateEvent({messageIds::applianceCaRotated, 5,
                                     "The appliance CA is now \"" + ca->commonName + "\" (" + ca->fingerprint +
                                         "), valid until " + formatUtcTime(ca->notAfter) +
                                         "; clients must trust it (ExportApplianceCA)",
                                     bus::managerPath, ca->commonName, ca->fingerprint, ca->notAfter,
                                     daysLeft(ca->notAfter, unixNow())});
                for (const auto& service : outcome.reissued)
                    hostObjects_.changed(service);
                manager_->applianceCaChanged();
                manager_->emitApplianceCAChanged(outcome.fingerprint);
                publishMetrics();
            } else {
                spdlog::error("Could not rotate the appliance CA: {}", toBusError(outcome.failure).getMessage());
            }
            done(outcome);
        });
    }

    // ---- Metrics: certd.prom, after every change and every check.

    void publishMetrics()
    {
        if (!metrics_)
            return;
        MetricsSnapshot snapshot;
        snapshot.now = unixNow();
        auto cas = store_.snapshot();
        snapshot.trustStoreCertificates = cas->size();
        snapshot.forEachCertificate = [cas, hosts = watchedHosts(hosts_, acme_)](const ExpiryChecker::Sources::Visit& visit) {
            visitWatched(*cas, hosts, visit);
        };
        snapshot.renewalFailures = renewalFailures_;
        snapshot.lastCheck = lastCheck_;
        metrics_->update(std::move(snapshot));
    }

    std::unique_ptr<MetricsFile> makeMetrics(const MetricsConfig& config)
    {
        if (config.textfileDirectory.empty())
            return nullptr;
        for (const auto& service : hosts_.services())
            renewalFailures_[service] = 0;
        return std::make_unique<MetricsFile>(config.textfileDirectory, [this](const std::string& error) {
            loop_.post([this, error] { outputState("metrics", error); });
        });
    }

    static std::string describeWatched(const WatchedCertificate& c)
    {
        switch (c.kind) {
        case WatchedCertificate::Kind::Ca: return "The CA certificate \"" + c.commonName + "\"";
        case WatchedCertificate::Kind::Host: return "The " + c.service + " certificate \"" + c.commonName + "\"";
        case WatchedCertificate::Kind::ApplianceCa: break;
        }
        return "The appliance CA \"" + c.commonName + "\"";
    }

    static std::string objectOf(const WatchedCertificate& certificate)
    {
        switch (certificate.kind) {
        case WatchedCertificate::Kind::Ca: return bus::caObjectPath(certificate.fingerprint);
        case WatchedCertificate::Kind::Host: return bus::hostObjectPath(certificate.service);
        case WatchedCertificate::Kind::ApplianceCa: break;
        }
        return bus::managerPath;
    }

    ManagerObject::ExpiryReport checkExpiry()
    {
        acme_.refreshRenewalInfo(); // a window found decides the next check
        lastCheck_ = unixNow();
        const auto result = checker_.check(lastCheck_);
        if (!result.problem.empty())
            spdlog::error("{}", result.problem);
        for (const auto& announced : result.announcements)
            announce(announced);
        publishMetrics();
        return toReport(result.report);
    }

    static ManagerObject::ExpiryReport toReport(const std::vector<ExpiryChecker::Expiring>& entries)
    {
        ManagerObject::ExpiryReport report;
        for (const auto& entry : entries)
            report.emplace_back(sdbus::ObjectPath(objectOf(entry.certificate)),
                                kindName(entry.certificate),
                                entry.certificate.commonName, entry.certificate.notAfter, entry.daysLeft);
        return report;
    }

    void announce(const ExpiryChecker::Announced& announced)
    {
        const auto& c = announced.certificate;
        const auto& a = announced.announcement;
        const auto object = objectOf(c);
        const std::string what = describeWatched(c);
        // Generated host certificates cannot outlive the appliance CA: say what to do.
        const std::string fix = c.kind != WatchedCertificate::Kind::ApplianceCa
                                    ? ""
                                    : "; generated host certificates cannot outlive it: rotate it "
                                      "(certctl rotate-appliance-ca), which issues them again under a new CA, "
                                      "and have clients trust the new appliance CA";
        if (a.expired) {
            logCertificateEvent({messageIds::certificateExpired, 3, what + " expired on " + formatUtcTime(c.notAfter) + fix,
                                 object, c.commonName, c.fingerprint, c.notAfter, a.daysLeft});
            manager_->emitCertificateExpired(sdbus::ObjectPath(object), c.commonName, c.notAfter);
            return;
        }
        logCertificateEvent({messageIds::certificateExpiring, 4,
                             what + " expires on " + formatUtcTime(c.notAfter) + ", in " + std::to_string(a.daysLeft) +
                                 " days" + fix,
                             object, c.commonName, c.fingerprint, c.notAfter, a.daysLeft});
        manager_->emitCertificateExpiring(sdbus::ObjectPath(object), c.commonName, c.notAfter,
                                          static_cast<uint32_t>(a.daysLeft));
    }

    EventLoop loop_;
    Degradation degradation_;
    bool retryScheduled_ = false;
    std::chrono::milliseconds retryDelay_ = firstRetryDelay;
    Authorizer authorizer_;
    SystemdUnitReloader reloader_;
    TrustStore store_;
    CaObjects cas_;
    HostCertificates hosts_;
    AcmeIssuer acme_; // before hostObjects_, which shows its state
    HostObjects hostObjects_;
    ExpiryChecker checker_;
    std::unique_ptr<ManagerObject> manager_;
    std::unique_ptr<ManagedObjects> managedObjects_; // after what it lists: goes first
    std::unique_ptr<HostnameWatcher> hostnameWatcher_;
    std::map<std::string, std::uint64_t> renewalFailures_; // by service, for the metrics
    std::int64_t lastCheck_ = 0;
    std::unique_ptr<MetricsFile> metrics_; // last: its worker reports through loop_
};

} // namespace

int runDaemon(const CommandLine& options, const Config& config)
{
    const StateLayout layout{chooseStateDirectory(options.stateDirectory)};
    const char* busName = options.sessionBus ? "session" : "system";
    try {
        // Lock first: preparing removes stale temporary files, which must
        // never be another certd's write in progress.
        ensureDirectory(layout.root, 0755);
        const StateDirectoryLock lock(layout.root);
        prepareStateDirectory(layout);
        if (!config.trust.systemTrust) {
            // Switched off: what the system took in from here goes at its next update.
            std::error_code ignored;
            std::filesystem::remove_all(layout.systemTrustDirectory(), ignored);
        }
        const auto connection = connectToBus(options.sessionBus);
        Daemon daemon(*connection, layout, config);
        // Objects first, name second: whoever sees the name finds them all.
        requestServiceName(*connection, busName);
        // Loading freed much more than it keeps; give it back before idling.
        ::malloc_trim(0);
        sd_notifyf(0, "READY=1\nSTATUS=Serving %zu CA certificates", daemon.caCount());
        spdlog::info("Ready: {} on the {} bus ({}), state in {}, {} CA certificates", bus::serviceName,
                     busName, connection->getUniqueName(), layout.root.string(), daemon.caCount());
        const int status = daemon.loop().run();
        sd_notify(0, "STOPPING=1");
        return status;
    } catch (const sdbus::Error& error) {
        spdlog::critical("D-Bus ({} bus): {}: {}", busName, error.getName(), error.getMessage());
    } catch (const std::exception& error) {
        spdlog::critical("{}", error.what());
    }
    return 1;
}

} // namespace certd
