// certctl as an administrator and a script use it: against a certd on a bus
// that enforces the shipped policy, as root and as the unprivileged user
// nobody (with a stand-in polkit). Each test checks what certctl printed,
// its exit status (the documented table of certctl(1)) and certd's state.
#include "certd_fixture.h"
#include "fake_polkit.h"
#include "process.h"
#include "small_tmpfs.h"
#include "terminal.h"
#include "test_keys.h"
#include "test_paths.h"

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace certd::test {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::vector<std::string> asNobody = {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"};

// Exit statuses of certctl(1).
constexpr int usageError = 2;
constexpr int invalidCertificate = 10;
constexpr int notCa = 13;
constexpr int notFound = 15;
constexpr int invalidArgument = 17;
constexpr int accessDenied = 18;
constexpr int keyEncrypted = 20;
constexpr int keyMismatch = 21;
constexpr int wrongPassphrase = 23;
constexpr int acmeFailed = 27;

class CertctlTest : public CertdFixture {
protected:
    CertctlTest()
        : CertdFixture(TestBus::Policy::System, FakePolkit::policy())
        , polkit_(bus_)
    {
    }

    CommandResult certctl(const std::vector<std::string>& arguments, const std::string& input = {},
                          bool unprivileged = false)
    {
        std::vector<std::string> argv = unprivileged ? asNobody : std::vector<std::string>{};
        argv.push_back(certctlBinary().string());
        argv.insert(argv.end(), arguments.begin(), arguments.end());
        return runCommand(argv, {"DBUS_SYSTEM_BUS_ADDRESS=" + bus_.address()}, input);
    }

    CommandResult asNobodyCall(const std::vector<std::string>& arguments) { return certctl(arguments, {}, true); }

    std::string file(const std::string& name, const std::string& content)
    {
        writeTextFile(dir_ / name, content);
        return (dir_ / name).string();
    }

    static nlohmann::json json(const CommandResult& result)
    {
        EXPECT_EQ(result.exitCode, 0) << result.err;
        return nlohmann::json::parse(result.out);
    }

    FakePolkit polkit_;
};

TEST_F(CertctlTest, ImportListShowExportDeleteRoundTrip)
{
    const auto ca = makeCa("Corporate Proxy CA");
    const auto imported = certctl({"import-ca", file("proxy.pem", ca.pem())});
    ASSERT_EQ(imported.exitCode, 0) << imported.err;
    EXPECT_THAT(imported.out,
                AllOf(StartsWith("Imported \"Corporate Proxy CA\""), HasSubstr(ca.fingerprint().substr(0, 12))));
    EXPECT_EQ(caPaths(), std::vector<std::string>{caPath(ca)});

    const auto listed = certctl({"list-cas"});
    EXPECT_THAT(listed.out, AllOf(HasSubstr("FINGERPRINT"), HasSubstr(ca.fingerprint().substr(0, 12)),
                                  HasSubstr("Corporate Proxy CA"), HasSubstr("1 CA certificate listed.")));
    EXPECT_THAT(certctl({"--no-legend", "list-cas"}).out, Not(HasSubstr("FINGERPRINT")));

    const auto shown = json(certctl({"--json=short", "show-ca", ca.fingerprint().substr(0, 8)}));
    EXPECT_EQ(shown["CommonName"], "Corporate Proxy CA");
    EXPECT_EQ(shown["Fingerprint"], ca.fingerprint());
    EXPECT_TRUE(shown.contains("NotAfterUTC"));

    EXPECT_EQ(certctl({"export-ca", "Corporate Proxy CA"}).out, ca.pem());
    const auto derFile = (dir_ / "exported.der").string();
    const auto written = certctl({"export-ca", ca.fingerprint(), "--der", "-o", derFile});
    EXPECT_THAT(written.out, AllOf(HasSubstr("Wrote CA certificate"), HasSubstr("DER")));
    std::ifstream derStream(derFile, std::ios::binary);
    const std::string der((std::istreambuf_iterator<char>(derStream)), {});
    const auto expected = ca.der();
    EXPECT_EQ(der, std::string(expected.begin(), expected.end()));

    const auto deleted = certctl({"delete-ca", ca.fingerprint().substr(0, 12)});
    EXPECT_EQ(deleted.exitCode, 0) << deleted.err;
    EXPECT_THAT(deleted.out, StartsWith("Deleted CA certificate \"Corporate Proxy CA\""));
    EXPECT_TRUE(caPaths().empty());
}

// The whole exchange is in acme_test.cpp; here, certctl's side of a refusal.
TEST_F(CertctlTest, AcmeRequestWithoutAcmeSetUpSaysWhatToConfigure)
{
    const auto result = certctl({"acme-request", "https", "--name=www.example.com"});
    EXPECT_EQ(result.exitCode, acmeFailed) << result.err;
    EXPECT_THAT(result.err, HasSubstr("DirectoryURL="));
    EXPECT_EQ(certctl({"acme-request", "https", "--days=30"}).exitCode, usageError); // the CA decides
}

TEST_F(CertctlTest, ImportFromStandardInputAndAlreadyStoredIsNoFailure)
{
    const auto ca = makeCa("From stdin");
    EXPECT_EQ(certctl({"import-ca", "-"}, ca.pem()).exitCode, 0);
    const auto again = certctl({"import-ca", "-"}, ca.pem());
    EXPECT_EQ(again.exitCode, 0) << again.err;
    EXPECT_THAT(again.out, StartsWith("Already stored: "));
    EXPECT_EQ(caPaths().size(), 1u);
}

TEST_F(CertctlTest, ImportAllReportsEachCertificateAndExitsWithTheFirstRefusal)
{
    const auto first = makeCa("Bundle first");
    const auto second = makeCa("Bundle second");
    CertificateSpec leafSpec = serverSpec("leaf.example", first);
    const auto leaf = makeCertificate(leafSpec);
    const auto bundle = file("bundle.pem", first.pem() + leaf.pem() + second.pem());

    const auto result = certctl({"import-ca", "--all", bundle});
    EXPECT_EQ(result.exitCode, notCa) << result.out << result.err;
    EXPECT_THAT(result.out, AllOf(HasSubstr("Imported \"Bundle first\""), HasSubstr("Imported \"Bundle second\"")));
    EXPECT_THAT(result.err, HasSubstr("Refused: "));
    EXPECT_EQ(caPaths().size(), 2u);

    // Without --all only the first certificate counts.
    restart();
    const auto onlyFirst = certctl({"import-ca", file("second-first.pem", makeCa("Alone").pem() + leaf.pem())});
    EXPECT_EQ(onlyFirst.exitCode, 0) << onlyFirst.err;
    EXPECT_EQ(caPaths().size(), 3u);
}

TEST_F(CertctlTest, LargeFileIsReadWhole)
{
    // A real CA followed by ~200 KB of comments: certd gets it all and takes
    // the first certificate.
    const auto ca = makeCa("Behind a long preamble");
    const auto result = certctl({"import-ca", file("big.pem", ca.pem() + std::string(200 * 1024, '#') + "\n")});
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(caPaths(), std::vector<std::string>{caPath(ca)});
}

TEST_F(CertctlTest, InspectStoresNothingAndSaysWhatIsIgnored)
{
    const auto ca = makeCa("Looked at");
    const auto inspected = certctl({"inspect-ca", file("two.pem", ca.pem() + makeCa("Second").pem())});
    EXPECT_EQ(inspected.exitCode, 0) << inspected.err;
    EXPECT_THAT(inspected.out, AllOf(HasSubstr("Looked at"), HasSubstr("1 further certificate")));
    EXPECT_TRUE(caPaths().empty());

    const auto garbage = certctl({"inspect-ca", "-"}, "not a certificate");
    EXPECT_EQ(garbage.exitCode, invalidCertificate) << garbage.err;
    EXPECT_THAT(garbage.err, StartsWith("certctl: "));
}

TEST_F(CertctlTest, UnknownAndAmbiguousIdsAreNotFoundAndDeleteNothing)
{
    const auto ca = makeCa("Kept");
    import(ca);
    const auto unknown = certctl({"delete-ca", ca.fingerprint(), "0000000000"});
    EXPECT_EQ(unknown.exitCode, notFound) << unknown.err;
    EXPECT_EQ(caPaths().size(), 1u) << "every ID is resolved before anything is deleted";

    const auto tooShort = certctl({"show-ca", ca.fingerprint().substr(0, 4)});
    EXPECT_NE(tooShort.exitCode, 0);
    EXPECT_EQ(certctl({"show-ca", "No such name"}).exitCode, notFound);
}

TEST_F(CertctlTest, UsageErrorsExitWithTwo)
{
    EXPECT_EQ(certctl({"no-such-verb"}).exitCode, usageError);
    EXPECT_EQ(certctl({"generate", "ftp"}).exitCode, usageError);
    EXPECT_EQ(certctl({"--json=yaml", "status"}).exitCode, usageError);
    const auto der = certctl({"export-appliance-ca", "--der"});
    EXPECT_EQ(der.exitCode, 0) << "standard output is a pipe here, not a terminal: " << der.err;
    EXPECT_FALSE(der.out.empty());
}

TEST_F(CertctlTest, GenerateAndUploadAndTheirRefusals)
{
    const auto generated = certctl({"generate", "postgresql", "--hostname=db.example.com", "--key-type=ec-p384",
                                    "--name=db.internal"});
    ASSERT_EQ(generated.exitCode, 0) << generated.err;
    EXPECT_THAT(generated.out, StartsWith("Generated a new postgresql certificate: \"db.example.com\""));
    const auto shown = json(certctl({"--json=short", "show-host", "postgresql"}));
    EXPECT_EQ(shown["CommonName"], "db.example.com");

    const auto issuer = makeCa("Company PKI");
    const auto leaf = makeCertificate(serverSpec("upload.example", issuer));
    const auto certFile = file("leaf.pem", leaf.pem() + issuer.pem());
    const auto uploaded = certctl({"upload", "https", certFile, file("leaf.key", leaf.keyPem())});
    EXPECT_EQ(uploaded.exitCode, 0) << uploaded.err;
    EXPECT_THAT(uploaded.out, HasSubstr("issued by \"Company PKI\""));

    const auto encrypted = certctl({"upload", "https", certFile, file("enc.key", encryptedPkcs8Pem(*leaf.key))});
    EXPECT_EQ(encrypted.exitCode, keyEncrypted) << encrypted.err;
    EXPECT_THAT(encrypted.err, HasSubstr("passphrase"));
    const auto other = makeCa("Other key");
    const auto mismatch = certctl({"upload", "https", certFile, file("other.key", other.keyPem())});
    EXPECT_EQ(mismatch.exitCode, keyMismatch) << mismatch.err;
}

TEST_F(CertctlTest, UploadShowsTheWarningsFirstAndAsksOnATerminal)
{
    const auto issuer = makeCa("Company PKI");
    auto spec = serverSpec("elsewhere.example", issuer);
    spec.notAfter = now() + 5 * day - 3600;
    const auto leaf = makeCertificate(spec);
    const auto certFile = file("leaf.pem", leaf.pem());
    const auto keyFile = file("leaf.key", leaf.keyPem());

    const auto inspected = certctl({"inspect-upload", "https", certFile, keyFile});
    ASSERT_EQ(inspected.exitCode, 0) << inspected.err;
    EXPECT_THAT(inspected.out, HasSubstr("elsewhere.example"));
    EXPECT_THAT(inspected.out, HasSubstr("Warning: The certificate expires in 4 days"));
    EXPECT_THAT(inspected.out, HasSubstr("Warning: Clients need the issuer"));
    const auto asJson = json(certctl({"--json=short", "inspect-upload", "https", certFile, keyFile}));
    EXPECT_EQ(asJson["Fingerprint"], leaf.fingerprint());
    EXPECT_EQ(asJson["Warnings"].size(), 3u) << asJson.dump(); // host name, expiry, issuer
    const auto before = json(certctl({"--json=short", "show-host", "https"}))["Fingerprint"];

    // On a terminal: asked, and "n" changes nothing.
    const std::vector<std::string> argv = {certctlBinary().string(), "upload", "https", certFile, keyFile};
    const auto declined = runOnATerminal(
        [&] {
            ::setenv("DBUS_SYSTEM_BUS_ADDRESS", bus_.address().c_str(), 1);
            std::vector<char*> args;
            for (const auto& arg : argv)
                args.push_back(const_cast<char*>(arg.c_str()));
            args.push_back(nullptr);
            ::execv(args[0], args.data());
            return 127;
        },
        std::chrono::seconds(30), TerminalScript{"Install it anyway? [y/N] ", "n\n", 0});
    ASSERT_TRUE(declined.finished) << declined.output;
    // Its last words may go with the terminal when it exits; its status stays.
    EXPECT_TRUE(WIFEXITED(declined.status) && WEXITSTATUS(declined.status) == 1) << declined.output;
    EXPECT_THAT(declined.output, HasSubstr("Warning: The certificate expires in 4 days"));
    EXPECT_EQ(json(certctl({"--json=short", "show-host", "https"}))["Fingerprint"], before);

    // In a script (no terminal): warned on standard error, installed.
    const auto scripted = certctl({"upload", "https", certFile, keyFile});
    EXPECT_EQ(scripted.exitCode, 0) << scripted.err;
    EXPECT_THAT(scripted.err, HasSubstr("Warning: The certificate expires in 4 days"));
    EXPECT_EQ(json(certctl({"--json=short", "show-host", "https"}))["Fingerprint"], leaf.fingerprint());
}

TEST_F(CertctlTest, ARequestIsCreatedSignedElsewhereAndInstalled)
{
    const auto created = certctl({"create-request", "https", "--hostname=probe.example.com", "--organization=Example AG",
                                  "--country=DE", "--name=probe.internal"});
    ASSERT_EQ(created.exitCode, 0) << created.err;
    EXPECT_THAT(created.out, StartsWith("-----BEGIN CERTIFICATE REQUEST-----"));
    EXPECT_THAT(created.err, HasSubstr("certctl install-certificate https FILE"));
    const auto shown = json(certctl({"--json=short", "show-host", "https"}));
    EXPECT_EQ(shown["PendingRequestSubject"], "CN=probe.example.com,O=Example AG,C=DE");
    EXPECT_EQ(certctl({"export-request", "https"}).out, created.out);
    const auto requestFile = (dir_ / "https.csr").string();
    EXPECT_EQ(certctl({"export-request", "https", "-o", requestFile}).exitCode, 0);
    EXPECT_EQ(readTextFile(requestFile), created.out);

    const auto ca = makeCa("Company PKI");
    const auto wrong = certctl({"install-certificate", "https", file("other.pem", makeCertificate(serverSpec("x.example", ca)).pem())});
    EXPECT_EQ(wrong.exitCode, keyMismatch) << wrong.err;
    const auto issued = issueForRequest(created.out, ca, "DNS:probe.example.com,DNS:probe.internal");
    const auto installed = certctl({"install-certificate", "https", "-"}, issued.pem() + ca.pem());
    ASSERT_EQ(installed.exitCode, 0) << installed.err;
    EXPECT_THAT(installed.out, HasSubstr("issued by \"Company PKI\""));
    const auto after = json(certctl({"--json=short", "show-host", "https"}));
    EXPECT_EQ(after["Origin"], "requested");
    EXPECT_EQ(after["PendingRequestSubject"], "");
    EXPECT_EQ(certctl({"export-request", "https"}).exitCode, notFound);

    EXPECT_EQ(certctl({"create-request", "https", "--country=Germany"}).exitCode, invalidArgument);
    EXPECT_EQ(certctl({"create-request", "https", "-o", (dir_ / "second.csr").string()}).exitCode, 0);
    const auto cancelled = certctl({"cancel-request", "https"});
    EXPECT_EQ(cancelled.exitCode, 0) << cancelled.err;
    EXPECT_THAT(cancelled.out, HasSubstr("Cancelled the pending https request"));
    EXPECT_EQ(certctl({"cancel-request", "https"}).exitCode, notFound);
    EXPECT_EQ(json(certctl({"--json=short", "show-host", "https"}))["Origin"], "requested");
}

TEST_F(CertctlTest, UploadPkcs12TakesThePassphraseFromAFileOrTheTerminalNeverTheCommandLine)
{
    const auto issuer = makeCa("Windows CA");
    const auto leaf = makeCertificate(serverSpec("pfx.example", issuer));
    const auto pfx = file("server.pfx", "");
    const auto exported = runCommand({"openssl", "pkcs12", "-export", "-legacy", "-inkey", file("leaf.key", leaf.keyPem()),
                                      "-in", file("leaf.pem", leaf.pem()), "-certfile", file("ca.pem", issuer.pem()),
                                      "-passout", "pass:let me in", "-out", pfx});
    ASSERT_EQ(exported.exitCode, 0) << exported.err;

    const auto wrong = certctl({"upload-pkcs12", "https", pfx, "--passphrase-file=" + file("wrong", "let me out\n")});
    EXPECT_EQ(wrong.exitCode, wrongPassphrase) << wrong.err;
    EXPECT_THAT(wrong.err, HasSubstr("does not open"));

    const auto uploaded = certctl({"upload-pkcs12", "https", pfx, "--passphrase-file=" + file("right", "let me in\n")});
    EXPECT_EQ(uploaded.exitCode, 0) << uploaded.err;
    EXPECT_THAT(uploaded.out, HasSubstr("issued by \"Windows CA\""));
    EXPECT_EQ(json(certctl({"--json=short", "show-host", "https"}))["Fingerprint"], leaf.fingerprint());

    const auto fromStandardInput = certctl({"upload-pkcs12", "https", pfx, "--passphrase-file=-"}, "let me in\n");
    EXPECT_EQ(fromStandardInput.exitCode, 0) << fromStandardInput.err;
    const auto bothOnStandardInput = certctl({"upload-pkcs12", "https", "-", "--passphrase-file=-"}, "x");
    EXPECT_EQ(bothOnStandardInput.exitCode, usageError);

    // No file and no terminal (a new session has none): it says how to give it.
    const auto noTerminal = runCommand({"setsid", "-w", certctlBinary().string(), "upload-pkcs12", "https", pfx},
                                       {"DBUS_SYSTEM_BUS_ADDRESS=" + bus_.address()});
    EXPECT_NE(noTerminal.exitCode, 0);
    EXPECT_THAT(noTerminal.err, HasSubstr("--passphrase-file"));
}

TEST_F(CertctlTest, ReadingIsOpenToEveryoneChangesGoThroughPolkit)
{
    import(makeCa("Visible to all"));
    const auto listed = asNobodyCall({"list-cas"});
    EXPECT_EQ(listed.exitCode, 0) << listed.err;
    EXPECT_THAT(listed.out, HasSubstr("Visible to all"));
    const auto status = asNobodyCall({"status"});
    EXPECT_EQ(status.exitCode, 0) << status.err;
    EXPECT_THAT(status.out, AllOf(HasSubstr("CA Certificates: 1"), HasSubstr("State: running"),
                                  HasSubstr("https       generated"), HasSubstr("postgresql  generated"),
                                  HasSubstr("Next to expire:")));
    EXPECT_EQ(asNobodyCall({"list-expiring", "--days=30"}).exitCode, 0);
    EXPECT_TRUE(polkit_.checks().empty()) << "reading asks nobody's permission";

    polkit_.answer(FakePolkit::Answer::Deny);
    const auto denied = asNobodyCall({"check-expiry"});
    EXPECT_EQ(denied.exitCode, accessDenied) << denied.err;
    EXPECT_THAT(denied.err, HasSubstr("polkit says no"));
    ASSERT_TRUE(polkit_.lastCheck());
    EXPECT_EQ(polkit_.lastCheck()->flags, 1u) << "certctl lets polkit ask by default";

    polkit_.answer(FakePolkit::Answer::Allow);
    EXPECT_EQ(asNobodyCall({"--no-ask-password", "check-expiry"}).exitCode, 0);
    EXPECT_EQ(polkit_.lastCheck()->flags, 0u);
}

TEST_F(CertctlTest, ListExpiringShowsWhatExpiresWithinTheWindow)
{
    CertificateSpec soon;
    soon.subject = {{"CN", "Expires in five days"}};
    soon.notAfter = now() + 5 * day;
    import(makeCertificate(soon));
    import(makeCa("Expires in a year"));

    const auto expiring = json(certctl({"--json=short", "list-expiring", "--days=30"}));
    ASSERT_EQ(expiring.size(), 1u) << expiring.dump();
    EXPECT_EQ(expiring[0]["CommonName"], "Expires in five days");
    EXPECT_THAT(certctl({"list-expiring", "--days=30"}).out, HasSubstr("Expires in five days"));
    EXPECT_THAT(certctl({"list-expiring", "--days=1"}).out, Not(HasSubstr("Expires in five days")));
}

TEST_F(CertctlTest, MonitorPrintsALinePerSignalOnceItListens)
{
    const auto log = dir_ / "monitor.log";
    ChildProcess::Options options;
    options.argv = {certctlBinary().string(), "monitor"};
    options.extraEnvironment = {"DBUS_SYSTEM_BUS_ADDRESS=" + bus_.address()};
    options.logFile = log;
    ChildProcess monitor(options);
    ASSERT_TRUE(waitForText(log, "Ctrl-C stops.", 10s, monitor.exitFd()));
    const auto ca = makeCa("Watched");
    import(ca);
    ASSERT_TRUE(waitForText(log, "TrustStoreChanged", 10s, monitor.exitFd()));
    EXPECT_TRUE(waitForText(log, "InterfacesAdded", 10s, monitor.exitFd()));
    EXPECT_TRUE(waitForText(log, caPath(ca), 10s, monitor.exitFd()));

    stop();
    EXPECT_TRUE(waitForText(log, "CertdStopped", 10s, monitor.exitFd()));
    const auto status = monitor.stop(SIGINT);
    ASSERT_TRUE(status);
}

TEST_F(CertctlTest, OneBadFileDoesNotStopTheOthersAndTheFirstFailureCounts)
{
    const auto good = makeCa("After the bad ones");
    CertificateSpec expired;
    expired.subject = {{"CN", "Long gone"}};
    expired.notBefore = now() - 30 * day;
    expired.notAfter = now() - day;
    const auto result = certctl({"import-ca", file("expired.pem", makeCertificate(expired).pem()),
                                 (dir_ / "missing.pem").string(), file("good.pem", good.pem())});
    EXPECT_EQ(result.exitCode, 12) << "Expired, the first refusal: " << result.err;
    EXPECT_THAT(result.err, AllOf(HasSubstr("Long gone"), HasSubstr("missing.pem")));
    EXPECT_EQ(caPaths(), std::vector<std::string>{caPath(good)});
}

TEST_F(CertctlTest, TwoIdsOfOneCaDeleteItOnce)
{
    const auto ca = makeCa("Named twice");
    import(ca);
    const auto result = certctl({"delete-ca", ca.fingerprint().substr(0, 10), "Named twice"});
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_TRUE(caPaths().empty());
}

TEST_F(CertctlTest, StandardInputIsReadOnce)
{
    const auto result = certctl({"upload", "https", "-", "-"}, makeCa("x").pem());
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_THAT(result.err, HasSubstr("only once"));
}

TEST_F(CertctlTest, NoLegendMeansNothingWhenNothingExpires)
{
    const auto result = certctl({"--no-legend", "list-expiring", "--days=1"});
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(result.out, "");
}

TEST_F(CertctlTest, OutputFileIsReplacedInOneStepNotFollowed)
{
    const auto ca = makeCa("Exported");
    import(ca);
    const auto target = dir_ / "elsewhere.pem";
    writeTextFile(target, "keep me");
    const auto link = dir_ / "out.pem";
    std::filesystem::create_symlink(target, link);
    const auto result = certctl({"export-ca", "Exported", "-o", link.string()});
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_FALSE(std::filesystem::is_symlink(link));
    EXPECT_EQ(readTextFile(link), ca.pem());
    EXPECT_EQ(readTextFile(target), "keep me");
    const auto written = infoOf(link);
    EXPECT_EQ(written.mode & 0644, 0644u) << "a certificate is public";
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path()))
        EXPECT_EQ(entry.path().filename().string().find("out.pem."), std::string::npos) << "left behind: " << entry.path();
}

TEST_F(CertctlTest, OutputFileOnAFullDiskKeepsTheOldFile)
{
    const auto ca = makeCa("Exported to a full disk");
    import(ca);
    SmallTmpfs disk(dir_ / "disk", 16 * 1024);
    if (!disk.mounted())
        GTEST_SKIP() << "mounting a tmpfs needs root";
    const auto target = dir_ / "disk" / "ca.pem";
    writeTextFile(target, "the old export");
    disk.fill();
    const auto result = certctl({"export-ca", ca.fingerprint(), "-o", target.string()});
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_THAT(result.err, HasSubstr("No space left on device"));
    EXPECT_EQ(readTextFile(target), "the old export");
    for (const auto& entry : std::filesystem::directory_iterator(dir_ / "disk"))
        EXPECT_EQ(entry.path().filename().string().find("ca.pem."), std::string::npos) << "left behind: " << entry.path();
}

TEST_F(CertctlTest, NotRunningSaysSo)
{
    stop();
    const auto result = certctl({"status"});
    EXPECT_NE(result.exitCode, 0);
    EXPECT_THAT(result.err, HasSubstr("certd is not running"));
    start();
}

} // namespace
} // namespace certd::test
