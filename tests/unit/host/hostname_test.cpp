#include "host/hostname.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using ::testing::HasSubstr;

// labels of the given lengths joined by dots, e.g. {3, 2} -> "aaa.bb"
std::string nameOfLabels(std::initializer_list<std::size_t> lengths)
{
    std::string name;
    char letter = 'a';
    for (const auto length : lengths) {
        if (!name.empty())
            name += '.';
        name += std::string(length, letter);
        letter = letter == 'z' ? 'a' : static_cast<char>(letter + 1);
    }
    return name;
}

TEST(Hostname, AcceptsValidNames)
{
    for (const char* name : {"probe", "p", "probe.example.com", "Probe.Example.COM", "a-b.c-d.example",
                             "xn--mller-kva.example", "a1.b2", "1probe.example", "probe.123abc", "42.example",
                             "0-0.example"})
        EXPECT_EQ(whyNotAHostname(name), "") << name;
}

TEST(Hostname, LabelsOfUpTo63AndNamesOfUpTo253CharactersAreValid)
{
    EXPECT_EQ(whyNotAHostname(std::string(63, 'a')), "");
    EXPECT_EQ(whyNotAHostname(nameOfLabels({63, 7})), "");
    const auto longest = nameOfLabels({63, 63, 63, 61});
    ASSERT_EQ(longest.size(), 253u);
    EXPECT_EQ(whyNotAHostname(longest), "");
}

TEST(Hostname, RefusesAnEmptyName)
{
    EXPECT_EQ(whyNotAHostname(""), "it is empty");
}

TEST(Hostname, RefusesNamesLongerThan253Characters)
{
    const auto tooLong = nameOfLabels({63, 63, 63, 62});
    ASSERT_EQ(tooLong.size(), 254u);
    EXPECT_EQ(whyNotAHostname(tooLong), "it is longer than 253 characters");
    EXPECT_EQ(whyNotAHostname(std::string(300, 'a')), "it is longer than 253 characters");
}

TEST(Hostname, RefusesLabelsLongerThan63Characters)
{
    const std::string label(64, 'x');
    EXPECT_EQ(whyNotAHostname(label + ".example"), "the label \"" + label + "\" is longer than 63 characters");
    EXPECT_EQ(whyNotAHostname("probe." + label), "the label \"" + label + "\" is longer than 63 characters");
}

TEST(Hostname, RefusesCharactersOtherThanLettersDigitsAndHyphens)
{
    EXPECT_EQ(whyNotAHostname("bad_host.example"),
              "the label \"bad_host\" has characters other than letters, digits and '-'");
    for (const char* name : {"probe.exa mple", "probe!", "*.example.com", "probe.example.com/x", "m\xc3\xbcller.example",
                             "probe:443", "user@probe"})
        EXPECT_THAT(whyNotAHostname(name), HasSubstr("has characters other than letters, digits and '-'")) << name;
}

TEST(Hostname, RefusesLabelsStartingOrEndingWithAHyphen)
{
    EXPECT_EQ(whyNotAHostname("-lead.example"), "the label \"-lead\" starts or ends with '-'");
    EXPECT_EQ(whyNotAHostname("probe.trail-.example"), "the label \"trail-\" starts or ends with '-'");
    EXPECT_EQ(whyNotAHostname("-"), "the label \"-\" starts or ends with '-'");
}

TEST(Hostname, RefusesEmptyLabels)
{
    for (const char* name : {"a..b", ".example", "probe.example.", "."})
        EXPECT_EQ(whyNotAHostname(name), "it has an empty label") << name;
}

TEST(Hostname, RefusesIpAddresses)
{
    for (const char* address : {"192.0.2.1", "127.0.0.1", "::1", "2001:db8::1"})
        EXPECT_EQ(whyNotAHostname(address), "it is an IP address, not a host name") << address;
}

TEST(Hostname, RefusesAnAllDigitLastLabel)
{
    for (const char* name : {"host.123", "123", "1.2.3.4.5", "256.1.1.1", "probe.example.0"})
        EXPECT_EQ(whyNotAHostname(name), "its last label is all digits") << name;
}

TEST(IpAddress, RecognisesIpv4)
{
    for (const char* address : {"192.0.2.1", "0.0.0.0", "255.255.255.255", "10.0.0.1"})
        EXPECT_TRUE(isIpAddress(address)) << address;
}

TEST(IpAddress, RecognisesIpv6)
{
    for (const char* address : {"::", "::1", "2001:db8::1", "2001:DB8:0:0:0:0:0:1", "fe80::1", "::ffff:192.0.2.1"})
        EXPECT_TRUE(isIpAddress(address)) << address;
}

