// The fault shim (tests/fault/fault_shim.c) seen from a test: the
// environment that loads it into certd, and the trace of file operations it
// writes, for checking the order that makes writes survive a power cut.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace certd::test {

struct FileOperation {
    std::string op;     // create, write, fsync, rename, symlink, unlink, mkdir, rmdir, ...
    std::string path;
    std::string target; // rename's and link's second path, symlink's target
};

struct FaultShim {
    std::vector<std::filesystem::path> watch; // path prefixes whose operations count
    std::filesystem::path log;                // where the trace goes; empty: none
    std::optional<long> breakAt;              // 1-based number of the operation to break
    std::string action = "kill";              // "kill", or "ENOSPC", "EPERM", "EIO", "EDQUOT"

    // "LD_PRELOAD=..." and the shim's settings, for a child's environment.
    std::vector<std::string> environment() const;
};

std::vector<FileOperation> readTrace(const std::filesystem::path& log);

// Rules of durable, atomic writing, checked on a trace; each returns the
// violations found (empty: the trace keeps the rule).
//  - a file renamed into place was fsynced before the rename, and the
//    directory it went into was fsynced after it;
//  - a version directory made current (rename over ".../current") had every
//    file in it fsynced, and itself, and its parent, before the rename;
//  - a removal from a durable place is followed by an fsync of its directory.
std::vector<std::string> durabilityViolations(const std::vector<FileOperation>& trace);

} // namespace certd::test
