#include "trust/system_trust_directory.h"

#include "base/atomic_file.h"
#include "base/error.h"
#include "trust/trust_entry.h"

#include <unistd.h>

#include <cerrno>
#include <unordered_set>

namespace certd {

SystemTrustDirectory::SystemTrustDirectory(std::filesystem::path directory)
    : directory_(std::move(directory))
{
}

std::filesystem::path SystemTrustDirectory::entryPath(const StoredCa& stored) const
{
    return directory_ / (stored.fingerprint() + ".crt");
}

void SystemTrustDirectory::rebuild(const std::vector<StoredCaPtr>& certificates) const
{
    ensureDirectory(directory_, 0755);
    std::unordered_set<std::string> wanted; // hashed strings: path comparison is slow
    for (const auto& stored : certificates) {
        const auto entry = entryPath(*stored);
        wanted.insert(entry.native());
        if (!trustEntryHolds(entry, *stored))
            writeTrustEntry(entry, *stored);
    }
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory_, error))
        if (!wanted.contains(entry.path().native()) && ::unlink(entry.path().c_str()) != 0 && errno != ENOENT)
            throwSystemError("Could not remove", entry.path().string(), errno);
    if (error)
        throwSystemError("Could not list", directory_.string(), error.value());
}

void SystemTrustDirectory::add(const StoredCa& stored) const
{
    writeTrustEntry(entryPath(stored), stored);
}

void SystemTrustDirectory::remove(const StoredCa& stored) const
{
    const auto entry = entryPath(stored);
    if (::unlink(entry.c_str()) != 0 && errno != ENOENT)
        throwSystemError("Could not remove", entry.string(), errno);
}

} // namespace certd
