#include "host_certificates.h"

#include "base/atomic_file.h"
#include "bus_errors.h"
#include "event_loop.h"
#include "expiry/expiry.h"
#include "expiry_journal.h"
#include "host/hostname.h"
#include "host/service_directory.h"
#include "base/clock.h"
#include "base/text.h"
#include "unit_reloader.h"

#include <spdlog/spdlog.h>


namespace certd {
namespace {

ServiceSettings settingsFor(const std::string& name, const ServiceConfig& config, const StateLayout& layout)
{
    ServiceSettings settings;
    settings.name = name;
    settings.directory = config.directory.empty() ? layout.serviceDirectory(name) : config.directory;
    settings.keyGroupName = config.keyGroupName;
    settings.keyGroup = config.keyGroup;
    settings.reloadUnit = config.reloadUnit;
    settings.requireSubjectAltName = name == "https";
    return settings;
}

// What a service gets on a fresh appliance, so that it can start at all.
GenerationSettings firstStartSettings()
{
    GenerationSettings settings;
    settings.hostname = currentHostname();
    if (const auto why = whyNotAHostname(settings.hostname); !why.empty()) {
        spdlog::warn("The host name \"{}\" is not a valid DNS name ({}); the first certificates are "
                     "for \"localhost\" until one is generated for a valid name",
                     settings.hostname, why);
        settings.hostname = "localhost";
    }
    return settings;
}

} // namespace

HostCertificates::HostCertificates(sdbus::IConnection& connection, EventLoop& loop, const Authorizer& authorizer,
                                   UnitReloader& reloader, const StateLayout& layout, const Config& config,
                                   ChangeListener listener)
    : connection_(connection)
    , loop_(loop)
    , authorizer_(authorizer)
    , reloader_(reloader)
    , layout_(layout)
    , applianceCaSettings_(config.applianceCa)
    , listener_(std::move(listener))
{
    std::map<std::string, std::filesystem::path> directories;
    for (const auto& [name, serviceConfig] : config.services) {
        auto settings = settingsFor(name, serviceConfig, layout);
        directories.emplace(name, settings.directory);
        services_.emplace(name, Service{HostCertificateStore(layout.hostRecords(name), layout.legacyHostRecord(name),
                                                             std::move(settings)),
                                        nullptr});
    }
    if (const auto why = whyServiceDirectoriesClash(directories, layout); !why.empty())
        throw std::runtime_error("Invalid configuration: " + why);
}

void HostCertificates::publish()
{
    applianceCa_ = ApplianceCa::loadOrCreate(layout_.applianceCa(), applianceCaSettings_, unixNow());
    if (applianceCa_->wasCreated())
        spdlog::info("Created the appliance CA {}", layout_.applianceCa().string());
    writeFileAtomically(layout_.applianceCaCertificate(), applianceCa_->certificatePem(),
                        FileOptions::durableFile(0644));

    const HostCertificateActions actions{
        [this](const std::string& service, GenerationSettings settings, Reply reply) {
            generate(service, std::move(settings), std::move(reply));
        },
        [this](const std::string& service, HostCertificatePtr host, Reply reply) {
            upload(service, std::move(host), std::move(reply));
        }};
    for (auto& [name, service] : services_) {
        HostCertificatePtr host = loadOrGenerate(service);
        service.object = std::make_unique<HostCertificateObject>(connection_, service.store.settings(),
                                                                 std::move(host), authorizer_, actions);
    }
}

HostCertificatePtr HostCertificates::loadOrGenerate(Service& service)
{
    const auto& name = service.store.settings().name;
    auto loaded = service.store.load();
    for (const auto& problem : loaded.problems)
        spdlog::error("{}", problem);
    if (loaded.host)
        return loaded.host;
    try {
        auto generated = applianceCa_->issue(firstStartSettings(), unixNow());
        for (const auto& warning : service.store.install(*generated))
            spdlog::warn("{}", warning);
        spdlog::info("Generated a first certificate for {} ({})", name, generated->details.commonName);
        return generated;
    } catch (const std::exception& failure) {
        spdlog::error("The {} service has no certificate: {}", name, failure.what());
        return nullptr;
    }
}

void HostCertificates::generate(const std::string& service, GenerationSettings settings, Reply reply)
{
    spdlog::info("Generating a {} certificate for {} ({})", keyTypeName(settings.keyType), service,
                 settings.hostname);
    commit(service, Change::Generate, [this, settings] { return applianceCa_->issue(settings, unixNow()); },
           std::move(reply));
}

void HostCertificates::upload(const std::string& service, HostCertificatePtr host, Reply reply)
{
    spdlog::info("Installing the uploaded certificate \"{}\" for {}", host->details.commonName, service);
    commit(service, Change::Upload, [host] { return host; }, std::move(reply));
}

std::vector<HostCertificates::Current> HostCertificates::current() const
{
    std::vector<Current> all;
    for (const auto& [name, service] : services_)
        all.push_back({name, hostObjectPath(name), service.object->current()});
    return all;
}

HostCertificates::Renewal HostCertificates::renew(const std::string& service)
{
    if (renewing_.contains(service))
        return Renewal::InProgress;
    const auto& host = services_.at(service).object->current();
    if (!host || host->origin != HostOrigin::Generated || !host->generation ||
        renewalFailed_.contains(host->details.fingerprint))
        return Renewal::NotPossible;
    renewing_.insert(service);
    spdlog::info("Renewing the {} certificate \"{}\", which expires on {}", service, host->details.commonName,
                 formatUtcTime(host->details.notAfter));
    const GenerationSettings settings = *host->generation;
    commit(service, Change::Renewal, [this, settings] { return applianceCa_->issue(settings, unixNow()); }, nullptr);
    return Renewal::Started;
}

void HostCertificates::commit(const std::string& service, Change change, std::function<HostCertificatePtr()> make,
                              Reply reply)
{
    const std::uint64_t ticket = nextTicket_++;
    if (reply)
        pendingReplies_.emplace(ticket, std::move(reply));
    // The job carries the ticket, never the reply: see pendingReplies_.
    worker_.post([this, service, change, make = std::move(make), ticket] {
        try {
            HostCertificatePtr host = make();
            for (const auto& warning : services_.at(service).store.install(*host))
                spdlog::warn("{}", warning);
            loop_.post([this, service, change, host, ticket] { finish(service, change, host, ticket); });
        } catch (...) {
            loop_.post([this, service, change, ticket, failure = std::current_exception()] {
                fail(service, change, failure, ticket);
            });
        }
    });
}

Reply HostCertificates::takeReply(std::uint64_t ticket)
{
    const auto found = pendingReplies_.find(ticket);
    if (found == pendingReplies_.end())
        return nullptr;
    Reply reply = std::move(found->second);
    pendingReplies_.erase(found);
    return reply;
}

void HostCertificates::finish(const std::string& service, Change change, HostCertificatePtr host, std::uint64_t ticket)
{
    const Reply reply = takeReply(ticket);
    auto& entry = services_.at(service);
    if (change == Change::Renewal) {
        renewing_.erase(service);
        logExpiryEvent({messageIds::certificateRenewed, 5,
                        "Renewed the " + service + " certificate \"" + host->details.commonName + "\"; valid until " +
                            formatUtcTime(host->details.notAfter),
                        hostObjectPath(service), host->details.commonName, host->details.fingerprint,
                        host->details.notAfter, daysLeft(host->details.notAfter, unixNow())});
    }
    spdlog::info("The {} certificate is now \"{}\" ({}, valid until {})", service, host->details.commonName,
                 originName(host->origin), formatUtcTime(host->details.notAfter));
    entry.object->replace(std::move(host));
    listener_(service, hostObjectPath(service));
    if (const auto& unit = entry.store.settings().reloadUnit; !unit.empty())
        reloader_.reloadOrRestart(unit);
    if (reply)
        reply->returnResults();
}

void HostCertificates::fail(const std::string& service, Change change, std::exception_ptr failure,
                            std::uint64_t ticket)
{
    const Reply reply = takeReply(ticket);
    if (change == Change::Renewal) {
        renewing_.erase(service);
        if (const auto& host = services_.at(service).object->current())
            renewalFailed_.insert(host->details.fingerprint);
    }
    try {
        rethrowAsBusError(failure);
    } catch (const sdbus::Error& error) {
        spdlog::error("Could not change the {} certificate: {}", service, error.getMessage());
        if (reply)
            reply->returnError(error);
    }
}

void HostCertificates::hostnameChanged()
{
    for (auto& [name, service] : services_)
        service.object->hostnameChanged();
}

} // namespace certd
