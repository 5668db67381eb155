// Building and signing X.509 certificates: the appliance CA and the host
// certificates it issues (and, in tests, every kind of odd certificate).
#pragma once

#include "x509/openssl_ptr.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace certd {

// The digest certd signs with for key: SHA-256, or SHA-384 for EC keys of
// 384 bits and more (matching strength); null for EdDSA, which has none.
const EVP_MD* signatureDigestFor(const EVP_PKEY& key);

class CertificateBuilder {
public:
    CertificateBuilder();

    // Relative distinguished names in order, e.g. {{"O", "Example"}, {"CN", "Root"}}.
    // Without a call the subject is empty.
    CertificateBuilder& subject(const std::vector<std::pair<std::string, std::string>>& names);
    CertificateBuilder& validity(std::int64_t notBefore, std::int64_t notAfter);
    // A random positive serial of 127 bits unless set.
    CertificateBuilder& serial(std::uint64_t value);
    CertificateBuilder& publicKey(EVP_PKEY& key);
    // Signed by issuerCert's key (issuer name and authority key identifier
    // from it); without a call the certificate is self-signed.
    CertificateBuilder& issuer(X509& issuerCert);
    // An extension in openssl.cnf syntax, e.g. (NID_basic_constraints,
    // "critical,CA:TRUE,pathlen:0"). Applied at signing time, in order.
    CertificateBuilder& extension(int nid, std::string value);

    X509Ptr sign(EVP_PKEY& signingKey);

private:
    X509Ptr cert_;
    X509* issuer_ = nullptr;
    bool serialSet_ = false;
    std::vector<std::pair<int, std::string>> extensions_;
};

} // namespace certd
