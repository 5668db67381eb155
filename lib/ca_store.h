// The CA store on disk: one directory, one certificate per file. certd
// writes "<fingerprint>.pem"; files an administrator drops in are read too,
// whatever their name or encoding (PEM or DER), and left where they are.
#pragma once

#include "stored_ca.h"

#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace certd {

using StoredCaPtr = std::shared_ptr<const StoredCa>;

struct CachedCertificate; // details_cache.h
using DetailsCache = std::unordered_map<std::uint64_t, CachedCertificate>;

struct CaStoreScan {
    std::vector<StoredCaPtr> certificates;
    std::vector<std::string> problems; // one line per file that was skipped
};

class CaStore {
public:
    explicit CaStore(std::filesystem::path directory);

    const std::filesystem::path& directory() const { return directory_; }

    // Reads every file leniently: a certificate that has expired since it was
    // stored is kept (expiry monitoring reports it); an unreadable file, or
    // one that is not a CA, is skipped and described in problems. Files
    // whose stamp matches an entry of known are not read again; certificates
    // found in cache are not parsed again.
    CaStoreScan scan(const std::vector<StoredCaPtr>& known, const DetailsCache& cache) const;

    // Writes cert durably as "<fingerprint>.pem".
    StoredCaPtr add(X509& cert) const;

    // Removes the certificate's file durably.
    void remove(const StoredCa& stored) const;

private:
    std::filesystem::path directory_;
};

// Builds the stored form of cert as read from file.
std::shared_ptr<StoredCa> makeStoredCa(X509& cert, const std::filesystem::path& file, const FileStamp& stamp);

} // namespace certd
