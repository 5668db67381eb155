// What certd shows about a certificate: the values behind the D-Bus
// properties, computed once when a certificate is read.
#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace certd {

inline constexpr std::string_view emptyCommonName = "Empty Common Name";

struct CertificateDetails {
    std::string commonName;       // emptyCommonName when the subject has none
    std::string subject;          // RFC 4514 (most specific RDN first)
    std::string issuer;
    std::string issuerCommonName;
    std::string serialNumber;     // uppercase hex, as `openssl x509 -serial`
    std::int64_t notBefore = 0;   // seconds since the Unix epoch
    std::int64_t notAfter = 0;
    std::string fingerprint;      // SHA-256 of the DER, lowercase hex
    bool selfSigned = false;
    std::string keyType;          // "RSA 4096", "EC P-256", "Ed25519"
    std::string signatureAlgorithm;
    int pathLength = -1;          // Basic Constraints pathLenConstraint, -1: none
    std::vector<std::string> subjectAlternativeNames; // "DNS:name", "IP:addr"
};

CertificateDetails describeCertificate(X509& cert);

std::string sha256Fingerprint(const X509& cert);

// The subject's most specific Common Name, or emptyCommonName.
std::string subjectCommonName(const X509& cert);

// "RSA 4096", "EC P-256", "Ed25519", ...
std::string describeKeyType(const EVP_PKEY& key);

// Seconds since the Unix epoch of an ASN.1 time.
std::int64_t toUnixTime(const ASN1_TIME& time);

} // namespace certd
