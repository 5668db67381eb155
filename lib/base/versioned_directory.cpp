#include "base/versioned_directory.h"

#include "base/error.h"

#include <unistd.h>

#include <charconv>

namespace certd {
namespace {

constexpr std::string_view currentLink = "current";
constexpr std::size_t maxDeliveredFileSize = 16 * 1024 * 1024;

std::string linkTargetFor(const std::string& name)
{
    return std::string(currentLink) + "/" + name;
}

DirectoryHandle openOwnDirectory(const std::filesystem::path& path)
{
    std::error_code error;
    std::filesystem::create_directories(path, error);
    if (error)
        throwSystemError("Could not create directory", path.string(), error.value());
    DirectoryHandle directory = DirectoryHandle::open(path);
    const auto owner = directory.status().st_uid;
    if (owner != ::geteuid())
        throw Error(ErrorCode::Internal, path.string() + " is owned by uid " + std::to_string(owner) +
                                             ", not by certd's user: it is not certd's to write keys into");
    return directory;
}

bool holdsFile(const DirectoryHandle& version, const DeliveredFile& file)
{
    const auto status = version.entryStatus(file.name);
    if (!status || !S_ISREG(status->st_mode) || status->st_uid != ::geteuid() ||
        (status->st_mode & 07777) != file.mode || status->st_gid != file.group.value_or(0))
        return false;
    return version.readRegularFile(file.name, file.contents.size()) == file.contents;
}

} // namespace

std::string versionDirectoryName(Version version)
{
    return ".v" + std::to_string(version);
}

std::optional<Version> parseVersionDirectoryName(std::string_view name)
{
    if (name.size() < 3 || !name.starts_with(".v") || name[2] == '0')
        return std::nullopt;
    Version version = 0;
    const auto digits = name.substr(2);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
    if (error != std::errc() || end != digits.data() + digits.size())
        return std::nullopt;
    return version;
}

VersionedDirectory::VersionedDirectory(const std::filesystem::path& directory, mode_t mode,
                                       std::optional<gid_t> group)
    : directory_(openOwnDirectory(directory))
    , mode_(mode)
    , group_(group)
{
    directory_.setPermissions(mode_, group_);
}

std::optional<Version> VersionedDirectory::current() const
{
    const auto target = directory_.readSymlink(currentLink);
    return target ? parseVersionDirectoryName(*target) : std::nullopt;
}

std::vector<Version> VersionedDirectory::versions() const
{
    std::vector<Version> found;
    for (const auto& name : directory_.entryNames())
        if (const auto version = parseVersionDirectoryName(name))
            found.push_back(*version);
    return found;
}

bool VersionedDirectory::holds(Version version, const std::vector<DeliveredFile>& files) const
{
    try {
        const DirectoryHandle inside = directory_.openDirectory(versionDirectoryName(version));
        const struct stat status = inside.status();
        if ((status.st_mode & 07777) != mode_ || status.st_gid != group_.value_or(0) || status.st_uid != ::geteuid())
            return false;
        for (const auto& file : files)
            if (!holdsFile(inside, file) || directory_.readSymlink(file.name) != linkTargetFor(file.name))
                return false;
        return true;
    } catch (const Error&) {
        return false;
    }
}

void VersionedDirectory::write(Version version, const std::vector<DeliveredFile>& files) const
{
    const std::string name = versionDirectoryName(version);
    directory_.remove(name);
    try {
        const DirectoryHandle inside = directory_.createDirectory(name, mode_, group_);
        for (const auto& file : files) {
            if (file.contents.size() > maxDeliveredFileSize)
                throw Error(ErrorCode::Internal, "Refusing to deliver " + file.name + " of " +
                                                     std::to_string(file.contents.size()) + " bytes");
            inside.createFile(file.name, file.contents, FileOptions::durableFile(file.mode, file.group.value_or(0)));
        }
        inside.sync();
        directory_.sync();
    } catch (...) {
        try {
            directory_.remove(name);
        } catch (const Error&) {
            // removeAllBut() at the next start takes what is left
        }
        throw;
    }
}

void VersionedDirectory::activate(Version version, const std::vector<std::string>& names) const
{
    directory_.replaceWithSymlink(currentLink, versionDirectoryName(version));
    directory_.sync();
    // The fixed links: made once, and after `current` so they never dangle
    // where they did not before. Existing files are replaced one by one; a
    // directory delivered by certd has them already.
    bool linked = false;
    for (const auto& name : names) {
        if (directory_.readSymlink(name) == linkTargetFor(name))
            continue;
        directory_.replaceWithSymlink(name, linkTargetFor(name));
        linked = true;
    }
    if (linked)
        directory_.sync();
}

void VersionedDirectory::remove(Version version) const
{
    if (directory_.remove(versionDirectoryName(version)))
        directory_.sync();
}

void VersionedDirectory::removeAllBut(Version keep) const
{
    bool removed = false;
    for (const auto& name : directory_.entryNames()) {
        const auto version = parseVersionDirectoryName(name);
        if ((version && *version != keep) || isTemporaryFileName(name))
            removed |= directory_.remove(name);
    }
    if (removed)
        directory_.sync();
}

} // namespace certd
