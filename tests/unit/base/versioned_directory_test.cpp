#include "base/versioned_directory.h"
#include "refusal.h"
#include "temp_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<DeliveredFile> pair(const std::string& tag)
{
    return {{"cert.pem", "certificate " + tag, 0644, std::nullopt}, {"key.pem", "key " + tag, 0600, std::nullopt}};
}

TEST(VersionedDirectory, VersionNamesAreDotVAndAPositiveNumber)
{
    EXPECT_EQ(versionDirectoryName(7), ".v7");
    EXPECT_EQ(parseVersionDirectoryName(".v7"), 7u);
    EXPECT_EQ(parseVersionDirectoryName(".v18446744073709551615"), 18446744073709551615ull);
    for (const char* name : {".v", ".v0", ".v07", "v7", ".v7x", ".v-1", ".v18446744073709551616", "current"})
        EXPECT_FALSE(parseVersionDirectoryName(name)) << name;
}

TEST(VersionedDirectory, NothingIsCurrentUntilAVersionIsActivated)
{
    test::TempDir dir;
    const VersionedDirectory directory(dir / "d", 0700, std::nullopt);
    EXPECT_FALSE(directory.current());
    directory.write(1, pair("one"));
    EXPECT_FALSE(directory.current());
    EXPECT_FALSE(std::filesystem::exists(dir / "d" / "cert.pem"));
    directory.activate(1, {"cert.pem", "key.pem"});
    EXPECT_EQ(directory.current(), 1u);
    EXPECT_EQ(test::readTextFile(dir / "d" / "key.pem"), "key one");
    EXPECT_TRUE(directory.holds(1, pair("one")));
    EXPECT_FALSE(directory.holds(1, pair("two")));
}

TEST(VersionedDirectory, ActivatingAnotherVersionSwitchesEveryFileAtOnce)
{
    test::TempDir dir;
    const VersionedDirectory directory(dir / "d", 0700, std::nullopt);
    directory.write(1, pair("one"));
    directory.activate(1, {"cert.pem", "key.pem"});
    directory.write(2, pair("two"));
    EXPECT_EQ(test::readTextFile(dir / "d" / "cert.pem"), "certificate one"); // written is not current
    directory.activate(2, {"cert.pem", "key.pem"});
    EXPECT_EQ(test::readTextFile(dir / "d" / "cert.pem"), "certificate two");
    EXPECT_EQ(test::readTextFile(dir / "d" / "key.pem"), "key two");
    directory.removeAllBut(2);
    EXPECT_THAT(directory.versions(), ElementsAre(2u));
}

TEST(VersionedDirectory, PermissionsAreExactlyWhatIsAsked)
{
    test::TempDir dir;
    const VersionedDirectory directory(dir / "d", 0750, 65534);
    directory.write(1, {{"key.pem", "secret", 0640, 65534}});
    directory.activate(1, {"key.pem"});
    EXPECT_EQ(test::infoOf(dir / "d").mode, 0750u);
    EXPECT_EQ(test::infoOf(dir / "d").group, 65534u);
    EXPECT_EQ(test::infoOf(dir / "d" / ".v1").mode, 0750u);
    EXPECT_EQ(test::infoOf(dir / "d" / "key.pem").mode, 0640u);
    EXPECT_EQ(test::infoOf(dir / "d" / "key.pem").group, 65534u);
}

TEST(VersionedDirectory, ALeftoverOfTheSameNumberIsReplacedWhole)
{
    test::TempDir dir;
    const VersionedDirectory directory(dir / "d", 0700, std::nullopt);
    std::filesystem::create_directories(dir / "d" / ".v3");
    test::writeTextFile(dir / "d" / ".v3" / "stray", "from an interrupted write");
    directory.write(3, pair("three"));
    EXPECT_FALSE(std::filesystem::exists(dir / "d" / ".v3" / "stray"));
}

TEST(VersionedDirectory, ALinkInPlaceOfTheDirectoryIsRefused)
{
    test::TempDir dir;
    std::filesystem::create_directory(dir / "elsewhere");
    std::filesystem::create_directory_symlink(dir / "elsewhere", dir / "d");
    const auto refusal = test::refusalOf([&] { VersionedDirectory(dir / "d", 0700, std::nullopt); });
    EXPECT_THAT(refusal.message, HasSubstr("symbolic link"));
}

} // namespace
} // namespace certd
