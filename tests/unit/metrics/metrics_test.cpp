// The Prometheus text: escaping (a table), the families and their samples,
// and the file writer that coalesces updates and never blocks its caller.
#include "metrics/metrics_file.h"
#include "metrics/metrics_text.h"
#include "temp_dir.h"

#include <sys/stat.h>

#include <condition_variable>
#include <mutex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsText, LabelValuesAreEscapedAsTheFormatRequires)
{
    const std::pair<std::string, std::string> rows[] = {
        {"plain CA", "plain CA"},
        {"a \"quoted\" CA", "a \\\"quoted\\\" CA"},
        {"back\\slash", "back\\\\slash"},
        {"two\nlines", "two\\nlines"},
        {"\\\"\n", "\\\\\\\"\\n"},
        {"M\xC3\xBCnchen {x=\"1\"}", "M\xC3\xBCnchen {x=\\\"1\\\"}"},
        {"", ""},
    };
    for (const auto& [value, escaped] : rows)
        EXPECT_EQ(escapeLabelValue(value), escaped) << value;
}

MetricsSnapshot snapshotOf(std::vector<WatchedCertificate> certificates, std::int64_t now)
{
    MetricsSnapshot snapshot;
    snapshot.now = now;
    snapshot.forEachCertificate = [certificates](const ExpiryChecker::Sources::Visit& visit) {
        for (const auto& certificate : certificates)
            visit(certificate);
    };
    snapshot.trustStoreCertificates = 1;
    snapshot.renewalFailures = {{"https", 2}, {"postgresql", 0}};
    return snapshot;
}

TEST(MetricsText, EachFamilyIsWholeWithItsHelpTypeAndSamples)
{
    const auto text = renderMetrics(snapshotOf(
        {{WatchedCertificate::Kind::Ca, "", "Old \"CA\"", "aa", 100, 1000, false, false},
         {WatchedCertificate::Kind::Host, "https", "probe.example.com", "bb", 200, 3000, true, false}},
        2000));
    EXPECT_EQ(text.substr(0, text.find("# HELP certd_trust_store_certificates")),
              "# HELP certd_certificate_not_after_seconds End of a certificate's validity, seconds since the Unix "
              "epoch.\n"
              "# TYPE certd_certificate_not_after_seconds gauge\n"
              "certd_certificate_not_after_seconds{kind=\"ca\",service=\"\",fingerprint=\"aa\",common_name=\"Old "
              "\\\"CA\\\"\"} 1000\n"
              "certd_certificate_not_after_seconds{kind=\"host\",service=\"https\",fingerprint=\"bb\",common_name="
              "\"probe.example.com\"} 3000\n"
              "# HELP certd_certificate_not_before_seconds Start of a certificate's validity, seconds since the "
              "Unix epoch.\n"
              "# TYPE certd_certificate_not_before_seconds gauge\n"
              "certd_certificate_not_before_seconds{kind=\"ca\",service=\"\",fingerprint=\"aa\",common_name=\"Old "
              "\\\"CA\\\"\"} 100\n"
              "certd_certificate_not_before_seconds{kind=\"host\",service=\"https\",fingerprint=\"bb\",common_name="
              "\"probe.example.com\"} 200\n"
              "# HELP certd_certificate_expired 1 when the certificate has expired, else 0.\n"
              "# TYPE certd_certificate_expired gauge\n"
              "certd_certificate_expired{kind=\"ca\",service=\"\",fingerprint=\"aa\",common_name=\"Old "
              "\\\"CA\\\"\"} 1\n"
              "certd_certificate_expired{kind=\"host\",service=\"https\",fingerprint=\"bb\",common_name="
              "\"probe.example.com\"} 0\n");
    EXPECT_THAT(text, HasSubstr("# TYPE certd_trust_store_certificates gauge\ncertd_trust_store_certificates 1\n"));
    EXPECT_THAT(text, HasSubstr("# TYPE certd_renewal_failures_total counter\n"
                                "certd_renewal_failures_total{service=\"https\"} 2\n"
                                "certd_renewal_failures_total{service=\"postgresql\"} 0\n"));
    EXPECT_THAT(text, Not(HasSubstr("certd_last_check_timestamp_seconds"))) << "no check yet: no sample";
}

