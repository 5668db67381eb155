// Prometheus metrics with the real daemon: certd.prom in the textfile
// directory, rewritten after every change and every check, accepted by
// promtool (Debian's prometheus package), and a directory certd cannot
// write is a reported problem that is retried, never a stopped certd.
#include "certd_fixture.h"
#include "immutable.h"
#include "process.h"

#include <sys/stat.h>

#include <gmock/gmock.h>

namespace certd::test {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// promtool from PATH, or where scripts/install-dependencies.sh puts it.
std::string promtool()
{
    for (const char* candidate : {"/usr/bin/promtool", "/usr/local/bin/promtool"})
        if (std::filesystem::exists(candidate))
            return candidate;
    return {};
}

class MetricsTest : public CertdFixture {
protected:
    MetricsTest() { config_ = "[Metrics]\nTextfileDirectory=" + textfiles().string() + "\n"; }

    std::filesystem::path textfiles() const { return dir_ / "node-exporter"; }
    std::filesystem::path metrics() const { return textfiles() / "certd.prom"; }

    bool waitForMetric(const std::string& line)
    {
        return waitForText(metrics(), line + "\n", 30s, certd_->exitFd());
    }

    void expectPromtoolAccepts()
    {
        const auto tool = promtool();
        ASSERT_FALSE(tool.empty()) << "promtool not found: run scripts/install-dependencies.sh";
        const auto checked = runCommand({"sh", "-c", tool + " check metrics < " + metrics().string()});
        EXPECT_EQ(checked.exitCode, 0) << checked.out << checked.err << readTextFile(metrics());
    }
};

TEST_F(MetricsTest, TheFileFollowsEveryChangeAndCheckAndPromtoolAcceptsIt)
{
    ASSERT_TRUE(waitForMetric("certd_trust_store_certificates 0")) << certd_->log();
    HostProxy https(*connection_, "https");
    const auto host = "certd_certificate_not_after_seconds{kind=\"host\",service=\"https\",fingerprint=\"" +
                      https.Fingerprint() + "\",common_name=\"" + https.CommonName() + "\"} " +
                      std::to_string(https.NotAfter());
    EXPECT_THAT(readTextFile(metrics()), HasSubstr(host + "\n"));
    EXPECT_THAT(readTextFile(metrics()), Not(HasSubstr("certd_last_check_timestamp_seconds")));
    EXPECT_THAT(readTextFile(metrics()), HasSubstr("certd_renewal_failures_total{service=\"https\"} 0\n"));
    struct stat info {};
    ASSERT_EQ(::stat(metrics().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 07777, 0644u);
    expectPromtoolAccepts();

    // A Common Name that would break the format unescaped.
    CertificateSpec spec;
    spec.subject = {{"CN", "Quote \" Backslash \\ CA"}};
    const auto ca = makeCertificate(spec);
    import(ca);
    ASSERT_TRUE(waitForMetric("certd_trust_store_certificates 1"));
    const auto text = readTextFile(metrics());
    EXPECT_THAT(text, HasSubstr("certd_certificate_expired{kind=\"ca\",service=\"\",fingerprint=\"" + ca.fingerprint() +
                                "\",common_name=\"Quote \\\" Backslash \\\\ CA\"} 0\n"));
    expectPromtoolAccepts();

    https.Generate({});
    ASSERT_TRUE(waitForMetric("certd_certificate_not_after_seconds{kind=\"host\",service=\"https\",fingerprint=\"" +
                              https.Fingerprint() + "\",common_name=\"" + https.CommonName() + "\"} " +
                              std::to_string(https.NotAfter())));
    EXPECT_THAT(readTextFile(metrics()), Not(HasSubstr(host)));

    manager_->CheckExpiry();
    ASSERT_TRUE(waitForText(metrics(), "certd_last_check_timestamp_seconds ", 30s, certd_->exitFd()));
    expectPromtoolAccepts();
    for (const auto& entry : std::filesystem::directory_iterator(textfiles()))
        EXPECT_EQ(entry.path().filename(), "certd.prom") << "left over";
}

TEST_F(MetricsTest, ADirectoryCertdCannotWriteIsAProblemThatIsRetried)
{
    ASSERT_TRUE(waitForMetric("certd_trust_store_certificates 0"));
    SignalRecorder signals(bus_);
    {
        Immutable frozen(textfiles());
        if (!frozen.applied())
            GTEST_SKIP() << "chattr +i is not possible here";
        import(makeCa("While immutable"));
        ASSERT_TRUE(signals.waitFor(
            [](const ReceivedSignal& s) { return s.values.contains("Degraded") && s.values.at("Degraded") == "true"; },
            10s));
        EXPECT_THAT(manager_->Problems(), Contains(HasSubstr("metrics: ")));
        EXPECT_THAT(readTextFile(metrics()), HasSubstr("certd_trust_store_certificates 0\n")) << "the old file stays whole";
    }
    ASSERT_TRUE(waitForMetric("certd_trust_store_certificates 1")) << "not retried";
    EXPECT_TRUE(signals.waitFor(
        [](const ReceivedSignal& s) { return s.values.contains("Degraded") && s.values.at("Degraded") == "false"; },
        20s));
}

} // namespace
} // namespace certd::test
