#include "host/appliance_ca.h"
#include "x509/certificate_details.h"
#include "base/error.h"
#include "host/host_certificate_store.h"
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

using test::infoOf;

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
    std::filesystem::path records() const { return dir / "private" / "https"; }
    std::filesystem::path legacyRecord() const { return dir / "private" / "https.json"; }
    std::filesystem::path serviceDir() const { return dir / "services" / "https"; }
    // The record of the version the service reads now.
    std::filesystem::path record() const
    {
        const auto target = std::filesystem::read_symlink(serviceDir() / "current").string();
        return records() / (target.substr(2) + ".json");
    }

    HostCertificateStore store(std::optional<gid_t> keyGroup = std::nullopt) const
    {
        ServiceSettings settings;
        settings.name = "https";
        settings.directory = serviceDir();
        settings.keyGroup = keyGroup;
        settings.keyGroupName = keyGroup ? "nogroup" : "";
        return HostCertificateStore(records(), legacyRecord(), settings);
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
        auto loaded = store().load();
        EXPECT_THAT(loaded.notes, ::testing::IsEmpty());
        EXPECT_EQ(loaded.deliveryProblem, "");
        return loaded.host;
    }

    void install(const HostCertificatePtr& host, std::optional<gid_t> keyGroup = std::nullopt) const
    {
        EXPECT_THAT(store(keyGroup).install(*host), ::testing::IsEmpty());
    }

    // Loads a damaged record (the only one), expecting null and the record moved aside.
    void expectDamaged(const std::string& contents, const std::string& why)
    {
        SCOPED_TRACE(why);
        const auto file = records() / "1.json";
        std::filesystem::create_directories(records());
        test::writeTextFile(file, contents);
        const auto loaded = store().load();
        EXPECT_FALSE(loaded.host);
        ASSERT_EQ(loaded.notes.size(), 1u);
        const auto& problem = loaded.notes.front();
        EXPECT_THAT(problem, StartsWith("The certificate record " + file.string() + " is damaged ("));
        EXPECT_THAT(problem, HasSubstr(why));
        EXPECT_THAT(problem, HasSubstr("; it was moved to " + file.string() + ".damaged"));
        EXPECT_FALSE(std::filesystem::exists(file));
        ASSERT_TRUE(std::filesystem::exists(file.string() + ".damaged"));
        EXPECT_EQ(test::readTextFile(file.string() + ".damaged"), contents);
        std::filesystem::remove(file.string() + ".damaged");
    }

    // The text of a good record of host, for editing.
    std::string recordTextOf(const HostCertificatePtr& host)
    {
        install(host);
        auto text = test::readTextFile(record());
        std::filesystem::remove_all(dir / "private");
        std::filesystem::remove_all(serviceDir());
        return text;
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
    test::TestCertificate leaf = test::makeCertificate(test::serverSpec("uploaded.example", intermediate));
};

// -------- the record --------

TEST_F(HostCertificateStoreTest, AGeneratedCertificateLoadsBackCompletely)
{
    const auto host = generated();
    install(host);
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
    install(host);
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
    install(generated());
    const auto info = infoOf(record());
    ASSERT_TRUE(info.exists);
    EXPECT_EQ(info.mode, 0600u);
    EXPECT_EQ(info.owner, ::geteuid());
    EXPECT_EQ(infoOf(records()).mode, 0700u);
}

TEST_F(HostCertificateStoreTest, ASecondInstallReplacesTheFirstAndLeavesOneVersion)
{
    install(generated());
    const auto second = uploaded();
    install(second);
    const auto loaded = loadClean();
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->origin, HostOrigin::Uploaded);
    EXPECT_EQ(loaded->details.fingerprint, second->details.fingerprint);
    EXPECT_EQ(test::readTextFile(serviceDir() / "cert.pem"), leaf.pem());
    EXPECT_EQ(std::filesystem::read_symlink(serviceDir() / "current"), ".v2");
    EXPECT_FALSE(std::filesystem::exists(serviceDir() / ".v1"));
    EXPECT_FALSE(std::filesystem::exists(records() / "1.json"));
    EXPECT_TRUE(std::filesystem::exists(records() / "2.json"));
}

