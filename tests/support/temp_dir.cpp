#include "temp_dir.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace certd::test {

TempDir::TempDir()
{
    std::string pattern = "/tmp/certd-test-XXXXXX";
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir()
{
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

FileInfo infoOf(const std::filesystem::path& path)
{
    struct stat status{};
    if (::stat(path.c_str(), &status) != 0)
        return {};
    return {true, status.st_mode & 07777, status.st_uid, status.st_gid, status.st_ino};
}

void writeTextFile(const std::filesystem::path& path, const std::string& contents)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << contents;
    if (!out.flush())
        throw std::runtime_error("could not write " + path.string());
}

std::string readTextFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("could not read " + path.string());
    std::ostringstream contents;
    contents << in.rdbuf();
    return contents.str();
}

} // namespace certd::test
