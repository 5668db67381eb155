#include "appliance_ca.h"
#include "certificate_details.h"
#include "error.h"
#include "host_certificate_store.h"
#include "temp_dir.h"
#include "test_certificates.h"

#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using test::now;
using test::TempDir;
using ::testing::HasSubstr;

struct Info {
    mode_t mode = 0;
    gid_t group = 0;
};

Info infoOf(const std::filesystem::path& path)
{
    struct stat status{};
    ::stat(path.c_str(), &status);
    return {status.st_mode & 07777, status.st_gid};
}

class HostRecordTest : public ::testing::Test {
protected:
    HostCertificateStore storeWith(std::optional<gid_t> group)
    {
        ServiceSettings settings;
        settings.name = "https";
        settings.directory = dir / "https";
        settings.keyGroup = group;
        return HostCertificateStore(dir / "https.json", settings);
    }

    HostCertificatePtr generated()
    {
        GenerationSettings settings;
        settings.hostname = "record.example";
        settings.additionalNames = {"10.1.2.3"};
        settings.keyType = KeyType::EcP384;
        settings.validityDays = 100;
        return ca->issue(settings, now());
    }

    TempDir dir;
    std::unique_ptr<ApplianceCa> ca = ApplianceCa::loadOrCreate(dir / "ca.pem", {"Record CA", KeyType::EcP256}, now());
};

TEST_F(HostRecordTest, SavedCertificatesLoadBackCompletely)
{
    const auto store = storeWith(std::nullopt);
    const auto host = generated();
    store.save(*host);
    EXPECT_EQ(infoOf(dir / "https.json").mode, 0600u);

    std::string problem;
    const auto loaded = store.load(problem);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(problem, "");
    EXPECT_EQ(loaded->origin, HostOrigin::Generated);
    ASSERT_TRUE(loaded->generation);
    EXPECT_EQ(loaded->generation->hostname, "record.example");
    EXPECT_EQ(loaded->generation->keyType, KeyType::EcP384);
    EXPECT_EQ(loaded->generation->validityDays, 100u);
    EXPECT_EQ(loaded->generation->additionalNames, std::vector<std::string>{"10.1.2.3"});
    EXPECT_EQ(loaded->details.fingerprint, host->details.fingerprint);
    EXPECT_EQ(loaded->keyPem, host->keyPem);
    EXPECT_EQ(loaded->details.subjectAlternativeNames, host->details.subjectAlternativeNames);
}

TEST_F(HostRecordTest, UploadedChainsLoadBackInOrder)
{
    const auto root = test::makeCa("Chain root");
    test::CertificateSpec intermediateSpec;
    intermediateSpec.subject = {{"CN", "Chain intermediate"}};
    intermediateSpec.issuer = &root;
    const auto intermediate = test::makeCertificate(intermediateSpec);
    test::CertificateSpec leafSpec;
    leafSpec.subject = {{"CN", "leaf.example"}};
    leafSpec.basicConstraints = "CA:FALSE";
    leafSpec.keyUsage = "digitalSignature";
    leafSpec.issuer = &intermediate;
    const auto leaf = test::makeCertificate(leafSpec);
    std::vector<X509Ptr> chain;
    chain.push_back(shareCertificate(*leaf.cert));
    chain.push_back(shareCertificate(*intermediate.cert));
    const auto host = makeHostCertificate(HostOrigin::Uploaded, std::nullopt, chain, *leaf.key);

    const auto store = storeWith(std::nullopt);
    store.save(*host);
    std::string problem;
    const auto loaded = store.load(problem);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->origin, HostOrigin::Uploaded);
    EXPECT_FALSE(loaded->generation);
    EXPECT_EQ(loaded->chainPem(), leaf.pem() + intermediate.pem());
    EXPECT_EQ(test::readTextFile(dir / "https" / "chain.pem"), leaf.pem() + intermediate.pem());
    EXPECT_EQ(test::readTextFile(dir / "https" / "cert.pem"), leaf.pem());
}

TEST_F(HostRecordTest, WithoutKeyGroupOnlyRootReadsTheKey)
{
    const auto store = storeWith(std::nullopt);
    store.save(*generated());
    EXPECT_EQ(infoOf(dir / "https").mode, 0700u);
    EXPECT_EQ(infoOf(dir / "https" / "key.pem").mode, 0600u);
    EXPECT_EQ(infoOf(dir / "https" / "cert.pem").mode, 0644u);
    EXPECT_EQ(infoOf(dir / "https" / "chain.pem").mode, 0644u);
}

