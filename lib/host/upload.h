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

namespace certd {

// Errors as readCertificateChain, readPrivateKey and
// validateServerCertificate give them.
HostCertificatePtr prepareUpload(ByteView certificate, ByteView privateKey, const ServiceSettings& service,
                                 std::int64_t now);

} // namespace certd
