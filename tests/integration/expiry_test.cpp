// Expiry monitoring with the real daemon, moved forward in time with
// libfaketime: signals with the right arguments, exactly once, across
// restarts; renewal of generated host certificates; the timer's command.
#include "certd_fixture.h"
#include "x509/certificate_details.h"
#include "process.h"
#include "test_paths.h"

#include <gmock/gmock.h>

#include <fstream>
#include <sstream>

namespace certd::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

// The certificate's own notAfter: recomputing it from now() later may land a second off.
std::int64_t notAfterOf(const TestCertificate& certificate)
{
    return toUnixTime(*X509_get0_notAfter(certificate.cert.get()));
}

TestCertificate caExpiringIn(const std::string& name, std::int64_t seconds)
{
    CertificateSpec spec;
    spec.subject = {{"CN", name}};
    spec.notBefore = now() - 400 * day;
    spec.notAfter = now() + seconds;
    return makeCertificate(spec);
}

// The report as "<common name> <days left>" lines, sorted.
std::vector<std::string> summarize(const std::vector<sdbus::Struct<sdbus::ObjectPath, std::string, std::string, int64_t, int32_t>>& report)
{
    std::vector<std::string> lines;
    for (const auto& entry : report)
        lines.push_back(std::get<1>(entry) + " " + std::get<2>(entry) + " " + std::to_string(std::get<4>(entry)));
    std::sort(lines.begin(), lines.end());
    return lines;
}

class ExpiryTest : public CertdFixture {
protected:
    ExpiryTest()
        : expired(caExpiringIn("Expired CA", -10 * day - 3600))
        , in20Days(caExpiringIn("CA expiring in 20 days", 20 * day + 3600))
        , in50Days(caExpiringIn("CA expiring in 50 days", 50 * day + 3600))
        , in400Days(caExpiringIn("CA expiring in 400 days", 400 * day + 3600))
    {
        std::filesystem::create_directories(caStore());
        for (const auto* ca : {&expired, &in20Days, &in50Days, &in400Days})
            writeTextFile(caStore() / (ca->fingerprint() + ".pem"), ca->pem());
    }

    CertdOptions options() override
    {
        auto result = CertdFixture::options();
        if (!fakeOffset_.empty()) {
            const auto library = libfaketime();
            EXPECT_FALSE(library.empty()) << "libfaketimeMT.so.1 not found: is the faketime package installed?";
            result.extraEnvironment = {"LD_PRELOAD=" + library, "FAKETIME=" + fakeOffset_,
                                       "FAKETIME_DONT_FAKE_MONOTONIC=1"};
        }
        return result;
    }

    // Restarts certd as if the clock were offset ahead ("+45d").
    void restartAt(const std::string& offset)
    {
        stop();
        fakeOffset_ = offset;
        start();
    }

    // Every expiry signal received, as "<member> <common name> [days left]", in order.
    std::vector<std::string> expirySignals(const SignalRecorder& signals)
    {
        std::vector<std::string> seen;
        for (const auto& s : signals.all()) {
            if (s.member == "CertificateExpired")
                seen.push_back("Expired " + s.arguments.at(1));
            else if (s.member == "CertificateExpiring")
                seen.push_back("Expiring " + s.arguments.at(1) + " " + s.arguments.at(3));
        }
        return seen;
    }

    // Signals arrive in order: once this marker's signal is in, any expiry
    // signal caused before it is in too.
    void drain(SignalRecorder& signals)
    {
        CertificateSpec spec; // valid whatever the daemon's clock says
        spec.subject = {{"CN", "Marker " + std::to_string(markers_++)}};
        spec.notBefore = now() - day;
        spec.notAfter = now() + 3000 * day;
        const auto marker = makeCertificate(spec);
        import(marker);
        ASSERT_TRUE(signals.waitFor([&](const auto& s) {
            return s.member == "InterfacesAdded" && s.arguments.at(0) == caPath(marker);
        }));
    }

    TestCertificate expired, in20Days, in50Days, in400Days;
    std::string fakeOffset_;
    int markers_ = 0;
};

