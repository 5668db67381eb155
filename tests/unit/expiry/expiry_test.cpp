#include "base/error.h"
#include "expiry/expiry.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

namespace certd {
namespace {

constexpr std::int64_t day = secondsPerDay;
constexpr std::int64_t notAfter = 2'000'000'000;

std::int64_t daysBefore(double days)
{
    return notAfter - static_cast<std::int64_t>(days * day);
}

TEST(Expiry, DaysLeftRoundDownAndGoNegative)
{
    EXPECT_EQ(daysLeft(notAfter, daysBefore(30)), 30);
    EXPECT_EQ(daysLeft(notAfter, daysBefore(29.9)), 29);
    EXPECT_EQ(daysLeft(notAfter, daysBefore(0.5)), 0);
    EXPECT_EQ(daysLeft(notAfter, notAfter), -1);
    EXPECT_EQ(daysLeft(notAfter, notAfter + 1), -1);
    EXPECT_EQ(daysLeft(notAfter, notAfter + day), -1);
    EXPECT_EQ(daysLeft(notAfter, notAfter + day + 1), -2);
}

TEST(Expiry, UrgencyIsTheSmallestWindowEntered)
{
    const ExpiryPolicy policy;
    EXPECT_FALSE(urgencyOf(notAfter, daysBefore(31), policy));
    EXPECT_EQ(urgencyOf(notAfter, daysBefore(30), policy), 30);
    EXPECT_EQ(urgencyOf(notAfter, daysBefore(7.5), policy), 30);
    EXPECT_EQ(urgencyOf(notAfter, daysBefore(7), policy), 7);
    EXPECT_EQ(urgencyOf(notAfter, daysBefore(0.2), policy), 1);
    EXPECT_EQ(urgencyOf(notAfter, notAfter, policy), expiredLevel);
    EXPECT_EQ(urgencyOf(notAfter, notAfter + 100 * day, policy), expiredLevel);
}

class AnnouncementLogTest : public ::testing::Test {
protected:
    std::optional<Announcement> at(double daysLeftNow, const std::string& fingerprint = "aa")
    {
        return log.check(fingerprint, notAfter, daysBefore(daysLeftNow), policy);
    }

    ExpiryPolicy policy;
    AnnouncementLog log;
};

TEST_F(AnnouncementLogTest, EachThresholdIsAnnouncedOnce)
{
    EXPECT_FALSE(at(40));
    const auto first = at(29.5);
    ASSERT_TRUE(first);
    EXPECT_FALSE(first->expired);
    EXPECT_EQ(first->threshold, 30);
    EXPECT_EQ(first->daysLeft, 29);
    EXPECT_FALSE(at(28.5)); // the next daily run
    EXPECT_FALSE(at(8));
    ASSERT_TRUE(at(6.5));
    EXPECT_EQ(at(6.5 - 1e-3), std::nullopt);
    ASSERT_TRUE(at(0.9));
    const auto expired = at(-0.1);
    ASSERT_TRUE(expired);
    EXPECT_TRUE(expired->expired);
    EXPECT_EQ(expired->daysLeft, -1);
    EXPECT_FALSE(at(-1.5)); // expired is announced once
}

TEST_F(AnnouncementLogTest, SeveralCrossingsAtOnceGiveOneAnnouncementOfTheMostUrgent)
{
    const auto announcement = at(3); // 30 and 7 crossed while the appliance was off
    ASSERT_TRUE(announcement);
    EXPECT_EQ(announcement->threshold, 7);
    EXPECT_FALSE(at(2.9));
    const auto expired = at(-10); // 1 and expiry crossed at once
    ASSERT_TRUE(expired);
    EXPECT_TRUE(expired->expired);
}

TEST_F(AnnouncementLogTest, AClockGoingBackwardsRepeatsNothing)
{
    ASSERT_TRUE(at(5));
    EXPECT_FALSE(at(20)); // the clock jumped back
    EXPECT_FALSE(at(5));  // and forward again
    EXPECT_TRUE(at(0.5)); // a new threshold still counts
}

TEST_F(AnnouncementLogTest, AReplacedCertificateStartsAfresh)
{
    ASSERT_TRUE(at(5, "old"));
    log.keepOnly({"new"});
    EXPECT_TRUE(at(5, "new"));
    EXPECT_TRUE(at(5, "old")); // forgotten once it was gone
}

TEST_F(AnnouncementLogTest, SurvivesARestartAndSavesOnlyChanges)
{
    test::TempDir dir;
    const auto file = dir / "announced.json";
    ASSERT_TRUE(at(5));
    EXPECT_TRUE(log.changed());
    log.save(file);
    EXPECT_FALSE(log.changed());
    auto reloaded = AnnouncementLog::load(file);
    EXPECT_FALSE(reloaded.check("aa", notAfter, daysBefore(4), policy));
    EXPECT_TRUE(reloaded.check("aa", notAfter, daysBefore(0.5), policy));

    std::filesystem::remove(file);
    reloaded.save(file);
    EXPECT_TRUE(std::filesystem::exists(file));
    auto unchanged = AnnouncementLog::load(file);
    std::filesystem::remove(file);
    unchanged.save(file); // nothing changed: nothing written
    EXPECT_FALSE(std::filesystem::exists(file));
}

TEST_F(AnnouncementLogTest, ADamagedFileMeansNothingWasAnnounced)
{
    test::TempDir dir;
    test::writeTextFile(dir / "announced.json", "{not json");
    auto damaged = AnnouncementLog::load(dir / "announced.json");
    EXPECT_TRUE(damaged.check("aa", notAfter, daysBefore(5), policy));
}

TEST_F(AnnouncementLogTest, ThresholdsFollowThePolicy)
{
    policy.warnDays = {14};
    EXPECT_FALSE(at(20));
    EXPECT_EQ(at(13)->threshold, 14);
    policy.warnDays = {};
    EXPECT_FALSE(at(0.5, "bb"));
    EXPECT_TRUE(at(-1, "bb")->expired);
}

TEST(Expiry, RenewalWindow)
{
    ExpiryPolicy policy; // RenewDays=30
    const std::int64_t notBefore = notAfter - 397 * day;
    EXPECT_FALSE(dueForRenewal(notBefore, notAfter, daysBefore(31), policy));
    EXPECT_TRUE(dueForRenewal(notBefore, notAfter, daysBefore(30), policy));
    EXPECT_TRUE(dueForRenewal(notBefore, notAfter, notAfter + day, policy));
    // A 20-day certificate is renewed at half its life, not every day.
    EXPECT_FALSE(dueForRenewal(notAfter - 20 * day, notAfter, daysBefore(19), policy));
    EXPECT_TRUE(dueForRenewal(notAfter - 20 * day, notAfter, daysBefore(10), policy));
    policy.renewDays = 0;
    EXPECT_FALSE(dueForRenewal(notBefore, notAfter, notAfter + day, policy));
}

TEST(Expiry, WarnDaysParsing)
{
    EXPECT_EQ(parseWarnDays("30 7 1"), (std::vector<unsigned>{30, 7, 1}));
    EXPECT_EQ(parseWarnDays(" 1  60 14 "), (std::vector<unsigned>{60, 14, 1}));
    EXPECT_TRUE(parseWarnDays("").empty());
    EXPECT_THROW(parseWarnDays("30 x"), Error);
    EXPECT_THROW(parseWarnDays("0"), Error);
    EXPECT_THROW(parseWarnDays("-3"), Error);
    EXPECT_THROW(parseWarnDays("7 7"), Error);
    EXPECT_THROW(parseWarnDays("4000"), Error);
}

} // namespace
} // namespace certd
