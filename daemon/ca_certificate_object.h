// D-Bus object /org/certd/Certd1/ca/<fingerprint>: one stored CA.
#pragma once

#include "trust/ca_store.h"
#include "org.certd.Certd1.CACertificate-adaptor.h"

#include <functional>

namespace certd {

class Authorizer;

class CaCertificateObject final
    : public sdbus::AdaptorInterfaces<org::certd::Certd1::CACertificate_adaptor,
                                      sdbus::ManagedObject_adaptor> {
public:
    using DeleteAction = std::function<void(const std::string& fingerprint)>;

    CaCertificateObject(sdbus::IConnection& connection, StoredCaPtr stored,
                        const Authorizer& authorizer, DeleteAction deleteAction);
    ~CaCertificateObject();

private:
    void Delete() override;
    std::vector<uint8_t> Export(const std::string& format) override;

    std::string CommonName() override { return details().commonName; }
    std::string Subject() override { return details().subject; }
    std::string Issuer() override { return details().issuer; }
    std::string IssuerCommonName() override { return details().issuerCommonName; }
    std::string SerialNumber() override { return details().serialNumber; }
    int64_t NotBefore() override { return details().notBefore; }
    int64_t NotAfter() override { return details().notAfter; }
    std::string Fingerprint() override { return details().fingerprint; }
    bool SelfSigned() override { return details().selfSigned; }
    std::string KeyType() override { return details().keyType; }
    std::string SignatureAlgorithm() override { return details().signatureAlgorithm; }
    int32_t PathLength() override { return details().pathLength; }

    const CertificateDetails& details() const { return stored_->details; }

    StoredCaPtr stored_;
    const Authorizer& authorizer_;
    DeleteAction deleteAction_;
};

} // namespace certd
