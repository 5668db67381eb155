// A certificate made elsewhere (uploaded, from a PKCS#12 file, or issued for
// certd's request) as a service's certificate: the twin of ApplianceCa::issue.
// Before anything changes: the upload becomes the chain a server sends (see
// x509/server_chain.h: reordered, completed from what certd trusts), is
// checked for serving TLS under the service's rules (refusals are named
// errors), and what an administrator should know before installing it is
// said in warnings. Milliseconds, except a PKCS#12 file's key derivation.
#pragma once

#include "base/bytes.h"
#include "host/host_certificate.h"
#include "host/service.h"
#include "x509/server_chain.h"

#include <cstdint>
#include <string>
#include <vector>

namespace certd {

struct UploadContext {
    const ServiceSettings& service;
    std::int64_t now;
    std::string hostname;   // the system's: warned of when the names miss it
    IssuerLookup issuers;   // certificates certd trusts, to complete a chain
};

struct PreparedUpload {
    HostCertificatePtr host;
    std::vector<std::string> warnings; // installed all the same
};

// Errors as readCertificateChain, readPrivateKey, buildServerChain and
// validateServerCertificate give them.
PreparedUpload prepareUpload(ByteView certificate, ByteView privateKey, const UploadContext& context);

// The same from a PKCS#12 file: decrypted with passphrase (errors as
// readPkcs12), then exactly the checks above. A key derivation whose work
// factor the file chooses: run it off the bus thread.
PreparedUpload preparePkcs12Upload(ByteView pkcs12, const std::string& passphrase, const UploadContext& context);

// The same for certificates already read, as origin (Uploaded or Requested).
PreparedUpload prepareServerCertificate(HostOrigin origin, std::vector<X509Ptr> certificates, EVP_PKEY& key,
                                        const UploadContext& context);

// What an administrator should know of a certificate that can serve TLS:
// its names miss hostname, it expires within 30 days, its key is one that
// browsers refuse (Ed25519, Ed448) or that Chrome does not offer (P-521),
// it is self-signed.
std::vector<std::string> serverCertificateWarnings(const CertificateDetails& details, const ServiceSettings& service,
                                                   const std::string& hostname, std::int64_t now);

} // namespace certd
