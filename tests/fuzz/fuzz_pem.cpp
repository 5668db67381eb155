// PEM framing of untrusted text.
#include "x509/pem.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const certd::ByteView bytes(data, size);
    certd::containsPem(bytes);
    const auto scan = certd::scanPem(bytes);
    for (const auto& block : scan.blocks)
        certd::derToPem(block.data, block.label);
    return 0;
}