TEST_F(HostCertificateStoreTest, NoRecordIsNoCertificateAndNoProblem)
{
    const auto loaded = store().load();
    EXPECT_FALSE(loaded.host);
    EXPECT_THAT(loaded.notes, ::testing::IsEmpty());
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
    const auto good = recordTextOf(uploaded());

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
    auto text = recordTextOf(generated());
    const auto at = text.find("\"ec-p384\"");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 9, "\"dsa-512\"");
    expectDamaged(text, "unknown key type");
}

TEST_F(HostCertificateStoreTest, AfterMovingADamagedRecordAsideTheNextLoadFindsNone)
{
    std::filesystem::create_directories(records());
    test::writeTextFile(records() / "1.json", "garbage");
    EXPECT_FALSE(store().load().host);
    const auto again = store().load();
    EXPECT_FALSE(again.host);
    EXPECT_THAT(again.notes, ::testing::IsEmpty());
    EXPECT_EQ(test::readTextFile(records() / "1.json.damaged"), "garbage");
}

// Header: "damaged records (moved aside, never deleted)", not even by the next one.
TEST_F(HostCertificateStoreTest, ASecondDamagedRecordDoesNotDeleteTheFirst)
{
    std::filesystem::create_directories(records());
    test::writeTextFile(records() / "1.json", "first damaged record");
    EXPECT_FALSE(store().load().host);
    test::writeTextFile(records() / "1.json", "second damaged record");
    EXPECT_FALSE(store().load().host);
    bool firstKept = false;
    for (const auto& entry : std::filesystem::directory_iterator(records()))
        if (entry.is_regular_file() && test::readTextFile(entry.path()) == "first damaged record")
            firstKept = true;
    EXPECT_TRUE(firstKept);
}

TEST_F(HostCertificateStoreTest, ADamagedCurrentRecordFallsBackToNoneAndKeepsTheEvidence)
{
    install(generated());
    const auto file = record();
    test::writeTextFile(file, "{");
    const auto loaded = store().load();
    EXPECT_FALSE(loaded.host);
    ASSERT_EQ(loaded.notes.size(), 1u);
    EXPECT_THAT(loaded.notes.front(), HasSubstr("is damaged"));
    EXPECT_TRUE(std::filesystem::exists(file.string() + ".damaged"));
}

// -------- one step: interrupted changes and recovery --------

TEST_F(HostCertificateStoreTest, AnInterruptedInstallIsRolledBackAtLoad)
{
    const auto first = generated();
    install(first);
    // What a kill -9 after the new record but before the swap leaves.
    const auto second = uploaded();
    const auto secondRecord = recordTextOf(second);
    install(first); // again, as version 1
    std::filesystem::create_directories(serviceDir() / ".v2");
    test::writeTextFile(serviceDir() / ".v2" / "key.pem", second->keyPem);
    test::writeTextFile(records() / "2.json", secondRecord);

    const auto loaded = loadClean();
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->details.fingerprint, first->details.fingerprint);
    EXPECT_FALSE(std::filesystem::exists(serviceDir() / ".v2"));
    EXPECT_FALSE(std::filesystem::exists(records() / "2.json"));
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), first->keyPem);
}

TEST_F(HostCertificateStoreTest, AnEmptiedDirectoryIsDeliveredAgainFromTheNewestRecord)
{
    const auto host = uploaded();
    install(host);
    std::filesystem::remove_all(serviceDir());
    const auto loaded = loadClean();
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->details.fingerprint, host->details.fingerprint);
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), leaf.keyPem());
    EXPECT_EQ(test::readTextFile(serviceDir() / "chain.pem"), host->chainPem());
}

TEST_F(HostCertificateStoreTest, ARecordOfCertd01IsMigratedAndItsFilesReplacedByLinks)
{
    const auto host = uploaded();
    const auto text = recordTextOf(host);
    std::filesystem::create_directories(legacyRecord().parent_path());
    test::writeTextFile(legacyRecord(), text);
    std::filesystem::create_directories(serviceDir());
    test::writeTextFile(serviceDir() / "cert.pem", host->certificatePem);
    test::writeTextFile(serviceDir() / "key.pem", host->keyPem);

    const auto loaded = loadClean();
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->details.fingerprint, host->details.fingerprint);
    EXPECT_FALSE(std::filesystem::exists(legacyRecord()));
    for (const char* name : {"cert.pem", "chain.pem", "key.pem"})
        EXPECT_TRUE(std::filesystem::is_symlink(serviceDir() / name)) << name;
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), host->keyPem);
    EXPECT_EQ(test::readTextFile(record()), text);
}

