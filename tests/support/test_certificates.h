// Certificates made to order for tests: valid CAs, and every kind of
// certificate certd must refuse.
#pragma once

#include "base/bytes.h"
#include "trust/ca_store.h"
#include "x509/openssl_ptr.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace certd::test {

inline constexpr std::int64_t day = 86400;

std::int64_t now();

struct CertificateSpec {
    std::vector<std::pair<std::string, std::string>> subject = {{"O", "certd tests"}, {"CN", "Test CA"}};
    std::int64_t notBefore = now() - day;
    std::int64_t notAfter = now() + 365 * day;
    std::string basicConstraints = "critical,CA:TRUE"; // empty: no extension
    std::string keyUsage = "critical,keyCertSign,cRLSign";
    std::string extendedKeyUsage;
    std::string subjectAltName;
    std::string keyAlgorithm = "EC"; // "EC" (P-256), "EC-P384", "RSA" (2048), "RSA-4096", "ED25519"
    const struct TestCertificate* issuer = nullptr; // self-signed when null
};

struct TestCertificate {
    X509Ptr cert;
    EvpPkeyPtr key;

    std::string pem() const;
    Bytes der() const;
    std::string fingerprint() const;
    std::string keyPem() const; // PKCS#8, unencrypted
};

// A TLS server (end-entity) certificate for name, issued by issuer:
// CA:FALSE, digitalSignature, serverAuth, and name as DNS Subject
// Alternative Name. Tests change what they test from there.
CertificateSpec serverSpec(const std::string& name, const TestCertificate& issuer);

EvpPkeyPtr makeKey(const std::string& algorithm);
TestCertificate makeCertificate(const CertificateSpec& spec);
TestCertificate makeCa(const std::string& commonName);
// What a CA would issue for a certificate request (PEM): the request's
// public key, CN probe.example.com, serverAuth and the names given
// (openssl.cnf syntax), valid from a day ago for days. No key.
TestCertificate issueForRequest(const std::string& requestPem, const TestCertificate& ca,
                                const std::string& names = "DNS:probe.example.com", std::int64_t days = 90);

// cert as the store would hold it (with a made-up file name).
StoredCaPtr storedCaOf(const TestCertificate& cert);

Bytes bytesOf(const std::string& text);

} // namespace certd::test
