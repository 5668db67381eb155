// Paths the build passes to the tests. The binaries under test can be
// swapped through the environment: scripts/test-sanitized.sh runs this
// build's integration tests against certd and certctl built with
// AddressSanitizer (CERTD_TEST_CERTD, CERTD_TEST_CERTCTL), so the test
// programs themselves are compiled once.
#pragma once

#include <filesystem>
#include <string>

namespace certd::test {

std::filesystem::path sourceDirectory(); // the repository's top level
std::filesystem::path certdBinary();     // $CERTD_TEST_CERTD, or the certd just built
std::filesystem::path certctlBinary();   // $CERTD_TEST_CERTCTL, or the certctl just built
std::filesystem::path faultShim();       // tests/fault/fault_shim.c, built for LD_PRELOAD
// Debian's libfaketime (package faketime), the MT variant since certd has
// threads, in its multiarch directory; empty when it is not installed.
std::string libfaketime();

} // namespace certd::test
