// D-Bus object /org/certd/Certd1/host/<service>: one service's TLS
// certificate. It translates: options and uploads are checked by lib/host,
// the caller is authorized, and the change goes to HostObjects.
#pragma once

#include "certificate_properties.h"
#include "acme/acme_issuer.h"
#include "host/host_certificates.h"
#include "org.certd.Certd1.HostCertificate-adaptor.h"

#include <functional>

namespace certd {

class Authorizer;

// What the object asks its owner to do, after checking and authorization.
struct HostCertificateActions {
    std::function<void(const std::string& service, GenerationSettings, sdbus::Result<>&&)> generate;
    std::function<void(const std::string& service, PreparedUpload, sdbus::Result<>&&)> upload;
    std::function<void(const std::string& service, Bytes pkcs12, SharedSecret passphrase, sdbus::Result<>&&)>
        uploadPkcs12;
    std::function<void(const std::string& service, RequestSettings, sdbus::Result<std::vector<uint8_t>>&&)>
        createRequest;
    std::function<void(const std::string& service, sdbus::Result<>&&)> cancelRequest;
    std::function<void(const std::string& service, Bytes certificateAndChain, sdbus::Result<>&&)> installCertificate;
    std::function<void(const std::string& service, GenerationSettings, sdbus::Result<>&&)> requestFromAcme;
};

class HostCertificateObject final
    : public sdbus::AdaptorInterfaces<org::certd::Certd1::HostCertificate_adaptor, sdbus::ManagedObject_adaptor,
                                      sdbus::Properties_adaptor> {
public:
    HostCertificateObject(sdbus::IConnection& connection, const HostCertificates& hosts, const AcmeIssuer& acme,
                          std::string service, const Authorizer& authorizer, HostCertificateActions actions,
                          std::function<std::int64_t()> renewalDue);
    ~HostCertificateObject();

    // The service's certificate changed (or HostnameMatches may have):
    // emits PropertiesChanged for exactly the properties whose values changed.
    void refresh();

    // Its entry in GetManagedObjects: what GetAll would return.
    void writeManaged(ManagedObjectsWriter& writer);

private:
    void Generate(sdbus::Result<>&& result, std::map<std::string, sdbus::Variant> options) override;
    void Upload(sdbus::Result<>&& result, std::vector<uint8_t> certificate, std::vector<uint8_t> privateKey) override;
    void UploadPKCS12(sdbus::Result<>&& result, std::vector<uint8_t> data, std::string passphrase) override;
    std::map<std::string, sdbus::Variant> InspectUpload(const std::vector<uint8_t>& certificate,
                                                        const std::vector<uint8_t>& privateKey) override;
    void CreateRequest(sdbus::Result<std::vector<uint8_t>>&& result,
                       std::map<std::string, sdbus::Variant> options) override;
    std::vector<uint8_t> ExportRequest() override;
    void CancelRequest(sdbus::Result<>&& result) override;
    void InstallCertificate(sdbus::Result<>&& result, std::vector<uint8_t> certificateAndChain) override;
    std::vector<uint8_t> Export(const std::string& format) override;
    void RequestFromACME(sdbus::Result<>&& result, std::map<std::string, sdbus::Variant> options) override;

    std::string Service() override { return service_; }
    std::string Origin() override;
    bool HostnameMatches() override;
    bool PendingRequest() override { return hosts_.pendingRequest(service_) != nullptr; }
    std::string PendingRequestSubject() override;
    std::string ACMEStatus() override { return acme_.status(service_).state; }
    std::string ACMELastError() override { return acme_.status(service_).lastError; }
    int64_t RenewalDue() override { return renewalDue_(); }
    std::string CertificatePath() override { return settings().certificatePath().string(); }
    std::string ChainPath() override { return settings().chainPath().string(); }
    std::string PrivateKeyPath() override { return settings().privateKeyPath().string(); }
    CERTD_CERTIFICATE_PROPERTY_GETTERS

    const ServiceSettings& settings() const { return hosts_.settings(service_); }
    const CertificateDetails& details() const;
    // Every property that can change, as text.
    std::map<std::string, std::string> changeableValues() const;

    const HostCertificates& hosts_;
    const AcmeIssuer& acme_;
    std::string service_;
    const Authorizer& authorizer_;
    HostCertificateActions actions_;
    std::function<std::int64_t()> renewalDue_;
    std::map<std::string, std::string> published_; // changeableValues() as last announced
};

} // namespace certd
