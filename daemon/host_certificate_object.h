// D-Bus object /org/certd/Certd1/host/<service>: one service's TLS
// certificate. It validates and authorizes; the work is HostCertificates'.
#pragma once

#include "host/host_certificate_store.h"
#include "org.certd.Certd1.HostCertificate-adaptor.h"

#include <functional>
#include <memory>

namespace certd {

class Authorizer;

using Reply = std::shared_ptr<sdbus::Result<>>;

// What the object asks its owner to do, after validation and authorization.
struct HostCertificateActions {
    std::function<void(const std::string& service, GenerationSettings, Reply)> generate;
    std::function<void(const std::string& service, HostCertificatePtr, Reply)> upload;
};

class HostCertificateObject final
    : public sdbus::AdaptorInterfaces<org::certd::Certd1::HostCertificate_adaptor,
                                      sdbus::ManagedObject_adaptor, sdbus::Properties_adaptor> {
public:
    HostCertificateObject(sdbus::IConnection& connection, ServiceSettings settings, HostCertificatePtr current,
                          const Authorizer& authorizer, HostCertificateActions actions);
    ~HostCertificateObject();

    const HostCertificatePtr& current() const { return current_; }

    // Takes host as the service's certificate and emits PropertiesChanged
    // for exactly the properties whose values changed.
    void replace(HostCertificatePtr host);

    // Emits PropertiesChanged for HostnameMatches if it changed since last time.
    void hostnameChanged();

private:
    void Generate(sdbus::Result<>&& result, std::map<std::string, sdbus::Variant> options) override;
    void Upload(sdbus::Result<>&& result, std::vector<uint8_t> certificate, std::vector<uint8_t> privateKey) override;
    std::vector<uint8_t> Export(const std::string& format) override;

    std::string Service() override { return settings_.name; }
    std::string Origin() override;
    std::string CommonName() override { return details().commonName; }
    std::string Subject() override { return details().subject; }
    std::string Issuer() override { return details().issuer; }
    std::string IssuerCommonName() override { return details().issuerCommonName; }
    std::vector<std::string> SubjectAlternativeNames() override { return details().subjectAlternativeNames; }
    std::string SerialNumber() override { return details().serialNumber; }
    int64_t NotBefore() override { return details().notBefore; }
    int64_t NotAfter() override { return details().notAfter; }
    std::string Fingerprint() override { return details().fingerprint; }
    std::string KeyType() override { return details().keyType; }
    bool HostnameMatches() override;
    std::string CertificatePath() override { return settings_.certificatePath().string(); }
    std::string ChainPath() override { return settings_.chainPath().string(); }
    std::string PrivateKeyPath() override { return settings_.privateKeyPath().string(); }

    const CertificateDetails& details() const;

    ServiceSettings settings_;
    HostCertificatePtr current_;
    const Authorizer& authorizer_;
    HostCertificateActions actions_;
    bool hostnameMatched_ = false;
};

std::string hostObjectPath(const std::string& service);

} // namespace certd
