#include "base/error.h"
#include "config/config.h"
#include "temp_dir.h"
#include "refusal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string errorOf(const std::string& text)
{
    const auto refusal = test::refusalOf([&] { parseConfig(text, "/etc/certd/certd.conf"); });
    EXPECT_EQ(refusal.code, ErrorCode::InvalidConfiguration);
    return refusal.refused ? refusal.message : "(accepted)";
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
    EXPECT_THAT(errorOf("[Access]\n\nAdminGroup=no-such-group-here\n"),
                AllOf(StartsWith("/etc/certd/certd.conf:3: "), HasSubstr("AdminGroup="),
                      HasSubstr("no group named \"no-such-group-here\"")));
}

TEST(Config, UnknownSectionIsAnError)
{
    EXPECT_THAT(errorOf("[Acess]\nAdminGroup=root\n"), StartsWith("/etc/certd/certd.conf:2: unknown section [Acess]"));
}

TEST(Config, UnknownKeyIsAnError)
{
    EXPECT_THAT(errorOf("[Access]\nAdminGroup=root\nAdminUser=root\n"), HasSubstr(":3: unknown key AdminUser="));
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
    EXPECT_THAT(errorOf("[Access]\nAdminGroup\n"), HasSubstr(":2: not a section header, key=value line"));
}

