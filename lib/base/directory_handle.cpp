#include "base/directory_handle.h"

#include "base/error.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace certd {
namespace {

FileDescriptor openDirectoryAt(int parent, const char* name, const std::string& shown)
{
    FileDescriptor fd(::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid()) {
        if (errno == ELOOP || errno == ENOTDIR)
            throw Error(ErrorCode::Internal, shown + " is not a directory (a symbolic link is not followed)");
        throwSystemError("Could not open directory", shown, errno);
    }
    return fd;
}

std::string nameOf(std::string_view name)
{
    return std::string(name);
}

} // namespace

DirectoryHandle::DirectoryHandle(FileDescriptor fd, std::filesystem::path path)
    : fd_(std::move(fd))
    , path_(std::move(path))
{
}

DirectoryHandle DirectoryHandle::open(const std::filesystem::path& path)
{
    return DirectoryHandle(openDirectoryAt(AT_FDCWD, path.c_str(), path.string()), path);
}

std::string DirectoryHandle::shown(std::string_view name) const
{
    return (path_ / std::string(name)).string();
}

struct stat DirectoryHandle::status() const
{
    struct stat status{};
    if (::fstat(fd_.get(), &status) != 0)
        throwSystemError("Could not inspect", path_.string(), errno);
    return status;
}

void DirectoryHandle::createFile(std::string_view name, std::string_view contents, const FileOptions& options) const
{
    const std::string file = nameOf(name);
    FileDescriptor fd(::openat(fd_.get(), file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd.valid())
        throwSystemError("Could not create", shown(name), errno);
    try {
        fillNewFile(fd.get(), contents, options, shown(name));
        if (::close(fd.release()) != 0)
            throwSystemError("Could not write", shown(name), errno);
    } catch (...) {
        ::unlinkat(fd_.get(), file.c_str(), 0);
        throw;
    }
}

DirectoryHandle DirectoryHandle::createDirectory(std::string_view name, mode_t mode, std::optional<gid_t> group) const
{
    const std::string directory = nameOf(name);
    if (::mkdirat(fd_.get(), directory.c_str(), 0700) != 0)
        throwSystemError("Could not create directory", shown(name), errno);
    try {
        DirectoryHandle child(openDirectoryAt(fd_.get(), directory.c_str(), shown(name)), path_ / directory);
        child.setPermissions(mode, group);
        return child;
    } catch (...) {
        ::unlinkat(fd_.get(), directory.c_str(), AT_REMOVEDIR);
        throw;
    }
}

DirectoryHandle DirectoryHandle::openDirectory(std::string_view name) const
{
    const std::string directory = nameOf(name);
    return DirectoryHandle(openDirectoryAt(fd_.get(), directory.c_str(), shown(name)), path_ / directory);
}

void DirectoryHandle::replaceWithSymlink(std::string_view name, const std::string& target) const
{
    const std::string temporary = temporaryNameFor(name);
    if (::symlinkat(target.c_str(), fd_.get(), temporary.c_str()) != 0)
        throwSystemError("Could not create a link in", path_.string(), errno);
    if (::renameat(fd_.get(), temporary.c_str(), fd_.get(), nameOf(name).c_str()) != 0) {
        const int error = errno;
        ::unlinkat(fd_.get(), temporary.c_str(), 0);
        throwSystemError("Could not replace", shown(name), error);
    }
}

std::optional<std::string> DirectoryHandle::readSymlink(std::string_view name) const
{
    char target[4096];
    const ssize_t length = ::readlinkat(fd_.get(), nameOf(name).c_str(), target, sizeof target);
    if (length < 0 || static_cast<std::size_t>(length) >= sizeof target)
        return std::nullopt;
    return std::string(target, static_cast<std::size_t>(length));
}

std::optional<struct stat> DirectoryHandle::entryStatus(std::string_view name) const
{
    struct stat status{};
    if (::fstatat(fd_.get(), nameOf(name).c_str(), &status, AT_SYMLINK_NOFOLLOW) != 0)
        return std::nullopt;
    return status;
}

std::optional<std::string> DirectoryHandle::readRegularFile(std::string_view name, std::size_t maxSize) const
{
    const FileDescriptor fd(::openat(fd_.get(), nameOf(name).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    struct stat status{};
    if (!fd.valid() || ::fstat(fd.get(), &status) != 0 || !S_ISREG(status.st_mode) ||
        static_cast<std::size_t>(status.st_size) > maxSize)
        return std::nullopt;
    try {
        return readOpenFile(fd.get(), maxSize, shown(name));
    } catch (const Error&) {
        return std::nullopt;
    }
}

bool DirectoryHandle::remove(std::string_view name) const
{
    const std::string entry = nameOf(name);
    const auto status = entryStatus(name);
    if (!status)
        return false;
    if (S_ISDIR(status->st_mode)) {
        const DirectoryHandle child = openDirectory(name);
        for (const auto& inner : child.entryNames())
            if (::unlinkat(child.fd(), inner.c_str(), 0) != 0 && errno != ENOENT)
                throwSystemError("Could not remove", child.shown(inner), errno);
        if (::unlinkat(fd_.get(), entry.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
            throwSystemError("Could not remove", shown(name), errno);
        return true;
    }
    if (::unlinkat(fd_.get(), entry.c_str(), 0) != 0) {
        if (errno == ENOENT)
            return false;
        throwSystemError("Could not remove", shown(name), errno);
    }
    return true;
}

std::vector<std::string> DirectoryHandle::entryNames() const
{
    // A second descriptor: readdir moves the position of the one it reads.
    const int copy = ::openat(fd_.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (copy < 0)
        throwSystemError("Could not list", path_.string(), errno);
    DIR* listing = ::fdopendir(copy);
    if (!listing) {
        const int error = errno;
        ::close(copy);
        throwSystemError("Could not list", path_.string(), error);
    }
    std::vector<std::string> names;
    while (const dirent* entry = ::readdir(listing)) {
        const std::string_view name = entry->d_name;
        if (name != "." && name != "..")
            names.emplace_back(name);
    }
    ::closedir(listing);
    return names;
}

void DirectoryHandle::setPermissions(mode_t mode, std::optional<gid_t> group) const
{
    // Narrow first, then widen: never more open than either state asks for.
    const struct stat current = status();
    const gid_t wantedGroup = group.value_or(0);
    if ((current.st_mode & 07777) != mode && ::fchmod(fd_.get(), mode & current.st_mode & 07777) != 0)
        throwSystemError("Could not set the permissions of", path_.string(), errno);
    if (current.st_gid != wantedGroup && ::fchown(fd_.get(), static_cast<uid_t>(-1), wantedGroup) != 0)
        throwSystemError("Could not set the group of", path_.string(), errno);
    if ((current.st_mode & 07777) != mode && ::fchmod(fd_.get(), mode) != 0)
        throwSystemError("Could not set the permissions of", path_.string(), errno);
}

void DirectoryHandle::sync() const
{
    if (::fsync(fd_.get()) != 0)
        throwSystemError("Could not flush directory", path_.string(), errno);
}

} // namespace certd
