// Paths the build passes to the tests.
#pragma once

#include <filesystem>

namespace certd::test {

std::filesystem::path sourceDirectory(); // the repository's top level
std::filesystem::path certdBinary();     // the certd just built

} // namespace certd::test
