#include "trust/hashed_directory.h"

#include "base/atomic_file.h"
#include "trust/trust_entry.h"
#include "x509/certificate_input.h"
#include "base/error.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_set>

namespace certd {

std::optional<HashedName> parseHashedName(std::string_view name)
{
    if (name.size() < 10 || name[8] != '.')
        return std::nullopt;
    const auto isLowerHex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
    if (!std::all_of(name.begin(), name.begin() + 8, isLowerHex))
        return std::nullopt;
    HashedName parsed{};
    const auto hashEnd = name.data() + 8;
    const auto end = name.data() + name.size();
    if (std::from_chars(name.data(), hashEnd, parsed.hash, 16).ptr != hashEnd)
        return std::nullopt;
    if (!std::all_of(hashEnd + 1, end, [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    if (std::from_chars(hashEnd + 1, end, parsed.index).ptr != end)
        return std::nullopt;
    return parsed;
}

HashedDirectory::HashedDirectory(std::filesystem::path directory)
    : directory_(std::move(directory))
{
}

std::filesystem::path HashedDirectory::entryPath(unsigned long hash, std::size_t index) const
{
    char name[32];
    std::snprintf(name, sizeof name, "%08lx.%zu", hash, index);
    return directory_ / name;
}

void HashedDirectory::writeEntry(const StoredCa& stored, std::size_t index) const
{
    writeTrustEntry(entryPath(stored.subjectHash, index), stored);
}

bool HashedDirectory::holds(const std::filesystem::path& entry, const StoredCa& stored) const
{
    return trustEntryHolds(entry, stored);
}

void HashedDirectory::rebuild(const std::vector<std::shared_ptr<const StoredCa>>& certificates)
{
    // Paths by their strings, hashed: comparing std::filesystem::path is
    // component by component, a third of a Reload at 10,000.
    std::unordered_set<std::string> existing;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory_, error))
        existing.insert(entry.path().native());
    if (error)
        throwSystemError("Could not list", directory_.string(), error.value());

    std::map<unsigned long, std::vector<const StoredCa*>> byHash;
    for (const auto& stored : certificates)
        byHash[stored->subjectHash].push_back(stored.get());

    slots_.clear();
    std::unordered_set<std::string> wanted;
    for (auto& [hash, unplaced] : byHash) {
        auto& slots = slots_[hash];
        slots.assign(unplaced.size(), std::string());
        // Keep every entry that already holds one of the group's certificates.
        for (std::size_t index = 0; index < slots.size(); ++index) {
            const auto entry = entryPath(hash, index);
            wanted.insert(entry.native());
            if (!existing.contains(entry.native()))
                continue;
            const auto match = std::find_if(unplaced.begin(), unplaced.end(),
                                            [&](const StoredCa* stored) { return holds(entry, *stored); });
            if (match != unplaced.end()) {
                slots[index] = (*match)->fingerprint();
                unplaced.erase(match);
            }
        }
        // Write the rest into the free slots.
        for (std::size_t index = 0; index < slots.size(); ++index) {
            if (!slots[index].empty())
                continue;
            slots[index] = unplaced.front()->fingerprint();
            writeEntry(*unplaced.front(), index);
            unplaced.erase(unplaced.begin());
        }
    }
    for (const auto& path : existing)
        if (!wanted.contains(path))
            std::filesystem::remove(path, error);
}

void HashedDirectory::add(const StoredCa& stored)
{
    auto& slots = slots_[stored.subjectHash];
    writeEntry(stored, slots.size());
    slots.push_back(stored.fingerprint());
}

void HashedDirectory::remove(const StoredCa& stored)
{
    auto& slots = slots_[stored.subjectHash];
    const auto position = std::find(slots.begin(), slots.end(), stored.fingerprint());
    if (position == slots.end())
        return;
    const auto index = static_cast<std::size_t>(position - slots.begin());
    const auto last = slots.size() - 1;
    const auto gap = entryPath(stored.subjectHash, index);
    if (index == last) {
        if (::unlink(gap.c_str()) != 0 && errno != ENOENT)
            throwSystemError("Could not remove", gap.string(), errno);
    } else if (::rename(entryPath(stored.subjectHash, last).c_str(), gap.c_str()) != 0) {
        // One rename both drops the removed entry and closes the gap.
        throwSystemError("Could not rename", entryPath(stored.subjectHash, last).string(), errno);
    }
    slots[index] = slots[last];
    slots.pop_back();
    if (slots.empty())
        slots_.erase(stored.subjectHash);
}

} // namespace certd
