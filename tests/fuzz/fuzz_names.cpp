// Names and small values that arrive as D-Bus strings or configuration
// values: host names, certificate names, IP addresses, key types, warning
// days, the names certd reads back from its own directories.
#include "base/error.h"
#include "base/text.h"
#include "base/versioned_directory.h"
#include "expiry/expiry.h"
#include "host/generation.h"
#include "host/hostname.h"
#include "trust/hashed_directory.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    certd::whyNotAHostname(text);
    certd::whyNotACertificateName(text);
    certd::canonicalIpAddress(text);
    certd::shortName(text);
    certd::toValidUtf8(text);
    certd::parseKeyType(text);
    certd::parseHashedName(text);
    certd::parseVersionDirectoryName(text);
    try {
        certd::parseWarnDays(text);
    } catch (const certd::Error&) {
    }
    try {
        certd::resolveGeneration({.hostname = text, .keyType = {}, .validityDays = {}, .additionalNames = {{text}}},
                                 "fuzz.example");
    } catch (const certd::Error&) {
    }
    return 0;
}