TEST_F(HostRecordTest, AKeyGroupMayReadTheKeyAndEnterTheDirectory)
{
    const auto store = storeWith(65534);
    store.save(*generated());
    EXPECT_EQ(infoOf(dir / "https").mode, 0750u);
    EXPECT_EQ(infoOf(dir / "https").group, 65534u);
    EXPECT_EQ(infoOf(dir / "https" / "key.pem").mode, 0640u);
    EXPECT_EQ(infoOf(dir / "https" / "key.pem").group, 65534u);
}

TEST_F(HostRecordTest, DeliveryRepairsFilesAndPermissions)
{
    const auto store = storeWith(std::nullopt);
    const auto host = generated();
    store.save(*host);
    const auto key = dir / "https" / "key.pem";
    const auto expected = test::readTextFile(key);
    std::filesystem::remove(dir / "https" / "cert.pem");
    test::writeTextFile(key, "tampered");
    std::filesystem::permissions(key, std::filesystem::perms(0644));
    store.deliver(*host);
    EXPECT_EQ(test::readTextFile(key), expected);
    EXPECT_EQ(infoOf(key).mode, 0600u);
    EXPECT_TRUE(std::filesystem::exists(dir / "https" / "cert.pem"));
}

TEST_F(HostRecordTest, NoRecordIsNoCertificateAndNoProblem)
{
    std::string problem;
    EXPECT_FALSE(storeWith(std::nullopt).load(problem));
    EXPECT_EQ(problem, "");
}

TEST_F(HostRecordTest, ADamagedRecordIsMovedAsideNeverDeleted)
{
    test::writeTextFile(dir / "https.json", "{\"version\": 1, \"origin\": \"uploaded\"");
    std::string problem;
    EXPECT_FALSE(storeWith(std::nullopt).load(problem));
    EXPECT_THAT(problem, HasSubstr("damaged"));
    EXPECT_THAT(problem, HasSubstr("https.json.damaged"));
    EXPECT_FALSE(std::filesystem::exists(dir / "https.json"));
    EXPECT_EQ(test::readTextFile(dir / "https.json.damaged"), "{\"version\": 1, \"origin\": \"uploaded\"");
}

TEST(GenerationSettings, AreValidated)
{
    const auto codeOf = [](const GenerationSettings& settings) {
        try {
            validateGenerationSettings(settings);
            return std::string("accepted");
        } catch (const Error& error) {
            return std::string(errorCodeName(error.code()));
        }
    };
    GenerationSettings settings;
    settings.hostname = "ok.example";
    EXPECT_EQ(codeOf(settings), "accepted");
    settings.validityDays = 825;
    EXPECT_EQ(codeOf(settings), "accepted");
    settings.validityDays = 826;
    EXPECT_EQ(codeOf(settings), "InvalidArgument");
    settings.validityDays = 0;
    EXPECT_EQ(codeOf(settings), "InvalidArgument");
    settings.validityDays = 30;
    settings.additionalNames = {"*.ok.example", "192.0.2.1", "bad name"};
    EXPECT_EQ(codeOf(settings), "InvalidArgument");
    settings.additionalNames = {};
    settings.hostname = "bad_name";
    EXPECT_EQ(codeOf(settings), "InvalidArgument");
}

TEST(HostnameMatching, FollowsBrowserRules)
{
    test::CertificateSpec spec;
    spec.subject = {{"CN", "cn-only.example"}};
    spec.basicConstraints = "CA:FALSE";
    spec.subjectAltName = "DNS:probe.example.com,DNS:*.apps.example.com,IP:192.0.2.1";
    const auto details = describeCertificate(*test::makeCertificate(spec).cert);
    EXPECT_TRUE(matchesHostname(details, "probe.example.com"));
    EXPECT_TRUE(matchesHostname(details, "Probe.Example.COM"));
    EXPECT_TRUE(matchesHostname(details, "web.apps.example.com"));
    EXPECT_FALSE(matchesHostname(details, "apps.example.com"));
    EXPECT_FALSE(matchesHostname(details, "a.b.apps.example.com"));
    EXPECT_FALSE(matchesHostname(details, "other.example.com"));
    EXPECT_FALSE(matchesHostname(details, "cn-only.example")); // the Common Name does not count beside DNS names
    EXPECT_FALSE(matchesHostname(details, ""));

    test::CertificateSpec legacy; // no DNS names: the Common Name counts
    legacy.subject = {{"CN", "legacy.example"}};
    legacy.basicConstraints = "CA:FALSE";
    const auto legacyDetails = describeCertificate(*test::makeCertificate(legacy).cert);
    EXPECT_TRUE(matchesHostname(legacyDetails, "legacy.example"));
    EXPECT_FALSE(matchesHostname(legacyDetails, "other.example"));
    EXPECT_EQ(originName(HostOrigin::None), "none");
    EXPECT_EQ(originName(HostOrigin::Uploaded), "uploaded");
}

} // namespace
} // namespace certd
