#include "test_paths.h"

#include <cstdlib>

namespace certd::test {
namespace {

std::filesystem::path overridable(const char* variable, const char* built)
{
    const char* value = std::getenv(variable);
    return value != nullptr && *value != '\0' ? value : built;
}

} // namespace

std::filesystem::path sourceDirectory()
{
    return CERTD_TEST_SOURCE_DIR;
}

std::filesystem::path certdBinary()
{
    return overridable("CERTD_TEST_CERTD", CERTD_TEST_BINARY);
}

std::filesystem::path certctlBinary()
{
    return overridable("CERTD_TEST_CERTCTL", CERTCTL_TEST_BINARY);
}

std::filesystem::path faultShim()
{
    return CERTD_FAULT_SHIM;
}

std::string libfaketime()
{
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib", error)) {
        const auto candidate = entry.path() / "faketime" / "libfaketimeMT.so.1";
        if (std::filesystem::exists(candidate, error))
            return candidate.string();
    }
    return {};
}

} // namespace certd::test
