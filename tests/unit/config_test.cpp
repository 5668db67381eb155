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

TEST(ConfigSections, DefaultsHaveBothServicesAndStandardExpiry)
{
    const auto config = parseConfig("", "x.conf");
    ASSERT_EQ(config.services.size(), 2u);
    EXPECT_TRUE(config.services.at("https").directory.empty());
    EXPECT_TRUE(config.services.at("postgresql").reloadUnit.empty());
    EXPECT_EQ(config.applianceCa.keyType, KeyType::EcP256);
    EXPECT_EQ(config.expiry.warnDays, (std::vector<unsigned>{30, 7, 1}));
    EXPECT_EQ(config.expiry.renewDays, 30u);
}

TEST(ConfigSections, TheIssuesExampleParses)
{
    const auto config = parseConfig(R"([ApplianceCA]
# subject CN and key type of the appliance CA
CommonName=Probe 42 CA
KeyType=rsa-3072

[https]
Directory=/etc/nginx/certd
KeyGroup=
ReloadUnit=nginx.service

[postgresql]
Directory=/var/lib/postgresql/certd
KeyGroup=root
ReloadUnit=postgresql@15-main.service

[Expiry]
WarnDays=60 14 3
RenewDays=0
)",
                                    "x.conf");
    EXPECT_EQ(config.applianceCa.commonName, "Probe 42 CA");
    EXPECT_EQ(config.applianceCa.keyType, KeyType::Rsa3072);
    EXPECT_EQ(config.services.at("https").directory, "/etc/nginx/certd");
    EXPECT_FALSE(config.services.at("https").keyGroup);
    EXPECT_EQ(config.services.at("https").reloadUnit, "nginx.service");
    EXPECT_EQ(config.services.at("postgresql").keyGroup, 0u);
    EXPECT_EQ(config.services.at("postgresql").reloadUnit, "postgresql@15-main.service");
    EXPECT_EQ(config.expiry.warnDays, (std::vector<unsigned>{60, 14, 3}));
    EXPECT_EQ(config.expiry.renewDays, 0u);
}

TEST(ConfigSections, InvalidValuesNameFileLineAndKey)
{
    EXPECT_THAT(errorOf("[ApplianceCA]\nKeyType=rsa-1024\n"),
                HasSubstr("certd.conf:2: invalid value \"rsa-1024\" for KeyType= in section [ApplianceCA]: must be one of ec-p256"));
    EXPECT_THAT(errorOf("[ApplianceCA]\nCommonName=\n"), HasSubstr(":2: invalid value \"\" for CommonName="));
    EXPECT_THAT(errorOf("[https]\nDirectory=relative/path\n"), HasSubstr("absolute path"));
    EXPECT_THAT(errorOf("[postgresql]\n\nKeyGroup=no-such-group\n"),
                HasSubstr(":3: invalid value \"no-such-group\" for KeyGroup= in section [postgresql]"));
    EXPECT_THAT(errorOf("[https]\nReloadUnit=nginx\n"), HasSubstr("not a systemd service unit name"));
    EXPECT_THAT(errorOf("[https]\nReloadUnit=../x.service\n"), HasSubstr("not a systemd service unit name"));
    EXPECT_THAT(errorOf("[https]\nKeyGroupp=x\n"), HasSubstr(":2: unknown key KeyGroupp= in section [https]"));
    EXPECT_THAT(errorOf("[ftp]\nDirectory=/x\n"), HasSubstr(":2: unknown section [ftp]"));
    EXPECT_THAT(errorOf("[Expiry]\nWarnDays=30 7 7\n"), HasSubstr("7 is listed twice"));
    EXPECT_THAT(errorOf("[Expiry]\nWarnDays=30 soon\n"), HasSubstr("\"soon\" is not a number of days"));
    EXPECT_THAT(errorOf("[Expiry]\nRenewDays=-1\n"), HasSubstr("RenewDays="));
    EXPECT_THAT(errorOf("[Expiry]\nRenewDays=900\n"), HasSubstr("0 (no renewal) to 825"));
}

} // namespace
} // namespace certd
