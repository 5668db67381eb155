#include "config.h"
#include "temp_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using ::testing::HasSubstr;

std::string errorOf(const std::string& text)
{
    try {
        parseConfig(text, "/etc/certd/certd.conf");
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "(accepted)";
}

TEST(Config, EmptyMeansDefaults)
{
    const auto config = parseConfig("", "x.conf");
    EXPECT_EQ(config.access.adminGroup, "");
    EXPECT_FALSE(config.access.adminGroupId);
}

TEST(Config, CommentsAndBlankLines)
{
    EXPECT_NO_THROW(parseConfig("# comment\n; another\n\n[Access]\n# AdminGroup=x\n", "x.conf"));
}

TEST(Config, AdminGroupIsResolved)
{
    const auto config = parseConfig("[Access]\nAdminGroup=root\n", "x.conf");
    EXPECT_EQ(config.access.adminGroup, "root");
    ASSERT_TRUE(config.access.adminGroupId);
    EXPECT_EQ(*config.access.adminGroupId, 0u);
}

TEST(Config, UnknownGroupNamesFileLineAndKey)
{
    EXPECT_EQ(errorOf("[Access]\n\nAdminGroup=no-such-group-here\n"),
              "/etc/certd/certd.conf:3: invalid value \"no-such-group-here\" for AdminGroup= in "
              "section [Access]: no group named \"no-such-group-here\" exists");
}

TEST(Config, UnknownSectionIsAnError)
{
    EXPECT_EQ(errorOf("[Acess]\nAdminGroup=root\n"),
              "/etc/certd/certd.conf:2: unknown section [Acess] (key AdminGroup=)");
}

TEST(Config, UnknownKeyIsAnError)
{
    EXPECT_EQ(errorOf("[Access]\nAdminGroup=root\nAdminUser=root\n"),
              "/etc/certd/certd.conf:3: unknown key AdminUser= in section [Access]");
}

TEST(Config, KeyOutsideASectionIsAnError)
{
    EXPECT_THAT(errorOf("AdminGroup=root\n"), HasSubstr("certd.conf:1: unknown section []"));
}

TEST(Config, RepeatedKeyIsAnError)
{
    EXPECT_THAT(errorOf("[Access]\nAdminGroup=root\nAdminGroup=root\n"), HasSubstr(":3: key AdminGroup="));
}

TEST(Config, LineWithoutEqualsIsAnError)
{
    EXPECT_EQ(errorOf("[Access]\nAdminGroup\n"),
              "/etc/certd/certd.conf:2: not a section header, key=value line or comment");
}

TEST(Config, MissingFileIsFineUnlessRequired)
{
    test::TempDir dir;
    EXPECT_NO_THROW(loadConfig(dir / "absent.conf", false));
    EXPECT_THROW(loadConfig(dir / "absent.conf", true), ConfigError);
}

TEST(Config, LoadsAFile)
{
    test::TempDir dir;
    test::writeTextFile(dir / "certd.conf", "[Access]\nAdminGroup=root\n");
    EXPECT_EQ(loadConfig(dir / "certd.conf", true).access.adminGroup, "root");
}

} // namespace
} // namespace certd
