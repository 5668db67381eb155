// A small tmpfs for full-disk tests: real ENOSPC at a chosen moment, no
// timing involved. Needs root (the suite runs as root); mounted() says
// whether it worked, so a test can skip instead of failing elsewhere.
#pragma once

#include <sys/mount.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace certd::test {

// A tmpfs of size bytes at mountPoint, unmounted again at the end.
class SmallTmpfs {
public:
    SmallTmpfs(const std::filesystem::path& mountPoint, std::size_t size)
        : mountPoint_(mountPoint)
    {
        std::filesystem::create_directories(mountPoint);
        const auto options = "size=" + std::to_string(size) + ",mode=0755";
        mounted_ = ::mount("tmpfs", mountPoint.c_str(), "tmpfs", 0, options.c_str()) == 0;
    }
    ~SmallTmpfs()
    {
        if (mounted_)
            ::umount2(mountPoint_.c_str(), MNT_DETACH);
    }
    bool mounted() const { return mounted_; }

    // Writes a file until the file system is full.
    void fill() const
    {
        std::ofstream filler(mountPoint_ / "filler", std::ios::binary);
        const std::string block(4096, 'x');
        while (filler.write(block.data(), static_cast<std::streamsize>(block.size())) && filler.flush()) {
        }
    }
    void empty() const { std::filesystem::remove(mountPoint_ / "filler"); }

private:
    std::filesystem::path mountPoint_;
    bool mounted_ = false;
};

} // namespace certd::test
