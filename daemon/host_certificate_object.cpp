#include "host_certificate_object.h"

#include "authorization.h"
#include "base/bytes.h"
#include "base/error.h"
#include "bus_errors.h"
#include "bus_names.h"
#include "generation_options.h"
#include "base/secret.h"
#include "x509/certificate_input.h"
#include "x509/pkcs12_input.h"
#include "x509/export_format.h"

namespace certd {

HostCertificateObject::HostCertificateObject(sdbus::IConnection& connection, const HostCertificates& hosts,
                                             const AcmeIssuer& acme, std::string service, const Authorizer& authorizer,
                                             HostCertificateActions actions, std::function<std::int64_t()> renewalDue)
    : AdaptorInterfaces(connection, bus::hostObjectPath(service))
    , hosts_(hosts)
    , acme_(acme)
    , service_(std::move(service))
    , authorizer_(authorizer)
    , actions_(std::move(actions))
    , renewalDue_(std::move(renewalDue))
    , published_(changeableValues())
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
    const auto& host = hosts_.current(service_);
    return host ? host->details : none;
}

std::string HostCertificateObject::Origin()
{
    const auto& host = hosts_.current(service_);
    return std::string(originName(host ? host->origin : HostOrigin::None));
}

bool HostCertificateObject::HostnameMatches()
{
    return hosts_.matchesHostname(service_);
}

std::string HostCertificateObject::PendingRequestSubject()
{
    const auto request = hosts_.pendingRequest(service_);
    return request ? request->subject : std::string();
}

void HostCertificateObject::writeManaged(ManagedObjectsWriter& writer)
{
    writer.beginObject(getObjectPath(), bus::hostInterface);
    writer.property("Service", Service());
    writer.property("Origin", Origin());
    writeProperties(writer, details());
    writer.property("HostnameMatches", HostnameMatches());
    writer.property("PendingRequest", PendingRequest());
    writer.property("PendingRequestSubject", PendingRequestSubject());
    writer.property("ACMEStatus", ACMEStatus());
    writer.property("ACMELastError", ACMELastError());
    writer.property("RenewalDue", RenewalDue());
    writer.property("CertificatePath", CertificatePath());
    writer.property("ChainPath", ChainPath());
    writer.property("PrivateKeyPath", PrivateKeyPath());
    writer.endObject();
}

std::map<std::string, std::string> HostCertificateObject::changeableValues() const
{
    auto values = propertyTexts(details());
    const auto& host = hosts_.current(service_);
    values["Origin"] = originName(host ? host->origin : HostOrigin::None);
    values["HostnameMatches"] = hosts_.matchesHostname(service_) ? "true" : "false";
    const auto request = hosts_.pendingRequest(service_);
    values["PendingRequest"] = request ? "true" : "false";
    values["PendingRequestSubject"] = request ? request->subject : "";
    const auto acme = acme_.status(service_);
    values["ACMEStatus"] = acme.state;
    values["ACMELastError"] = acme.lastError;
    values["RenewalDue"] = std::to_string(renewalDue_());
    return values;
}

void HostCertificateObject::refresh()
{
    auto now = changeableValues();
    std::vector<std::string> changed;
    for (const auto& [name, value] : now)
        if (published_[name] != value)
            changed.push_back(name);
    published_ = std::move(now);
    if (!changed.empty())
        emitPropertiesChangedSignal(bus::hostInterface, changed);
}

void HostCertificateObject::Generate(sdbus::Result<>&& result, std::map<std::string, sdbus::Variant> options)
{
    translateErrors([&] {
        auto settings = hosts_.generationSettings(generationRequestFrom(options));
        authorizeThen(authorizer_, *getObject().getCurrentlyProcessedMessage(), Action::ManageHostCertificates,
                      "generate host certificates", std::move(result), [this, settings](sdbus::Result<>&& reply) {
                          actions_.generate(service_, settings, std::move(reply));
                      });
    });
}

void HostCertificateObject::Upload(sdbus::Result<>&& result, std::vector<uint8_t> certificate,
                                   std::vector<uint8_t> privateKey)
{
    translateErrors([&] {
        auto prepared = hosts_.prepareUpload(service_, certificate, privateKey);
        authorizeThen(authorizer_, *getObject().getCurrentlyProcessedMessage(), Action::ManageHostCertificates,
                      "upload host certificates", std::move(result), [this, prepared](sdbus::Result<>&& reply) {
                          actions_.upload(service_, prepared, std::move(reply));
                      });
    });
}

