// The proof with real consumers: a TLS server and PostgreSQL 15 serve
// certd's files, and clients verify them, host name included: trusting
// only the exported appliance CA for a generated certificate, or only an
// administrator's own CA (made and run with the openssl CLI) for one it
// issued for certd's request.
#include "certd_fixture.h"
#include "process.h"

#include <csignal>

#include <gmock/gmock.h>

namespace certd::test {
namespace {

using ::testing::HasSubstr;

class TlsConsumersTest : public CertdFixture {
protected:
    TlsConsumersTest()
    {
        // The consumers run as other users and must reach certd's files.
        std::filesystem::permissions(dir_.path(), std::filesystem::perms(0755));
    }

    std::string exportApplianceCa()
    {
        const auto pem = manager_->ExportApplianceCA("pem");
        const auto file = dir_ / "appliance-ca.pem";
        writeTextFile(file, std::string(pem.begin(), pem.end()));
        std::filesystem::permissions(file, std::filesystem::perms(0644));
        return file.string();
    }

    // The issuer of service's certificate as its clients trust it (a file):
    // the appliance CA for a generated one; for a requested one, an openssl
    // CA that signs certd's request for hostname as `openssl x509 -req` does.
    std::string certificateFor(const std::string& service, const std::string& hostname, bool requested)
    {
        HostProxy host(*connection_, service);
        if (!requested) {
            host.Generate({{"Hostname", sdbus::Variant(hostname)}});
            return exportApplianceCa();
        }
        const auto request = host.CreateRequest({{"Hostname", sdbus::Variant(hostname)},
                                                 {"Organization", sdbus::Variant(std::string("Example AG"))}});
        writeTextFile(dir_ / "request.pem", std::string(request.begin(), request.end()));
        const auto ca = dir_ / "corporate-ca.pem";
        const auto made = runCommand({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                      "ec_paramgen_curve:P-256", "-nodes", "-subj", "/O=Example AG/CN=Corporate CA",
                                      "-days", "30", "-keyout", (dir_ / "corporate-ca.key").string(), "-out",
                                      ca.string(), "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
                                      "keyUsage=critical,keyCertSign,cRLSign"},
                                     {}, "", 30s);
        EXPECT_EQ(made.exitCode, 0) << made.err;
        const auto signedRequest = runCommand(
            {"openssl", "x509", "-req", "-in", (dir_ / "request.pem").string(), "-CA", ca.string(), "-CAkey",
             (dir_ / "corporate-ca.key").string(), "-CAcreateserial", "-days", "30", "-copy_extensions", "copy",
             "-out", (dir_ / "issued.pem").string()},
            {}, "", 30s);
        EXPECT_EQ(signedRequest.exitCode, 0) << signedRequest.err;
        host.InstallCertificate(bytesOf(readTextFile(dir_ / "issued.pem")));
        EXPECT_EQ(host.Origin(), "requested");
        EXPECT_FALSE(host.PendingRequest());
        std::filesystem::permissions(ca, std::filesystem::perms(0644));
        return ca.string();
    }

    void proveHttps(bool requested)
    {
        HostProxy https(*connection_, "https");
        const auto caFile = certificateFor("https", "probe.appliance.test", requested);

        const auto port = std::to_string(freeTcpPort());
        ChildProcess server({{"openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", https.CertificatePath(),
                              "-cert_chain", https.ChainPath(), "-key", https.PrivateKeyPath(), "-www"},
                             {},
                             dir_ / "s_server.log",
                             {},
                             {}});
        ASSERT_TRUE(waitForText(dir_ / "s_server.log", "ACCEPT", 10s, server.exitFd())) << readTextFile(dir_ / "s_server.log");

        const auto connect = [&](const std::string& hostname) {
            return runCommand({"openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", hostname,
                               "-verify_return_error", "-verify_hostname", hostname, "-CAfile", caFile},
                              {}, "", 20s);
        };
        const auto good = connect("probe.appliance.test");
        EXPECT_EQ(good.exitCode, 0) << good.err;
        EXPECT_THAT(good.out, HasSubstr("Verify return code: 0 (ok)"));
        const auto shortName = connect("probe");
        EXPECT_EQ(shortName.exitCode, 0) << shortName.err;
        const auto wrong = connect("other.appliance.test");
        EXPECT_NE(wrong.exitCode, 0);
        EXPECT_THAT(wrong.out + wrong.err, HasSubstr("hostname mismatch"));
    }
};

TEST_F(TlsConsumersTest, AnHttpsClientVerifiesTheGeneratedCertificate)
{
    proveHttps(false);
}

TEST_F(TlsConsumersTest, AnHttpsClientVerifiesACertificateACorporateCaIssuedForCertdsRequest)
{
    proveHttps(true);
}

class PostgresqlTest : public TlsConsumersTest {
protected:
    PostgresqlTest()
    {
        config_ = "[postgresql]\nDirectory=" + (dir_ / "pg-certificate").string() + "\nKeyGroup=postgres\n";
    }

