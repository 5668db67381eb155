// ACME end to end on loopback: Debian's pebble (the ACME test server) with
// a TLS certificate made here, pebble-challtestsrv as its DNS (every name
// is 127.0.0.1), and a plain HTTP server serving certd's webroot on
// pebble's http-01 port. What the issue asks for is proven against it:
// refused while pebble's TLS CA is not trusted and issued once it is
// imported, the chain verified with openssl against pebble's root (and
// served by openssl s_server to a client that trusts only that root), the
// account kept across restarts, dns-01 through a hook, external account
// binding required and checked, an HTTP CONNECT proxy (tinyproxy), and the
// renewal at two thirds of the lifetime (libfaketime) that keeps the old
// certificate when the CA is gone.
#include "certd_fixture.h"
#include "process.h"
#include "test_paths.h"
#include "x509/certificate_details.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gmock/gmock.h>

#include <fstream>

namespace certd::test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string eabKeyId = "kid-1";
const std::string eabMacKey = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";

// Whether something listens on 127.0.0.1:port, asked until timeout (a
// server says it is ready by accepting; there is no event to wait for).
bool waitForListener(int port, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        ::close(fd);
        if (connected)
            return true;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

// pebble and its DNS, with a TLS certificate valid for ten years (the
// renewal test moves certd's clock years ahead).
class Pebble {
public:
    Pebble(const std::filesystem::path& dir, bool requireEab)
        : dir_(dir)
    {
        CertificateSpec caSpec;
        caSpec.subject = {{"CN", "pebble TLS test CA"}};
        caSpec.notAfter = now() + 3650 * day;
        tlsCa_ = makeCertificate(caSpec);
        auto serverSpec = test::serverSpec("localhost", tlsCa_);
        serverSpec.subjectAltName = "DNS:localhost,IP:127.0.0.1";
        serverSpec.notAfter = now() + 3650 * day;
        const auto server = makeCertificate(serverSpec);
        writeTextFile(dir_ / "tls.pem", server.pem());
        writeTextFile(dir_ / "tls.key", server.keyPem());
        writeTextFile(dir_ / "tls-ca.pem", tlsCa_.pem());
        nlohmann::json config{{"pebble",
                               {{"listenAddress", "127.0.0.1:" + std::to_string(port_)},
                                {"managementListenAddress", "127.0.0.1:" + std::to_string(managementPort_)},
                                {"certificate", (dir_ / "tls.pem").string()},
                                {"privateKey", (dir_ / "tls.key").string()},
                                {"httpPort", httpPort},
                                {"tlsPort", freeTcpPort()},
                                {"ocspResponderURL", ""},
                                {"externalAccountBindingRequired", requireEab}}}};
        if (requireEab)
            config["pebble"]["externalAccountMACKeys"] = {{eabKeyId, eabMacKey}};
        writeTextFile(dir_ / "pebble.json", config.dump(2));
        dns_ = std::make_unique<ChildProcess>(ChildProcess::Options{
            {"pebble-challtestsrv", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "", "-dns01",
             "127.0.0.1:" + std::to_string(dnsPort_), "-http01", "", "-https01", "", "-tlsalpn01", "", "-management",
             "127.0.0.1:" + std::to_string(dnsManagementPort)},
            {},
            dir_ / "challtestsrv.log",
            {},
            {}});
        EXPECT_TRUE(waitForListener(dnsManagementPort, 10s)) << readTextFile(dir_ / "challtestsrv.log");
        start();
    }

    void start()
    {
        pebble_ = std::make_unique<ChildProcess>(ChildProcess::Options{
            {"pebble", "-config", (dir_ / "pebble.json").string(), "-dnsserver", "127.0.0.1:" + std::to_string(dnsPort_)},
            {"PEBBLE_VA_NOSLEEP=1"},
            dir_ / "pebble.log",
            {},
            {}});
        EXPECT_TRUE(waitForListener(port_, 10s)) << readTextFile(dir_ / "pebble.log");
    }
    void stop() { pebble_.reset(); }

    std::string directoryUrl() const { return "https://127.0.0.1:" + std::to_string(port_) + "/dir"; }
    std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
    const TestCertificate& tlsCa() const { return tlsCa_; }

    // The root pebble issues under (made at its start), from its management API.
    std::filesystem::path root() const
    {
        const auto file = dir_ / "root.pem";
        const auto fetched = runCommand({"curl", "-sSf", "--cacert", (dir_ / "tls-ca.pem").string(), "-o", file.string(),
                                         "https://127.0.0.1:" + std::to_string(managementPort_) + "/roots/0"});
        EXPECT_EQ(fetched.exitCode, 0) << fetched.err;
        return file;
    }

    const int httpPort = freeTcpPort();
    const int dnsManagementPort = freeTcpPort();

private:
    std::filesystem::path dir_;
    const int port_ = freeTcpPort();
    const int managementPort_ = freeTcpPort();
    const int dnsPort_ = freeTcpPort();
    TestCertificate tlsCa_;
    std::unique_ptr<ChildProcess> dns_;
    std::unique_ptr<ChildProcess> pebble_;
};

class AcmeTest : public CertdFixture {
protected:
    explicit AcmeTest(bool requireEab = false)
        : pebble_((std::filesystem::create_directories(dir_ / "pebble"), dir_ / "pebble"), requireEab)
    {
        std::filesystem::create_directories(webroot());
        webServer_ = std::make_unique<ChildProcess>(ChildProcess::Options{
            {"python3", "-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", webroot().string(),
             std::to_string(pebble_.httpPort)},
            {},
            dir_ / "http.log",
            {},
            {}});
        EXPECT_TRUE(waitForListener(pebble_.httpPort, 10s)) << readTextFile(dir_ / "http.log");
        config_ = acmeConfig();
    }

    CertdOptions options() override
    {
        auto result = CertdFixture::options();
        if (!fakeOffset_.empty())
            result.extraEnvironment = {"LD_PRELOAD=" + libfaketime(), "FAKETIME=" + fakeOffset_,
                                       "FAKETIME_DONT_FAKE_MONOTONIC=1"};
        return result;
    }

    std::filesystem::path webroot() const { return dir_ / "webroot"; }

    std::string acmeConfig(const std::string& extra = {}) const
    {
        return "[ACME]\nDirectoryURL=" + pebble_.directoryUrl() +
               "\nAgreeToTermsOfService=yes\nEmail=admin@example.com\nWebroot=" + webroot().string() + "\n" + extra;
    }

    void restartWith(const std::string& config)
    {
        stop();
        config_ = config;
        start();
    }

    // Imports pebble's TLS CA and waits until the bundle certd's HTTPS client reads holds it.
    void trustPebble()
    {
        SignalRecorder signals(bus_);
        import(pebble_.tlsCa());
        ASSERT_TRUE(signals.waitFor("TrustStoreChanged", 10s));
    }

    // RequestFromACME with room for pebble's validation.
    void requestFromAcme(const std::string& service, const std::map<std::string, sdbus::Variant>& options)
    {
        auto proxy = sdbus::createProxy(*connection_, bus::serviceName, bus::hostObjectPath(service));
        proxy->callMethod("RequestFromACME").onInterface(bus::hostInterface).withArguments(options).withTimeout(120s);
    }

    // The service's certificate verifies against pebble's root for name, with its chain.
    void expectVerifiedFor(const std::string& service, const std::string& name)
    {
        HostProxy host(*connection_, service);
        const auto verified = runCommand({"openssl", "verify", "-CAfile", pebble_.root().string(), "-untrusted",
                                          host.ChainPath(), "-verify_hostname", name, host.CertificatePath()});
        EXPECT_EQ(verified.exitCode, 0) << verified.out << verified.err;
        EXPECT_THAT(verified.out, HasSubstr(": OK"));
    }

    // A TLS server serving the service's files as nginx would, and a client
    // that trusts only pebble's root, checking the name.
    void expectServedFor(const std::string& service, const std::string& name)
    {
        HostProxy host(*connection_, service);
        const auto port = std::to_string(freeTcpPort());
        ChildProcess server({{"openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", host.CertificatePath(),
                              "-cert_chain", host.ChainPath(), "-key", host.PrivateKeyPath(), "-www"},
                             {},
                             dir_ / "s_server.log",
                             {},
                             {}});
        ASSERT_TRUE(waitForText(dir_ / "s_server.log", "ACCEPT", 10s, server.exitFd()));
        const auto connected =
            runCommand({"openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", name,
                        "-verify_return_error", "-verify_hostname", name, "-CAfile", pebble_.root().string()},
                       {}, "", 20s);
        EXPECT_EQ(connected.exitCode, 0) << connected.err;
        EXPECT_THAT(connected.out, HasSubstr("Verify return code: 0 (ok)"));
    }

    Pebble pebble_;
    std::unique_ptr<ChildProcess> webServer_;
    std::string fakeOffset_;
};

std::string errorNameOf(const std::function<void()>& call, std::string& message)
{
    try {
        call();
    } catch (const sdbus::Error& error) {
        message = error.getMessage();
        return error.getName();
    }
    return {};
}

TEST_F(AcmeTest, RefusedUntilPebblesCaIsTrustedThenIssuedThroughHttp01)
{
    HostProxy https(*connection_, "https");
    const auto generated = https.Fingerprint();
    std::string message;
    EXPECT_EQ(errorNameOf([&] { requestFromAcme("https", {}); }, message), "org.certd.Certd1.Error.ACMEFailed");
    EXPECT_THAT(message, HasSubstr("certctl import-ca"));
    EXPECT_EQ(https.ACMEStatus(), "failed");
    EXPECT_THAT(https.ACMELastError(), HasSubstr(pebble_.host()));
    EXPECT_EQ(https.Fingerprint(), generated);
    EXPECT_EQ(https.Origin(), "generated");

    trustPebble();
    SignalRecorder signals(bus_);
    requestFromAcme("https", {{"Hostname", sdbus::Variant(std::string("probe.acme.test"))},
                              {"AdditionalNames", sdbus::Variant(std::vector<std::string>{"www.acme.test"})}});
    EXPECT_EQ(https.Origin(), "acme");
    EXPECT_EQ(https.ACMEStatus(), "idle");
    EXPECT_EQ(https.ACMELastError(), "");
    EXPECT_NE(https.Fingerprint(), generated);
    EXPECT_THAT(https.SubjectAlternativeNames(),
                ::testing::UnorderedElementsAre("DNS:probe.acme.test", "DNS:www.acme.test"));
    const auto lifetime = https.NotAfter() - https.NotBefore();
    EXPECT_EQ(https.RenewalDue(), https.NotAfter() - lifetime / 3);
    EXPECT_TRUE(signals.waitFor("HostCertificateChanged", 10s));
    expectVerifiedFor("https", "probe.acme.test");
    expectVerifiedFor("https", "www.acme.test");
    expectServedFor("https", "www.acme.test");
    // The answers are gone from the webroot once validated.
    EXPECT_THAT(std::vector<std::filesystem::directory_entry>(
                    std::filesystem::directory_iterator(webroot() / ".well-known" / "acme-challenge"), {}),
                IsEmpty());
    const auto account = state() / "private" / "acme" / "account.json";
    EXPECT_EQ(std::filesystem::status(account).permissions(), std::filesystem::perms(0600));
}

TEST_F(AcmeTest, TheAccountIsRegisteredOnceAndKeptAcrossRestarts)
{
    trustPebble();
    requestFromAcme("https", {});
    const auto account = readTextFile(state() / "private" / "acme" / "account.json");
    EXPECT_THAT(account, HasSubstr(pebble_.directoryUrl()));
    restart();
    requestFromAcme("postgresql", {});
    EXPECT_EQ(readTextFile(state() / "private" / "acme" / "account.json"), account);
    EXPECT_EQ(HostProxy(*connection_, "postgresql").Origin(), "acme");
    EXPECT_EQ(HostProxy(*connection_, "https").Origin(), "acme"); // kept across the restart
}

TEST_F(AcmeTest, Dns01IsAnsweredThroughTheHook)
{
    const auto hook = dir_ / "dns-hook";
    const auto calls = dir_ / "dns-hook.calls";
    writeTextFile(hook, "#!/bin/sh\n"
                        "echo \"$1 $2\" >> " + calls.string() + "\n"
                        "case $1 in add) path=set-txt;; remove) path=clear-txt;; *) exit 2;; esac\n"
                        "exec curl -sSf -X POST -d \"{\\\"host\\\":\\\"$2.\\\",\\\"value\\\":\\\"$3\\\"}\" "
                        "http://127.0.0.1:" + std::to_string(pebble_.dnsManagementPort) + "/$path\n");
    std::filesystem::permissions(hook, std::filesystem::perms(0755));
    restartWith(acmeConfig("Challenge=dns-01\nDNSHook=" + hook.string() + "\n"));
    trustPebble();
    webServer_.reset(); // no http-01 answer could help
    requestFromAcme("https", {{"Hostname", sdbus::Variant(std::string("dns.acme.test"))}});
    EXPECT_EQ(HostProxy(*connection_, "https").Origin(), "acme");
    expectVerifiedFor("https", "dns.acme.test");
    EXPECT_EQ(readTextFile(calls), "add _acme-challenge.dns.acme.test\nremove _acme-challenge.dns.acme.test\n");
}

TEST_F(AcmeTest, ThroughAnHttpConnectProxy)
{
    const int port = freeTcpPort();
    const auto log = dir_ / "tinyproxy.log";
    writeTextFile(dir_ / "tinyproxy.conf", "Port " + std::to_string(port) +
                                               "\nListen 127.0.0.1\nAllow 127.0.0.1\nUser nobody\nGroup nogroup\n"
                                               "LogLevel Connect\nLogFile \"" + log.string() + "\"\nTimeout 60\n");
    std::filesystem::permissions(dir_.path(), std::filesystem::perms(0755));
    writeTextFile(log, "");
    std::filesystem::permissions(log, std::filesystem::perms(0666));
    ChildProcess proxy({{"tinyproxy", "-d", "-c", (dir_ / "tinyproxy.conf").string()}, {}, dir_ / "tinyproxy.out", {}, {}});
    ASSERT_TRUE(waitForListener(port, 10s)) << readTextFile(dir_ / "tinyproxy.out");
    restartWith(acmeConfig("Proxy=http://127.0.0.1:" + std::to_string(port) + "\n"));
    // Through the tunnel TLS is end to end: pebble's CA must be trusted still.
    std::string message;
    EXPECT_EQ(errorNameOf([&] { requestFromAcme("https", {}); }, message), "org.certd.Certd1.Error.ACMEFailed");
    EXPECT_THAT(message, HasSubstr("certctl import-ca"));
    trustPebble();
    requestFromAcme("https", {});
    EXPECT_EQ(HostProxy(*connection_, "https").Origin(), "acme");
    EXPECT_THAT(readTextFile(log), HasSubstr("CONNECT"));
    EXPECT_THAT(readTextFile(log), HasSubstr(pebble_.host()));
}

TEST_F(AcmeTest, RenewedAtTwoThirdsOfItsLifetimeAndKeptWhenTheCaIsGone)
{
    trustPebble();
    requestFromAcme("https", {});
    std::string issued;
    std::int64_t due = 0;
    {
        HostProxy first(*connection_, "https"); // gone before the connection is
        issued = first.Fingerprint();
        due = first.RenewalDue();
    }
    // A day past the renewal point, as certd's clock sees it.
    const auto offsetDays = (due - now()) / day + 1;
    stop();
    fakeOffset_ = "+" + std::to_string(offsetDays) + "d";
    start();
    SignalRecorder renewal(bus_);
    manager_->CheckExpiry();
    const auto httpsChanged = [](const ReceivedSignal& s) {
        return s.member == "HostCertificateChanged" && s.arguments.at(0) == "https";
    };
    ASSERT_TRUE(renewal.waitFor(httpsChanged, 60s)) << certd_->log();
    HostProxy https(*connection_, "https");
    EXPECT_NE(https.Fingerprint(), issued) << certd_->log();
    EXPECT_EQ(https.Origin(), "acme");
    EXPECT_FALSE(renewal.waitFor("CertificateExpiring", 0ms)) << "announced while renewal works";

    // The CA is gone: the next check (the new certificate is due as well
    // at this clock) fails to renew, says so, and keeps the certificate.
    pebble_.stop();
    const auto renewed = https.Fingerprint();
    SignalRecorder failing(bus_);
    manager_->CheckExpiry();
    const auto failed = failing.waitFor("RenewalFailed", 60s);
    ASSERT_TRUE(failed) << certd_->log();
    EXPECT_EQ(failed->arguments.at(1), "https");
    EXPECT_THAT(failed->arguments.at(2), HasSubstr("Cannot reach the ACME server"));
    HostProxy after(*connection_, "https");
    EXPECT_EQ(after.Fingerprint(), renewed);
    EXPECT_EQ(after.ACMEStatus(), "failed");
}

class AcmeEabTest : public AcmeTest {
protected:
    AcmeEabTest()
        : AcmeTest(true)
    {
    }
};

TEST_F(AcmeEabTest, TheCasBindingIsRequiredAndChecked)
{
    trustPebble();
    std::string message;
    EXPECT_EQ(errorNameOf([&] { requestFromAcme("https", {}); }, message), "org.certd.Certd1.Error.ACMEFailed");
    EXPECT_THAT(message, HasSubstr("ExternalAccountKeyID="));

    const std::string wrongKey = "AAAA" + eabMacKey.substr(4);
    restartWith(acmeConfig("ExternalAccountKeyID=" + eabKeyId + "\nExternalAccountHMACKey=" + wrongKey + "\n"));
    EXPECT_EQ(errorNameOf([&] { requestFromAcme("https", {}); }, message), "org.certd.Certd1.Error.ACMEFailed");
    EXPECT_THAT(message, HasSubstr("urn:ietf:params:acme:error:"));
    EXPECT_EQ(HostProxy(*connection_, "https").Origin(), "generated");

    restartWith(acmeConfig("ExternalAccountKeyID=" + eabKeyId + "\nExternalAccountHMACKey=" + eabMacKey + "\n"));
    requestFromAcme("https", {});
    EXPECT_EQ(HostProxy(*connection_, "https").Origin(), "acme");
}

} // namespace
} // namespace certd::test
