#include "host_certificate_object.h"

#include "authorization.h"
#include "bus_errors.h"
#include "x509/certificate_input.h"
#include "x509/export_format.h"
#include "generation_options.h"
#include "host/hostname.h"
#include "x509/private_key_input.h"
#include "x509/server_certificate_validation.h"
#include "base/clock.h"
#include "base/text.h"


namespace certd {
namespace {

constexpr const char* interfaceName = org::certd::Certd1::HostCertificate_adaptor::INTERFACE_NAME;

// The certificate-dependent property values, for finding what changed.
std::vector<std::pair<std::string, std::string>> propertyValues(const HostCertificatePtr& host, bool matches)
{
    const CertificateDetails empty;
    const CertificateDetails& d = host ? host->details : empty;
    std::string names;
    for (const auto& name : d.subjectAlternativeNames)
        names += name + '\n';
    return {{"Origin", std::string(originName(host ? host->origin : HostOrigin::None))},
            {"CommonName", d.commonName},
            {"Subject", d.subject},
            {"Issuer", d.issuer},
            {"IssuerCommonName", d.issuerCommonName},
            {"SubjectAlternativeNames", names},
            {"SerialNumber", d.serialNumber},
            {"NotBefore", std::to_string(d.notBefore)},
            {"NotAfter", std::to_string(d.notAfter)},
            {"Fingerprint", d.fingerprint},
            {"KeyType", d.keyType},
            {"HostnameMatches", matches ? "true" : "false"}};
}

bool currentlyMatches(const HostCertificatePtr& host)
{
    return host && matchesHostname(host->details, currentHostname());
}

// The upload as a host certificate, or the reason it cannot serve TLS.
HostCertificatePtr prepareUpload(const std::vector<uint8_t>& certificate, const std::vector<uint8_t>& privateKey,
                                 const ServiceSettings& settings)
{
    std::vector<X509Ptr> chain = readCertificateChain(certificate);
    EvpPkeyPtr key = readPrivateKey(privateKey);
    validateServerCertificate(chain, *key, unixNow(),
                              {settings.requireSubjectAltName});
    return makeHostCertificate(HostOrigin::Uploaded, std::nullopt, chain, *key);
}

} // namespace

std::string hostObjectPath(const std::string& service)
{
    return "/org/certd/Certd1/host/" + service;
}

HostCertificateObject::HostCertificateObject(sdbus::IConnection& connection, ServiceSettings settings,
                                             HostCertificatePtr current, const Authorizer& authorizer,
                                             HostCertificateActions actions)
    : AdaptorInterfaces(connection, hostObjectPath(settings.name))
    , settings_(std::move(settings))
    , current_(std::move(current))
    , authorizer_(authorizer)
    , actions_(std::move(actions))
    , hostnameMatched_(currentlyMatches(current_))
{
    registerAdaptor();
}

HostCertificateObject::~HostCertificateObject()
{
    unregisterAdaptor();
}

const CertificateDetails& HostCertificateObject::details() const
{
    static const CertificateDetails none;
    return current_ ? current_->details : none;
}

std::string HostCertificateObject::Origin()
{
    return std::string(originName(current_ ? current_->origin : HostOrigin::None));
}

bool HostCertificateObject::HostnameMatches()
{
    return currentlyMatches(current_);
}

void HostCertificateObject::replace(HostCertificatePtr host)
{
    const auto before = propertyValues(current_, hostnameMatched_);
    current_ = std::move(host);
    hostnameMatched_ = currentlyMatches(current_);
    const auto after = propertyValues(current_, hostnameMatched_);
    std::vector<std::string> changed;
    for (std::size_t i = 0; i < before.size(); ++i)
        if (before[i].second != after[i].second)
            changed.push_back(before[i].first);
    if (!changed.empty())
        emitPropertiesChangedSignal(interfaceName, changed);
}

void HostCertificateObject::hostnameChanged()
{
    const bool matches = currentlyMatches(current_);
    if (matches == hostnameMatched_)
        return;
    hostnameMatched_ = matches;
    emitPropertiesChangedSignal(interfaceName, {"HostnameMatches"});
}

void HostCertificateObject::Generate(sdbus::Result<>&& result, std::map<std::string, sdbus::Variant> options)
{
    auto settings = translateErrors([&] { return generationSettingsFrom(options); });
    authorizer_.requireAdministrator(*getObject().getCurrentlyProcessedMessage(), "generate host certificates");
    actions_.generate(settings_.name, std::move(settings), std::make_shared<sdbus::Result<>>(std::move(result)));
}

void HostCertificateObject::Upload(sdbus::Result<>&& result, std::vector<uint8_t> certificate,
                                   std::vector<uint8_t> privateKey)
{
    auto host = translateErrors([&] { return prepareUpload(certificate, privateKey, settings_); });
    authorizer_.requireAdministrator(*getObject().getCurrentlyProcessedMessage(), "upload host certificates");
    actions_.upload(settings_.name, std::move(host), std::make_shared<sdbus::Result<>>(std::move(result)));
}

std::vector<uint8_t> HostCertificateObject::Export(const std::string& format)
{
    return translateErrors([&] {
        const auto parsed = parseExportFormat(format);
        if (!current_)
            throw Error(ErrorCode::NotFound, "The " + settings_.name +
                                                 " service has no certificate yet; use Generate or Upload");
        return parsed == ExportFormat::Der ? firstCertificateDer(asBytes(current_->certificatePem))
                                           : toBytes(current_->chainPem());
    });
}

} // namespace certd
