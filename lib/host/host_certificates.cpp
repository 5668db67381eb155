#include "host/host_certificates.h"

#include "base/clock.h"
#include "base/error.h"
#include "host/service_directory.h"
#include "host/upload.h"

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
                                        nullptr});
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

std::vector<std::string> HostCertificates::start()
{
    std::vector<std::string> problems;
    applianceCa_ = ApplianceCa::loadOrCreate(settings_.layout.applianceCa(), settings_.applianceCa, unixNow());
    writeFileAtomically(settings_.layout.applianceCaCertificate(), applianceCa_->certificatePem(),
                        FileOptions::durableFile(0644));
    for (auto& [name, entry] : services_)
        entry.current = loadOrGenerate(entry, problems);
    return problems;
}

HostCertificatePtr HostCertificates::loadOrGenerate(Service& entry, std::vector<std::string>& problems)
{
    auto loaded = entry.store.load();
    problems.insert(problems.end(), loaded.problems.begin(), loaded.problems.end());
    if (loaded.host)
        return loaded.host;
    const auto& name = entry.store.settings().name;
    try {
        const auto first = firstStartSettings(hostname_());
        if (!first.note.empty())
            problems.push_back(first.note);
        auto generated = applianceCa_->issue(first.settings, unixNow());
        for (auto& warning : entry.store.install(*generated))
            problems.push_back(std::move(warning));
        return generated;
    } catch (const std::exception& failure) {
        problems.push_back("The " + name + " service has no certificate: " + failure.what());
        return nullptr;
    }
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

const std::string& HostCertificates::applianceCaPem() const
{
    return applianceCa_->certificatePem();
}

GenerationSettings HostCertificates::generationSettings(const GenerationRequest& request) const
{
    return resolveGeneration(request, hostname_());
}

HostCertificatePtr HostCertificates::prepareUpload(const std::string& name, ByteView certificate,
                                                   ByteView privateKey) const
{
    return certd::prepareUpload(certificate, privateKey, service(name).store.settings(), unixNow());
}

void HostCertificates::generate(const std::string& name, GenerationSettings settings, Completion done)
{
    change(name, HostChangeKind::Generate, [this, settings] { return applianceCa_->issue(settings, unixNow()); },
           std::move(done));
}

void HostCertificates::upload(const std::string& name, HostCertificatePtr host, Completion done)
{
    change(name, HostChangeKind::Upload, [host] { return host; }, std::move(done));
}

HostCertificates::Renewal HostCertificates::renew(const std::string& name, Completion done)
{
    if (renewing_.contains(name))
        return Renewal::InProgress;
    const auto& host = service(name).current;
    if (!host || host->origin != HostOrigin::Generated || !host->generation ||
        renewalFailed_.contains(host->details.fingerprint))
        return Renewal::NotPossible;
    renewing_.insert(name);
    const GenerationSettings settings = *host->generation;
    change(name, HostChangeKind::Renewal, [this, settings] { return applianceCa_->issue(settings, unixNow()); },
           std::move(done));
    return Renewal::Started;
}

void HostCertificates::change(const std::string& name, HostChangeKind kind, std::function<HostCertificatePtr()> make,
                              Completion done)
{
    service(name); // NotFound before anything is queued
    worker_.post([this, name, kind, make = std::move(make), done = std::move(done)] {
        HostChange outcome{name, kind, nullptr, nullptr, {}};
        try {
            auto host = make();
            outcome.warnings = services_.at(name).store.install(*host);
            outcome.host = std::move(host);
        } catch (...) {
            outcome.failure = std::current_exception();
        }
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
    if (outcome.host)
        entry.current = outcome.host;
    done(outcome);
}

} // namespace certd
