// Durable, atomic file replacement: write a temporary file in the target's
// directory, fsync it, rename it over the target, fsync the directory. A
// crash at any point leaves either the old or the new file, never a mix;
// the only debris is a hidden temporary file that removeStaleTemporaryFiles
// clears at the next start.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace certd {

struct FileOptions {
    mode_t mode = 0644;
    std::optional<gid_t> group; // owner stays the writing user
    bool durable = true;        // false: atomic only (outputs rebuilt at start)

    static FileOptions durableFile(mode_t mode, std::optional<gid_t> group = std::nullopt)
    {
        return {mode, group, true};
    }
    // For derived outputs that certd checks and rebuilds at every start.
    static FileOptions rebuiltAtStart(mode_t mode) { return {mode, std::nullopt, false}; }
};

void writeFileAtomically(const std::filesystem::path& path, std::string_view contents,
                         const FileOptions& options = {});

// Gives the new, still empty file fd the group and mode of options (in that
// order: it is never more open than asked), writes contents and, when
// durable, fsyncs it. shownPath names the file in errors.
void fillNewFile(int fd, std::string_view contents, const FileOptions& options, const std::string& shownPath);

// Atomic rename within one directory, made durable.
void renameDurably(const std::filesystem::path& from, const std::filesystem::path& to);

// Returns false when there was no such file.
bool removeFileDurably(const std::filesystem::path& path);

void syncDirectory(const std::filesystem::path& directory);

// Creates directory (and parents) when missing and applies mode and group.
void ensureDirectory(const std::filesystem::path& directory, mode_t mode,
                     std::optional<gid_t> group = std::nullopt);

// The whole file; Internal error when it cannot be read or exceeds maxSize.
std::string readFile(const std::filesystem::path& path, std::size_t maxSize);
// The rest of the open file fd; shownPath names it in errors.
std::string readOpenFile(int fd, std::size_t maxSize, const std::string& shownPath);

// Temporary files are ".<name>.<random>.tmp".
std::string temporaryNameFor(std::string_view name);
bool isTemporaryFileName(std::string_view name);
void removeStaleTemporaryFiles(const std::filesystem::path& directory);

} // namespace certd
