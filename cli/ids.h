// Which stored CA an administrator means: a full fingerprint, a unique
// fingerprint prefix of at least 8 hex digits (as git takes commit ids), or
// an exact common name. Unknown and ambiguous ids are errors that list the
// candidates.
#pragma once

#include <string>
#include <vector>

namespace certd::cli {

struct CaSummary {
    std::string fingerprint;
    std::string commonName;
};

// The fingerprint id means among cas; an InvalidArgument-like error
// (std::invalid_argument) saying why not, with the candidates.
std::string resolveCaId(const std::string& id, const std::vector<CaSummary>& cas);

} // namespace certd::cli
