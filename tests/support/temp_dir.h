// A fresh directory under /tmp, removed with everything in it at the end.
#pragma once

#include <sys/types.h>

#include <filesystem>

namespace certd::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::filesystem::path& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

// What stat says of a path (following links); exists false when it fails.
struct FileInfo {
    bool exists = false;
    mode_t mode = 0; // permission bits only
    uid_t owner = 0;
    gid_t group = 0;
    ino_t inode = 0;
};
FileInfo infoOf(const std::filesystem::path& path);

void writeTextFile(const std::filesystem::path& path, const std::string& contents);
std::string readTextFile(const std::filesystem::path& path);

} // namespace certd::test
