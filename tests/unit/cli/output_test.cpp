#include "output.h"

#include <gtest/gtest.h>

#include <sstream>

namespace certd::cli {
namespace {

constexpr std::int64_t reference = 1'795'701'600; // Thu 2026-11-26 14:00:00 UTC
constexpr std::int64_t day = 86400;

TEST(CliOutput, DatesAsPeopleReadThem)
{
    EXPECT_EQ(humanDate(reference + 364 * day, reference), "Thu 2027-11-25 14:00:00 UTC (in 364 days)");
    EXPECT_EQ(humanDate(reference, reference), "Thu 2026-11-26 14:00:00 UTC (now)");
    EXPECT_EQ(isoDate(reference), "2026-11-26T14:00:00Z");
}

TEST(CliOutput, RelativeTimeTable)
{
    const struct {
        std::int64_t delta;
        const char* text;
    } cases[] = {
        {0, "now"},          {59, "now"},           {-59, "now"},
        {60, "in 1 minute"}, {3599, "in 59 minutes"}, {3600, "in 1 hour"},
        {2 * day - 1, "in 47 hours"}, {2 * day, "in 2 days"}, {-day, "24 hours ago"},
        {-3 * day, "3 days ago"}, {365 * day, "in 365 days"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(relativeTime(reference + c.delta, reference), c.text) << c.delta;
}

TEST(CliOutput, ControlCharactersNeverReachTheTerminal)
{
    EXPECT_EQ(printable("Example CA"), "Example CA");
    EXPECT_EQ(printable("Müller"), "Müller");
    EXPECT_EQ(printable("evil\x1b[2Jname"), "evil\\x1b[2Jname");
    EXPECT_EQ(printable("a\nb\tc\x7f"), "a\\x0ab\\x09c\\x7f");
    EXPECT_EQ(printable("a\nb", true), "a\nb");
    // C1 controls in UTF-8 (U+009B, CSI) and bytes that are not UTF-8.
    EXPECT_EQ(printable("x\xc2\x9b" "2Jy"), "x\\xc2\\x9b2Jy");
    EXPECT_EQ(printable("x\x9b" "2J"), "x\\x9b2J");
    EXPECT_EQ(printable("\xc3"), "\\xc3");
    EXPECT_EQ(printable("\xc2\xa0\xe2\x82\xac"), "\xc2\xa0\xe2\x82\xac"); // NBSP, euro sign
}

TEST(CliOutput, TableAlignsColumnsByDisplayWidth)
{
    Table table({"ID", "NAME"});
    table.add({"1", "Müller"});
    table.add({"22", "x\x1b"});
    std::ostringstream out;
    table.print(out, true);
    EXPECT_EQ(out.str(), "ID  NAME\n1   Müller\n22  x\\x1b\n");
    std::ostringstream bare;
    table.print(bare, false);
    EXPECT_EQ(bare.str(), "1   Müller\n22  x\\x1b\n");
}

TEST(CliOutput, FieldsRightAlignLabels)
{
    Fields fields;
    fields.add("Common Name", "Example");
    fields.add("Expires", "soon");
    std::ostringstream out;
    fields.print(out);
    EXPECT_EQ(out.str(), "Common Name: Example\n    Expires: soon\n");
}

TEST(CliOutput, JsonDatesCarryEpochAndIso)
{
    nlohmann::json json;
    putDate(json, "NotAfter", reference);
    EXPECT_EQ(json["NotAfter"], reference);
    EXPECT_EQ(json["NotAfterUTC"], "2026-11-26T14:00:00Z");
    std::ostringstream shortForm, pretty;
    printJson(shortForm, json, JsonMode::Short);
    printJson(pretty, json, JsonMode::Pretty);
    EXPECT_EQ(shortForm.str(), "{\"NotAfter\":1795701600,\"NotAfterUTC\":\"2026-11-26T14:00:00Z\"}\n");
    EXPECT_NE(pretty.str().find("\n  \"NotAfter\": 1795701600"), std::string::npos);
}

} // namespace
} // namespace certd::cli
