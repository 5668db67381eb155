#include "daemon.h"

#include "base/atomic_file.h"
#include "authorization.h"
#include "bus_names.h"
#include "ca_certificates.h"
#include "event_loop.h"
#include "expiry_checker.h"
#include "host_certificates.h"
#include "hostname_watcher.h"
#include "manager_object.h"
#include "base/state_directory.h"
#include "trust/trust_store.h"
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

// Everything that lives while certd serves, in construction order.
class Service {
public:
    Service(sdbus::IConnection& connection, const StateLayout& layout, const Config& config)
        : loop_(connection)
        , authorizer_(config.access.adminGroup, config.access.adminGroupId)
        , reloader_(connection)
        , store_(TrustStorePaths::in(layout),
                 [this](std::size_t count, const std::string& error) { onBundleWritten(count, error); })
        , cas_(connection, store_, loop_, authorizer_)
        , hosts_(connection, loop_, authorizer_, reloader_, layout, config,
                 [this](const std::string& service, const std::string& path) {
                     manager_->emitHostCertificateChanged(service, sdbus::ObjectPath(path));
                 })
        , checker_(store_, hosts_, config.expiry, layout.expiryAnnouncements(),
                   {[this](const std::string& object, const std::string& name, std::int64_t notAfter) {
                        manager_->emitCertificateExpired(sdbus::ObjectPath(object), name, notAfter);
                    },
                    [this](const std::string& object, const std::string& name, std::int64_t notAfter,
                           unsigned daysLeft) {
                        manager_->emitCertificateExpiring(sdbus::ObjectPath(object), name, notAfter, daysLeft);
                    }})
    {
        cas_.publishStored();
        hosts_.publish();
        manager_ = std::make_unique<ManagerObject>(connection, store_, cas_, hosts_, checker_, authorizer_);
        hostnameWatcher_ = std::make_unique<HostnameWatcher>(loop_, [this](const std::string&) {
            hosts_.hostnameChanged();
        });
    }

    ~Service()
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
        if (!error.empty()) {
            spdlog::error("Could not write the trust bundle: {}", error);
            return;
        }
        loop_.post([this, count] { manager_->emitTrustStoreChanged(static_cast<uint32_t>(count)); });
    }

    EventLoop loop_;
    Authorizer authorizer_;
    SystemdUnitReloader reloader_;
    TrustStore store_;
    CaCertificates cas_;
    HostCertificates hosts_;
    ExpiryChecker checker_;
    std::unique_ptr<ManagerObject> manager_;
    std::unique_ptr<HostnameWatcher> hostnameWatcher_;
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
        const auto connection = connectToBus(options.sessionBus);
        Service service(*connection, layout, config);
        // Objects first, name second: whoever sees the name finds them all.
        requestServiceName(*connection, busName);
        // Loading freed much more than it keeps; give it back before idling.
        ::malloc_trim(0);
        sd_notifyf(0, "READY=1\nSTATUS=Serving %zu CA certificates", service.caCount());
        spdlog::info("Ready: {} on the {} bus ({}), state in {}, {} CA certificates", bus::serviceName,
                     busName, connection->getUniqueName(), layout.root.string(), service.caCount());
        const int status = service.loop().run();
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
