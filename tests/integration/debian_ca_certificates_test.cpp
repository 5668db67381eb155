// Real-world data: every root of Debian's ca-certificates package. The
// expectation for each file comes from the openssl command line, not from
// certd's own code or a hard-coded list.
#include "certd_fixture.h"
#include "process.h"

#include <gmock/gmock.h>

namespace certd::test {
namespace {

constexpr const char* mozillaDirectory = "/usr/share/ca-certificates/mozilla";

std::string expectedOutcome(const std::filesystem::path& file)
{
    // One call: "notBefore=Jan  1 00:00:00 2000 GMT", then "Certificate will
    // (not) expire" (with exit status 1 when it has), then the extension.
    const auto x509 = runCommand({"openssl", "x509", "-noout", "-in", file.string(), "-startdate",
                                  "-ext", "basicConstraints", "-checkend", "0"});
    const auto startLine = x509.out.substr(0, x509.out.find('\n'));
    const auto epoch = runCommand({"date", "-u", "+%s", "-d", startLine.substr(startLine.find('=') + 1)});
    if (std::stoll(epoch.out) > now())
        return "org.certd.Certd1.Error.NotYetValid";
    if (x509.exitCode != 0)
        return "org.certd.Certd1.Error.Expired";
    if (x509.out.find("CA:TRUE") == std::string::npos)
        return "org.certd.Certd1.Error.NotCA";
    return "";
}

class DebianCaCertificatesTest : public CertdFixture {};

TEST_F(DebianCaCertificatesTest, EveryRootIsAcceptedOrRefusedAsOpensslPredicts)
{
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(mozillaDirectory))
        if (entry.path().extension() == ".crt")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    ASSERT_GT(files.size(), 100u) << "is ca-certificates installed?";

    std::size_t accepted = 0;
    for (const auto& file : files) {
        const auto expected = expectedOutcome(file);
        const auto data = bytesOf(readTextFile(file));
        const auto actual = errorNameOf([&] { manager_->ImportCACertificate(data); });
        EXPECT_EQ(actual, expected) << file << ": " << errorMessageOf([&] { manager_->InspectCACertificate(data); });
        accepted += actual.empty();
    }
    EXPECT_EQ(caPaths().size(), accepted);
    EXPECT_GT(accepted, 100u);
    std::cout << "[ INFO     ] " << accepted << " of " << files.size() << " Debian roots accepted\n";

    // They all load again on the next start, with none skipped.
    restart();
    EXPECT_EQ(caPaths().size(), accepted);
    EXPECT_THAT(certd_->log(), ::testing::Not(::testing::HasSubstr("Skipped")));
}

} // namespace
} // namespace certd::test
