// Small, separate rules a certificate must pass before certd keeps it. Each
// throws an Error naming the rule that failed and the value that failed it.
#pragma once

#include <openssl/types.h>

#include <cstdint>

namespace certd {

// NotYetValid unless notBefore <= now; Expired unless now < notAfter.
void requireCurrentlyValid(const X509& cert, std::int64_t now);

// InvalidCertificate when an extension could not be decoded.
void requireWellFormedExtensions(X509& cert);

// NotCA unless Basic Constraints is present with CA:TRUE, and a Key Usage
// (when present) allows keyCertSign.
void requireCaCertificate(X509& cert);

// The checks an imported trust anchor passes, in the order a person would
// fix them: readable, current, a CA.
void validateCaCertificate(X509& cert, std::int64_t now);

} // namespace certd
