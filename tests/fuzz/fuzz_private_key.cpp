// Untrusted bytes as a private key: what Upload reads.
#include "base/error.h"
#include "x509/private_key_input.h"
#include "x509/server_certificate_validation.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        auto key = certd::readPrivateKey(certd::ByteView(data, size));
        certd::requireStrongKey(*key);
        certd::privateKeyToPem(*key);
    } catch (const certd::Error&) {
    }
    return 0;
}
