// Remembers what parsing each stored certificate yielded. OpenSSL 3.0 needs
// ~130 us to parse one certificate (its public key goes through the
// provider decoder lookup), and its first digest makes ~2 MB of libcrypto
// resident, so a start with 10,000 stored CAs would spend over a second
// parsing. With this cache a start only reads the files: entries are found
// by the file's contents (the PEM certd wrote), so an entry cannot be
// served for other contents, and a missing or damaged cache costs time only.
#pragma once

#include "trust/stored_ca.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

namespace certd {

struct CachedCertificate {
    std::size_t pemSize = 0; // with the key: which contents this entry is for
    CertificateDetails details;
    unsigned long subjectHash = 0;
};

// Keyed by a 64-bit hash of the PEM. Not a security boundary: only files
// that no one but certd's user can change are looked up, and the size must
// match too.
using DetailsCache = std::unordered_map<std::uint64_t, CachedCertificate>;

// The entry for a file holding exactly pem, or null.
const CachedCertificate* findCached(const DetailsCache& cache, std::string_view pem);

// Empty when the file is missing, damaged or of another format version.
DetailsCache readDetailsCache(const std::filesystem::path& file);
// The same for the file's bytes.
DetailsCache parseDetailsCache(std::string_view bytes);

std::string renderDetailsCache(const std::vector<StoredCaPtr>& certificates);

} // namespace certd
