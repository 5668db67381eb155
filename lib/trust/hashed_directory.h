// The TrustDirectory output: OpenSSL's hashed layout ("<subject_hash>.N",
// as `openssl rehash` makes), one PEM certificate per entry. OpenSSL looks
// entries up as hash.0, hash.1, ... and stops at the first gap, so numbers
// stay dense: removing an entry moves the last one of its hash into the gap.
//
// An entry is a hard link to the store file when that file holds exactly
// the certificate's PEM (every file certd wrote): one directory operation to
// create, and checked by inode without reading it. Other store files (DER,
// or several certificates) get a copy holding just the validated
// certificate. Either way consumers need no access to the store directory.
// Entries are derived data: created atomically but not fsynced, and
// checked against the store by rebuild() at every start.
#pragma once

#include "trust/stored_ca.h"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace certd {

class HashedDirectory {
public:
    explicit HashedDirectory(std::filesystem::path directory);

    const std::filesystem::path& directory() const { return directory_; }

    // Makes the directory hold exactly certificates, keeping entries that
    // are already right and removing anything else.
    void rebuild(const std::vector<std::shared_ptr<const StoredCa>>& certificates);

    void add(const StoredCa& stored);
    void remove(const StoredCa& stored);

private:
    std::filesystem::path entryPath(unsigned long hash, std::size_t index) const;
    void writeEntry(const StoredCa& stored, std::size_t index) const;
    // Whether entry is (a link to, or a copy of) stored's certificate.
    bool holds(const std::filesystem::path& entry, const StoredCa& stored) const;

    std::filesystem::path directory_;
    // subject hash -> fingerprints; the position is the entry's number N.
    std::unordered_map<unsigned long, std::vector<std::string>> slots_;
};

// "1a2b3c4d.0" -> {0x1a2b3c4d, 0}; nullopt for any other name.
struct HashedName {
    unsigned long hash;
    std::size_t index;
};
std::optional<HashedName> parseHashedName(std::string_view name);

} // namespace certd