TEST(IpAddress, RefusesEverythingElse)
{
    for (const char* text : {"", "example.com", "10.0.0", "1.2.3.4.5", "256.1.1.1", " 10.0.0.1", "10.0.0.1 ",
                             "10.0.0.1/24", "[::1]", "2001:db8::1::2", "fe80::1%eth0", "2001:db8::g", "localhost"})
        EXPECT_FALSE(isIpAddress(text)) << text;
}

TEST(CertificateName, AcceptsHostNames)
{
    EXPECT_EQ(whyNotACertificateName("probe"), "");
    EXPECT_EQ(whyNotACertificateName("Probe.Example.com"), "");
}

TEST(CertificateName, AcceptsALeadingWildcardLabel)
{
    EXPECT_EQ(whyNotACertificateName("*.example.com"), "");
    EXPECT_EQ(whyNotACertificateName("*.apps.Example.COM"), "");
}

TEST(CertificateName, AcceptsIpAddresses)
{
    EXPECT_EQ(whyNotACertificateName("192.0.2.1"), "");
    EXPECT_EQ(whyNotACertificateName("2001:db8::1"), "");
    EXPECT_EQ(whyNotACertificateName("::1"), "");
}

TEST(CertificateName, RefusesWildcardsAnywhereButTheWholeFirstLabel)
{
    EXPECT_THAT(whyNotACertificateName("*.*.example.com"), HasSubstr("the label \"*\" has characters"));
    EXPECT_THAT(whyNotACertificateName("a.*.example.com"), HasSubstr("the label \"*\" has characters"));
    EXPECT_THAT(whyNotACertificateName("w*.example.com"), HasSubstr("the label \"w*\" has characters"));
    EXPECT_THAT(whyNotACertificateName("*example.com"), HasSubstr("the label \"*example\" has characters"));
    EXPECT_THAT(whyNotACertificateName("*"), HasSubstr("the label \"*\" has characters"));
}

TEST(CertificateName, AppliesTheHostNameRulesAfterTheWildcard)
{
    EXPECT_EQ(whyNotACertificateName(""), "it is empty");
    EXPECT_EQ(whyNotACertificateName("*."), "it is empty");
    EXPECT_EQ(whyNotACertificateName("*.192.0.2.1"), "it is an IP address, not a host name");
    EXPECT_EQ(whyNotACertificateName("*.bad_label.example"),
              "the label \"bad_label\" has characters other than letters, digits and '-'");
    EXPECT_EQ(whyNotACertificateName("not valid!"),
              "the label \"not valid!\" has characters other than letters, digits and '-'");
    EXPECT_EQ(whyNotACertificateName("host.123"), "its last label is all digits");
    EXPECT_EQ(whyNotACertificateName("*.-x.example"), "the label \"-x\" starts or ends with '-'");
}

TEST(CertificateName, RefusesAWildcardForAWholeTopLevelDomain)
{
    EXPECT_NE(whyNotACertificateName("*.com"), "");
    EXPECT_EQ(whyNotACertificateName("*.example.com"), "");
}

TEST(IpAddress, CanonicalForm)
{
    EXPECT_EQ(canonicalIpAddress("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
    EXPECT_EQ(canonicalIpAddress("192.0.2.7"), "192.0.2.7");
    EXPECT_EQ(canonicalIpAddress("not an address"), "not an address");
}

TEST(ShortName, IsTheFirstLabelOfADottedName)
{
    EXPECT_EQ(shortName("probe.example.com"), "probe");
    EXPECT_EQ(shortName("probe.example"), "probe");
    EXPECT_EQ(shortName("Probe.Example.com"), "Probe"); // no case change
}

TEST(ShortName, IsEmptyWithoutADot)
{
    EXPECT_EQ(shortName("probe"), "");
    EXPECT_EQ(shortName(""), "");
}

TEST(ToLower, LowersAsciiLettersOnly)
{
    EXPECT_EQ(toLower("Probe.EXAMPLE.com"), "probe.example.com");
    EXPECT_EQ(toLower("already-lower.1"), "already-lower.1");
    EXPECT_EQ(toLower("ABC-123_XYZ"), "abc-123_xyz");
    EXPECT_EQ(toLower(""), "");
    EXPECT_EQ(toLower("M\xc3\x9cLLER"), "m\xc3\x9cller"); // UTF-8 bytes are left alone
}

TEST(CurrentHostname, IsLowercase)
{
    const auto name = currentHostname();
    EXPECT_FALSE(name.empty());
    EXPECT_EQ(name, toLower(name));
}

} // namespace
} // namespace certd
