// What a generated host certificate is made for, and the rules of asking
// for one: options as a caller gives them (any may be missing), the
// defaults that fill them in, and what a fresh appliance gets.
#pragma once

#include "x509/key_generation.h"

#include <optional>
#include <string>
#include <vector>

namespace certd {

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

// Generate's options as given: each may be missing.
struct GenerationRequest {
    std::optional<std::string> hostname = {};
    std::optional<std::string> keyType = {}; // "ec-p256", ...
    std::optional<unsigned> validityDays = {};
    std::optional<std::vector<std::string>> additionalNames = {};
};

// The settings request asks for; the host name defaults to the system's,
// which must then be a valid DNS name. InvalidArgument naming the first
// option that is wrong.
GenerationSettings resolveGeneration(const GenerationRequest& request, const std::string& systemHostname);

// InvalidArgument naming the first setting that is wrong.
void validateGenerationSettings(const GenerationSettings& settings);

// What a service gets on a fresh appliance, so that it can start at all:
// a certificate for the host name, or for "localhost" when the host name is
// no valid DNS name (then note says so, for the log).
struct FirstStart {
    GenerationSettings settings;
    std::string note;
};
FirstStart firstStartSettings(const std::string& systemHostname);

} // namespace certd
