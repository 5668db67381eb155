#include "base/error.h"
#include "x509/pem.h"
#include "base/state_directory.h"
#include "temp_dir.h"
#include "test_certificates.h"
#include "trust/trust_store.h"

#include <atomic>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using test::bytesOf;
using test::CertificateSpec;
using test::day;
using test::makeCa;
using test::now;
using test::TempDir;
using ::testing::HasSubstr;

class TrustStoreTest : public ::testing::Test {
protected:
    TrustStoreTest()
    {
        prepareStateDirectory(layout);
    }

    std::unique_ptr<TrustStore> open()
    {
        auto store = std::make_unique<TrustStore>(
            TrustStorePaths::in(layout),
            [this](std::size_t count, const std::string&) { bundleCount = count; });
        store->load();
        return store;
    }

    StoredCaPtr importInto(TrustStore& store, const test::TestCertificate& ca)
    {
        return store.import(store.inspect(bytesOf(ca.pem()), now()));
    }

    std::size_t filesIn(const std::filesystem::path& dir)
    {
        std::size_t count = 0;
        for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir))
            ++count;
        return count;
    }

    TempDir dir;
    StateLayout layout{dir / "state"};
    std::atomic<std::size_t> bundleCount{9999};
};

TEST_F(TrustStoreTest, InspectDescribesWithoutStoring)
{
    auto store = open();
    const auto ca = makeCa("Inspected");
    const auto inspection = store->inspect(bytesOf(ca.pem() + makeCa("Extra").pem()), now());
    EXPECT_EQ(inspection.details.commonName, "Inspected");
    EXPECT_EQ(inspection.additionalCertificates, 1u);
    EXPECT_FALSE(inspection.alreadyImported);
    EXPECT_EQ(filesIn(layout.caStore()), 0u);
    EXPECT_EQ(store->size(), 0u);
}

TEST_F(TrustStoreTest, ImportStoresAndUpdatesBothOutputs)
{
    auto store = open();
    const auto ca = makeCa("Imported");
    const auto stored = importInto(*store, ca);
    EXPECT_EQ(stored->fingerprint(), ca.fingerprint());
    EXPECT_EQ(test::readTextFile(layout.caStore() / (ca.fingerprint() + ".pem")), ca.pem());
    EXPECT_EQ(filesIn(layout.trustDirectory()), 1u);
    store->flushOutputs();
    EXPECT_THAT(test::readTextFile(layout.trustBundle()), HasSubstr(ca.pem()));
    EXPECT_EQ(bundleCount, 1u);
    EXPECT_TRUE(store->inspect(bytesOf(ca.pem()), now()).alreadyImported);
}

TEST_F(TrustStoreTest, ImportingTwiceIsAlreadyExists)
{
    auto store = open();
    const auto ca = makeCa("Twice");
    importInto(*store, ca);
    try {
        importInto(*store, ca);
        FAIL();
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), ErrorCode::AlreadyExists);
    }
}

TEST_F(TrustStoreTest, RemoveDeletesFileAndOutputs)
{
    auto store = open();
    const auto ca = makeCa("Removed");
    importInto(*store, ca);
    store->remove(ca.fingerprint());
    EXPECT_EQ(filesIn(layout.caStore()), 0u);
    EXPECT_EQ(filesIn(layout.trustDirectory()), 0u);
    store->flushOutputs();
    EXPECT_EQ(test::readTextFile(layout.trustBundle()), "");
    try {
        store->remove(ca.fingerprint());
        FAIL();
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), ErrorCode::NotFound);
    }
}

TEST_F(TrustStoreTest, PersistsAcrossReopening)
{
    const auto ca = makeCa("Persistent");
    importInto(*open(), ca);
    auto reopened = open();
    ASSERT_TRUE(reopened->find(ca.fingerprint()));
    EXPECT_EQ(reopened->find(ca.fingerprint())->details.commonName, "Persistent");
}

