// PKCS#10 certificate requests (RFC 2986): what a service's key asks a CA
// to certify when the key must never leave the appliance. The names and
// usages go into the request's extensionRequest attribute; whether the CA
// copies them is the CA's choice (openssl: copy_extensions).
#pragma once

#include "base/bytes.h"
#include "x509/openssl_ptr.h"

#include <string>
#include <utility>
#include <vector>

#include <openssl/x509.h>

namespace certd {

using X509ReqPtr = std::unique_ptr<X509_REQ, OpenSslDeleter<X509_REQ_free>>;

struct RequestContents {
    std::vector<std::pair<std::string, std::string>> subject; // in order, e.g. {{"O", "Example"}, {"CN", "host"}}
    std::vector<std::pair<int, std::string>> extensions;      // openssl.cnf syntax, e.g. {NID_ext_key_usage, "serverAuth"}
};

// The request signed by key (its proof of possession), as PEM. Internal
// when OpenSSL refuses a value (lib/host checks them first).
std::string makeCertificateRequestPem(const RequestContents& contents, EVP_PKEY& key);

// A request certd made, parsed again: InvalidArgument when data holds none.
X509ReqPtr readCertificateRequest(ByteView data);

} // namespace certd
