#include "manager_object.h"

#include "authorization.h"
#include "bus_errors.h"
#include "bus_names.h"
#include "ca_certificates.h"
#include "certd_build_config.h"
#include "x509/certificate_input.h"
#include "expiry_checker.h"
#include "x509/export_format.h"
#include "host_certificates.h"
#include "base/clock.h"
#include "base/text.h"
#include "trust/trust_store.h"


namespace certd {
namespace {

std::map<std::string, sdbus::Variant> toVariants(const CaInspection& inspection)
{
    const CertificateDetails& d = inspection.details;
    return {
        {"CommonName", sdbus::Variant(d.commonName)},
        {"Subject", sdbus::Variant(d.subject)},
        {"Issuer", sdbus::Variant(d.issuer)},
        {"IssuerCommonName", sdbus::Variant(d.issuerCommonName)},
        {"SerialNumber", sdbus::Variant(d.serialNumber)},
        {"NotBefore", sdbus::Variant(static_cast<int64_t>(d.notBefore))},
        {"NotAfter", sdbus::Variant(static_cast<int64_t>(d.notAfter))},
        {"Fingerprint", sdbus::Variant(d.fingerprint)},
        {"SelfSigned", sdbus::Variant(d.selfSigned)},
        {"KeyType", sdbus::Variant(d.keyType)},
        {"SignatureAlgorithm", sdbus::Variant(d.signatureAlgorithm)},
        {"PathLength", sdbus::Variant(static_cast<int32_t>(d.pathLength))},
        {"AdditionalCertificatesIgnored", sdbus::Variant(static_cast<uint32_t>(inspection.additionalCertificates))},
        {"AlreadyImported", sdbus::Variant(inspection.alreadyImported)},
    };
}

} // namespace

ManagerObject::ManagerObject(sdbus::IConnection& connection, TrustStore& store, CaCertificates& cas,
                             const HostCertificates& hosts, ExpiryChecker& checker, const Authorizer& authorizer)
    : AdaptorInterfaces(connection, bus::managerPath)
    , store_(store)
    , cas_(cas)
    , hosts_(hosts)
    , checker_(checker)
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
    return translateErrors([&] { return toVariants(store_.inspect(data, unixNow())); });
}

sdbus::ObjectPath ManagerObject::ImportCACertificate(const std::vector<uint8_t>& data)
{
    return translateErrors([&] {
        const CaInspection inspection = store_.inspect(data, unixNow());
        authorizer_.requireAdministrator(currentCall(), "import CA certificates");
        if (inspection.alreadyImported)
            throw busError(ErrorCode::AlreadyExists,
                           "The CA certificate \"" + inspection.details.commonName +
                               "\" is already stored as " +
                               bus::caObjectPath(inspection.details.fingerprint));
        return sdbus::ObjectPath(cas_.import(inspection));
    });
}

uint32_t ManagerObject::Reload()
{
    return translateErrors([&] {
        authorizer_.requireAdministrator(currentCall(), "reload the CA store");
        const auto count = cas_.reload();
        checker_.check(unixNow());
        return count;
    });
}

std::vector<sdbus::Struct<sdbus::ObjectPath, std::string, std::string, int64_t, int32_t>> ManagerObject::CheckExpiry()
{
    return translateErrors([&] {
        authorizer_.requireAdministrator(currentCall(), "check certificates for expiry");
        std::vector<sdbus::Struct<sdbus::ObjectPath, std::string, std::string, int64_t, int32_t>> report;
        for (const auto& entry : checker_.check(unixNow()))
            report.emplace_back(sdbus::ObjectPath(entry.object), entry.kind, entry.commonName, entry.notAfter,
                                entry.daysLeft);
        return report;
    });
}

std::vector<uint8_t> ManagerObject::ExportApplianceCA(const std::string& format)
{
    return translateErrors([&] {
        const auto pem = hosts_.applianceCaPem();
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

std::string ManagerObject::Version()
{
    return CERTD_VERSION;
}

} // namespace certd
