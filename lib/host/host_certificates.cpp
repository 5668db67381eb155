#include "host/host_certificates.h"

#include "base/clock.h"
#include "base/error.h"
#include "host/service_directory.h"
#include "host/upload.h"
#include "x509/certificate_input.h"

namespace certd {

HostCertificates::HostCertificates(Settings settings, Post post, Hostname hostname)
    : settings_(std::move(settings))
    , post_(std::move(post))
    , hostname_(std::move(hostname))
{
    std::map<std::string, std::filesystem::path> directories;
    for (const auto& [name, config] : settings_.services) {
        auto service = serviceSettings(name, config, settings_.layout);
        directories.emplace(name, service.directory);
        services_.emplace(name, Service{HostCertificateStore(settings_.layout.hostRecords(name),
                                                             settings_.layout.legacyHostRecord(name),
                                                             std::move(service)),
                                        PendingRequestStore(settings_.layout.pendingRequest(name)), nullptr});
    }
    if (const auto why = whyServiceDirectoriesClash(directories, settings_.layout); !why.empty())
        throw Error(ErrorCode::InvalidConfiguration, why);
}

HostCertificates::~HostCertificates() = default;

HostCertificates::Service& HostCertificates::service(const std::string& name)
{
    const auto found = services_.find(name);
    if (found == services_.end())
        throw Error(ErrorCode::NotFound, "No service is called \"" + name + "\"");
    return found->second;
}

const HostCertificates::Service& HostCertificates::service(const std::string& name) const
{
    return const_cast<HostCertificates*>(this)->service(name);
}

std::shared_ptr<const ApplianceCa> HostCertificates::applianceCa() const
{
    std::lock_guard lock(applianceCaMutex_);
    return applianceCa_;
}

void HostCertificates::prepareApplianceCa(HostHealth& health)
{
    try {
        if (!applianceCa()) {
            auto ca = ApplianceCa::loadOrCreate(settings_.layout.applianceCa(), settings_.applianceCa, unixNow());
            auto retired = loadRetired(settings_.layout.retiredApplianceCas(), health.notes);
            std::lock_guard lock(applianceCaMutex_);
            applianceCa_ = std::move(ca);
            retired_ = std::move(retired);
        }
        writePublicApplianceCa();
    } catch (const std::exception& failure) {
        health.problems[applianceCaSubject] = failure.what();
    }
}

void HostCertificates::writePublicApplianceCa() const
{
    writeFileAtomically(settings_.layout.applianceCaCertificate(), applianceCaPem(), FileOptions::durableFile(0644));
}

void HostCertificates::completeRotation(HostHealth& health)
{
    RetiredApplianceCas retired;
    std::shared_ptr<const ApplianceCa> ca;
    {
        std::lock_guard lock(applianceCaMutex_);
        retired = retired_;
        ca = applianceCa_;
    }
    if (retired.reissued || !ca)
        return;
    if (!retired.cas.empty() && retired.cas.back().fingerprint == ca->details().fingerprint) {
        // Stopped before the commit: the old CA is still in force, and its
        // certificates are its own.
        retired.cas.pop_back();
        retired.reissued = true;
        return recordRetired(retired, health);
    }
    std::map<std::string, HostCertificatePtr> reissued;
    const bool all = reissueGenerated(*ca, reissued, health.notes);
    for (auto& [name, host] : reissued) {
        services_.at(name).current = host;
        health.notes.push_back("Issued the " + name + " certificate again under the new appliance CA, after an "
                               "interrupted rotation");
    }
    if (!all)
        return; // tried again at the next start
    retired.reissued = true;
    recordRetired(retired, health);
}

void HostCertificates::recordRetired(const RetiredApplianceCas& retired, HostHealth& health)
{
    try {
        saveRetired(settings_.layout.retiredApplianceCas(), retired);
        std::lock_guard lock(applianceCaMutex_);
        retired_ = retired;
    } catch (const std::exception& failure) {
        // The record still says "not re-issued": the next start does it again.
        health.notes.push_back(std::string("Could not record how the rotation ended: ") + failure.what());
    }
}

bool HostCertificates::reissueGenerated(const ApplianceCa& ca, std::map<std::string, HostCertificatePtr>& reissued,
                                        std::vector<std::string>& warnings)
{
    bool all = true;
    for (const auto& [name, entry] : services_) {
        try {
            const auto loaded = entry.store.load().host;
            if (!loaded || loaded->origin != HostOrigin::Generated || !loaded->generation)
                continue;
            auto host = ca.issue(*loaded->generation, unixNow());
            for (auto& warning : entry.store.install(*host))
                warnings.push_back(std::move(warning));
            reissued[name] = std::move(host);
        } catch (const std::exception& failure) {
            all = false;
            warnings.push_back("Could not issue the " + name + " certificate under the new appliance CA (" +
                               failure.what() + "); certd tries again at its next start");
        }
    }
    return all;
}

std::shared_ptr<const ApplianceCa> HostCertificates::commitRotation(const ApplianceCaSettings& settings,
                                                                    RotationOutcome& outcome)
{
    const auto old = applianceCa();
    if (!old)
        throw Error(ErrorCode::Internal, "The appliance CA could not be created yet, so there is none to rotate");
    const std::int64_t now = unixNow();
    std::shared_ptr<const ApplianceCa> fresh = ApplianceCa::create(settings, now);
    RetiredApplianceCas retired;
    {
        std::lock_guard lock(applianceCaMutex_);
        retired = retired_;
    }
    // Overlaps that ended are forgotten; the old CA joins, and the host
    // certificates are not yet the new CA's.
    std::erase_if(retired.cas, [&](const RetiredApplianceCa& ca) {
        return ca.retired + static_cast<std::int64_t>(settings_.applianceCa.overlapDays) * 86400 <= now;
    });
    retired.cas.push_back({old->certificatePem(), old->details().fingerprint, now});
    retired.reissued = false;
    saveRetired(settings_.layout.retiredApplianceCas(), retired);
    fresh->save(settings_.layout.applianceCa()); // the commit
    {
        std::lock_guard lock(applianceCaMutex_);
        applianceCa_ = fresh;
        retired_ = retired;
    }
    outcome.fingerprint = fresh->details().fingerprint;
    try {
        writePublicApplianceCa();
    } catch (const std::exception& failure) {
        outcome.warnings.push_back(std::string("The new appliance CA is in force, but its public copy: ") +
                                   failure.what());
    }
    return fresh;
}

void HostCertificates::rotateApplianceCa(ApplianceCaSettings settings, RotationCompletion done)
{
    validateApplianceCaSettings(settings);
    worker_.post([this, settings, done = std::move(done)] {
        RotationOutcome outcome;
        std::map<std::string, HostCertificatePtr> reissued;
        try {
            const auto ca = commitRotation(settings, outcome);
            if (reissueGenerated(*ca, reissued, outcome.warnings)) {
                std::lock_guard lock(applianceCaMutex_);
                retired_.reissued = true;
            }
            RetiredApplianceCas record;
            {
                std::lock_guard lock(applianceCaMutex_);
                record = retired_;
            }
            if (record.reissued)
                saveRetired(settings_.layout.retiredApplianceCas(), record);
        } catch (...) {
            if (outcome.fingerprint.empty())
                outcome.failure = std::current_exception();
            else // committed: a failure after that is for the next start to finish
                outcome.warnings.push_back("The rotation is committed; certd finishes it at its next start");
        }
        post_([this, outcome = std::move(outcome), reissued = std::move(reissued), done]() mutable {
            for (const auto& [name, host] : reissued) {
                services_.at(name).current = host;
                troubled_.erase(name);
                outcome.reissued.push_back(name);
            }
            done(outcome);
        });
    });
}

HostCertificatePtr HostCertificates::issue(const GenerationSettings& settings) const
{
    const auto ca = applianceCa();
    if (!ca)
        throw Error(ErrorCode::Internal, "The appliance CA could not be created (certd keeps trying; see the "
                                         "Problems property), so nothing can be generated yet");
    return ca->issue(settings, unixNow());
}

HostCertificatePtr HostCertificates::loadOrGenerate(const Service& entry, HostHealth& health)
{
    const auto& name = entry.store.settings().name;
    auto loaded = entry.store.load();
    health.notes.insert(health.notes.end(), loaded.notes.begin(), loaded.notes.end());
    if (!loaded.deliveryProblem.empty())
        health.problems[name] = loaded.deliveryProblem;
    if (loaded.host)
        return loaded.host;
    try {
        const auto first = firstStartSettings(hostname_());
        if (!first.note.empty())
            health.notes.push_back(first.note);
        auto generated = issue(first.settings);
        for (auto& warning : entry.store.install(*generated))
            health.notes.push_back(std::move(warning));
        health.notes.push_back("Generated a first certificate for " + name + " (" + generated->details.commonName +
                               ")");
        health.problems.erase(name);
        return generated;
    } catch (const std::exception& failure) {
        health.problems[name] = std::string("No certificate: ") + failure.what();
        return nullptr;
    }
}

void HostCertificates::loadPendingRequest(const std::string& name, HostHealth& health)
{
    const auto& entry = services_.at(name);
    auto loaded = entry.requests.load();
    health.notes.insert(health.notes.end(), loaded.notes.begin(), loaded.notes.end());
    if (loaded.request && entry.current && loaded.request->keyPem == entry.current->keyPem) {
        try {
            entry.requests.remove();
            health.notes.push_back("The " + name + " certificate request was installed before certd stopped; "
                                   "it is no longer pending");
            loaded.request = nullptr;
        } catch (const std::exception& failure) {
            health.notes.push_back("Could not remove the installed " + name + " request: " + failure.what());
        }
    }
    setPendingRequest(name, std::move(loaded.request));
}

void HostCertificates::setPendingRequest(const std::string& name, PendingRequestPtr request)
{
    std::unique_lock lock(pendingMutex_);
    std::swap(pending_[name], request);
    lock.unlock(); // the one replaced is destroyed outside the lock
}

PendingRequestPtr HostCertificates::pendingRequest(const std::string& name) const
{
    service(name); // NotFound for an unknown service
    std::lock_guard lock(pendingMutex_);
    const auto found = pending_.find(name);
    return found == pending_.end() ? nullptr : found->second;
}

HostHealth HostCertificates::start()
{
    HostHealth health;
    prepareApplianceCa(health);
    for (auto& [name, entry] : services_) {
        entry.current = loadOrGenerate(entry, health);
        loadPendingRequest(name, health);
    }
    completeRotation(health);
    for (const auto& [subject, problem] : health.problems)
        troubled_.insert(subject);
    return health;
}

void HostCertificates::retry(std::function<void(const HostHealth&)> done)
{
    worker_.post([this, subjects = troubled_, done = std::move(done)] {
        HostHealth health;
        std::map<std::string, HostCertificatePtr> found;
        if (subjects.contains(applianceCaSubject))
            prepareApplianceCa(health);
        for (const auto& [name, entry] : services_)
            if (subjects.contains(name))
                found[name] = loadOrGenerate(entry, health);
        post_([this, health = std::move(health), found = std::move(found), done]() mutable {
            for (const auto& [name, host] : found)
                if (host && host != services_.at(name).current) {
                    services_.at(name).current = host;
                    health.changed.push_back(name);
                }
            troubled_.clear();
            for (const auto& [subject, problem] : health.problems)
                troubled_.insert(subject);
            done(health);
        });
    });
}

std::vector<std::string> HostCertificates::services() const
{
    std::vector<std::string> names;
    for (const auto& [name, entry] : services_)
        names.push_back(name);
    return names;
}

const ServiceSettings& HostCertificates::settings(const std::string& name) const
{
    return service(name).store.settings();
}

HostCertificatePtr HostCertificates::current(const std::string& name) const
{
    return service(name).current;
}

bool HostCertificates::matchesHostname(const std::string& name) const
{
    const auto& host = service(name).current;
    return host && certd::matchesHostname(host->details, hostname_());
}

bool HostCertificates::matchesHostname(const CertificateDetails& details) const
{
    return certd::matchesHostname(details, hostname_());
}

std::string HostCertificates::applianceCaPem() const
{
    std::shared_ptr<const ApplianceCa> ca;
    RetiredApplianceCas retired;
    {
        std::lock_guard lock(applianceCaMutex_);
        ca = applianceCa_;
        retired = retired_;
    }
    if (!ca)
        throw Error(ErrorCode::NotFound, "The appliance CA could not be created yet; certd keeps trying");
    if (retired.cas.empty()) // the CA's details would wake OpenSSL at every start
        return ca->certificatePem();
    return applianceCaBundle(ca->certificatePem(), ca->details().fingerprint, retired, unixNow(),
                             settings_.applianceCa.overlapDays);
}

std::optional<CertificateDetails> HostCertificates::applianceCaDetails() const
{
    const auto ca = applianceCa();
    if (!ca)
        return std::nullopt;
    return ca->details();
}

GenerationSettings HostCertificates::generationSettings(const GenerationRequest& request) const
{
    return resolveGeneration(request, hostname_());
}

UploadContext HostCertificates::uploadContext(const std::string& name) const
{
    return {service(name).store.settings(), unixNow(), hostname_(),
            [this](const X509& certificate) { return knownIssuers(certificate); }};
}

std::vector<X509Ptr> HostCertificates::knownIssuers(const X509& certificate) const
{
    std::vector<X509Ptr> found;
    if (const auto ca = applianceCa())
        found.push_back(std::move(readFirstCertificate(asBytes(ca->certificatePem())).certificate));
    if (settings_.trustedIssuers)
        for (auto& issuer : settings_.trustedIssuers(certificate))
            found.push_back(std::move(issuer));
    return found;
}

PreparedUpload HostCertificates::prepareUpload(const std::string& name, ByteView certificate,
                                               ByteView privateKey) const
{
    return certd::prepareUpload(certificate, privateKey, uploadContext(name));
}

RequestSettings HostCertificates::requestSettings(const RequestOptions& options) const
{
    return resolveRequest(options, hostname_());
}

namespace {

PreparedUpload generated(HostCertificatePtr host)
{
    return {std::move(host), {}};
}

PendingRequestPtr requirePending(PendingRequestPtr request, const std::string& name)
{
    if (!request)
        throw Error(ErrorCode::NotFound,
                    "The " + name + " service has no pending certificate request; make one with CreateRequest");
    return request;
}

} // namespace

PreparedUpload HostCertificates::prepareInstall(const std::string& name, ByteView certificateAndChain) const
{
    const auto request = requirePending(pendingRequest(name), name);
    return prepareRequestedCertificate(certificateAndChain, *request, uploadContext(name));
}

void HostCertificates::createRequest(const std::string& name, RequestSettings settings, RequestCompletion done)
{
    changeRequest(
        name,
        [this, name, settings] {
            auto request = makePendingRequest(settings, unixNow());
            services_.at(name).requests.save(*request);
            return request;
        },
        std::move(done));
}

void HostCertificates::cancelRequest(const std::string& name, RequestCompletion done)
{
    changeRequest(
        name,
        [this, name] {
            requirePending(pendingRequest(name), name);
            services_.at(name).requests.remove();
            return PendingRequestPtr();
        },
        std::move(done));
}

void HostCertificates::changeRequest(const std::string& name, std::function<PendingRequestPtr()> change,
                                     RequestCompletion done)
{
    service(name); // NotFound before anything is queued
    worker_.post([this, name, change = std::move(change), done = std::move(done)] {
        RequestChange outcome{name, nullptr, nullptr};
        try {
            outcome.request = change();
            setPendingRequest(name, outcome.request);
        } catch (...) {
            outcome.request = pendingRequest(name);
            outcome.failure = std::current_exception();
        }
        post_([outcome = std::move(outcome), done] { done(outcome); });
    });
}

void HostCertificates::installCertificate(const std::string& name, Bytes certificateAndChain, Completion done)
{
    change(
        name, HostChangeKind::Install,
        [this, name, context = uploadContext(name), chain = std::move(certificateAndChain)] {
            const auto request = requirePending(pendingRequest(name), name);
            return prepareRequestedCertificate(chain, *request, context);
        },
        std::move(done),
        [this, name](std::vector<std::string>& warnings) {
            try {
                services_.at(name).requests.remove();
            } catch (const std::exception& failure) {
                warnings.push_back("The " + name + " request is installed but could not be removed (" +
                                   failure.what() + "); certd removes it at the next start");
            }
            setPendingRequest(name, nullptr);
        });
}

void HostCertificates::generate(const std::string& name, GenerationSettings settings, Completion done)
{
    change(name, HostChangeKind::Generate, [this, settings] { return generated(issue(settings)); }, std::move(done));
}

void HostCertificates::upload(const std::string& name, PreparedUpload prepared, Completion done)
{
    change(name, HostChangeKind::Upload, [prepared] { return prepared; }, std::move(done));
}

void HostCertificates::uploadPkcs12(const std::string& name, Bytes pkcs12, SharedSecret passphrase, Completion done)
{
    change(
        name, HostChangeKind::Upload,
        [context = uploadContext(name), pkcs12 = std::move(pkcs12), passphrase = std::move(passphrase)] {
            return preparePkcs12Upload(pkcs12, passphrase->text(), context);
        },
        std::move(done));
}

void HostCertificates::deliver(const std::string& name, HostChangeKind kind, std::function<PreparedUpload()> make,
                               Completion done)
{
    change(name, kind, std::move(make), std::move(done));
}

HostCertificates::Renewal HostCertificates::renew(const std::string& name, Completion done)
{
    if (renewing_.contains(name))
        return Renewal::InProgress;
    if (!renewsItself(name))
        return Renewal::NotPossible;
    const auto& host = service(name).current;
    renewing_.insert(name);
    const GenerationSettings settings = *host->generation;
    change(name, HostChangeKind::Renewal, [this, settings] { return generated(issue(settings)); }, std::move(done));
    return Renewal::Started;
}

bool HostCertificates::renewsItself(const std::string& name) const
{
    const auto& host = service(name).current;
    return host && host->origin == HostOrigin::Generated && host->generation;
}

bool HostCertificates::renewalFailed(const std::string& name) const
{
    const auto& host = service(name).current;
    return host && renewalFailed_.contains(host->details.fingerprint);
}

void HostCertificates::change(const std::string& name, HostChangeKind kind, std::function<PreparedUpload()> make,
                              Completion done, std::function<void(std::vector<std::string>&)> committed)
{
    service(name); // NotFound before anything is queued
    worker_.post([this, name, kind, make = std::move(make), done = std::move(done), committed = std::move(committed)] {
        HostChange outcome{name, kind, nullptr, nullptr, {}, {}};
        try {
            auto prepared = make();
            outcome.warnings = services_.at(name).store.install(*prepared.host);
            outcome.host = std::move(prepared.host);
            outcome.preflight = std::move(prepared.warnings);
        } catch (...) {
            outcome.failure = std::current_exception();
        }
        if (outcome.host && committed)
            committed(outcome.warnings);
        post_([this, outcome = std::move(outcome), done] { finish(outcome, done); });
    });
}

void HostCertificates::finish(HostChange outcome, const Completion& done)
{
    auto& entry = services_.at(outcome.service);
    if (outcome.kind == HostChangeKind::Renewal) {
        renewing_.erase(outcome.service);
        if (outcome.failure && entry.current)
            renewalFailed_.insert(entry.current->details.fingerprint);
    }
    if (outcome.host) {
        entry.current = outcome.host;
        troubled_.erase(outcome.service); // delivered: whatever was wrong is not any more
    }
    done(outcome);
}

} // namespace certd
