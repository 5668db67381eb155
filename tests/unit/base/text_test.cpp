#include "base/clock.h"
#include "base/text.h"

#include <gtest/gtest.h>

namespace certd {
namespace {

TEST(Text, KeepsValidUtf8)
{
    EXPECT_EQ(toValidUtf8("plain"), "plain");
    EXPECT_EQ(toValidUtf8("Müller Ω 😀"), "Müller Ω 😀");
}

TEST(Text, ReplacesInvalidSequencesAndNuls)
{
    EXPECT_EQ(toValidUtf8(std::string("a\xFF" "b")), "a\xEF\xBF\xBD" "b");
    EXPECT_EQ(toValidUtf8(std::string("a\0b", 3)), "a\xEF\xBF\xBD" "b");
    EXPECT_EQ(toValidUtf8("\xC3"), "\xEF\xBF\xBD");             // truncated
    EXPECT_EQ(toValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD"); // overlong
    EXPECT_EQ(toValidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // surrogate
}

TEST(Text, FormatsUtcTime)
{
    EXPECT_EQ(formatUtcTime(0), "1970-01-01 00:00:00 UTC");
    EXPECT_EQ(formatUtcTime(1'800'000'000), "2027-01-15 08:00:00 UTC");
}

TEST(Text, Hex)
{
    const unsigned char bytes[] = {0x00, 0xAB, 0x7F};
    EXPECT_EQ(toHex(bytes, 3), "00ab7f");
}

} // namespace
} // namespace certd
