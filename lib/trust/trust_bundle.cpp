#include "trust/trust_bundle.h"

namespace certd {

std::string renderTrustBundle(const std::vector<StoredCaPtr>& certificates)
{
    std::string bundle;
    bundle.reserve(certificates.size() * 2048);
    for (const auto& stored : certificates) {
        bundle += "# " + stored->details.subject + "\n";
        bundle += stored->pem;
    }
    return bundle;
}

} // namespace certd
