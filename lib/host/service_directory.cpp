#include "host/service_directory.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace certd {
namespace {

bool writableByOthers(const struct stat& status)
{
    return (status.st_mode & (S_IWGRP | S_IWOTH)) != 0;
}

std::string octal(mode_t mode)
{
    char text[8];
    std::snprintf(text, sizeof text, "%04o", mode & 07777);
    return text;
}

// "/a/b/" and "/a/./b" as "/a/b".
std::filesystem::path normalised(const std::filesystem::path& path)
{
    auto normal = path.lexically_normal();
    if (normal.has_relative_path() && !normal.has_filename())
        normal = normal.parent_path();
    return normal;
}

} // namespace

std::string whyNotAServiceDirectory(const std::filesystem::path& path)
{
    const auto normal = normalised(path);
    struct stat status{};
    if (::lstat(normal.c_str(), &status) == 0) {
        if (S_ISLNK(status.st_mode))
            return normal.string() + " is a symbolic link; give the directory it points to (certd does not follow "
                                     "links where it writes keys)";
        if (!S_ISDIR(status.st_mode))
            return normal.string() + " exists and is not a directory";
        if (status.st_uid != ::geteuid())
            return normal.string() + " belongs to uid " + std::to_string(status.st_uid) +
                   ", who could replace the key certd writes there; use a directory of certd's own";
        if (writableByOthers(status))
            return normal.string() + " is writable by others (mode " + octal(status.st_mode) +
                   "): a shared directory, which certd would take over; use a directory of certd's own";
    }
    for (auto parent = normal.parent_path(); !parent.empty(); parent = parent.parent_path()) {
        if (::stat(parent.c_str(), &status) == 0 && writableByOthers(status) && !(status.st_mode & S_ISVTX))
            return parent.string() + " may be changed by users other than its owner (mode " + octal(status.st_mode) +
                   " without the sticky bit), so any of them could swap " + normal.string() + " for their own";
        if (parent == parent.root_path())
            break;
    }
    return {};
}

std::string whyNotApart(const std::filesystem::path& one, const std::filesystem::path& other)
{
    const auto a = normalised(one);
    const auto b = normalised(other);
    const auto inside = [](const std::filesystem::path& inner, const std::filesystem::path& outer) {
        const auto relative = inner.lexically_relative(outer);
        return !relative.empty() && *relative.begin() != "..";
    };
    if (a == b)
        return "it is the same directory";
    if (inside(a, b))
        return a.string() + " lies inside " + b.string();
    if (inside(b, a))
        return b.string() + " lies inside " + a.string();
    return {};
}

std::string whyServiceDirectoriesClash(const std::map<std::string, std::filesystem::path>& directories,
                                       const StateLayout& layout)
{
    const std::map<std::string, std::filesystem::path> reserved{
        {"the CA store", layout.caStore()},
        {"the trust outputs", layout.trustDirectory().parent_path()},
        {"certd's private directory", layout.privateDirectory()}};
    for (auto one = directories.begin(); one != directories.end(); ++one) {
        if (normalised(one->second) == normalised(layout.root))
            return "Directory= of [" + one->first + "] is the state directory itself";
        for (auto other = std::next(one); other != directories.end(); ++other)
            if (auto why = whyNotApart(one->second, other->second); !why.empty())
                return "[" + one->first + "] and [" + other->first + "] need directories of their own: " + why;
        for (const auto& [what, path] : reserved)
            if (auto why = whyNotApart(one->second, path); !why.empty())
                return "Directory= of [" + one->first + "] collides with " + what + ": " + why;
    }
    return {};
}

} // namespace certd
