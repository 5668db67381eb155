#include "hostname.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using ::testing::HasSubstr;

TEST(HostnameRules, AcceptsDnsNames)
{
    for (const char* name : {"probe", "probe.example.com", "a-b.c-d.example", "xn--mller-kva.example", "a1.b2"})
        EXPECT_EQ(whyNotAHostname(name), "") << name;
    EXPECT_EQ(whyNotAHostname(std::string(63, 'a') + ".example"), "");
}

TEST(HostnameRules, RefusesWhatDnsDoesNot)
{
    EXPECT_THAT(whyNotAHostname(""), HasSubstr("empty"));
    EXPECT_THAT(whyNotAHostname(std::string(254, 'a')), HasSubstr("253"));
    EXPECT_THAT(whyNotAHostname(std::string(64, 'a') + ".example"), HasSubstr("63"));
    EXPECT_THAT(whyNotAHostname("bad_host.example"), HasSubstr("bad_host"));
    EXPECT_THAT(whyNotAHostname("-lead.example"), HasSubstr("starts or ends"));
    EXPECT_THAT(whyNotAHostname("trail-.example"), HasSubstr("starts or ends"));
    EXPECT_THAT(whyNotAHostname("a..b"), HasSubstr("empty label"));
    EXPECT_THAT(whyNotAHostname("probe.example."), HasSubstr("empty label"));
    EXPECT_THAT(whyNotAHostname("192.0.2.1"), HasSubstr("IP address"));
    EXPECT_THAT(whyNotAHostname("host.123"), HasSubstr("all digits"));
    EXPECT_THAT(whyNotAHostname("*.example.com"), HasSubstr("*"));
}

TEST(HostnameRules, CertificateNamesMayBeWildcardsOrAddresses)
{
    EXPECT_EQ(whyNotACertificateName("*.example.com"), "");
    EXPECT_EQ(whyNotACertificateName("192.0.2.1"), "");
    EXPECT_EQ(whyNotACertificateName("2001:db8::1"), "");
    EXPECT_NE(whyNotACertificateName("*.*.example.com"), "");
    EXPECT_NE(whyNotACertificateName("not valid!"), "");
}

TEST(HostnameRules, Addresses)
{
    EXPECT_TRUE(isIpAddress("10.0.0.1"));
    EXPECT_TRUE(isIpAddress("::1"));
    EXPECT_FALSE(isIpAddress("10.0.0"));
    EXPECT_FALSE(isIpAddress("example.com"));
}

TEST(HostnameRules, ShortNameAndCase)
{
    EXPECT_EQ(shortName("probe.example.com"), "probe");
    EXPECT_EQ(shortName("probe"), "");
    EXPECT_EQ(toLower("Probe.EXAMPLE.com"), "probe.example.com");
    EXPECT_EQ(currentHostname(), toLower(currentHostname()));
}

} // namespace
} // namespace certd
