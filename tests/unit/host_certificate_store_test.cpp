#include "appliance_ca.h"
#include "certificate_details.h"
#include "host_certificate_store.h"
#include "temp_dir.h"
#include "test_certificates.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using test::now;
using test::TempDir;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr gid_t nogroup = 65534;

struct FileInfo {
    bool exists = false;
    mode_t mode = 0;
    uid_t owner = 0;
    gid_t group = 0;
    ino_t inode = 0;
};

FileInfo infoOf(const std::filesystem::path& path)
{
    struct stat status{};
    if (::stat(path.c_str(), &status) != 0)
        return {};
    return {true, status.st_mode & 07777, status.st_uid, status.st_gid, status.st_ino};
}

void expectSameDetails(const CertificateDetails& actual, const CertificateDetails& expected)
{
    EXPECT_EQ(actual.commonName, expected.commonName);
    EXPECT_EQ(actual.subject, expected.subject);
    EXPECT_EQ(actual.issuer, expected.issuer);
    EXPECT_EQ(actual.issuerCommonName, expected.issuerCommonName);
    EXPECT_EQ(actual.serialNumber, expected.serialNumber);
    EXPECT_EQ(actual.notBefore, expected.notBefore);
    EXPECT_EQ(actual.notAfter, expected.notAfter);
    EXPECT_EQ(actual.fingerprint, expected.fingerprint);
    EXPECT_EQ(actual.selfSigned, expected.selfSigned);
    EXPECT_EQ(actual.keyType, expected.keyType);
    EXPECT_EQ(actual.signatureAlgorithm, expected.signatureAlgorithm);
    EXPECT_EQ(actual.pathLength, expected.pathLength);
    EXPECT_EQ(actual.subjectAlternativeNames, expected.subjectAlternativeNames);
}

class HostCertificateStoreTest : public ::testing::Test {
protected:
    std::filesystem::path record() const { return dir / "https.json"; }
    std::filesystem::path serviceDir() const { return dir / "services" / "https"; }

    HostCertificateStore store(std::optional<gid_t> keyGroup = std::nullopt) const
    {
        ServiceSettings settings;
        settings.name = "https";
        settings.directory = serviceDir();
        settings.keyGroup = keyGroup;
        settings.keyGroupName = keyGroup ? "nogroup" : "";
        return HostCertificateStore(record(), settings);
    }

    HostCertificatePtr generated()
    {
        GenerationSettings settings;
        settings.hostname = "Store.Example.com";
        settings.keyType = KeyType::EcP384;
        settings.validityDays = 123;
        settings.additionalNames = {"10.1.2.3", "alias.example.com", "2001:db8::5"};
        return ca->issue(settings, now());
    }

    HostCertificatePtr uploaded()
    {
        std::vector<X509Ptr> chain;
        chain.push_back(shareCertificate(*leaf.cert));
        chain.push_back(shareCertificate(*intermediate.cert));
        chain.push_back(shareCertificate(*root.cert));
        return makeHostCertificate(HostOrigin::Uploaded, std::nullopt, chain, *leaf.key);
    }

    // Loads, expecting a certificate and no problem.
    HostCertificatePtr loadClean() const
    {
        std::string problem;
        auto loaded = store().load(problem);
        EXPECT_EQ(problem, "");
        return loaded;
    }

    // Loads a damaged record, expecting null and the record moved aside.
    void expectDamaged(const std::string& contents, const std::string& why)
    {
        SCOPED_TRACE(why);
        test::writeTextFile(record(), contents);
        std::string problem;
        EXPECT_FALSE(store().load(problem));
        EXPECT_THAT(problem, StartsWith("The certificate record " + record().string() + " is damaged ("));
        EXPECT_THAT(problem, HasSubstr(why));
        EXPECT_THAT(problem, HasSubstr("; it was moved to " + record().string() + ".damaged"));
        EXPECT_FALSE(std::filesystem::exists(record()));
        ASSERT_TRUE(std::filesystem::exists(record().string() + ".damaged"));
        EXPECT_EQ(test::readTextFile(record().string() + ".damaged"), contents);
        std::filesystem::remove(record().string() + ".damaged");
    }

