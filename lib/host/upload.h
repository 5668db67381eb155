// An administrator's own certificate (optionally followed by its chain)
// and key, as a service's certificate: the twin of ApplianceCa::issue for
// certificates made elsewhere. Read and checked for serving TLS under the
// service's rules before anything changes; milliseconds, so it runs on the
// caller's thread.
#pragma once

#include "base/bytes.h"
#include "host/host_certificate.h"
#include "host/service.h"

#include <cstdint>
#include <string>

namespace certd {

// Errors as readCertificateChain, readPrivateKey and
// validateServerCertificate give them.
HostCertificatePtr prepareUpload(ByteView certificate, ByteView privateKey, const ServiceSettings& service,
                                 std::int64_t now);

// The same from a PKCS#12 file: decrypted with passphrase (errors as
// readPkcs12), then exactly the checks above. A key derivation whose work
// factor the file chooses: run it off the bus thread.
HostCertificatePtr preparePkcs12Upload(ByteView pkcs12, const std::string& passphrase, const ServiceSettings& service,
                                       std::int64_t now);

} // namespace certd