TEST_F(HostCertificateStoreTest, LoadRemovesLeftoverVersionsRecordsAndTemporaryFiles)
{
    install(generated());
    std::filesystem::create_directories(serviceDir() / ".v7");
    test::writeTextFile(serviceDir() / ".key.pem.0123456789abcdef.tmp", "secret");
    test::writeTextFile(records() / ".1.json.0123456789abcdef.tmp", "secret");
    test::writeTextFile(records() / "9.json", "stale");
    ASSERT_TRUE(loadClean());
    EXPECT_FALSE(std::filesystem::exists(serviceDir() / ".v7"));
    EXPECT_FALSE(std::filesystem::exists(serviceDir() / ".key.pem.0123456789abcdef.tmp"));
    EXPECT_FALSE(std::filesystem::exists(records() / ".1.json.0123456789abcdef.tmp"));
    EXPECT_FALSE(std::filesystem::exists(records() / "9.json"));
}

TEST_F(HostCertificateStoreTest, ASymlinkInPlaceOfTheDirectoryIsRefused)
{
    TempDir elsewhere;
    std::filesystem::create_directories(serviceDir().parent_path());
    std::filesystem::create_directory_symlink(elsewhere.path(), serviceDir());
    try {
        store().install(*generated());
        FAIL() << "installed through a symbolic link";
    } catch (const Error& error) {
        EXPECT_THAT(error.what(), HasSubstr("symbolic link"));
    }
    EXPECT_TRUE(std::filesystem::is_empty(elsewhere.path()));
}

TEST_F(HostCertificateStoreTest, ADirectoryOwnedBySomeoneElseIsRefused)
{
    std::filesystem::create_directories(serviceDir());
    ASSERT_EQ(::chown(serviceDir().c_str(), 65534, 65534), 0);
    try {
        store().install(*generated());
        FAIL() << "installed into a directory owned by nobody";
    } catch (const Error& error) {
        EXPECT_THAT(error.what(), HasSubstr("owned by uid 65534"));
    }
    EXPECT_TRUE(std::filesystem::is_empty(serviceDir()));
}

// -------- delivery --------

TEST_F(HostCertificateStoreTest, DeliversTheFilesTheServiceReads)
{
    const auto host = uploaded();
    install(host);
    EXPECT_EQ(test::readTextFile(serviceDir() / "cert.pem"), leaf.pem());
    EXPECT_EQ(test::readTextFile(serviceDir() / "chain.pem"), leaf.pem() + intermediate.pem() + root.pem());
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), leaf.keyPem());
    EXPECT_EQ(store().settings().certificatePath(), serviceDir() / "cert.pem");
    EXPECT_EQ(store().settings().chainPath(), serviceDir() / "chain.pem");
    EXPECT_EQ(store().settings().privateKeyPath(), serviceDir() / "key.pem");
    // Every name resolves through the one link that changes.
    for (const char* name : {"cert.pem", "chain.pem", "key.pem"})
        EXPECT_EQ(std::filesystem::read_symlink(serviceDir() / name), std::filesystem::path("current") / name);
}

TEST_F(HostCertificateStoreTest, WithoutKeyGroupOnlyRootReadsTheKey)
{
    install(generated());
    for (const auto& directory : {serviceDir(), serviceDir() / "current"}) {
        const auto info = infoOf(directory);
        EXPECT_EQ(info.mode, 0700u) << directory;
        EXPECT_EQ(info.group, 0u) << directory;
    }
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
    install(generated(), nogroup);
    for (const auto& directory : {serviceDir(), serviceDir() / "current"}) {
        const auto info = infoOf(directory);
        EXPECT_EQ(info.mode, 0750u) << directory;
        EXPECT_EQ(info.group, nogroup) << directory;
    }
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
    install(generated(), nogroup);
    ASSERT_TRUE(loadClean());
    EXPECT_EQ(infoOf(serviceDir()).mode, 0700u);
    EXPECT_EQ(infoOf(serviceDir()).group, 0u);
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").mode, 0600u);
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").group, 0u);
}

TEST_F(HostCertificateStoreTest, LoadRedeliversADeletedKey)
{
    const auto host = generated();
    install(host);
    std::filesystem::remove(serviceDir() / "key.pem");
    ASSERT_TRUE(loadClean());
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), host->keyPem);
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").mode, 0600u);
}