    TempDir dir;
    std::unique_ptr<ApplianceCa> ca = ApplianceCa::loadOrCreate(dir / "ca.pem", {"Store CA", KeyType::EcP256}, now());
    test::TestCertificate root = test::makeCa("Store Root");
    test::TestCertificate intermediate = [this] {
        test::CertificateSpec spec;
        spec.subject = {{"CN", "Store Intermediate"}};
        spec.issuer = &root;
        return test::makeCertificate(spec);
    }();
    test::TestCertificate leaf = [this] {
        test::CertificateSpec spec;
        spec.subject = {{"CN", "uploaded.example"}};
        spec.basicConstraints = "critical,CA:FALSE";
        spec.keyUsage = "critical,digitalSignature";
        spec.extendedKeyUsage = "serverAuth";
        spec.subjectAltName = "DNS:uploaded.example";
        spec.issuer = &intermediate;
        return test::makeCertificate(spec);
    }();
};

// -------- the record --------

TEST_F(HostCertificateStoreTest, AGeneratedCertificateLoadsBackCompletely)
{
    const auto host = generated();
    store().save(*host);
    const auto loaded = loadClean();
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->origin, HostOrigin::Generated);
    ASSERT_TRUE(loaded->generation);
    EXPECT_EQ(loaded->generation->hostname, "Store.Example.com");
    EXPECT_EQ(loaded->generation->keyType, KeyType::EcP384);
    EXPECT_EQ(loaded->generation->validityDays, 123u);
    EXPECT_EQ(loaded->generation->additionalNames,
              (std::vector<std::string>{"10.1.2.3", "alias.example.com", "2001:db8::5"}));
    EXPECT_EQ(loaded->certificatePem, host->certificatePem);
    EXPECT_EQ(loaded->chainPems, host->chainPems);
    EXPECT_EQ(loaded->keyPem, host->keyPem);
    expectSameDetails(loaded->details, host->details);
}

TEST_F(HostCertificateStoreTest, AnUploadedCertificateLoadsBackWithItsChainInOrder)
{
    const auto host = uploaded();
    store().save(*host);
    const auto loaded = loadClean();
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->origin, HostOrigin::Uploaded);
    EXPECT_FALSE(loaded->generation);
    EXPECT_EQ(loaded->certificatePem, leaf.pem());
    EXPECT_EQ(loaded->chainPems, (std::vector<std::string>{intermediate.pem(), root.pem()}));
    EXPECT_EQ(loaded->keyPem, leaf.keyPem());
    expectSameDetails(loaded->details, host->details);
}

TEST_F(HostCertificateStoreTest, TheRecordIsReadableByRootOnly)
{
    store().save(*generated());
    const auto info = infoOf(record());
    ASSERT_TRUE(info.exists);
    EXPECT_EQ(info.mode, 0600u);
    EXPECT_EQ(info.owner, ::geteuid());
}

TEST_F(HostCertificateStoreTest, ASecondSaveReplacesTheFirst)
{
    store().save(*generated());
    const auto second = uploaded();
    store().save(*second);
    const auto loaded = loadClean();
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->origin, HostOrigin::Uploaded);
    EXPECT_EQ(loaded->details.fingerprint, second->details.fingerprint);
    EXPECT_EQ(test::readTextFile(serviceDir() / "cert.pem"), leaf.pem());
}

TEST_F(HostCertificateStoreTest, CommitWritesTheRecordButDeliversNothing)
{
    const auto host = generated();
    store().commit(*host);
    EXPECT_TRUE(std::filesystem::exists(record()));
    EXPECT_FALSE(std::filesystem::exists(serviceDir() / "key.pem"));
    const auto loaded = loadClean();
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->keyPem, host->keyPem);
}

TEST_F(HostCertificateStoreTest, NoRecordIsNoCertificateAndNoProblem)
{
    std::string problem;
    EXPECT_FALSE(store().load(problem));
    EXPECT_EQ(problem, "");
    EXPECT_FALSE(std::filesystem::exists(record().string() + ".damaged"));
}

TEST_F(HostCertificateStoreTest, ADamagedRecordIsMovedAside)
{
    expectDamaged("{\"version\": 1, \"origin\": \"uploaded\"", "parse error");
    expectDamaged("", "parse error");
    expectDamaged("[]", "");
    expectDamaged("{\"version\": 2, \"origin\": \"uploaded\"}", "unknown record version");
    expectDamaged("{\"version\": 1, \"origin\": \"none\"}", "unknown origin none");
}