TEST(Config, MissingFileIsFineUnlessRequired)
{
    test::TempDir dir;
    EXPECT_NO_THROW(loadConfig(dir / "absent.conf", false));
    EXPECT_THROW(loadConfig(dir / "absent.conf", true), Error);
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


// -------- [ApplianceCA] --------

TEST(ConfigApplianceCa, CommonNameAndKeyTypeAreTaken)
{
    const auto config = parseConfig("[ApplianceCA]\nCommonName=Probe 42 Appliance CA\nKeyType=ec-p384\n", "x.conf");
    EXPECT_EQ(config.applianceCa.commonName, "Probe 42 Appliance CA");
    EXPECT_EQ(config.applianceCa.keyType, KeyType::EcP384);
}

TEST(ConfigApplianceCa, EveryKeyTypeNameIsAccepted)
{
    const std::vector<std::pair<std::string, KeyType>> types = {
        {"ec-p256", KeyType::EcP256},   {"ec-p384", KeyType::EcP384},   {"rsa-2048", KeyType::Rsa2048},
        {"rsa-3072", KeyType::Rsa3072}, {"rsa-4096", KeyType::Rsa4096},
    };
    for (const auto& [name, type] : types)
        EXPECT_EQ(parseConfig("[ApplianceCA]\nKeyType=" + name + "\n", "x.conf").applianceCa.keyType, type) << name;
}

TEST(ConfigApplianceCa, AnInvalidKeyTypeListsTheValidNames)
{
    EXPECT_THAT(errorOf("[ApplianceCA]\nKeyType=ed25519\n"),
                AllOf(HasSubstr(":2: "), HasSubstr("\"ed25519\" for KeyType="),
                      HasSubstr("ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096")));
    for (const char* name : {"EC-P256", "rsa", "rsa-1024", "p256", ""})
        EXPECT_THAT(errorOf("[ApplianceCA]\nKeyType=" + std::string(name) + "\n"),
                    HasSubstr("for KeyType= in section [ApplianceCA]: must be one of ec-p256, ec-p384, rsa-2048, "
                              "rsa-3072, rsa-4096"))
            << name;
}

TEST(ConfigApplianceCa, AnEmptyCommonNameIsRefused)
{
    EXPECT_THAT(errorOf("[ApplianceCA]\nCommonName=\n"), AllOf(HasSubstr(":2: "), HasSubstr("CommonName="),
                                                                 HasSubstr("1 to 64 characters")));
}

TEST(ConfigApplianceCa, CommonNameIsAtMost64Characters)
{
    const std::string longest(64, 'c');
    EXPECT_EQ(parseConfig("[ApplianceCA]\nCommonName=" + longest + "\n", "x.conf").applianceCa.commonName, longest);
    EXPECT_THAT(errorOf("[ApplianceCA]\nCommonName=" + longest + "c\n"),
                HasSubstr(":2: invalid value \"" + longest + "c\" for CommonName= in section [ApplianceCA]: must be "
                          "1 to 64 characters"));
}

TEST(ConfigApplianceCa, UnknownKeyIsNamed)
{
    EXPECT_THAT(errorOf("[ApplianceCA]\nCommonName=CA\nValidityYears=20\n"), HasSubstr(":3: unknown key ValidityYears="));
}

// -------- [https] and [postgresql] --------

TEST(ConfigServices, DefaultsHaveBothServicesWithEmptySettings)
{
    const auto config = parseConfig("", "x.conf");
    ASSERT_EQ(config.services.size(), 2u);
    for (const char* name : {"https", "postgresql"}) {
        ASSERT_TRUE(config.services.contains(name)) << name;
        const auto& service = config.services.at(name);
        EXPECT_TRUE(service.directory.empty()) << name;
        EXPECT_EQ(service.keyGroupName, "") << name;
        EXPECT_FALSE(service.keyGroup) << name;
        EXPECT_EQ(service.reloadUnit, "") << name;
    }
    EXPECT_EQ(config.applianceCa.commonName, "");
    EXPECT_EQ(config.applianceCa.keyType, KeyType::EcP256);
}

TEST(ConfigServices, AMissingFileHasTheSameDefaults)
{
    test::TempDir dir;
    const auto config = loadConfig(dir / "absent.conf", false);
    ASSERT_EQ(config.services.size(), 2u);
    EXPECT_TRUE(config.services.contains("https"));
    EXPECT_TRUE(config.services.contains("postgresql"));
}

TEST(ConfigServices, EachSectionSetsOnlyItsService)
{
    const auto config = parseConfig("[postgresql]\nDirectory=/var/lib/certd/pg\nKeyGroup=root\n"
                                    "ReloadUnit=postgresql@15-main.service\n",
                                    "x.conf");
    EXPECT_EQ(config.services.at("postgresql").directory, "/var/lib/certd/pg");
    EXPECT_EQ(config.services.at("postgresql").keyGroupName, "root");
    EXPECT_EQ(config.services.at("postgresql").keyGroup, 0u);
    EXPECT_EQ(config.services.at("postgresql").reloadUnit, "postgresql@15-main.service");
    const auto& https = config.services.at("https");
    EXPECT_TRUE(https.directory.empty());
    EXPECT_FALSE(https.keyGroup);
    EXPECT_EQ(https.reloadUnit, "");
}

TEST(ConfigServices, TwoServicesCannotShareADirectory)
{
    EXPECT_THAT(errorOf("[https]\nDirectory=/srv/certs\n[postgresql]\nDirectory=/srv/certs/\n"),
                HasSubstr(":4: invalid value \"/srv/certs/\" for Directory= in section [postgresql]: each service "
                          "needs a directory of its own, and [https] has Directory=/srv/certs"));
    EXPECT_THAT(errorOf("[https]\nDirectory=/srv/certs\n[postgresql]\nDirectory=/srv/certs/pg\n"),
                HasSubstr("lies inside"));
}

TEST(ConfigServices, ADirectoryThatIsALinkOrSomeoneElsesIsRefusedWithItsLine)
{
    test::TempDir dir;
    std::filesystem::create_directory_symlink("/tmp", dir / "link");
    EXPECT_THAT(errorOf("[https]\nReloadUnit=nginx.service\nDirectory=" + (dir / "link").string() + "\n"),
                HasSubstr(":3: invalid value \"" + (dir / "link").string() +
                          "\" for Directory= in section [https]: " + (dir / "link").string() + " is a symbolic link"));
    EXPECT_THAT(errorOf("[https]\nDirectory=/tmp\n"), HasSubstr(":2: invalid value \"/tmp\" for Directory= in "
                                                              "section [https]: /tmp is writable by others"));
}

TEST(ConfigServices, AnEmptyDirectoryMeansTheDefault)
{
    EXPECT_TRUE(parseConfig("[https]\nDirectory=\n", "x.conf").services.at("https").directory.empty());
}

TEST(ConfigServices, DirectoryMustBeAbsolute)
{
    EXPECT_EQ(parseConfig("[https]\nDirectory=/etc/nginx/certd\n", "x.conf").services.at("https").directory,
              "/etc/nginx/certd");
    EXPECT_THAT(errorOf("[https]\nDirectory=etc/nginx/certd\n"),
                AllOf(HasSubstr(":2: "), HasSubstr("Directory="), HasSubstr("must be an absolute path")));
    EXPECT_THAT(errorOf("[postgresql]\n\nDirectory=./certd\n"),
                AllOf(HasSubstr(":3: "), HasSubstr("[postgresql]"), HasSubstr("must be an absolute path")));
    EXPECT_THAT(errorOf("[https]\nDirectory=~/certd\n"), HasSubstr("must be an absolute path"));
}

TEST(ConfigServices, KeyGroupIsResolved)
{
    const auto config = parseConfig("[https]\nKeyGroup=root\n", "x.conf");
    EXPECT_EQ(config.services.at("https").keyGroupName, "root");
    ASSERT_TRUE(config.services.at("https").keyGroup);
    EXPECT_EQ(*config.services.at("https").keyGroup, 0u);

    const auto empty = parseConfig("[https]\nKeyGroup=\n", "x.conf");
    EXPECT_EQ(empty.services.at("https").keyGroupName, "");
    EXPECT_FALSE(empty.services.at("https").keyGroup);
}

TEST(ConfigServices, AnUnknownKeyGroupIsRefused)
{
    EXPECT_THAT(errorOf("[https]\nKeyGroup=no-such-group-here\n"),
                AllOf(HasSubstr(":2: "), HasSubstr("KeyGroup="), HasSubstr("no group named \"no-such-group-here\"")));
    EXPECT_THAT(errorOf("[postgresql]\nKeyGroup=no-such-group-here\n"),
                HasSubstr("for KeyGroup= in section [postgresql]: no group named \"no-such-group-here\" exists"));
}

TEST(ConfigServices, ReloadUnitMustBeAServiceUnit)
{
    for (const char* unit : {"nginx.service", "postgresql@15-main.service", "a.service", "my_app:x\\x2d.service", ""}) {
        const auto config = parseConfig("[https]\nReloadUnit=" + std::string(unit) + "\n", "x.conf");
        EXPECT_EQ(config.services.at("https").reloadUnit, unit);
    }
    EXPECT_THAT(errorOf("[https]\nReloadUnit=nginx\n"),
                AllOf(HasSubstr(":2: "), HasSubstr("ReloadUnit="), HasSubstr("not a systemd service unit name")));
    for (const char* unit : {".service", "nginx.socket", "nginx.service.d", "../nginx.service", "ng inx.service",
                             "nginx.service;reboot", "/nginx.service"})
        EXPECT_THAT(errorOf("[postgresql]\nReloadUnit=" + std::string(unit) + "\n"),
                    HasSubstr("for ReloadUnit= in section [postgresql]: not a systemd service unit name"))
            << unit;
}

TEST(ConfigServices, UnknownKeyNamesFileAndLine)
{
    EXPECT_THAT(errorOf("[https]\nDirectory=/srv/certd\nCertificateFile=/srv/cert.pem\n"),
                HasSubstr(":3: unknown key CertificateFile="));
    EXPECT_THAT(errorOf("[postgresql]\n# comment\n\nkeygroup=root\n"), HasSubstr(":4: unknown key keygroup="));
}

TEST(ConfigServices, SectionNamesAreExact)
{
    EXPECT_THAT(errorOf("[HTTPS]\nDirectory=/srv\n"), HasSubstr(":2: unknown section [HTTPS]"));
    EXPECT_THAT(errorOf("[postgres]\nDirectory=/srv\n"), HasSubstr(":2: unknown section [postgres]"));
}

TEST(ConfigServices, AKeySetTwiceIsRefused)
{
    EXPECT_THAT(errorOf("[https]\nReloadUnit=nginx.service\nReloadUnit=apache2.service\n"),
                HasSubstr("certd.conf:3: key ReloadUnit= in section [https] is set twice"));
    // The same key in the other service's section is not a repeat.
    EXPECT_NO_THROW(parseConfig("[https]\nReloadUnit=nginx.service\n[postgresql]\nReloadUnit=postgresql.service\n",
                                "x.conf"));
}

TEST(ConfigServices, LoadsAFileWithAllSections)
{
    test::TempDir dir;
    test::writeTextFile(dir / "certd.conf", "[ApplianceCA]\nCommonName=File CA\nKeyType=rsa-2048\n\n"
                                            "[https]\nDirectory=/etc/nginx/certd\nReloadUnit=nginx.service\n");
    const auto config = loadConfig(dir / "certd.conf", true);
    EXPECT_EQ(config.applianceCa.commonName, "File CA");
    EXPECT_EQ(config.applianceCa.keyType, KeyType::Rsa2048);
    EXPECT_EQ(config.services.at("https").directory, "/etc/nginx/certd");
    EXPECT_EQ(config.services.at("https").reloadUnit, "nginx.service");

    test::writeTextFile(dir / "bad.conf", "[https]\nReloadUnit=nginx\n");
    try {
        loadConfig(dir / "bad.conf", true);
        FAIL() << "accepted";
    } catch (const Error& error) {
        EXPECT_THAT(error.what(), StartsWith((dir / "bad.conf").string() + ":2: invalid value \"nginx\""));
    }
}

TEST(Config, OverlapDaysAreANumberOfDaysUpToTenYears)
{
    EXPECT_EQ(parseConfig("", "x.conf").applianceCa.overlapDays, 90u);
    EXPECT_EQ(parseConfig("[ApplianceCA]\nOverlapDays=0\n", "x.conf").applianceCa.overlapDays, 0u);
    EXPECT_EQ(parseConfig("[ApplianceCA]\nOverlapDays=3650\n", "x.conf").applianceCa.overlapDays, 3650u);
    for (const char* value : {"3651", "-1", "90d", "", "99999"})
        EXPECT_THAT(errorOf(std::string("[ApplianceCA]\nOverlapDays=") + value + "\n"), HasSubstr("0 (hand out"))
            << value;
}

TEST(Config, MetricsAreOffUnlessATextfileDirectoryIsGiven)
{
    EXPECT_TRUE(parseConfig("", "x.conf").metrics.textfileDirectory.empty());
    EXPECT_EQ(parseConfig("[Metrics]\nTextfileDirectory=/var/lib/prometheus/node-exporter\n", "x.conf")
                  .metrics.textfileDirectory,
              "/var/lib/prometheus/node-exporter");
    EXPECT_THAT(errorOf("[Metrics]\nTextfileDirectory=relative/dir\n"),
                AllOf(StartsWith("/etc/certd/certd.conf:2: "), HasSubstr("must be an absolute path")));
}

TEST(ConfigAcme, IsOffByDefaultAndTakesEveryKey)
{
    EXPECT_FALSE(parseConfig("", "x.conf").acme.enabled());
    const auto acme = parseConfig("[ACME]\nDirectoryURL=https://ca.example/dir\nEmail=admin@example.com\n"
                                  "AgreeToTermsOfService=yes\nExternalAccountKeyID=kid-1\n"
                                  "ExternalAccountHMACKey=zWNDZM6eQGHW-_\nProxy=http://proxy.example:3128\n"
                                  "Challenge=dns-01\nWebroot=/srv/www\nDNSHook=/usr/libexec/certd/dns-hook-nsupdate\n",
                                  "x.conf")
                          .acme;
    EXPECT_TRUE(acme.enabled());
    EXPECT_EQ(acme.directoryUrl, "https://ca.example/dir");
    EXPECT_EQ(acme.email, "admin@example.com");
    EXPECT_TRUE(acme.agreeToTermsOfService);
    EXPECT_EQ(acme.eabKeyId, "kid-1");
    EXPECT_EQ(acme.eabHmacKey, "zWNDZM6eQGHW-_");
    EXPECT_EQ(acme.proxy, "http://proxy.example:3128");
    EXPECT_EQ(acme.challenge, "dns-01");
    EXPECT_EQ(acme.webroot, "/srv/www");
    EXPECT_EQ(acme.dnsHook, "/usr/libexec/certd/dns-hook-nsupdate");
}

TEST(ConfigAcme, InvalidValuesAreRefusedWithTheirRule)
{
    const std::pair<const char*, const char*> rows[] = {
        {"DirectoryURL=http://ca.example/dir", "https:// URL"},
        {"DirectoryURL=https://", "https:// URL"},
        {"DirectoryURL=https://ca.example/a dir", "https:// URL"},
        {"Email=admin", "e-mail address"},
        {"Email=@example.com", "e-mail address"},
        {"AgreeToTermsOfService=sure", "yes or no"},
        {"ExternalAccountHMACKey=abc+/=", "base64url"},
        {"Proxy=proxy.example:3128", "proxy URL"},
        {"Proxy=ftp://proxy.example", "proxy URL"},
        {"Challenge=tls-alpn-01", "http-01 or dns-01"},
        {"Webroot=www", "absolute path"},
        {"DNSHook=hook.sh", "absolute path"},
    };
    for (const auto& [line, rule] : rows)
        EXPECT_THAT(errorOf(std::string("[ACME]\n") + line + "\n"),
                    AllOf(StartsWith("/etc/certd/certd.conf:2: "), HasSubstr(rule)))
            << line;
}

} // namespace
} // namespace certd
