// The TrustBundle output: every stored CA as PEM, for -CAfile consumers.
#pragma once

#include "trust/ca_store.h"

#include <string>
#include <vector>

namespace certd {

// Each certificate as PEM after a "# <subject>" line, in the order given.
std::string renderTrustBundle(const std::vector<StoredCaPtr>& certificates);

} // namespace certd
