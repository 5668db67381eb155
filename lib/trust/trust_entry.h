// One file of a trust output that holds one stored CA (an entry of the
// hashed directory, of the system-trust directory): a hard link to the
// store file when that file is linkable (it holds exactly the certificate's
// PEM and only certd's user can change it), else a copy of the validated
// certificate. Either way consumers need no access to the store. Entries are
// derived data: created atomically but not fsynced, and rebuilt at start.
#pragma once

#include "trust/stored_ca.h"

#include <filesystem>

namespace certd {

void writeTrustEntry(const std::filesystem::path& entry, const StoredCa& stored);

// Whether entry is (a link to, or a copy of) stored's certificate; a link
// is recognised by its inode, without reading it.
bool trustEntryHolds(const std::filesystem::path& entry, const StoredCa& stored);

} // namespace certd
