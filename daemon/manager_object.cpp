#include "manager_object.h"

#include "authorization.h"
#include "base/bytes.h"
#include "base/clock.h"
#include "base/degradation.h"
#include "bus_errors.h"
#include "bus_names.h"
#include "ca_objects.h"
#include "generation_options.h"
#include "certd_build_config.h"
#include "certificate_properties.h"
#include "host/host_certificates.h"
#include "trust/trust_store.h"
#include "x509/certificate_input.h"
#include "x509/export_format.h"

namespace certd {

ManagerObject::ManagerObject(sdbus::IConnection& connection, TrustStore& store, CaObjects& cas,
                             const HostCertificates& hosts, const Degradation& degradation, ExpiryCheck checkExpiry,
                             ExpiryList listExpiring, const Authorizer& authorizer, ApplianceCaSettings configuredCa,
                             Rotation rotate)
    : AdaptorInterfaces(connection, bus::managerPath)
    , store_(store)
    , cas_(cas)
    , hosts_(hosts)
    , degradation_(degradation)
    , checkExpiry_(std::move(checkExpiry))
    , listExpiring_(std::move(listExpiring))
    , authorizer_(authorizer)
    , configuredCa_(std::move(configuredCa))
    , rotate_(std::move(rotate))
{
    registerAdaptor();
}

ManagerObject::~ManagerObject()
{
    unregisterAdaptor();
}

const sdbus::Message& ManagerObject::currentCall()
{
    return *getObject().getCurrentlyProcessedMessage();
}

std::map<std::string, sdbus::Variant> ManagerObject::InspectCACertificate(const std::vector<uint8_t>& data)
{
    return translateErrors([&] {
        const CaInspection inspection = store_.inspect(data, unixNow());
        auto reply = propertyVariants(inspection.details);
        reply.emplace("AdditionalCertificatesIgnored", sdbus::Variant(static_cast<uint32_t>(inspection.additionalCertificates)));
        reply.emplace("AlreadyImported", sdbus::Variant(inspection.alreadyImported));
        return reply;
    });
}

void ManagerObject::ImportCACertificate(sdbus::Result<sdbus::ObjectPath>&& result, std::vector<uint8_t> data)
{
    translateErrors([&] {
        auto inspection = std::make_shared<CaInspection>(store_.inspect(data, unixNow()));
        authorizeThen(authorizer_, currentCall(), Action::ManageTrustStore, "import CA certificates",
                      std::move(result), [this, inspection](sdbus::Result<sdbus::ObjectPath>&& reply) {
                          cas_.import(std::move(*inspection), std::move(reply));
                      });
    });
}

void ManagerObject::Reload(sdbus::Result<uint32_t>&& result)
{
    translateErrors([&] {
        authorizeThen(authorizer_, currentCall(), Action::ManageTrustStore, "reload the CA store", std::move(result),
                      [this](sdbus::Result<uint32_t>&& reply) { cas_.reload(std::move(reply), [this] { checkExpiry_(); }); });
    });
}

void ManagerObject::CheckExpiry(sdbus::Result<ExpiryReport>&& result)
{
    translateErrors([&] {
        authorizeThen(authorizer_, currentCall(), Action::CheckExpiry, "check certificates for expiry", std::move(result),
                      [this](sdbus::Result<ExpiryReport>&& reply) { reply.returnResults(checkExpiry_()); });
    });
}

void ManagerObject::GetPermissions(sdbus::Result<std::map<std::string, std::string>>&& result)
{
    translateErrors([&] {
        // Three answers, one reply: the last to arrive sends it.
        struct Gathered {
            sdbus::Result<std::map<std::string, std::string>> reply;
            std::map<std::string, std::string> permissions;
        };
        auto gathered = std::make_shared<Gathered>(Gathered{std::move(result), {}});
        const Action actions[] = {Action::ManageTrustStore, Action::ManageHostCertificates, Action::CheckExpiry};
        for (const auto action : actions)
            authorizer_.permission(currentCall(), action, [gathered, action, count = std::size(actions)](
                                                              const std::string& answer) {
                gathered->permissions[actionId(action)] = answer;
                if (gathered->permissions.size() == count)
                    gathered->reply.returnResults(gathered->permissions);
            });
    });
}

ManagerObject::ExpiryReport ManagerObject::ListExpiring(const uint32_t& days)
{
    return translateErrors([&] { return listExpiring_(days); });
}

std::vector<uint8_t> ManagerObject::ExportApplianceCA(const std::string& format)
{
    return translateErrors([&] {
        const auto& pem = hosts_.applianceCaPem();
        return parseExportFormat(format) == ExportFormat::Der ? firstCertificateDer(asBytes(pem)) : toBytes(pem);
    });
}

std::string ManagerObject::TrustDirectory()
{
    return store_.paths().trustDirectory.string();
}

std::string ManagerObject::TrustBundle()
{
    return store_.paths().trustBundle.string();
}

std::string ManagerObject::SystemTrustDirectory()
{
    return store_.paths().systemTrustDirectory.string();
}

bool ManagerObject::Degraded()
{
    return degradation_.degraded();
}

std::vector<std::string> ManagerObject::Problems()
{
    return degradation_.descriptions();
}

void ManagerObject::degradationChanged()
{
    emitPropertiesChangedSignal(bus::managerInterface, {"Degraded", "Problems"});
}

void ManagerObject::RotateApplianceCA(sdbus::Result<>&& result, std::map<std::string, sdbus::Variant> options)
{
    translateErrors([&] {
        auto settings = rotationSettingsFrom(options, configuredCa_);
        validateApplianceCaSettings(settings);
        authorizeThen(authorizer_, currentCall(), Action::ManageHostCertificates, "rotate the appliance CA",
                      std::move(result), [this, settings](sdbus::Result<>&& reply) {
                          // The completion carries the ticket, never the reply (see PendingReplies).
                          const auto ticket = rotations_.add(std::move(reply));
                          rotate_(settings, [this, ticket](const RotationOutcome& outcome) {
                              auto pending = rotations_.take(ticket);
                              if (!pending)
                                  return;
                              if (outcome.failure)
                                  pending->returnError(toBusError(outcome.failure));
                              else
                                  pending->returnResults();
                          });
                      });
    });
}

void ManagerObject::applianceCaChanged()
{
    emitPropertiesChangedSignal(bus::managerInterface,
                                {"ApplianceCACommonName", "ApplianceCAFingerprint", "ApplianceCANotAfter"});
}

std::string ManagerObject::ApplianceCACommonName()
{
    const auto details = hosts_.applianceCaDetails();
    return details ? details->commonName : std::string();
}

std::string ManagerObject::ApplianceCAFingerprint()
{
    const auto details = hosts_.applianceCaDetails();
    return details ? details->fingerprint : std::string();
}

int64_t ManagerObject::ApplianceCANotAfter()
{
    const auto details = hosts_.applianceCaDetails();
    return details ? details->notAfter : 0;
}

std::string ManagerObject::Version()
{
    return CERTD_VERSION;
}

} // namespace certd
