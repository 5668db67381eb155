// A directory opened once, with everything done inside it relative to that
// descriptor (the *at() system calls): renaming the directory, or putting a
// symbolic link in its place, cannot redirect certd's writes elsewhere.
// Names given to the methods are single path components.
//
// Durability is explicit: createFile() fsyncs the file, but a new or changed
// entry is durable only after sync() of the directory that holds it.
#pragma once

#include "base/atomic_file.h"
#include "base/file_descriptor.h"

#include <sys/stat.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certd {

class DirectoryHandle {
public:
    // Opens an existing directory; a symbolic link there is refused
    // (Internal error naming the path), as is anything but a directory.
    static DirectoryHandle open(const std::filesystem::path& path);

    const std::filesystem::path& path() const { return path_; }
    int fd() const { return fd_.get(); }
    struct stat status() const;

    // A new file (name must not exist yet) with options' group and mode,
    // written and fsynced. On failure nothing of it remains.
    void createFile(std::string_view name, std::string_view contents, const FileOptions& options) const;
    // A new subdirectory with mode and group (root's when none), opened.
    DirectoryHandle createDirectory(std::string_view name, mode_t mode, std::optional<gid_t> group) const;
    DirectoryHandle openDirectory(std::string_view name) const;

    // Makes name a symbolic link to target with one rename over whatever is
    // there, so readers see either the old entry or the new link.
    void replaceWithSymlink(std::string_view name, const std::string& target) const;
    // The target of the link name; nullopt when name is missing or no link.
    std::optional<std::string> readSymlink(std::string_view name) const;
    // lstat of name; nullopt when it does not exist.
    std::optional<struct stat> entryStatus(std::string_view name) const;
    // Contents of the regular file name (not following a link); nullopt
    // when it is missing, no regular file, or larger than maxSize.
    std::optional<std::string> readRegularFile(std::string_view name, std::size_t maxSize) const;

    // Removes name: a file or link, or a directory holding only those.
    // Returns false when there was nothing to remove.
    bool remove(std::string_view name) const;
    std::vector<std::string> entryNames() const;
    void setPermissions(mode_t mode, std::optional<gid_t> group) const;

    // fsync of the directory: its entries as they are now survive a crash.
    void sync() const;

private:
    DirectoryHandle(FileDescriptor fd, std::filesystem::path path);
    std::string shown(std::string_view name) const;

    FileDescriptor fd_;
    std::filesystem::path path_;
};

} // namespace certd