TEST_F(TrustStoreTest, LoadIsLenientAboutExpiryButSkipsWhatIsNoCa)
{
    CertificateSpec expiredSpec;
    expiredSpec.subject = {{"CN", "Expired since"}};
    expiredSpec.notBefore = now() - 100 * day;
    expiredSpec.notAfter = now() - day;
    const auto expired = test::makeCertificate(expiredSpec);
    CertificateSpec leafSpec;
    leafSpec.basicConstraints = "CA:FALSE";
    leafSpec.keyUsage = "";
    const auto leaf = test::makeCertificate(leafSpec);
    test::writeTextFile(layout.caStore() / "expired.pem", expired.pem());
    test::writeTextFile(layout.caStore() / "leaf.pem", leaf.pem());
    test::writeTextFile(layout.caStore() / "corrupt.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n");

    TrustStore store(TrustStorePaths::in(layout),
                     [](std::size_t, const std::string&) {});
    const auto changes = store.load();
    EXPECT_EQ(store.size(), 1u);
    EXPECT_TRUE(store.find(expired.fingerprint()));
    ASSERT_EQ(changes.problems.size(), 2u);
    EXPECT_THAT(changes.problems[0], HasSubstr("corrupt.pem"));
    EXPECT_THAT(changes.problems[1], HasSubstr("leaf.pem"));
}

TEST_F(TrustStoreTest, ReloadPicksUpFilesAddedAndRemovedBehindItsBack)
{
    auto store = open();
    const auto kept = makeCa("Kept");
    const auto removed = makeCa("Removed by hand");
    const auto added = makeCa("Added by hand");
    importInto(*store, kept);
    importInto(*store, removed);

    std::filesystem::remove(layout.caStore() / (removed.fingerprint() + ".pem"));
    const auto der = added.der();
    test::writeTextFile(layout.caStore() / "corporate-proxy.der", std::string(der.begin(), der.end()));

    const auto changes = store->load();
    ASSERT_EQ(changes.added.size(), 1u);
    ASSERT_EQ(changes.removed.size(), 1u);
    EXPECT_EQ(changes.added[0]->fingerprint(), added.fingerprint());
    EXPECT_EQ(changes.added[0]->file, layout.caStore() / "corporate-proxy.der");
    EXPECT_EQ(changes.removed[0]->fingerprint(), removed.fingerprint());
    EXPECT_EQ(store->size(), 2u);
    EXPECT_EQ(filesIn(layout.trustDirectory()), 2u);

    // Deleting an adopted file removes the administrator's file itself.
    store->remove(added.fingerprint());
    EXPECT_FALSE(std::filesystem::exists(layout.caStore() / "corporate-proxy.der"));
}

TEST_F(TrustStoreTest, ReloadWithoutChangesReportsNothing)
{
    auto store = open();
    importInto(*store, makeCa("Stable"));
    const auto changes = store->load();
    EXPECT_TRUE(changes.added.empty());
    EXPECT_TRUE(changes.removed.empty());
}

TEST_F(TrustStoreTest, DuplicateFilesCountOnce)
{
    const auto ca = makeCa("Duplicate");
    test::writeTextFile(layout.caStore() / "a.pem", ca.pem());
    test::writeTextFile(layout.caStore() / "b.pem", ca.pem());
    TrustStore store(TrustStorePaths::in(layout),
                     [](std::size_t, const std::string&) {});
    const auto changes = store.load();
    EXPECT_EQ(store.size(), 1u);
    EXPECT_EQ(store.find(ca.fingerprint())->file, layout.caStore() / "a.pem");
    ASSERT_EQ(changes.problems.size(), 1u);
    EXPECT_THAT(changes.problems[0], HasSubstr("b.pem"));
}

TEST_F(TrustStoreTest, LoadClearsDebrisOfAnInterruptedWrite)
{
    test::writeTextFile(layout.caStore() / ".abc.pem.0011223344556677.tmp", "-----BEGIN CERT");
    auto store = open();
    EXPECT_EQ(store->size(), 0u);
    EXPECT_EQ(filesIn(layout.caStore()), 0u);
}

TEST_F(TrustStoreTest, BundleHoldsEveryCertificate)
{
    auto store = open();
    std::vector<test::TestCertificate> cas;
    for (int i = 0; i < 5; ++i)
        cas.push_back(makeCa("Bundle " + std::to_string(i)));
    for (const auto& ca : cas)
        importInto(*store, ca);
    store->flushOutputs();
    const auto bundle = test::readTextFile(layout.trustBundle());
    for (const auto& ca : cas)
        EXPECT_THAT(bundle, HasSubstr(ca.pem()));
    EXPECT_EQ(bundleCount, 5u);
}

} // namespace
} // namespace certd
