#include "manager_object.h"

#include "authorization.h"
#include "base/bytes.h"
#include "base/clock.h"
#include "base/degradation.h"
#include "bus_errors.h"
#include "bus_names.h"
#include "ca_objects.h"
#include "certd_build_config.h"
#include "certificate_properties.h"
#include "host/host_certificates.h"
#include "trust/trust_store.h"
#include "x509/certificate_input.h"
#include "x509/export_format.h"

namespace certd {

ManagerObject::ManagerObject(sdbus::IConnection& connection, TrustStore& store, CaObjects& cas,
                             const HostCertificates& hosts, const Degradation& degradation, ExpiryCheck checkExpiry,
                             ExpiryList listExpiring, const Authorizer& authorizer)
    : AdaptorInterfaces(connection, bus::managerPath)
    , store_(store)
    , cas_(cas)
    , hosts_(hosts)
    , degradation_(degradation)
    , checkExpiry_(std::move(checkExpiry))
    , listExpiring_(std::move(listExpiring))
    , authorizer_(authorizer)
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
        CaInspection inspection = store_.inspect(data, unixNow());
        authorizer_.requireAdministrator(currentCall(), "import CA certificates");
        cas_.import(std::move(inspection), std::move(result));
    });
}

void ManagerObject::Reload(sdbus::Result<uint32_t>&& result)
{
    translateErrors([&] {
        authorizer_.requireAdministrator(currentCall(), "reload the CA store");
        cas_.reload(std::move(result), [this] { checkExpiry_(); });
    });
}

ManagerObject::ExpiryReport ManagerObject::CheckExpiry()
{
    return translateErrors([&] {
        authorizer_.requireAdministrator(currentCall(), "check certificates for expiry");
        return checkExpiry_();
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

std::string ManagerObject::Version()
{
    return CERTD_VERSION;
}

} // namespace certd
