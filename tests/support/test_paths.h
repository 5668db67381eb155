// Paths the build passes to the tests.
#pragma once

#include <filesystem>

namespace certd::test {

std::filesystem::path sourceDirectory(); // the repository's top level
std::filesystem::path certdBinary();     // the certd just built
std::filesystem::path certctlBinary();   // the certctl just built
std::filesystem::path faultShim();       // tests/fault/fault_shim.c, built for LD_PRELOAD

} // namespace certd::test
