// certd.conf as an administrator (or a damaged disk) may write it.
#include "base/error.h"
#include "config/config.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        certd::parseConfig(std::string(reinterpret_cast<const char*>(data), size), "fuzz.conf");
    } catch (const certd::Error&) {
    }
    return 0;
}
