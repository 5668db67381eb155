// CheckExpiry's rules over a small interface: what is announced, once;
// what is renewed instead; what is reported.
#include "expiry/expiry_checker.h"
#include "temp_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr std::int64_t day = secondsPerDay;
constexpr std::int64_t now = 2'000'000'000;

WatchedCertificate ca(const std::string& fingerprint, double daysLeft)
{
    return {WatchedCertificate::Kind::Ca, {}, "CA " + fingerprint, fingerprint, now - 365 * day,
            now + static_cast<std::int64_t>(daysLeft * day)};
}

WatchedCertificate host(const std::string& service, double daysLeft, std::int64_t lifetimeDays = 397)
{
    const auto notAfter = now + static_cast<std::int64_t>(daysLeft * day);
    return {WatchedCertificate::Kind::Host, service, service + ".example", "fp-" + service,
            notAfter - lifetimeDays * day, notAfter, true};
}

WatchedCertificate uploaded(const std::string& service, double daysLeft)
{
    auto certificate = host(service, daysLeft);
    certificate.renewsItself = false;
    return certificate;
}

class ExpiryCheckerTest : public ::testing::Test {
protected:
    ExpiryChecker checker()
    {
        return ExpiryChecker(policy, dir / "announced.json",
                             {[this](const ExpiryChecker::Sources::Visit& visit) { visitAll(visit); },
                              [this](const std::string& service) {
                                  asked.push_back(service);
                                  return renewable;
                              }});
    }

    void visitAll(const ExpiryChecker::Sources::Visit& visit) const
    {
        for (const auto& certificate : certificates)
            visit(certificate);
    }

    std::vector<std::string> fingerprintsOf(const std::vector<ExpiryChecker::Announced>& announced)
    {
        std::vector<std::string> fingerprints;
        for (const auto& a : announced)
            fingerprints.push_back(a.certificate.fingerprint);
        return fingerprints;
    }

    test::TempDir dir;
    ExpiryPolicy policy;
    std::vector<WatchedCertificate> certificates;
    bool renewable = true;
    std::vector<std::string> asked;
};

TEST_F(ExpiryCheckerTest, AnnouncesEachCrossedThresholdOnceAcrossChecksAndRestarts)
{
    certificates = {ca("far", 90), ca("soon", 20), ca("gone", -2)};
    const auto first = checker().check(now);
    EXPECT_THAT(fingerprintsOf(first.announcements), ElementsAre("soon", "gone"));
    EXPECT_EQ(first.announcements[0].announcement.threshold, 30);
    EXPECT_TRUE(first.announcements[1].announcement.expired);
    EXPECT_EQ(first.report.size(), 2u);
    EXPECT_THAT(first.problem, IsEmpty());

    EXPECT_THAT(checker().check(now + 60).announcements, IsEmpty()); // a new checker: as after a restart
    const auto later = checker().check(now + 14 * day);
    EXPECT_THAT(fingerprintsOf(later.announcements), ElementsAre("soon"));
    EXPECT_EQ(later.announcements[0].announcement.threshold, 7);
}

TEST_F(ExpiryCheckerTest, ForgetsTheRecordsOfCertificatesNoLongerPresentOnly)
{
    auto checking = checker();
    certificates = {ca("kept", 20), ca("deleted", 20), ca("far", 90)};
    EXPECT_THAT(fingerprintsOf(checking.check(now).announcements), ElementsAre("kept", "deleted"));
    certificates = {ca("kept", 20), ca("far", 90)};
    EXPECT_THAT(checking.check(now + 60).announcements, IsEmpty());
    // Imported again: a new certificate as far as announcements go.
    certificates = {ca("kept", 20), ca("deleted", 20), ca("far", 90)};
    EXPECT_THAT(fingerprintsOf(checking.check(now + 120).announcements), ElementsAre("deleted"));
}

TEST_F(ExpiryCheckerTest, AHostCertificateDueForRenewalIsRenewedInsteadOfAnnounced)
{
    certificates = {host("https", 20)};
    const auto result = checker().check(now);
    EXPECT_THAT(asked, ElementsAre("https"));
    EXPECT_THAT(result.renewing, ElementsAre("https"));
    EXPECT_THAT(result.announcements, IsEmpty());
    EXPECT_EQ(result.report.size(), 1u); // still reported as expiring
}