TEST_F(HostCertificateStoreTest, ARecordWithMissingOrWrongPartsIsDamaged)
{
    const auto host = uploaded();
    store().commit(*host);
    const auto good = test::readTextFile(record());

    auto replaced = [&](const std::string& from, const std::string& to) {
        auto text = good;
        const auto at = text.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return at == std::string::npos ? text : text.replace(at, from.size(), to);
    };
    expectDamaged(replaced("\"privateKey\"", "\"key\""), "privateKey");
    expectDamaged(replaced("-----BEGIN PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----"),
                  "no certificate or key in it");
    expectDamaged(replaced("\"certificate\": \"-----BEGIN CERTIFICATE-----", "\"certificate\": \"garbage"),
                  "no certificate or key in it");
    expectDamaged(replaced("\"details\"", "\"detail\""), "details");
}

TEST_F(HostCertificateStoreTest, ARecordWithBadGenerationSettingsIsDamaged)
{
    store().commit(*generated());
    auto text = test::readTextFile(record());
    const auto at = text.find("\"ec-p384\"");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 9, "\"dsa-512\"");
    expectDamaged(text, "unknown key type");
}

TEST_F(HostCertificateStoreTest, AfterMovingADamagedRecordAsideTheNextLoadFindsNone)
{
    test::writeTextFile(record(), "garbage");
    std::string problem;
    EXPECT_FALSE(store().load(problem));
    EXPECT_NE(problem, "");
    std::string again;
    EXPECT_FALSE(store().load(again));
    EXPECT_EQ(again, "");
    EXPECT_EQ(test::readTextFile(record().string() + ".damaged"), "garbage");
}

// Header: "A damaged record is moved aside (never deleted)", not even by the next one.
TEST_F(HostCertificateStoreTest, ASecondDamagedRecordDoesNotDeleteTheFirst)
{
    test::writeTextFile(record(), "first damaged record");
    std::string problem;
    EXPECT_FALSE(store().load(problem));
    test::writeTextFile(record(), "second damaged record");
    EXPECT_FALSE(store().load(problem));
    bool firstKept = false;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        if (entry.is_regular_file() && test::readTextFile(entry.path()) == "first damaged record")
            firstKept = true;
    EXPECT_TRUE(firstKept);
}

// -------- delivery --------

TEST_F(HostCertificateStoreTest, DeliversTheFilesTheServiceReads)
{
    const auto host = uploaded();
    store().save(*host);
    EXPECT_EQ(test::readTextFile(serviceDir() / "cert.pem"), leaf.pem());
    EXPECT_EQ(test::readTextFile(serviceDir() / "chain.pem"), leaf.pem() + intermediate.pem() + root.pem());
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), leaf.keyPem());
    EXPECT_EQ(store().settings().certificatePath(), serviceDir() / "cert.pem");
    EXPECT_EQ(store().settings().chainPath(), serviceDir() / "chain.pem");
    EXPECT_EQ(store().settings().privateKeyPath(), serviceDir() / "key.pem");
}

TEST_F(HostCertificateStoreTest, WithoutKeyGroupOnlyRootReadsTheKey)
{
    store().save(*generated());
    const auto directory = infoOf(serviceDir());
    EXPECT_EQ(directory.mode, 0700u);
    EXPECT_EQ(directory.group, 0u);
    const auto key = infoOf(serviceDir() / "key.pem");
    EXPECT_EQ(key.mode, 0600u);
    EXPECT_EQ(key.owner, 0u);
    EXPECT_EQ(key.group, 0u);
    for (const char* name : {"cert.pem", "chain.pem"}) {
        const auto info = infoOf(serviceDir() / name);
        EXPECT_EQ(info.mode, 0644u) << name;
        EXPECT_EQ(info.group, 0u) << name;
    }
}

TEST_F(HostCertificateStoreTest, AKeyGroupMayReadTheKeyAndEnterTheDirectory)
{
    store(nogroup).save(*generated());
    const auto directory = infoOf(serviceDir());
    EXPECT_EQ(directory.mode, 0750u);
    EXPECT_EQ(directory.group, nogroup);
    const auto key = infoOf(serviceDir() / "key.pem");
    EXPECT_EQ(key.mode, 0640u);
    EXPECT_EQ(key.owner, 0u);
    EXPECT_EQ(key.group, nogroup);
    for (const char* name : {"cert.pem", "chain.pem"}) {
        const auto info = infoOf(serviceDir() / name);
        EXPECT_EQ(info.mode, 0644u) << name;
        EXPECT_EQ(info.group, 0u) << name;
    }
    EXPECT_EQ(infoOf(record()).mode, 0600u);
    EXPECT_EQ(infoOf(record()).group, 0u);
}

