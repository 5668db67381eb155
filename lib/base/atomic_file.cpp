#include "base/atomic_file.h"

#include "base/error.h"
#include "base/file_descriptor.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <random>
#include <utility>

namespace certd {
namespace {

std::filesystem::path parentOf(const std::filesystem::path& path)
{
    auto parent = path.parent_path();
    return parent.empty() ? std::filesystem::path(".") : parent;
}

void writeAll(int fd, std::string_view contents, const std::string& path)
{
    while (!contents.empty()) {
        const ssize_t written = ::write(fd, contents.data(), contents.size());
        if (written < 0 && errno == EINTR)
            continue;
        if (written < 0)
            throwSystemError("Could not write", path, errno);
        contents.remove_prefix(static_cast<std::size_t>(written));
    }
}

void syncDirectoryFd(int fd, const std::string& shownPath)
{
    if (::fsync(fd) != 0)
        throwSystemError("Could not flush directory", shownPath, errno);
}

FileDescriptor openDirectory(const std::filesystem::path& directory)
{
    FileDescriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0)
        throwSystemError("Could not open directory", directory.string(), errno);
    return fd;
}

} // namespace

void fillNewFile(int fd, std::string_view contents, const FileOptions& options, const std::string& shownPath)
{
    // Ownership first, permissions second: the file is never more open than
    // the caller asked for, not even for a moment.
    if (options.group && ::fchown(fd, static_cast<uid_t>(-1), *options.group) != 0)
        throwSystemError("Could not set the group of", shownPath, errno);
    if (::fchmod(fd, options.mode) != 0)
        throwSystemError("Could not set the permissions of", shownPath, errno);
    writeAll(fd, contents, shownPath);
    if (options.durable && ::fsync(fd) != 0)
        throwSystemError("Could not flush", shownPath, errno);
}

void writeFileAtomically(const std::filesystem::path& path, std::string_view contents,
                         const FileOptions& options)
{
    const auto directory = parentOf(path);
    const FileDescriptor dirFd = openDirectory(directory);
    const std::string temporary = temporaryNameFor(path.filename().string());
    FileDescriptor fd(::openat(dirFd.get(), temporary.c_str(),
                               O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0)
        throwSystemError("Could not create a file in", directory.string(), errno);
    try {
        fillNewFile(fd.get(), contents, options, path.string());
        if (::close(fd.release()) != 0)
            throwSystemError("Could not write", path.string(), errno);
        if (::renameat(dirFd.get(), temporary.c_str(), dirFd.get(), path.filename().c_str()) != 0)
            throwSystemError("Could not replace", path.string(), errno);
    } catch (...) {
        ::unlinkat(dirFd.get(), temporary.c_str(), 0);
        throw;
    }
    if (options.durable)
        syncDirectoryFd(dirFd.get(), directory.string());
}

void renameDurably(const std::filesystem::path& from, const std::filesystem::path& to)
{
    if (::rename(from.c_str(), to.c_str()) != 0)
        throwSystemError("Could not rename", from.string() + " to " + to.string(), errno);
    syncDirectory(parentOf(to));
}

bool removeFileDurably(const std::filesystem::path& path)
{
    if (::unlink(path.c_str()) != 0) {
        if (errno == ENOENT)
            return false;
        throwSystemError("Could not remove", path.string(), errno);
    }
    syncDirectory(parentOf(path));
    return true;
}

void syncDirectory(const std::filesystem::path& directory)
{
    const FileDescriptor fd = openDirectory(directory);
    syncDirectoryFd(fd.get(), directory.string());
}

void ensureDirectory(const std::filesystem::path& directory, mode_t mode, std::optional<gid_t> group)
{
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error)
        throwSystemError("Could not create directory", directory.string(), error.value());
    if (group && ::chown(directory.c_str(), static_cast<uid_t>(-1), *group) != 0)
        throwSystemError("Could not set the group of", directory.string(), errno);
    if (::chmod(directory.c_str(), mode) != 0)
        throwSystemError("Could not set the permissions of", directory.string(), errno);
}

std::string readFile(const std::filesystem::path& path, std::size_t maxSize)
{
    const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
        throwSystemError("Could not open", path.string(), errno);
    return readOpenFile(fd.get(), maxSize, path.string());
}

std::string readOpenFile(int fd, std::size_t maxSize, const std::string& shownPath)
{
    std::string contents;
    char buffer[16384];
    for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            throwSystemError("Could not read", shownPath, errno);
        if (got == 0)
            return contents;
        if (contents.size() + static_cast<std::size_t>(got) > maxSize)
            throw Error(ErrorCode::Internal, shownPath + " is larger than " + std::to_string(maxSize) + " bytes");
        contents.append(buffer, static_cast<std::size_t>(got));
    }
}

std::string temporaryNameFor(std::string_view name)
{
    thread_local std::mt19937_64 generator{std::random_device{}()};
    char suffix[17];
    std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(generator()));
    return "." + std::string(name) + "." + suffix + ".tmp";
}

bool isTemporaryFileName(std::string_view name)
{
    return name.size() > 5 && name.front() == '.' && name.ends_with(".tmp");
}

void removeStaleTemporaryFiles(const std::filesystem::path& directory)
{
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error))
        if (isTemporaryFileName(entry.path().filename().string()))
            std::filesystem::remove(entry.path(), error);
}

} // namespace certd
