// When an ACME certificate is renewed: when a third of its lifetime is
// left (what Let's Encrypt recommends; for a 6-day certificate that is
// 2 days), unless the CA suggests a window through ACME Renewal Information
// (RFC 9773), which then wins (AcmeIssuer picks a moment inside it).
#pragma once

#include <openssl/x509.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace certd::acme {

struct RenewalWindow {
    std::int64_t start = 0; // Unix seconds
    std::int64_t end = 0;
};

// RFC 9773 §4.1: base64url(authority key identifier) "." base64url(serial
// number's DER content octets). InvalidArgument when the certificate has no
// authority key identifier (ARI cannot name it).
std::string renewalCertificateId(const X509& certificate);

// A renewalInfo response: its suggestedWindow. ACMEFailed when it is not
// one (no window, times that are no RFC 3339, an end before the start).
RenewalWindow parseRenewalInfo(std::string_view json);

// RFC 3339 date-time ("2025-01-02T04:05:06Z", fractions and offsets
// allowed) as Unix seconds; nullopt when it is none.
std::optional<std::int64_t> parseRfc3339(std::string_view text);

// When a certificate valid from notBefore to notAfter is due: with a
// window, its start (the earliest moment the CA allows).
std::int64_t renewalTime(std::int64_t notBefore, std::int64_t notAfter, const std::optional<RenewalWindow>& window);

} // namespace certd::acme