TEST_F(HostCertificateStoreTest, DroppingTheKeyGroupTakesItsAccessAway)
{
    const auto host = generated();
    store(nogroup).save(*host);
    store().deliver(*host);
    EXPECT_EQ(infoOf(serviceDir()).mode, 0700u);
    EXPECT_EQ(infoOf(serviceDir()).group, 0u);
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").mode, 0600u);
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").group, 0u);
}

TEST_F(HostCertificateStoreTest, DeliveryRewritesADeletedKey)
{
    const auto host = generated();
    store().save(*host);
    std::filesystem::remove(serviceDir() / "key.pem");
    store().deliver(*host);
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), host->keyPem);
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").mode, 0600u);
}

TEST_F(HostCertificateStoreTest, DeliveryRewritesAModifiedKey)
{
    const auto host = generated();
    store().save(*host);
    // Same length, one character different: only the contents tell.
    auto modified = host->keyPem;
    modified[40] = modified[40] == 'A' ? 'B' : 'A';
    test::writeTextFile(serviceDir() / "key.pem", modified);
    store().deliver(*host);
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), host->keyPem);

    test::writeTextFile(serviceDir() / "key.pem", host->keyPem + "trailing");
    store().deliver(*host);
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), host->keyPem);

    test::writeTextFile(serviceDir() / "key.pem", "");
    store().deliver(*host);
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), host->keyPem);
}

TEST_F(HostCertificateStoreTest, DeliveryRewritesDeletedAndModifiedCertificates)
{
    const auto host = uploaded();
    store().save(*host);
    std::filesystem::remove(serviceDir() / "chain.pem");
    test::writeTextFile(serviceDir() / "cert.pem", root.pem());
    store().deliver(*host);
    EXPECT_EQ(test::readTextFile(serviceDir() / "cert.pem"), host->certificatePem);
    EXPECT_EQ(test::readTextFile(serviceDir() / "chain.pem"), host->chainPem());
}

TEST_F(HostCertificateStoreTest, DeliveryRestoresPermissions)
{
    const auto host = generated();
    store().save(*host);
    std::filesystem::permissions(serviceDir() / "key.pem", std::filesystem::perms(0644));
    std::filesystem::permissions(serviceDir() / "cert.pem", std::filesystem::perms(0600));
    std::filesystem::permissions(serviceDir(), std::filesystem::perms(0755));
    ASSERT_EQ(::chown((serviceDir() / "key.pem").c_str(), static_cast<uid_t>(-1), nogroup), 0);
    store().deliver(*host);
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").mode, 0600u);
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").group, 0u);
    EXPECT_EQ(infoOf(serviceDir() / "cert.pem").mode, 0644u);
    EXPECT_EQ(infoOf(serviceDir()).mode, 0700u);
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), host->keyPem);
}

TEST_F(HostCertificateStoreTest, DeliveryRestoresTheKeyGroup)
{
    const auto host = generated();
    store(nogroup).save(*host);
    ASSERT_EQ(::chown((serviceDir() / "key.pem").c_str(), static_cast<uid_t>(-1), 0), 0);
    ASSERT_EQ(::chown(serviceDir().c_str(), static_cast<uid_t>(-1), 0), 0);
    store(nogroup).deliver(*host);
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").group, nogroup);
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").mode, 0640u);
    EXPECT_EQ(infoOf(serviceDir()).group, nogroup);
}

TEST_F(HostCertificateStoreTest, DeliveryLeavesFilesThatAreRightAlone)
{
    const auto host = generated();
    store().save(*host);
    const auto before = infoOf(serviceDir() / "key.pem");
    const auto certBefore = infoOf(serviceDir() / "cert.pem");
    const auto chainBefore = infoOf(serviceDir() / "chain.pem");
    store().deliver(*host);
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").inode, before.inode);
    EXPECT_EQ(infoOf(serviceDir() / "cert.pem").inode, certBefore.inode);
    EXPECT_EQ(infoOf(serviceDir() / "chain.pem").inode, chainBefore.inode);

    // Only the file that differs is replaced.
    std::filesystem::remove(serviceDir() / "cert.pem");
    store().deliver(*host);
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").inode, before.inode);
    EXPECT_TRUE(infoOf(serviceDir() / "cert.pem").exists);
}

TEST_F(HostCertificateStoreTest, DeliveryCreatesMissingDirectories)
{
    const auto host = generated();
    store().commit(*host);
    ASSERT_FALSE(std::filesystem::exists(serviceDir().parent_path()));
    store().deliver(*host);
    EXPECT_TRUE(std::filesystem::is_directory(serviceDir()));
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), host->keyPem);
}

} // namespace
} // namespace certd
