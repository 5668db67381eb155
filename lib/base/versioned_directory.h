// Files a consumer reads as one unit (a key and its certificate), changed in
// one step, after Kubernetes' atomic writer:
//
//   <directory>/cert.pem -> current/cert.pem    fixed links, made once
//   <directory>/current  -> .v7                 the one link that changes
//   <directory>/.v7/cert.pem, chain.pem, key.pem   one complete version
//
// A new version is written in full and made durable (each file fsynced,
// then its directory, then the parent) before `current` is swapped to it
// with one rename, itself made durable before activate() returns. Whoever
// resolves a name sees the old version or the new one, never a mix, and so
// does whoever looks after kill -9 or a power cut at any point.
//
// The directory is certd's own: it is created when missing, a symbolic link
// in its place or an owner other than certd's user is refused, and its mode
// and group are set on every open (narrowing before widening).
#pragma once

#include "base/directory_handle.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace certd {

struct DeliveredFile {
    std::string name;
    std::string contents;
    mode_t mode = 0644;
    std::optional<gid_t> group; // none: root's group
};

using Version = std::uint64_t;

class VersionedDirectory {
public:
    VersionedDirectory(const std::filesystem::path& directory, mode_t mode, std::optional<gid_t> group);

    const std::filesystem::path& path() const { return directory_.path(); }

    // The version `current` points to; nullopt when there is none.
    std::optional<Version> current() const;
    // Every version present, complete or not.
    std::vector<Version> versions() const;

    // Whether version holds exactly files (contents, mode, owner, group),
    // its directory has the directory's permissions, and the fixed links
    // point through `current`.
    bool holds(Version version, const std::vector<DeliveredFile>& files) const;

    // Writes files as version, complete and durable but not yet current.
    // A leftover of the same number is replaced; on failure nothing of the
    // version remains.
    void write(Version version, const std::vector<DeliveredFile>& files) const;
    // The commit: `current` points to version, durably. Then the fixed
    // link of each of names is made if it is missing or wrong.
    void activate(Version version, const std::vector<std::string>& names) const;

    void remove(Version version) const;
    // Removes every version but keep, and leftover temporary entries.
    void removeAllBut(Version keep) const;

private:
    DirectoryHandle directory_;
    mode_t mode_;
    std::optional<gid_t> group_;
};

// ".v7" <-> 7.
std::string versionDirectoryName(Version version);
std::optional<Version> parseVersionDirectoryName(std::string_view name);

} // namespace certd
