#include "host/service_directory.h"
#include "temp_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

class ServiceDirectoryRules : public ::testing::Test {
protected:
    std::filesystem::path make(const std::string& name, mode_t mode, uid_t owner = 0)
    {
        const auto path = dir / name;
        std::filesystem::create_directories(path);
        ::chmod(path.c_str(), mode);
        EXPECT_EQ(::chown(path.c_str(), owner, static_cast<gid_t>(-1)), 0);
        return path;
    }

    test::TempDir dir;
};

TEST_F(ServiceDirectoryRules, OwnOrMissingDirectoriesAreFine)
{
    EXPECT_THAT(whyNotAServiceDirectory(make("own", 0700)), IsEmpty());
    EXPECT_THAT(whyNotAServiceDirectory(make("readable", 0755)), IsEmpty()); // certd narrows it
    EXPECT_THAT(whyNotAServiceDirectory(dir / "missing" / "deeper"), IsEmpty());
    EXPECT_THAT(whyNotAServiceDirectory(make("sticky", 01777) / "inside"), IsEmpty());
    EXPECT_THAT(whyNotAServiceDirectory(make("slash", 0700).string() + "/"), IsEmpty());
}

TEST_F(ServiceDirectoryRules, WhatCouldBeSwappedOrRedirectedIsRefused)
{
    const auto target = make("target", 01777);
    std::filesystem::create_directory_symlink(target, dir / "link");
    EXPECT_THAT(whyNotAServiceDirectory(dir / "link"), HasSubstr("is a symbolic link"));
    EXPECT_THAT(whyNotAServiceDirectory(make("nobodys", 0755, 65534)), HasSubstr("belongs to uid 65534"));
    EXPECT_THAT(whyNotAServiceDirectory(make("shared", 0777) / "certd"),
                HasSubstr("may be changed by users other than its owner (mode 0777 without the sticky bit)"));
    EXPECT_THAT(whyNotAServiceDirectory(make("groupwritable", 0775) / "a" / "b"), HasSubstr("mode 0775"));
    EXPECT_THAT(whyNotAServiceDirectory(make("tmp", 01777)), HasSubstr("is writable by others (mode 1777)"));
    EXPECT_THAT(whyNotAServiceDirectory("/tmp"), HasSubstr("a shared directory"));
    test::writeTextFile(dir / "file", "x");
    EXPECT_THAT(whyNotAServiceDirectory(dir / "file"), HasSubstr("is not a directory"));
}

TEST(ServiceDirectoriesApart, SameOrNestedDirectoriesClash)
{
    struct Case {
        const char* one;
        const char* other;
        const char* why; // empty: apart
    };
    const Case cases[] = {
        {"/srv/a", "/srv/b", ""},
        {"/srv/a", "/srv/ab", ""},
        {"/srv/a", "/srv/a", "the same directory"},
        {"/srv/a/", "/srv/./a", "the same directory"},
        {"/srv/a/b", "/srv/a", "/srv/a/b lies inside /srv/a"},
        {"/srv", "/srv/a/b", "/srv/a/b lies inside /srv"},
        {"/srv/a/../b", "/srv/b", "the same directory"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.one) + " vs " + c.other);
        if (*c.why)
            EXPECT_THAT(whyNotApart(c.one, c.other), HasSubstr(c.why));
        else
            EXPECT_THAT(whyNotApart(c.one, c.other), IsEmpty());
    }
}

TEST(ServiceDirectoriesApart, DefaultsAndTheStateDirectorysOwnPartsCount)
{
    const StateLayout layout{"/var/lib/certd"};
    EXPECT_THAT(whyServiceDirectoriesClash({{"https", "/var/lib/certd/https"}, {"postgresql", "/var/lib/certd/postgresql"}},
                                           layout),
                IsEmpty());
    EXPECT_THAT(whyServiceDirectoriesClash({{"https", "/var/lib/certd/postgresql"}, {"postgresql", "/var/lib/certd/postgresql"}},
                                           layout),
                HasSubstr("[https] and [postgresql] need directories of their own"));
    EXPECT_THAT(whyServiceDirectoriesClash({{"https", "/var/lib/certd/ca"}}, layout), HasSubstr("the CA store"));
    EXPECT_THAT(whyServiceDirectoriesClash({{"https", "/var/lib/certd/private/x"}}, layout),
                HasSubstr("certd's private directory"));
    EXPECT_THAT(whyServiceDirectoriesClash({{"https", "/var/lib/certd/trust"}}, layout), HasSubstr("trust outputs"));
    EXPECT_THAT(whyServiceDirectoriesClash({{"https", "/var/lib/certd"}}, layout), HasSubstr("the state directory itself"));
}

} // namespace
} // namespace certd
