#include "base/state_directory.h"

#include "base/atomic_file.h"
#include "base/error.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

namespace certd {

void prepareStateDirectory(const StateLayout& layout)
{
    // What certd cannot work without. The trust outputs' directories are
    // made by the trust store, which can serve without them (degraded).
    ensureDirectory(layout.root, 0755);
    ensureDirectory(layout.caStore(), 0755);
    ensureDirectory(layout.privateDirectory(), 0700);
    // Interrupted writes: never another certd's, the caller holds the lock.
    removeStaleTemporaryFiles(layout.root);
    removeStaleTemporaryFiles(layout.trustDirectory().parent_path()); // a missing directory is no error
    removeStaleTemporaryFiles(layout.privateDirectory());
}

StateDirectoryLock::StateDirectoryLock(const std::filesystem::path& root)
    : fd_(::open((root / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600))
{
    if (fd_ < 0)
        throwSystemError("Could not open the lock file in", root.string(), errno);
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(fd_);
        if (error == EWOULDBLOCK)
            throw Error(ErrorCode::Internal,
                        "Another certd is already using the state directory " + root.string());
        throwSystemError("Could not lock the state directory", root.string(), error);
    }
}

StateDirectoryLock::~StateDirectoryLock()
{
    ::close(fd_);
}

} // namespace certd
