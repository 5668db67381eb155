// The CA store on disk: one directory, one certificate per file. certd
// writes "<fingerprint>.pem"; files an administrator drops in are read too,
// whatever their name or encoding (PEM or DER), and left where they are.
#pragma once

#include "trust/details_cache.h"
#include "trust/stored_ca.h"

#include <openssl/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace certd {


struct CaStoreScan {
    std::vector<StoredCaPtr> certificates;
    // Further files holding a certificate of certificates (by fingerprint):
    // not trusted twice, but deleted with it, so that no Reload brings it back.
    std::map<std::string, std::vector<std::filesystem::path>> duplicates;
    std::vector<std::string> problems; // one line per file that was skipped
};

class CaStore {
public:
    explicit CaStore(std::filesystem::path directory);

    const std::filesystem::path& directory() const { return directory_; }

    // Reads every file leniently: a certificate that has expired since it was
    // stored is kept (expiry monitoring reports it); an unreadable file, one
    // that is not a CA, or a symbolic link, is skipped and described in
    // problems. Files whose stamp matches an entry of known are not read
    // again; certificates found in cache are not parsed again, but only for
    // files that no one but certd's user can change.
    CaStoreScan scan(const std::vector<StoredCaPtr>& known, const DetailsCache& cache) const;

    // Writes cert, which details describe, durably as "<fingerprint>.pem".
    StoredCaPtr add(X509& cert, const CertificateDetails& details) const;

    // Removes a file of the store durably.
    void remove(const std::filesystem::path& file) const;
    // Removes files durably, all or none: when anything fails, the files
    // removed so far are written back as they were, and the error is thrown.
    void removeAll(const std::vector<std::filesystem::path>& files) const;

private:
    std::filesystem::path directory_;
};

// Builds the stored form of cert, which details describe, as read from file.
std::shared_ptr<StoredCa> makeStoredCa(X509& cert, CertificateDetails details, const std::filesystem::path& file,
                                       const FileStamp& stamp);

} // namespace certd