TEST_F(HostCertificateStoreTest, LoadRedeliversAModifiedKey)
{
    const auto host = generated();
    install(host);
    // Same length, one character different: only the contents tell.
    auto modified = host->keyPem;
    modified[40] = modified[40] == 'A' ? 'B' : 'A';
    test::writeTextFile(serviceDir() / "key.pem", modified);
    ASSERT_TRUE(loadClean());
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), host->keyPem);

    test::writeTextFile(serviceDir() / "key.pem", host->keyPem + "trailing");
    ASSERT_TRUE(loadClean());
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), host->keyPem);

    test::writeTextFile(serviceDir() / "key.pem", "");
    ASSERT_TRUE(loadClean());
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), host->keyPem);
}

TEST_F(HostCertificateStoreTest, LoadRedeliversDeletedAndModifiedCertificates)
{
    const auto host = uploaded();
    install(host);
    std::filesystem::remove(serviceDir() / "chain.pem");
    std::filesystem::remove(serviceDir() / "cert.pem");
    test::writeTextFile(serviceDir() / "cert.pem", root.pem()); // a file where the link was
    ASSERT_TRUE(loadClean());
    EXPECT_EQ(test::readTextFile(serviceDir() / "cert.pem"), host->certificatePem);
    EXPECT_EQ(test::readTextFile(serviceDir() / "chain.pem"), host->chainPem());
    EXPECT_TRUE(std::filesystem::is_symlink(serviceDir() / "cert.pem"));
}

TEST_F(HostCertificateStoreTest, LoadRestoresPermissions)
{
    const auto host = generated();
    install(host);
    std::filesystem::permissions(serviceDir() / "key.pem", std::filesystem::perms(0644));
    std::filesystem::permissions(serviceDir() / "cert.pem", std::filesystem::perms(0600));
    std::filesystem::permissions(serviceDir(), std::filesystem::perms(0755));
    ASSERT_EQ(::chown((serviceDir() / "key.pem").c_str(), static_cast<uid_t>(-1), nogroup), 0);
    ASSERT_TRUE(loadClean());
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").mode, 0600u);
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").group, 0u);
    EXPECT_EQ(infoOf(serviceDir() / "cert.pem").mode, 0644u);
    EXPECT_EQ(infoOf(serviceDir()).mode, 0700u);
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), host->keyPem);
}

TEST_F(HostCertificateStoreTest, LoadRestoresTheKeyGroup)
{
    install(generated(), nogroup);
    ASSERT_EQ(::chown((serviceDir() / "key.pem").c_str(), static_cast<uid_t>(-1), 0), 0);
    ASSERT_EQ(::chown(serviceDir().c_str(), static_cast<uid_t>(-1), 0), 0);
    EXPECT_EQ(store(nogroup).load().deliveryProblem, "");
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").group, nogroup);
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").mode, 0640u);
    EXPECT_EQ(infoOf(serviceDir()).group, nogroup);
}

TEST_F(HostCertificateStoreTest, LoadLeavesADeliveryThatIsRightAlone)
{
    const auto host = generated();
    install(host);
    const auto before = infoOf(serviceDir() / "key.pem");
    const auto certBefore = infoOf(serviceDir() / "cert.pem");
    const auto chainBefore = infoOf(serviceDir() / "chain.pem");
    ASSERT_TRUE(loadClean());
    EXPECT_EQ(infoOf(serviceDir() / "key.pem").inode, before.inode);
    EXPECT_EQ(infoOf(serviceDir() / "cert.pem").inode, certBefore.inode);
    EXPECT_EQ(infoOf(serviceDir() / "chain.pem").inode, chainBefore.inode);

    // A repair replaces the version as a whole: never one file of a pair.
    std::filesystem::remove(serviceDir() / "cert.pem");
    ASSERT_TRUE(loadClean());
    EXPECT_NE(infoOf(serviceDir() / "key.pem").inode, before.inode);
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), host->keyPem);
    EXPECT_TRUE(infoOf(serviceDir() / "cert.pem").exists);
}

TEST_F(HostCertificateStoreTest, InstallCreatesMissingDirectories)
{
    const auto host = generated();
    ASSERT_FALSE(std::filesystem::exists(serviceDir().parent_path()));
    install(host);
    EXPECT_TRUE(std::filesystem::is_directory(serviceDir()));
    EXPECT_EQ(test::readTextFile(serviceDir() / "key.pem"), host->keyPem);
}

} // namespace
} // namespace certd
