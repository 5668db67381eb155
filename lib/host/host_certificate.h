// A service's TLS server certificate: what certd serves for https and
// postgresql, and how it came to be.
#pragma once

#include "host/generation.h"
#include "x509/certificate_details.h"
#include "x509/openssl_ptr.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace certd {

// Generated: by the appliance CA (renewed by certd); Uploaded: key and
// certificate made elsewhere; Requested: a CA's certificate for a key
// certd made (CreateRequest, then InstallCertificate); Acme: ordered by
// certd from an ACME CA (renewed by certd, see acme/acme_issuer.h).
enum class HostOrigin { None, Generated, Uploaded, Requested, Acme };

// "none", "generated", "uploaded", "requested", "acme".
std::string_view originName(HostOrigin origin);
// The origin of a record's name; nullopt for "none" and anything unknown.
std::optional<HostOrigin> parseOrigin(std::string_view name);

// Plain text and numbers: what the service is given and what certd shows.
// Holding no OpenSSL objects, a restart that only reads certificates back
// never wakes OpenSSL's provider machinery (about 2 MB of resident code).
struct HostCertificate {
    HostOrigin origin = HostOrigin::None;
    std::optional<GenerationSettings> generation; // for Generated; for Acme the names ordered
    std::string certificatePem;                   // the leaf
    std::vector<std::string> chainPems;           // its issuers, as served
    std::string keyPem;                           // unencrypted PKCS#8
    CertificateDetails details;                   // of the leaf

    std::string chainPem() const; // the leaf, then the chain
};

using HostCertificatePtr = std::shared_ptr<const HostCertificate>;

// A certificate from its parsed parts: chain[0] is the leaf.
HostCertificatePtr makeHostCertificate(HostOrigin origin, std::optional<GenerationSettings> generation,
                                       const std::vector<X509Ptr>& chain, EVP_PKEY& key);

// Whether a certificate with these details is valid for hostname, as
// browsers match: its DNS names (a "*" only as the whole leftmost label,
// standing for exactly one label), or the Common Name when it has none.
bool matchesHostname(const CertificateDetails& details, const std::string& hostname);

} // namespace certd
