#include "base/atomic_file.h"
#include "base/error.h"
#include "temp_dir.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

namespace certd {
namespace {

using test::readTextFile;
using test::TempDir;
using test::writeTextFile;

mode_t modeOf(const std::filesystem::path& path)
{
    return test::infoOf(path).mode;
}

std::vector<std::string> namesIn(const std::filesystem::path& directory)
{
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(directory))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

TEST(AtomicFile, WritesContentsWithTheRequestedMode)
{
    TempDir dir;
    writeFileAtomically(dir / "a.pem", "hello", FileOptions::durableFile(0640));
    EXPECT_EQ(readTextFile(dir / "a.pem"), "hello");
    EXPECT_EQ(modeOf(dir / "a.pem"), 0640u);
}

TEST(AtomicFile, ModeIsNotWidenedByTheUmask)
{
    TempDir dir;
    const mode_t previous = ::umask(0077);
    writeFileAtomically(dir / "public.pem", "x", FileOptions::durableFile(0644));
    ::umask(previous);
    EXPECT_EQ(modeOf(dir / "public.pem"), 0644u);
}

TEST(AtomicFile, SetsTheGroup)
{
    TempDir dir;
    writeFileAtomically(dir / "key.pem", "secret", FileOptions::durableFile(0640, 65534));
    struct stat status{};
    ::stat((dir / "key.pem").c_str(), &status);
    EXPECT_EQ(status.st_gid, 65534u);
}

TEST(AtomicFile, ReplacesAndLeavesNoTemporaryFile)
{
    TempDir dir;
    writeTextFile(dir / "a.pem", "old");
    writeFileAtomically(dir / "a.pem", "new");
    EXPECT_EQ(readTextFile(dir / "a.pem"), "new");
    EXPECT_EQ(namesIn(dir.path()), std::vector<std::string>{"a.pem"});
}

TEST(AtomicFile, FailureKeepsTheOldFileAndCleansUp)
{
    TempDir dir;
    std::filesystem::create_directory(dir / "target.pem"); // a rename cannot replace a directory
    EXPECT_THROW(writeFileAtomically(dir / "target.pem", "new"), Error);
    EXPECT_TRUE(std::filesystem::is_directory(dir / "target.pem"));
    EXPECT_EQ(namesIn(dir.path()), std::vector<std::string>{"target.pem"});
}

TEST(AtomicFile, MissingDirectoryIsAnInternalErrorNamingThePath)
{
    TempDir dir;
    try {
        writeFileAtomically(dir / "missing" / "a.pem", "x");
        FAIL();
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), ErrorCode::Internal);
        EXPECT_NE(std::string(error.what()).find((dir / "missing").string()), std::string::npos);
    }
}

TEST(AtomicFile, StaleTemporaryFilesAreRemovedAndNothingElse)
{
    TempDir dir;
    writeTextFile(dir / ".a.pem.0123456789abcdef.tmp", "half");
    writeTextFile(dir / "a.pem", "kept");
    writeTextFile(dir / ".hidden", "kept");
    removeStaleTemporaryFiles(dir.path());
    EXPECT_EQ(namesIn(dir.path()), (std::vector<std::string>{".hidden", "a.pem"}));
}

TEST(AtomicFile, RemoveReportsWhetherThereWasAFile)
{
    TempDir dir;
    writeTextFile(dir / "a", "x");
    EXPECT_TRUE(removeFileDurably(dir / "a"));
    EXPECT_FALSE(removeFileDurably(dir / "a"));
}

TEST(AtomicFile, ReadFileRefusesOversizedFiles)
{
    TempDir dir;
    writeTextFile(dir / "big", std::string(100, 'x'));
    EXPECT_EQ(readFile(dir / "big", 100).size(), 100u);
    EXPECT_THROW(readFile(dir / "big", 99), Error);
}

} // namespace
} // namespace certd
