// [ACME] of certd.conf: where certd gets certificates by ACME, and how it
// proves it controls the names. Nothing talks to any server unless
// DirectoryURL= is set.
#pragma once

#include <filesystem>
#include <string>

namespace certd {

struct AcmeConfig {
    std::string directoryUrl;          // DirectoryURL=; https:// only; "" = ACME off
    std::string email;                 // Email=; the account's contact
    bool agreeToTermsOfService = false; // AgreeToTermsOfService=
    std::string eabKeyId;              // ExternalAccountKeyID=
    std::string eabHmacKey;            // ExternalAccountHMACKey= (base64url)
    std::string proxy;                 // Proxy=; "" = none
    std::string challenge = "http-01"; // Challenge=: http-01 or dns-01
    std::filesystem::path webroot;     // Webroot= (http-01)
    std::filesystem::path dnsHook;     // DNSHook= (dns-01)

    bool enabled() const { return !directoryUrl.empty(); }
};

} // namespace certd
