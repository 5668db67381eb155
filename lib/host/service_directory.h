// Rules for a service's Directory=, where certd writes a private key that a
// web server or database reads. certd makes the directory its own (mode
// 0700, or 0750 with KeyGroup=), so it must be one nobody else can swap,
// redirect or share.
#pragma once

#include "base/state_directory.h"

#include <filesystem>
#include <map>
#include <string>

namespace certd {

// Empty when path may be a service directory, else why not: path itself is
// a symbolic link or no directory, belongs to a user other than certd's or
// may be written by others (a shared directory such as /tmp), or lies under a directory that users other than its owner may change without
// the sticky bit (any of them could swap it for their own). A path that does
// not exist yet is fine: certd creates it.
std::string whyNotAServiceDirectory(const std::filesystem::path& path);

// Empty when two services' directories are apart, else why not: the same
// directory, or one inside the other. Both absolute.
std::string whyNotApart(const std::filesystem::path& one, const std::filesystem::path& other);

// Empty when the services' effective directories (by service name,
// defaults included) are apart from each other and from the parts of the
// state directory certd keeps for itself; else why not, naming the services.
std::string whyServiceDirectoriesClash(const std::map<std::string, std::filesystem::path>& directories,
                                       const StateLayout& layout);

} // namespace certd