TEST(MetricsText, ACertificateExpiresAtItsNotAfter)
{
    for (const auto& [now, expired] : std::vector<std::pair<std::int64_t, bool>>{{999, false}, {1000, true}}) {
        auto snapshot = snapshotOf({{WatchedCertificate::Kind::Ca, "", "CA", "aa", 0, 1000, false, false}}, now);
        snapshot.lastCheck = now;
        const auto text = renderMetrics(snapshot);
        EXPECT_THAT(text, HasSubstr(std::string("common_name=\"CA\"} ") + (expired ? "1" : "0") + "\n")) << now;
        EXPECT_THAT(text, HasSubstr("certd_last_check_timestamp_seconds " + std::to_string(now) + "\n"));
    }
}

// Reports of the writer's worker, awaited by the test.
class Reports {
public:
    MetricsFile::Written written()
    {
        return [this](const std::string& error) {
            std::lock_guard lock(mutex_);
            errors_.push_back(error);
            arrived_.notify_all();
        };
    }
    std::vector<std::string> waitFor(std::size_t count)
    {
        std::unique_lock lock(mutex_);
        arrived_.wait_for(lock, 30s, [&] { return errors_.size() >= count; });
        return errors_;
    }

private:
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<std::string> errors_;
};

TEST(MetricsFileTest, ABurstOfUpdatesIsCoalescedAndTheLastOneWins)
{
    test::TempDir dir;
    Reports reports;
    std::mutex mutex;
    std::condition_variable changed;
    bool started = false, release = false;
    int renderings = 0;
    MetricsFile file(dir / "textfile", reports.written());
    for (std::size_t i = 1; i <= 1000; ++i) {
        auto snapshot = snapshotOf({}, 0);
        snapshot.trustStoreCertificates = i;
        // Every rendering is counted; the first one holds the worker until
        // the burst is over, so the other 999 updates arrive while it writes.
        snapshot.forEachCertificate = [&](const ExpiryChecker::Sources::Visit&) {
            std::unique_lock lock(mutex);
            ++renderings;
            started = true;
            changed.notify_all();
            changed.wait_for(lock, 30s, [&] { return release; });
        };
        file.update(std::move(snapshot));
        if (i == 1) {
            std::unique_lock lock(mutex);
            ASSERT_TRUE(changed.wait_for(lock, 30s, [&] { return started; }));
        }
    }
    {
        std::lock_guard lock(mutex);
        release = true;
        changed.notify_all();
    }
    const auto errors = reports.waitFor(2);
    EXPECT_EQ(errors, (std::vector<std::string>{"", ""}));
    {
        std::lock_guard lock(mutex);
        EXPECT_EQ(renderings, 2) << "1000 updates while one write ran: that one and the latest";
    }
    EXPECT_THAT(test::readTextFile(file.file()), HasSubstr("certd_trust_store_certificates 1000\n"));
    struct stat info {};
    ASSERT_EQ(stat(file.file().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 07777, 0644u);
}

TEST(MetricsFileTest, AFailedWriteIsReportedAndCertdsLeftoversAloneAreRemoved)
{
    test::TempDir dir;
    const auto directory = dir / "textfile";
    std::filesystem::create_directories(directory);
    test::writeTextFile(directory / ".certd.prom.abc123.tmp", "half");
    test::writeTextFile(directory / ".other.prom.abc123.tmp", "someone else's");
    test::writeTextFile(directory / "node.prom", "other_metric 1\n");
    Reports reports;
    {
        MetricsFile file(directory, reports.written());
        EXPECT_FALSE(std::filesystem::exists(directory / ".certd.prom.abc123.tmp"));
        EXPECT_TRUE(std::filesystem::exists(directory / ".other.prom.abc123.tmp"));
        std::filesystem::create_directory(file.file()); // a directory where the file goes
        file.update(snapshotOf({}, 0));
        const auto errors = reports.waitFor(1);
        ASSERT_EQ(errors.size(), 1u);
        EXPECT_THAT(errors.front(), HasSubstr("certd.prom"));
    }
    EXPECT_EQ(test::readTextFile(directory / "node.prom"), "other_metric 1\n");
}

} // namespace
} // namespace certd
