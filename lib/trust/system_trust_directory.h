// The system-trust output: every stored CA as "<fingerprint>.crt", one PEM
// certificate each, in the form Debian's update-ca-certificates reads from
// /usr/local/share/ca-certificates (where the certd-system-trust service
// links this directory). Entries are trust entries (see trust_entry.h):
// added and removed one step each with the store, rebuilt at start.
#pragma once

#include "trust/stored_ca.h"

#include <filesystem>
#include <vector>

namespace certd {

class SystemTrustDirectory {
public:
    explicit SystemTrustDirectory(std::filesystem::path directory);

    const std::filesystem::path& directory() const { return directory_; }

    // Makes the directory hold exactly certificates (creating it when
    // missing), keeping entries that are right and removing anything else.
    void rebuild(const std::vector<StoredCaPtr>& certificates) const;
    void add(const StoredCa& stored) const;
    void remove(const StoredCa& stored) const;

private:
    std::filesystem::path entryPath(const StoredCa& stored) const;

    std::filesystem::path directory_;
};

} // namespace certd