std::map<std::string, sdbus::Variant> HostCertificateObject::InspectUpload(const std::vector<uint8_t>& certificate,
                                                                         const std::vector<uint8_t>& privateKey)
{
    return translateErrors([&] {
        const auto prepared = hosts_.prepareUpload(service_, certificate, privateKey);
        const auto& host = *prepared.host;
        auto values = propertyVariants(host.details);
        values["Service"] = sdbus::Variant(service_);
        values["Origin"] = sdbus::Variant(std::string(originName(host.origin)));
        values["HostnameMatches"] = sdbus::Variant(hosts_.matchesHostname(host.details));
        values["Warnings"] = sdbus::Variant(prepared.warnings);
        return values;
    });
}

void HostCertificateObject::UploadPKCS12(sdbus::Result<>&& result, std::vector<uint8_t> data, std::string passphrase)
{
    auto secret = std::make_shared<const Secret>(passphrase);
    wipe(passphrase);
    translateErrors([&] {
        // Only what costs nothing before authorization; decrypting is a key
        // derivation the file sets the price of.
        requireAcceptablePkcs12Input(data, secret->text());
        authorizeThen(authorizer_, *getObject().getCurrentlyProcessedMessage(), Action::ManageHostCertificates,
                      "upload host certificates", std::move(result),
                      [this, data = std::move(data), secret](sdbus::Result<>&& reply) mutable {
                          actions_.uploadPkcs12(service_, std::move(data), secret, std::move(reply));
                      });
    });
}

void HostCertificateObject::CreateRequest(sdbus::Result<std::vector<uint8_t>>&& result,
                                          std::map<std::string, sdbus::Variant> options)
{
    translateErrors([&] {
        auto settings = hosts_.requestSettings(requestOptionsFrom(options));
        authorizeThen(authorizer_, *getObject().getCurrentlyProcessedMessage(), Action::ManageHostCertificates,
                      "request host certificates", std::move(result),
                      [this, settings](sdbus::Result<std::vector<uint8_t>>&& reply) {
                          actions_.createRequest(service_, settings, std::move(reply));
                      });
    });
}

std::vector<uint8_t> HostCertificateObject::ExportRequest()
{
    return translateErrors([&] {
        const auto request = hosts_.pendingRequest(service_);
        if (!request)
            throw Error(ErrorCode::NotFound, "The " + service_ + " service has no pending certificate request; "
                                             "make one with CreateRequest");
        return toBytes(request->requestPem);
    });
}

void HostCertificateObject::CancelRequest(sdbus::Result<>&& result)
{
    translateErrors([&] {
        if (!hosts_.pendingRequest(service_))
            throw Error(ErrorCode::NotFound, "The " + service_ + " service has no pending certificate request");
        authorizeThen(authorizer_, *getObject().getCurrentlyProcessedMessage(), Action::ManageHostCertificates,
                      "request host certificates", std::move(result),
                      [this](sdbus::Result<>&& reply) { actions_.cancelRequest(service_, std::move(reply)); });
    });
}

void HostCertificateObject::InstallCertificate(sdbus::Result<>&& result, std::vector<uint8_t> certificateAndChain)
{
    translateErrors([&] {
        hosts_.prepareInstall(service_, certificateAndChain); // checked again on the worker
        authorizeThen(authorizer_, *getObject().getCurrentlyProcessedMessage(), Action::ManageHostCertificates,
                      "install host certificates", std::move(result),
                      [this, chain = std::move(certificateAndChain)](sdbus::Result<>&& reply) mutable {
                          actions_.installCertificate(service_, std::move(chain), std::move(reply));
                      });
    });
}

void HostCertificateObject::RequestFromACME(sdbus::Result<>&& result, std::map<std::string, sdbus::Variant> options)
{
    translateErrors([&] {
        auto settings = acme_.orderSettings(service_, generationRequestFrom(options));
        authorizeThen(authorizer_, *getObject().getCurrentlyProcessedMessage(), Action::ManageHostCertificates,
                      "obtain host certificates by ACME", std::move(result),
                      [this, settings](sdbus::Result<>&& reply) {
                          actions_.requestFromAcme(service_, settings, std::move(reply));
                      });
    });
}

std::vector<uint8_t> HostCertificateObject::Export(const std::string& format)
{
    return translateErrors([&] {
        const auto parsed = parseExportFormat(format);
        const auto& host = hosts_.current(service_);
        if (!host)
            throw Error(ErrorCode::NotFound, "The " + service_ + " service has no certificate yet; use Generate or Upload");
        return parsed == ExportFormat::Der ? firstCertificateDer(asBytes(host->certificatePem))
                                           : toBytes(host->chainPem());
    });
}

} // namespace certd