TEST_F(ExpiryTest, AnnouncesEachExpiredOrExpiringCertificateOnce)
{
    SignalRecorder signals(bus_);
    EXPECT_THAT(summarize(manager_->CheckExpiry()),
                ElementsAre("ca CA expiring in 20 days 20", "ca Expired CA -11"));
    drain(signals);
    EXPECT_THAT(expirySignals(signals), UnorderedElementsAre("Expired Expired CA", "Expiring CA expiring in 20 days 20"));

    const auto expiredSignal = signals.waitFor("CertificateExpired");
    ASSERT_TRUE(expiredSignal);
    EXPECT_EQ(expiredSignal->arguments.at(0), caPath(expired));
    EXPECT_EQ(expiredSignal->arguments.at(2), std::to_string(notAfterOf(expired)));
    EXPECT_THAT(certd_->log(), HasSubstr("MESSAGE_ID=a37aaf2f11784510964e7b948c7d44f0"));
    EXPECT_THAT(certd_->log(), HasSubstr("MESSAGE_ID=5ff58168d63a42298ee7e3a5c2559f5d"));

    // The next daily run, and a restart: nothing new to say.
    manager_->CheckExpiry();
    restart();
    SignalRecorder afterRestart(bus_);
    manager_->CheckExpiry();
    drain(afterRestart);
    EXPECT_TRUE(expirySignals(afterRestart).empty());
    EXPECT_EQ(expirySignals(signals).size(), 2u);
}

TEST_F(ExpiryTest, MovingForwardInTimeAnnouncesTheNextThresholdsAndRenews)
{
    manager_->CheckExpiry(); // the present is announced and remembered
    // Read now: a restart replaces the connection a proxy would use.
    const auto httpsBefore = HostProxy(*connection_, "https").Fingerprint();
    const auto httpsNotAfter = HostProxy(*connection_, "https").NotAfter();
    const auto httpsName = HostProxy(*connection_, "https").CommonName();

    restartAt("+45d");
    SignalRecorder signals(bus_);
    EXPECT_THAT(summarize(manager_->CheckExpiry()),
                ElementsAre("ca CA expiring in 20 days -25", "ca CA expiring in 50 days 5", "ca Expired CA -56"));
    drain(signals);
    // 30 and 7 days were both crossed while certd was off: only the 7-day warning.
    EXPECT_THAT(expirySignals(signals),
                UnorderedElementsAre("Expired CA expiring in 20 days", "Expiring CA expiring in 50 days 5"));

    restartAt("+371d"); // the generated https certificate (397 days) has less than 26 left
    SignalRecorder later(bus_);
    const auto report = summarize(manager_->CheckExpiry());
    EXPECT_THAT(report, ::testing::Contains("ca CA expiring in 400 days 29"));
    EXPECT_THAT(report, ::testing::Contains("host " + httpsName + " 25")); // 397 days from an hour ago
    const auto renewed = later.waitFor("HostCertificateChanged", 30s);
    ASSERT_TRUE(renewed) << certd_->log();
    EXPECT_EQ(renewed->arguments.at(0), "https");
    HostProxy httpsNow(*connection_, "https");
    EXPECT_NE(httpsNow.Fingerprint(), httpsBefore);
    EXPECT_GT(httpsNow.NotAfter(), httpsNotAfter + 300 * day);
    EXPECT_EQ(httpsNow.Origin(), "generated");
    EXPECT_THAT(certd_->log(), HasSubstr("MESSAGE_ID=d4d0594c385f4434a5cb03fc7686b856"));
    drain(later);
    // Renewed, not announced; the CA inside its 30-day window is announced.
    const auto seen = expirySignals(later);
    EXPECT_THAT(seen, ::testing::Contains("Expiring CA expiring in 400 days 29"));
    for (const auto& line : seen)
        EXPECT_THAT(line, ::testing::Not(HasSubstr(httpsName))) << line;
}

