#include "trust/trust_entry.h"

#include "base/atomic_file.h"
#include "base/error.h"
#include "x509/certificate_input.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace certd {
namespace {

// An existing entry's contents; empty when it cannot be read.
std::string contentsOf(const std::filesystem::path& entry)
{
    try {
        return readFile(entry, maxInputSize);
    } catch (const Error&) {
        return {};
    }
}

// Links target as entry, replacing what is there; false when the file
// system cannot (another device, hard links not allowed): then copy.
bool linkAtomically(const std::filesystem::path& target, const std::filesystem::path& entry)
{
    if (::link(target.c_str(), entry.c_str()) == 0)
        return true;
    if (errno != EEXIST)
        return false;
    const auto temporary = entry.parent_path() / ("." + entry.filename().string() + ".link.tmp");
    ::unlink(temporary.c_str());
    if (::link(target.c_str(), temporary.c_str()) == 0 && ::rename(temporary.c_str(), entry.c_str()) == 0)
        return true;
    ::unlink(temporary.c_str());
    return false;
}

} // namespace

void writeTrustEntry(const std::filesystem::path& entry, const StoredCa& stored)
{
    if (stored.linkable && linkAtomically(stored.file, entry))
        return;
    writeFileAtomically(entry, stored.pem, FileOptions::rebuiltAtStart(0644));
}

bool trustEntryHolds(const std::filesystem::path& entry, const StoredCa& stored)
{
    struct stat status{};
    if (::stat(entry.c_str(), &status) != 0)
        return false;
    if (stored.linkable && status.st_ino == stored.stamp.inode && status.st_dev == stored.stamp.device)
        return true;
    return contentsOf(entry) == stored.pem;
}

} // namespace certd
