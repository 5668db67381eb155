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

// Every property certd shows of a certificate, once, in the order of its
// JSON form: (D-Bus property name, member). Both object types, Inspect's
// reply and the JSON form (details cache, host records) are made from this
// list, so a new property is one line here, plus one in each interface's
// XML and a new details-cache format version (so cached details are made
// afresh; a host record without it reads the member's default until the
// certificate is replaced).
#define CERTD_CERTIFICATE_PROPERTIES(X)           \
    X(CommonName, commonName)                     \
    X(Subject, subject)                           \
    X(Issuer, issuer)                             \
    X(IssuerCommonName, issuerCommonName)         \
    X(SerialNumber, serialNumber)                 \
    X(NotBefore, notBefore)                       \
    X(NotAfter, notAfter)                         \
    X(Fingerprint, fingerprint)                   \
    X(SelfSigned, selfSigned)                     \
    X(KeyType, keyType)                           \
    X(SignatureAlgorithm, signatureAlgorithm)     \
    X(PathLength, pathLength)                     \
    X(SubjectAlternativeNames, subjectAlternativeNames)

// Calls visit(name, member) for each property in order; Details may be
// const or not, so readers fill the members they visit.
template <typename Details, typename Visitor>
void forEachProperty(Details& details, Visitor&& visit)
{
#define CERTD_VISIT_PROPERTY(Name, member) visit(#Name, details.member);
    CERTD_CERTIFICATE_PROPERTIES(CERTD_VISIT_PROPERTY)
#undef CERTD_VISIT_PROPERTY
}

CertificateDetails describeCertificate(X509& cert);

std::string sha256Fingerprint(const X509& cert);

// A name as RFC 4514 text (UTF-8 kept, not escaped), as Subject shows it.
std::string distinguishedName(const X509_NAME* name);

// The subject's most specific Common Name, or emptyCommonName.
std::string subjectCommonName(const X509& cert);

// "RSA 4096", "EC P-256", "Ed25519", ...
std::string describeKeyType(const EVP_PKEY& key);

// Seconds since the Unix epoch of an ASN.1 time.
std::int64_t toUnixTime(const ASN1_TIME& time);

} // namespace certd
