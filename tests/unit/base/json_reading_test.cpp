#include "trust/details_cache.h"
#include "base/error.h"
#include "expiry/expiry.h"
#include "base/json_reading.h"
#include "temp_dir.h"
#include "refusal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using ::testing::HasSubstr;

std::string errorOf(const std::function<void()>& call)
{
    return test::refusalOf(call).message;
}

std::string nestedCborArrays(std::size_t depth)
{
    return std::string(depth, '\x81') + '\x00'; // [[[...[0]...]]]
}

TEST(JsonReading, DeepNestingIsRefusedBeforeItCanExhaustTheStack)
{
    EXPECT_THAT(errorOf([] { json::parseCbor(nestedCborArrays(100000)); }), HasSubstr("nested deeper than 16"));
    EXPECT_THAT(errorOf([] { json::parseText(std::string(100000, '[')); }), HasSubstr("nested deeper than 16"));
    EXPECT_EQ(json::parseCbor(nestedCborArrays(16)).dump().size(), 33u);
    EXPECT_NO_THROW(json::parseText("[[[[1]]]]"));
}

TEST(JsonReading, LengthsTheDataCannotHoldAreRefused)
{
    // An array claiming 2^32 elements in five bytes.
    EXPECT_THAT(errorOf([] { json::parseCbor(std::string("\x9a\xff\xff\xff\xff", 5)); }),
                HasSubstr("exceeds the data"));
}

TEST(JsonReading, DamagedInputIsAnErrorNotACrash)
{
    EXPECT_FALSE(errorOf([] { json::parseText("{\"a\": "); }).empty());
    EXPECT_FALSE(errorOf([] { json::parseCbor(std::string("\xa1", 1)); }).empty());
    EXPECT_FALSE(errorOf([] { json::parseText(""); }).empty());
}

TEST(JsonReading, IntegersAreTakenOnlyWhenTheyAreIntegersThatFit)
{
    struct Case {
        const char* text;
        bool fitsInt;
    };
    const Case cases[] = {{"0", true},          {"-1", true},      {"2147483647", true}, {"2147483648", false},
                          {"-2147483649", false}, {"8e+136", false}, {"1.0", false},      {"1.5", false},
                          {"\"7\"", false},      {"true", false},   {"null", false}};
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        const auto value = json::parseText(c.text);
        if (c.fitsInt)
            EXPECT_NO_THROW(json::integer<int>(value));
        else
            EXPECT_THAT(errorOf([&] { json::integer<int>(value); }), HasSubstr("expected"));
    }
    EXPECT_EQ(json::integer<std::uint64_t>(json::parseText("18446744073709551615")), 18446744073709551615ull);
    EXPECT_FALSE(errorOf([] { json::integer<unsigned long>(json::parseText("4.6e25")); }).empty());
    EXPECT_FALSE(errorOf([] { json::integer<unsigned>(json::parseText("-1")); }).empty());
}

// Found by fuzzing: each once reached undefined behaviour or a crash.
TEST(JsonReading, TheAnnouncementLogRefusesAHugeDoubleAsALevel)
{
    test::TempDir dir;
    test::writeTextFile(dir / "log.json", R"({"version": 1, "announced": {"ab": 8e+136}})");
    auto log = AnnouncementLog::load(dir / "log.json");
    EXPECT_FALSE(log.changed());
    ExpiryPolicy policy;
    // Damaged means empty: the certificate is announced afresh.
    EXPECT_TRUE(log.check("ab", 1000, 1000 - 86400, policy));
}

TEST(JsonReading, TheDetailsCacheSurvivesDeepNestingAndHugeNumbers)
{
    test::TempDir dir;
    test::writeTextFile(dir / "cache", nestedCborArrays(100000));
    EXPECT_TRUE(readDetailsCache(dir / "cache").empty());
    // {"version": 3, "certificates": [[4.6e25, ...]]}
    const auto document = json::Json{{"version", 3}, {"certificates", json::Json::array({json::Json::array({4.6e25, 1, 2, json::Json::array()})})}};
    const auto cbor = json::Json::to_cbor(document);
    test::writeTextFile(dir / "cache", std::string(cbor.begin(), cbor.end()));
    EXPECT_TRUE(readDetailsCache(dir / "cache").empty());
}

} // namespace
} // namespace certd
