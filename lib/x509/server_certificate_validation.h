// Whether an uploaded certificate, its chain and key can serve TLS. Each
// rule is a small function that throws an Error naming what is wrong.
#pragma once

#include "x509/openssl_ptr.h"

#include <cstdint>
#include <vector>

namespace certd {

struct ServerCertificateRules {
    // Browsers ignore the Common Name: HTTPS needs Subject Alternative Names.
    bool requireSubjectAltName = false;
};

// chain[0] is the server's certificate, each further one the issuer of the
// one before it. Errors: Expired, NotYetValid, InvalidCertificate, InvalidKey
// (too weak), KeyMismatch.
void validateServerCertificate(const std::vector<X509Ptr>& chain, EVP_PKEY& key, std::int64_t now,
                               const ServerCertificateRules& rules);

// Individual rules, for tests and reuse.
void requireUsableForTlsServer(X509& cert, const ServerCertificateRules& rules);
void requireStrongKey(const EVP_PKEY& key);
void requireStrongSignature(const X509& cert);
void requireMatchingKey(X509& cert, EVP_PKEY& key);
void requireOrderedChain(const std::vector<X509Ptr>& chain);

} // namespace certd