// Each row: the certificate, whether renewing it can start, and what the
// check does about it.
TEST_F(ExpiryCheckerTest, AnnouncedIsOnlyWhatCertdDoesNotRenewByItself)
{
    policy.warnDays = {60, 30, 7};
    const auto failed = [](WatchedCertificate certificate) {
        certificate.renewalFailed = true;
        return certificate;
    };
    const struct {
        const char* what;
        WatchedCertificate certificate;
        bool renewalStarts;
        bool asked;
        bool announced;
    } rows[] = {
        {"generated, in a warning window, not yet due", host("https", 45), true, false, false},
        {"generated, due", host("https", 20), true, true, false},
        {"generated, due, renewal cannot start", host("https", 20), false, true, true},
        {"generated, last renewal failed, due: retried and announced", failed(host("https", 20)), true, true, true},
        {"generated, last renewal failed, not yet due", failed(host("https", 45)), true, false, true},
        {"uploaded, in a warning window", uploaded("https", 45), true, false, true},
        {"uploaded, inside RenewDays", uploaded("https", 20), true, false, true},
        {"a CA", ca("ca", 20), true, false, true},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.what);
        std::filesystem::remove(dir / "announced.json");
        asked.clear();
        renewable = row.renewalStarts;
        certificates = {row.certificate};
        const auto result = checker().check(now);
        EXPECT_EQ(!asked.empty(), row.asked);
        EXPECT_EQ(result.renewing.size(), row.asked && row.renewalStarts ? 1u : 0u);
        EXPECT_EQ(result.announcements.size(), row.announced ? 1u : 0u);
    }
}

TEST_F(ExpiryCheckerTest, WithRenewalSwitchedOffGeneratedCertificatesAreAnnounced)
{
    policy.renewDays = 0;
    certificates = {host("https", 20)};
    const auto result = checker().check(now);
    EXPECT_THAT(asked, IsEmpty());
    EXPECT_THAT(fingerprintsOf(result.announcements), ElementsAre("fp-https"));
}

TEST_F(ExpiryCheckerTest, WhatCannotBeRenewedIsAnnounced)
{
    renewable = false;
    certificates = {host("postgresql", 20)};
    const auto result = checker().check(now);
    EXPECT_THAT(asked, ElementsAre("postgresql"));
    EXPECT_THAT(result.renewing, IsEmpty());
    EXPECT_THAT(fingerprintsOf(result.announcements), ElementsAre("fp-postgresql"));
}

TEST_F(ExpiryCheckerTest, RenewalWaitsForHalfTheLifetimeOfShortLivedCertificates)
{
    // RenewDays=30, but a 30-day certificate is renewed only in its second half.
    certificates = {host("https", 20, 30)};
    EXPECT_THAT(checker().check(now).renewing, IsEmpty());
    certificates = {host("https", 10, 30)};
    EXPECT_THAT(checker().check(now).renewing, ElementsAre("https"));
    EXPECT_THAT(asked, ElementsAre("https"));
}

// ACME's rule (renewAt, a third of the lifetime left) for a 6-day
// certificate: always inside the 7-day warning window, never announced
// while renewal works; renewed only from its renewAt on.
TEST_F(ExpiryCheckerTest, AShortLivedAcmeCertificateIsRenewedAtItsOwnTimeAndNeverAnnounced)
{
    for (const double daysLeft : {5.0, 2.5, 1.5, 0.5}) {
        auto certificate = host("https", daysLeft, 6);
        certificate.renewAt = certificate.notAfter - 2 * day;
        certificates = {certificate};
        asked.clear();
        const auto result = checker().check(now);
        EXPECT_THAT(result.announcements, IsEmpty()) << daysLeft;
        if (daysLeft > 2)
            EXPECT_THAT(asked, IsEmpty()) << daysLeft;
        else
            EXPECT_THAT(result.renewing, ElementsAre("https")) << daysLeft;
    }
}

TEST_F(ExpiryCheckerTest, CaCertificatesAreNeverRenewed)
{
    certificates = {ca("ca", 3)};
    checker().check(now);
    EXPECT_THAT(asked, IsEmpty());
}

TEST_F(ExpiryCheckerTest, ListingWhatExpiresAnnouncesAndRenewsNothing)
{
    certificates = {ca("later", 40), host("https", 3), ca("gone", -1), ca("month", 25)};
    const auto checker = this->checker();
    const auto within = checker.expiring(now, 0); // the widest window: 30 days
    ASSERT_EQ(within.size(), 3u);
    EXPECT_EQ(within[0].certificate.fingerprint, "gone");
    EXPECT_EQ(within[0].daysLeft, -1);
    EXPECT_EQ(within[1].certificate.service, "https");
    EXPECT_EQ(within[2].certificate.fingerprint, "month");
    EXPECT_EQ(checker.expiring(now, 60).size(), 4u);
    EXPECT_EQ(checker.expiring(now, 1).size(), 1u);
    EXPECT_THAT(asked, IsEmpty());
    EXPECT_FALSE(std::filesystem::exists(dir / "announced.json"));
}

TEST_F(ExpiryCheckerTest, AnUnsavedRecordIsAProblemNotAFailure)
{
    certificates = {ca("soon", 20)};
    auto unsaved = ExpiryChecker(policy, dir / "missing" / "announced.json",
                                 {[this](const ExpiryChecker::Sources::Visit& visit) { visitAll(visit); },
                                  [](const std::string&) { return false; }});
    const auto result = unsaved.check(now);
    EXPECT_EQ(result.announcements.size(), 1u);
    EXPECT_THAT(result.problem, HasSubstr("Could not remember what was announced"));
}

} // namespace
} // namespace certd
