#include "host_objects.h"

#include "base/clock.h"
#include "bus_errors.h"
#include "bus_names.h"
#include "expiry/expiry.h"
#include "journal.h"
#include "unit_reloader.h"

#include <spdlog/spdlog.h>

namespace certd {
namespace {

const char* verbOf(HostChangeKind kind)
{
    switch (kind) {
    case HostChangeKind::Generate: return "generate";
    case HostChangeKind::Upload: return "install the uploaded";
    case HostChangeKind::Renewal: return "renew";
    case HostChangeKind::Install: return "install the requested";
    case HostChangeKind::Acme: return "obtain the ACME";
    }
    return "change";
}

} // namespace

HostObjects::HostObjects(sdbus::IConnection& connection, HostCertificates& hosts, AcmeIssuer& acme,
                         const Authorizer& authorizer, UnitReloader& reloader, RenewalDue renewalDue,
                         ChangeListener listener, RenewalFailureListener renewalFailed)
    : connection_(connection)
    , hosts_(hosts)
    , acme_(acme)
    , authorizer_(authorizer)
    , reloader_(reloader)
    , renewalDue_(std::move(renewalDue))
    , listener_(std::move(listener))
    , renewalFailureListener_(std::move(renewalFailed))
{
}

void HostObjects::writeManaged(ManagedObjectsWriter& writer) const
{
    for (const auto& [service, object] : objects_)
        object->writeManaged(writer);
}

void HostObjects::publish()
{
    const HostCertificateActions actions{
        [this](const std::string& service, GenerationSettings settings, sdbus::Result<>&& reply) {
            generate(service, std::move(settings), std::move(reply));
        },
        [this](const std::string& service, PreparedUpload prepared, sdbus::Result<>&& reply) {
            upload(service, std::move(prepared), std::move(reply));
        },
        [this](const std::string& service, Bytes pkcs12, SharedSecret passphrase, sdbus::Result<>&& reply) {
            spdlog::info("Installing the {} certificate and key of a PKCS#12 file", service);
            hosts_.uploadPkcs12(service, std::move(pkcs12), std::move(passphrase), completionFor(std::move(reply)));
        },
        [this](const std::string& service, RequestSettings settings, sdbus::Result<std::vector<uint8_t>>&& reply) {
            createRequest(service, std::move(settings), std::move(reply));
        },
        [this](const std::string& service, sdbus::Result<>&& reply) { cancelRequest(service, std::move(reply)); },
        [this](const std::string& service, Bytes chain, sdbus::Result<>&& reply) {
            spdlog::info("Installing the certificate issued for the pending {} request", service);
            hosts_.installCertificate(service, std::move(chain), completionFor(std::move(reply)));
        },
        [this](const std::string& service, GenerationSettings settings, sdbus::Result<>&& reply) {
            requestFromAcme(service, std::move(settings), std::move(reply));
        }};
    for (const auto& service : hosts_.services())
        objects_[service] = std::make_unique<HostCertificateObject>(
            connection_, hosts_, acme_, service, authorizer_, actions,
            [this, service] { return renewalDue_(service); });
}

void HostObjects::refresh(const std::string& service)
{
    if (const auto object = objects_.find(service); object != objects_.end())
        object->second->refresh();
}

void HostObjects::requestFromAcme(const std::string& service, GenerationSettings settings, sdbus::Result<>&& reply)
{
    spdlog::info("Ordering a {} certificate for {} ({}) from the ACME CA", service, settings.hostname,
                 keyTypeName(settings.keyType));
    acme_.request(service, std::move(settings), completionFor(std::move(reply)));
}

void HostObjects::hostnameChanged()
{
    for (auto& [service, object] : objects_)
        object->refresh();
}

HostCertificates::Completion HostObjects::completionFor(std::optional<sdbus::Result<>> reply)
{
    // The completion carries the ticket, never the reply (see PendingReplies).
    const std::uint64_t ticket = reply ? replies_.add(std::move(*reply)) : 0;
    return [this, ticket](const HostChange& change) { finished(change, ticket); };
}

void HostObjects::generate(const std::string& service, GenerationSettings settings, sdbus::Result<>&& reply)
{
    spdlog::info("Generating a {} certificate for {} ({})", keyTypeName(settings.keyType), service, settings.hostname);
    hosts_.generate(service, std::move(settings), completionFor(std::move(reply)));
}

void HostObjects::upload(const std::string& service, PreparedUpload prepared, sdbus::Result<>&& reply)
{
    spdlog::info("Installing the uploaded certificate \"{}\" for {}", prepared.host->details.commonName, service);
    hosts_.upload(service, std::move(prepared), completionFor(std::move(reply)));
}

void HostObjects::createRequest(const std::string& service, RequestSettings settings,
                                sdbus::Result<std::vector<uint8_t>>&& reply)
{
    spdlog::info("Making a {} key and certificate request for {} ({})", keyTypeName(settings.names.keyType), service,
                 settings.names.hostname);
    const std::uint64_t ticket = requestReplies_.add(std::move(reply));
    hosts_.createRequest(service, std::move(settings), [this, ticket](const RequestChange& change) {
        auto reply = requestReplies_.take(ticket);
        requestChanged(
            change, "create",
            [&] {
                if (reply)
                    reply->returnResults(toBytes(change.request->requestPem));
            },
            [&](const sdbus::Error& error) {
                if (reply)
                    reply->returnError(error);
            });
    });
}

void HostObjects::cancelRequest(const std::string& service, sdbus::Result<>&& reply)
{
    const std::uint64_t ticket = replies_.add(std::move(reply));
    hosts_.cancelRequest(service, [this, ticket](const RequestChange& change) {
        auto reply = replies_.take(ticket);
        requestChanged(
            change, "cancel",
            [&] {
                if (reply)
                    reply->returnResults();
            },
            [&](const sdbus::Error& error) {
                if (reply)
                    reply->returnError(error);
            });
    });
}

void HostObjects::requestChanged(const RequestChange& change, const char* verb, const std::function<void()>& replyOk,
                                 const std::function<void(const sdbus::Error&)>& replyError)
{
    objects_.at(change.service)->refresh();
    if (change.failure) {
        const auto error = toBusError(change.failure);
        spdlog::error("Could not {} the {} certificate request: {}", verb, change.service, error.getMessage());
        return replyError(error);
    }
    if (change.request)
        spdlog::info("The {} certificate request for {} is pending", change.service, change.request->subject);
    else
        spdlog::info("The {} certificate request was cancelled", change.service);
    replyOk();
}

HostCertificates::Renewal HostObjects::renew(const std::string& service)
{
    if (acme_.renewsItself(service)) {
        const bool ordering = acme_.status(service).state == "ordering";
        acme_.renew(service, completionFor(std::nullopt));
        if (ordering)
            return HostCertificates::Renewal::InProgress;
        spdlog::info("Renewing the {} certificate \"{}\" from the ACME CA; it expires on {}", service,
                     hosts_.current(service)->details.commonName,
                     formatUtcTime(hosts_.current(service)->details.notAfter));
        return HostCertificates::Renewal::Started;
    }
    const auto renewal = hosts_.renew(service, completionFor(std::nullopt));
    if (renewal == HostCertificates::Renewal::Started) {
        const auto& host = hosts_.current(service);
        spdlog::info("Renewing the {} certificate \"{}\", which expires on {}", service, host->details.commonName,
                     formatUtcTime(host->details.notAfter));
    }
    return renewal;
}

void HostObjects::finished(const HostChange& change, std::uint64_t ticket)
{
    auto reply = replies_.take(ticket);
    for (const auto& warning : change.preflight)
        spdlog::warn("The new {} certificate is installed, but: {}", change.service, warning);
    for (const auto& warning : change.warnings)
        spdlog::warn("{}", warning);
    if (!change.host) {
        const auto error = toBusError(change.failure);
        if (change.kind == HostChangeKind::Renewal)
            reportRenewalFailure(change.service, error.getMessage());
        else
            spdlog::error("Could not {} the {} certificate: {}", verbOf(change.kind), change.service,
                          error.getMessage());
        if (reply)
            reply->returnError(error);
        return;
    }
    const auto& details = change.host->details;
    if (change.kind == HostChangeKind::Renewal)
        logCertificateEvent({messageIds::certificateRenewed, 5,
                         "Renewed the " + change.service + " certificate \"" + details.commonName + "\"; valid until " +
                             formatUtcTime(details.notAfter),
                         bus::hostObjectPath(change.service), details.commonName, details.fingerprint, details.notAfter,
                         daysLeft(details.notAfter, unixNow())});
    spdlog::info("The {} certificate is now \"{}\" ({}, valid until {})", change.service, details.commonName,
                 originName(change.host->origin), formatUtcTime(details.notAfter));
    announce(change.service);
    if (reply)
        reply->returnResults();
}

void HostObjects::reportRenewalFailure(const std::string& service, const std::string& reason)
{
    if (const auto& host = hosts_.current(service)) {
        const auto& details = host->details;
        logCertificateEvent({messageIds::renewalFailed, 3,
                             "Could not renew the " + service + " certificate \"" + details.commonName +
                                 "\", which expires on " + formatUtcTime(details.notAfter) + ": " + reason +
                                 "; certd tries again at the next check",
                             bus::hostObjectPath(service), details.commonName, details.fingerprint, details.notAfter,
                             daysLeft(details.notAfter, unixNow())});
    }
    renewalFailureListener_(service, reason);
}

void HostObjects::changed(const std::string& service)
{
    if (const auto& host = hosts_.current(service))
        spdlog::info("The {} certificate is now \"{}\"", service, host->details.commonName);
    announce(service);
}

void HostObjects::announce(const std::string& service)
{
    objects_.at(service)->refresh();
    listener_(service);
    if (const auto& unit = hosts_.settings(service).reloadUnit; !unit.empty())
        reloader_.reloadOrRestart(unit);
}

} // namespace certd
