// certctl's reading of a bundle for `import-ca --all`: PEM sequences,
// PKCS#7 (PEM or DER) and single DER certificates, from any file an
// administrator names.
#include "input.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const certd::cli::Bytes bytes(data, data + size);
    for (const auto& der : certd::cli::splitBundle(bytes))
        certd::cli::commonNameOf(der);
    certd::cli::commonNameOf(bytes);
    return 0;
}