// A renewal that cannot be written (the service directory replaced by a
// symbolic link, which certd refuses to write through): said with
// RenewalFailed and a journal entry, announced as any certificate, tried
// again at every check, and renewed once the cause is gone.
TEST_F(ExpiryTest, AFailedRenewalIsSaidAnnouncedAndTriedAgain)
{
    manager_->CheckExpiry();
    const auto metrics = dir_ / "metrics" / "certd.prom";
    config_ = "[Metrics]\nTextfileDirectory=" + metrics.parent_path().string() + "\n";
    restartAt("+371d"); // the generated https certificate (397 days) has less than 26 left
    HostProxy https(*connection_, "https");
    const auto before = https.Fingerprint();
    const auto name = https.CommonName();
    const std::filesystem::path directory = std::filesystem::path(https.CertificatePath()).parent_path();
    std::filesystem::rename(directory, dir_ / "moved-https");
    std::filesystem::create_directory_symlink(dir_ / "moved-https", directory);

    const auto expiring = "Expiring " + name + " 25";
    SignalRecorder failing(bus_);
    manager_->CheckExpiry(); // renewal starts: nothing to announce
    const auto failed = failing.waitFor("RenewalFailed", 30s);
    ASSERT_TRUE(failed) << certd_->log();
    EXPECT_EQ(failed->arguments.at(0), bus::hostObjectPath("https"));
    EXPECT_EQ(failed->arguments.at(1), "https");
    EXPECT_THAT(failed->arguments.at(2), HasSubstr("symbolic link"));
    EXPECT_THAT(certd_->log(), HasSubstr("MESSAGE_ID=b53a97c9075e4193b7422cb8f2f7b633"));
    EXPECT_TRUE(waitForText(metrics, "certd_renewal_failures_total{service=\"https\"} 1\n", 10s));
    EXPECT_EQ(HostProxy(*connection_, "https").Fingerprint(), before);
    drain(failing);
    EXPECT_THAT(expirySignals(failing), ::testing::Not(::testing::Contains(expiring)));

    // Now it needs a person: announced (once), and tried again at each check.
    for (const bool firstTime : {true, false}) {
        SignalRecorder retried(bus_);
        manager_->CheckExpiry();
        ASSERT_TRUE(retried.waitFor("RenewalFailed", 30s)) << "the renewal was not tried again";
        drain(retried);
        if (firstTime)
            EXPECT_THAT(expirySignals(retried), ::testing::Contains(expiring));
        else
            EXPECT_THAT(expirySignals(retried), ::testing::Not(::testing::Contains(expiring)));
    }

    std::filesystem::remove(directory);
    std::filesystem::rename(dir_ / "moved-https", directory);
    SignalRecorder repaired(bus_);
    manager_->CheckExpiry();
    const auto renewed = repaired.waitFor("HostCertificateChanged", 30s);
    ASSERT_TRUE(renewed) << certd_->log();
    EXPECT_NE(HostProxy(*connection_, "https").Fingerprint(), before);
    EXPECT_TRUE(waitForText(metrics, "certd_renewal_failures_total{service=\"https\"} 3\n", 10s));
    // Expired as certd's clock (moved forward) sees it.
    EXPECT_TRUE(waitForText(metrics, "common_name=\"CA expiring in 20 days\"} 1\n", 10s));
}

// Generated host certificates cannot outlive the appliance CA (ten years):
// it is announced like every other certificate, and the message says what to do.
TEST_F(ExpiryTest, TheApplianceCaIsAnnouncedBeforeItExpiresNamingTheFix)
{
    const auto name = manager_->ApplianceCACommonName();
    const auto daysLeft = (manager_->ApplianceCANotAfter() - now()) / day;
    ASSERT_GT(daysLeft, 3600);
    restartAt("+" + std::to_string(daysLeft - 20) + "d");
    SignalRecorder signals(bus_);
    const auto report = manager_->CheckExpiry();
    const auto entry = std::find_if(report.begin(), report.end(),
                                    [](const auto& e) { return std::get<0>(e) == sdbus::ObjectPath(managerPath); });
    ASSERT_NE(entry, report.end()) << "the appliance CA is not in the report";
    EXPECT_EQ(std::get<1>(*entry), "appliance-ca");
    EXPECT_EQ(std::get<2>(*entry), name);
    EXPECT_GE(std::get<4>(*entry), 19);
    EXPECT_LE(std::get<4>(*entry), 20);
    const auto announced = signals.waitFor(
        [](const auto& s) { return s.member == "CertificateExpiring" && s.arguments.at(0) == managerPath; }, 10s);
    ASSERT_TRUE(announced);
    EXPECT_EQ(announced->arguments.at(1), name);
    EXPECT_TRUE(waitForText(certd_->logFile(), "rotate it (certctl rotate-appliance-ca)", 10s));
    EXPECT_THAT(summarize(manager_->ListExpiring(30)), ::testing::Contains(HasSubstr("appliance-ca " + name)));
}