    void provePostgresql(bool requested)
    {
        const std::string bin = "/usr/lib/postgresql/15/bin/";
        ASSERT_TRUE(std::filesystem::exists(bin + "postgres")) << "is postgresql-15 installed?";
        HostProxy postgresql(*connection_, "postgresql");
        const auto caFile = certificateFor("postgresql", "db.appliance.test", requested);

        const auto data = dir_ / "pgdata";
        const auto sockets = dir_ / "pgsockets";
        for (const auto& directory : {data, sockets}) {
            std::filesystem::create_directory(directory);
            ASSERT_EQ(runCommand({"chown", "postgres:postgres", directory.string()}).exitCode, 0);
        }
        const auto initdb = runCommand({"setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
                                        bin + "initdb", "-D", data.string(), "--auth=trust", "-U", "postgres"},
                                       {}, "", 120s);
        ASSERT_EQ(initdb.exitCode, 0) << initdb.out << initdb.err;

        const auto port = std::to_string(freeTcpPort());
        // PostgreSQL reads a root-owned key only when it is 0640 and its group is
        // one of the server's: what KeyGroup=postgres arranges.
        ChildProcess server({{bin + "postgres", "-D", data.string(), "-c", "ssl=on", "-c",
                              "ssl_cert_file=" + postgresql.ChainPath(), "-c", "ssl_key_file=" + postgresql.PrivateKeyPath(),
                              "-c", "listen_addresses=127.0.0.1", "-c", "port=" + port, "-c",
                              "unix_socket_directories=" + sockets.string()},
                             {},
                             dir_ / "postgres.log",
                             {},
                             "postgres"});
        ASSERT_TRUE(waitForText(dir_ / "postgres.log", "database system is ready to accept connections", 60s,
                                server.exitFd()))
            << readTextFile(dir_ / "postgres.log");

        const auto psql = [&](const std::string& host) {
            return runCommand({"psql", "sslmode=verify-full sslrootcert=" + caFile + " host=" + host +
                                           " hostaddr=127.0.0.1 port=" + port + " user=postgres dbname=postgres",
                               "-tAc", "select ssl from pg_stat_ssl where pid = pg_backend_pid()"},
                              {}, "", 30s);
        };
        const auto verified = psql("db.appliance.test");
        EXPECT_EQ(verified.exitCode, 0) << verified.err;
        EXPECT_EQ(verified.out, "t\n");
        const auto wrongHost = psql("other.appliance.test");
        EXPECT_NE(wrongHost.exitCode, 0);
        EXPECT_THAT(wrongHost.err, HasSubstr("does not match host name"));

        EXPECT_TRUE(server.stop(SIGINT, 30s)) << "postgres did not shut down";
    }
};

TEST_F(PostgresqlTest, PsqlVerifiesTheServerWithVerifyFull)
{
    provePostgresql(false);
}

TEST_F(PostgresqlTest, PsqlVerifiesACertificateACorporateCaIssuedForCertdsRequest)
{
    provePostgresql(true);
}

} // namespace
} // namespace certd::test
