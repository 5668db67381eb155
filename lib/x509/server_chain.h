// The chain a TLS server sends, built from what an administrator uploaded:
// the certificate the key belongs to first, then each certificate's issuer,
// whatever order the upload had; issuers the upload lacks are taken from
// certificates certd already trusts (its CA store, the appliance CA).
//
// Invariants: every link of the result is verified (the issuer's name and
// its signature), no certificate appears twice, a self-signed root is sent
// only when the upload held it, and an uploaded certificate that belongs to
// no link is refused, not dropped: it is a sign of the wrong intermediate.
#pragma once

#include "x509/openssl_ptr.h"

#include <functional>
#include <string>
#include <vector>

namespace certd {

// Candidates for the issuer of certificate, from outside the upload (their
// subject names match its issuer name; signatures are checked here).
using IssuerLookup = std::function<std::vector<X509Ptr>(const X509& certificate)>;

struct ServerChain {
    std::vector<X509Ptr> chain;          // chain[0] the server's certificate
    std::vector<std::string> warnings;   // reordered, completed, repeated, incomplete: for the administrator
};

// InvalidCertificate when an uploaded certificate belongs to no link. When no
// certificate is the key's, the first one is taken as the server's (the key
// check names the mismatch then).
ServerChain buildServerChain(std::vector<X509Ptr> uploaded, EVP_PKEY& key, const IssuerLookup& lookup);

} // namespace certd
