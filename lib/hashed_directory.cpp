#include "hashed_directory.h"

#include "atomic_file.h"
#include "certificate_input.h"
#include "error.h"
#include "pem.h"
#include "text.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

namespace certd {
namespace {

std::string pemOf(const StoredCa& stored)
{
    return derToPem(stored.der, "CERTIFICATE");
}

// Fingerprint of the certificate in an existing entry; empty when the entry
// is unreadable (a crash before the data reached the disk, or tampering).
std::string fingerprintOfEntry(const std::filesystem::path& file)
{
    try {
        const PemScan scan = scanPem(asBytes(readFile(file, maxInputSize)));
        if (scan.blocks.size() != 1 || scan.blocks.front().label != "CERTIFICATE")
            return {};
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        const auto& der = scan.blocks.front().data;
        if (EVP_Digest(der.data(), der.size(), digest, &length, EVP_sha256(), nullptr) != 1)
            return {};
        return toHex(digest, length);
    } catch (const Error&) {
        return {};
    }
}

} // namespace

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
    writeFileAtomically(entryPath(stored.subjectHash, index), pemOf(stored),
                        FileOptions::rebuiltAtStart(0644));
}

void HashedDirectory::rebuild(const std::vector<std::shared_ptr<const StoredCa>>& certificates)
{
    std::map<std::filesystem::path, std::string> existing; // entry -> fingerprint in it
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory_, error)) {
        const auto name = entry.path().filename().string();
        existing[entry.path()] = parseHashedName(name) ? fingerprintOfEntry(entry.path()) : "";
    }
    if (error)
        throwSystemError("Could not list", directory_.string(), error.value());

    std::map<unsigned long, std::vector<const StoredCa*>> byHash;
    for (const auto& stored : certificates)
        byHash[stored->subjectHash].push_back(stored.get());

    const auto holds = [&](const std::filesystem::path& entry, const std::string& fingerprint) {
        const auto found = existing.find(entry);
        return found != existing.end() && found->second == fingerprint;
    };
    slots_.clear();
    std::set<std::filesystem::path> wanted;
    for (const auto& [hash, group] : byHash) {
        auto& slots = slots_[hash];
        slots.assign(group.size(), std::string());
        std::vector<const StoredCa*> unplaced;
        for (const StoredCa* stored : group) {
            // Keep the certificate where it already is, when that is a valid slot.
            std::size_t index = 0;
            while (index < group.size() &&
                   !(slots[index].empty() && holds(entryPath(hash, index), stored->fingerprint())))
                ++index;
            if (index < group.size())
                slots[index] = stored->fingerprint();
            else
                unplaced.push_back(stored);
        }
        for (const StoredCa* stored : unplaced) {
            const auto index = static_cast<std::size_t>(
                std::find(slots.begin(), slots.end(), std::string()) - slots.begin());
            slots[index] = stored->fingerprint();
            writeEntry(*stored, index);
        }
        for (std::size_t index = 0; index < group.size(); ++index)
            wanted.insert(entryPath(hash, index));
    }
    for (const auto& [path, fingerprint] : existing)
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
