// A service's TLS server certificate: what certd serves for https and
// postgresql, and how it came to be.
#pragma once

#include "certificate_details.h"
#include "key_generation.h"
#include "openssl_ptr.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace certd {

enum class HostOrigin { None, Generated, Uploaded };

// "none", "generated", "uploaded".
std::string_view originName(HostOrigin origin);

inline constexpr unsigned defaultValidityDays = 397;
// Apple's limit for TLS certificates from a locally trusted CA; Chrome and
// Firefox accept what Apple does.
inline constexpr unsigned maxValidityDays = 825;

// What Generate was asked for; kept, so that a renewal asks for the same.
struct GenerationSettings {
    std::string hostname;
    KeyType keyType = KeyType::EcP256;
    unsigned validityDays = defaultValidityDays;
    std::vector<std::string> additionalNames; // DNS names or IP addresses
};

// InvalidArgument naming the first setting that is wrong.
void validateGenerationSettings(const GenerationSettings& settings);

struct HostCertificate {
    HostOrigin origin = HostOrigin::None;
    std::optional<GenerationSettings> generation; // for Generated
    X509Ptr leaf;
    std::vector<X509Ptr> chain; // issuers after the leaf, as served
    EvpPkeyPtr key;
    CertificateDetails details; // of the leaf

    std::string certificatePem() const;
    std::string chainPem() const; // the leaf, then the chain
    std::string keyPem() const;
};

using HostCertificatePtr = std::shared_ptr<const HostCertificate>;

// Completes a certificate from its parts (details filled in).
HostCertificatePtr makeHostCertificate(HostOrigin origin, std::optional<GenerationSettings> generation,
                                       std::vector<X509Ptr> chain, EvpPkeyPtr key);

// Whether cert is valid for hostname (DNS names, wildcards, as browsers match).
bool matchesHostname(X509& cert, const std::string& hostname);

} // namespace certd