TEST_F(ExpiryTest, ListExpiringIsReadOnlyAndOpenToEveryone)
{
    SignalRecorder signals(bus_);
    // The widest window (30 days) by default, soonest first, as an unprivileged user.
    const auto listed = runCommand({"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "busctl",
                                    "--address=" + bus_.address(), "--json=short", "call", certdName, managerPath,
                                    bus::managerInterface, "ListExpiring", "u", "0"});
    ASSERT_EQ(listed.exitCode, 0) << listed.err;
    EXPECT_THAT(listed.out, HasSubstr("Expired CA"));
    EXPECT_THAT(listed.out, HasSubstr("CA expiring in 20 days"));
    EXPECT_THAT(listed.out, ::testing::Not(HasSubstr("50 days")));
    EXPECT_LT(listed.out.find("Expired CA"), listed.out.find("in 20 days"));
    EXPECT_THAT(summarize(manager_->ListExpiring(60)),
                ElementsAre("ca CA expiring in 20 days 20", "ca CA expiring in 50 days 50", "ca Expired CA -11"));
    // Nothing announced, nothing remembered: CheckExpiry still announces.
    EXPECT_EQ(signals.count("CertificateExpiring") + signals.count("CertificateExpired"), 0u);
    manager_->CheckExpiry();
    EXPECT_TRUE(signals.waitFor("CertificateExpired"));
}

class UploadedExpiryTest : public ExpiryTest {};

TEST_F(UploadedExpiryTest, AnUploadedCertificateIsAnnouncedNeverReplaced)
{
    const auto own = makeCa("Own CA");
    auto spec = serverSpec("uploaded.example.com", own);
    spec.notAfter = now() + 60 * day + 3600;
    const auto leaf = makeCertificate(spec);
    HostProxy(*connection_, "postgresql").Upload(bytesOf(leaf.pem()), bytesOf(leaf.keyPem()));

    restartAt("+55d");
    SignalRecorder signals(bus_);
    manager_->CheckExpiry();
    drain(signals);
    EXPECT_THAT(expirySignals(signals), ::testing::Contains("Expiring uploaded.example.com 5"));
    EXPECT_EQ(HostProxy(*connection_, "postgresql").Fingerprint(), leaf.fingerprint());
    EXPECT_EQ(signals.count("HostCertificateChanged"), 0u);
}

TEST_F(ExpiryTest, ReloadAlsoChecks)
{
    manager_->CheckExpiry();
    SignalRecorder signals(bus_);
    const auto soon = caExpiringIn("Dropped in, expiring in 3 days", 3 * day + 3600);
    writeTextFile(caStore() / "dropped.pem", soon.pem());
    manager_->Reload();
    const auto expiring = signals.waitFor("CertificateExpiring");
    ASSERT_TRUE(expiring);
    EXPECT_THAT(expiring->arguments, ElementsAre(caPath(soon), "Dropped in, expiring in 3 days",
                                                 std::to_string(notAfterOf(soon)), "3"));
}

TEST_F(ExpiryTest, CheckExpiryIsForAdministratorsOnly)
{
    const auto asNobody = runCommand({"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "busctl",
                                      "--address=" + bus_.address(), "call", certdName, managerPath,
                                      bus::managerInterface, "CheckExpiry"});
    EXPECT_NE(asNobody.exitCode, 0);
    EXPECT_THAT(asNobody.err, HasSubstr("Only root may check certificates for expiry"));
}

// The exact ExecStart= of the shipped timer's service.
std::vector<std::string> timerCommand()
{
    std::ifstream unit(sourceDirectory() / "systemd" / "certd-expiry-check.service");
    std::string line;
    while (std::getline(unit, line)) {
        if (!line.starts_with("ExecStart="))
            continue;
        std::istringstream words(line.substr(10));
        std::vector<std::string> argv;
        for (std::string word; words >> word;)
            argv.push_back(word);
        return argv;
    }
    return {};
}

TEST_F(ExpiryTest, TheTimersCommandRunsTheCheck)
{
    const auto command = timerCommand();
    ASSERT_THAT(command, ::testing::Contains("CheckExpiry"));
    SignalRecorder signals(bus_);
    const auto result = runCommand(command, {bus_.systemBusEnvironment()});
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_THAT(result.out, HasSubstr("a(ossxi) 2"));
    EXPECT_TRUE(signals.waitFor("CertificateExpired"));
    EXPECT_TRUE(signals.waitFor("CertificateExpiring"));
}

} // namespace
} // namespace certd::test
