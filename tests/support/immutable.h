// chattr +i for tests of directories certd cannot change: deterministic,
// no timing involved. Needs root and a file system with the attribute;
// applied() says whether it worked, so a test can skip instead of failing
// elsewhere.
#pragma once

#include "process.h"

#include <filesystem>

namespace certd::test {

// chattr +i for the lifetime of the object: nothing may be created in,
// removed from or renamed within the directory.
class Immutable {
public:
    explicit Immutable(std::filesystem::path path)
        : path_(std::move(path))
    {
        applied_ = runCommand({"chattr", "+i", path_.string()}).exitCode == 0;
    }
    ~Immutable() { release(); }
    void release()
    {
        if (applied_)
            runCommand({"chattr", "-i", path_.string()});
        applied_ = false;
    }
    bool applied() const { return applied_; }

private:
    std::filesystem::path path_;
    bool applied_ = false;
};

} // namespace certd::test
