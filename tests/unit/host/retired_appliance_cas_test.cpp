// The record of retired appliance CAs and what clients are handed during
// the overlap: its boundaries, the order, and a damaged record.
#include "base/error.h"
#include "host/retired_appliance_cas.h"
#include "refusal.h"
#include "temp_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using ::testing::HasSubstr;

const std::string current = "-----BEGIN CERTIFICATE-----\nCURRENT\n-----END CERTIFICATE-----\n";
const std::string older = "-----BEGIN CERTIFICATE-----\nOLDER\n-----END CERTIFICATE-----\n";
const std::string old = "-----BEGIN CERTIFICATE-----\nOLD\n-----END CERTIFICATE-----\n";
constexpr std::int64_t day = 86400;

RetiredApplianceCas twoRotations()
{
    return {{{older, "older", 1000 * day}, {old, "old", 1050 * day}}, true};
}

TEST(RetiredApplianceCas, EachIsHandedOutUntilItsOverlapEndsTheNewestFirst)
{
    const auto retired = twoRotations();
    const std::pair<std::int64_t, std::string> rows[] = {
        {1050 * day, current + old + older},
        {1090 * day - 1, current + old + older},
        {1090 * day, current + old}, // the older one's 90 days are over
        {1140 * day - 1, current + old},
        {1140 * day, current},
    };
    for (const auto& [now, expected] : rows)
        EXPECT_EQ(applianceCaBundle(current, "current", retired, now, 90), expected) << now / day;
    EXPECT_EQ(applianceCaBundle(current, "current", retired, 1050 * day, 0), current) << "no overlap";
    EXPECT_EQ(applianceCaBundle(current, "old", retired, 1050 * day, 90), current + older)
        << "the current CA is never given twice";
}

TEST(RetiredApplianceCas, TheRecordIsReadBackAndADamagedOneIsMovedAside)
{
    auto retired = twoRotations();
    retired.reissued = false;
    const auto parsed = parseRetiredRecord(retiredRecord(retired));
    EXPECT_EQ(retiredRecord(parsed), retiredRecord(retired));
    EXPECT_FALSE(parsed.reissued);

    test::TempDir dir;
    const auto file = dir / "appliance-ca-retired.json";
    std::vector<std::string> notes;
    EXPECT_TRUE(loadRetired(file, notes).cas.empty());
    saveRetired(file, retired);
    EXPECT_EQ(loadRetired(file, notes).cas.size(), 2u);
    EXPECT_TRUE(notes.empty());
    test::writeTextFile(file, R"({"version": 1, "retired": [{"certificate": "x"}], "reissued": true})");
    const auto damaged = loadRetired(file, notes);
    EXPECT_TRUE(damaged.cas.empty());
    EXPECT_TRUE(damaged.reissued);
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_THAT(notes.front(), HasSubstr("is damaged"));
    EXPECT_TRUE(std::filesystem::exists(file.string() + ".damaged"));
}

} // namespace
} // namespace certd
