#include "test_paths.h"

namespace certd::test {

std::filesystem::path sourceDirectory()
{
    return CERTD_TEST_SOURCE_DIR;
}

std::filesystem::path certdBinary()
{
    return CERTD_TEST_BINARY;
}

std::filesystem::path certctlBinary()
{
    return CERTCTL_TEST_BINARY;
}

std::filesystem::path faultShim()
{
    return CERTD_FAULT_SHIM;
}

} // namespace certd::test
