// Each defect the reliability issue reported, as a test of the real daemon,
// and the real faults behind them: a tmpfs that is full, a directory that
// is immutable (chattr +i), files placed in the store by hand.
#include "certd_fixture.h"
#include "immutable.h"
#include "small_tmpfs.h"
#include "x509/certificate_details.h"
#include "x509/certificate_input.h"
#include "x509/private_key_input.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <gmock/gmock.h>

namespace certd::test {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::string fingerprintOfFile(const std::filesystem::path& pem)
{
    return sha256Fingerprint(*readFirstCertificate(bytesOf(readTextFile(pem))).certificate);
}

bool keyMatchesCertificate(const std::filesystem::path& directory)
{
    const auto cert = readFirstCertificate(bytesOf(readTextFile(directory / "cert.pem")));
    const auto key = readPrivateKey(bytesOf(readTextFile(directory / "key.pem")));
    return X509_check_private_key(cert.certificate.get(), key.get()) == 1;
}

class ReliabilityTest : public CertdFixture {
protected:
    std::string callError(const std::function<void()>& call) { return errorNameOf(call); }

    bool trusts(const TestCertificate& ca)
    {
        const auto leaf = makeCertificate(serverSpec("leaf.example", ca));
        writeTextFile(dir_ / "leaf.pem", leaf.pem());
        return runCommand({"openssl", "verify", "-CApath", (state() / "trust" / "certs").string(),
                           (dir_ / "leaf.pem").string()})
                   .exitCode == 0;
    }
};

// ---- 2. A full disk during Generate: the old pair stays, whole.

class FullServiceDirectoryTest : public ReliabilityTest {
protected:
    void SetUp() override
    {
        tmpfs_ = std::make_unique<SmallTmpfs>(dir_ / "disk", 64 * 1024);
        if (!tmpfs_->mounted())
            GTEST_SKIP() << "mounting a tmpfs needs root";
        config_ = "[https]\nDirectory=" + (dir_ / "disk" / "https").string() + "\n";
        start();
    }
    void TearDown() override
    {
        manager_.reset();
        connection_.reset();
        certd_.reset();
        tmpfs_.reset();
    }
    std::unique_ptr<SmallTmpfs> tmpfs_;
};

TEST_F(FullServiceDirectoryTest, GenerateOnAFullDiskFailsNamingWhyAndChangesNothing)
{
    const auto directory = dir_ / "disk" / "https";
    auto https = std::make_unique<HostProxy>(*connection_, "https");
    const auto before = https->Fingerprint();
    tmpfs_->fill();
    const auto generate = [&] { https->Generate({}); };
    EXPECT_EQ(errorNameOf(generate), "org.certd.Certd1.Error.Internal");
    EXPECT_THAT(errorMessageOf(generate), HasSubstr("No space left on device"));
    EXPECT_EQ(https->Fingerprint(), before);
    EXPECT_EQ(fingerprintOfFile(directory / "cert.pem"), before);
    EXPECT_TRUE(keyMatchesCertificate(directory));

    tmpfs_->empty();
    https->Generate({});
    EXPECT_NE(https->Fingerprint(), before);
    EXPECT_EQ(fingerprintOfFile(directory / "cert.pem"), https->Fingerprint());
    EXPECT_TRUE(keyMatchesCertificate(directory));
    https.reset(); // before the connection it uses
    restart();
    EXPECT_EQ(HostProxy(*connection_, "https").Fingerprint(), fingerprintOfFile(directory / "cert.pem"));
}

TEST_F(ReliabilityTest, UploadIntoAnImmutableDirectoryFailsAndChangesNothing)
{
    Immutable frozen(state() / "https");
    if (!frozen.applied())
        GTEST_SKIP() << "chattr +i is not possible here";
    HostProxy https(*connection_, "https");
    const auto before = https.Fingerprint();
    const auto root = makeCa("Frozen Root");
    const auto leaf = makeCertificate(serverSpec("frozen.example", root));
    EXPECT_EQ(errorNameOf([&] { https.Upload(bytesOf(leaf.pem()), bytesOf(leaf.keyPem())); }),
              "org.certd.Certd1.Error.Internal");
    EXPECT_EQ(https.Fingerprint(), before);
    frozen.release();
    EXPECT_TRUE(keyMatchesCertificate(state() / "https"));
    https.Upload(bytesOf(leaf.pem()), bytesOf(leaf.keyPem()));
    EXPECT_EQ(https.Fingerprint(), leaf.fingerprint());
}

// ---- 3. An import whose trust entry cannot be made leaves no phantom.

TEST_F(ReliabilityTest, AnImportThatCannotBeTrustedLeavesNothingAndCanBeRetried)
{
    const auto ca = makeCa("Phantom CA");
    {
        Immutable frozen(state() / "trust" / "certs");
        if (!frozen.applied())
            GTEST_SKIP() << "chattr +i is not possible here";
        EXPECT_EQ(errorNameOf([&] { import(ca); }), "org.certd.Certd1.Error.Internal");
        EXPECT_FALSE(std::filesystem::exists(caStore() / (ca.fingerprint() + ".pem")));
        EXPECT_THAT(caPaths(), Not(Contains(caPath(ca))));
        EXPECT_FALSE(manager_->InspectCACertificate(bytesOf(ca.pem())).at("AlreadyImported").get<bool>());
    }
    EXPECT_EQ(import(ca), caPath(ca));
    EXPECT_TRUE(trusts(ca));
    manager_->Reload();
    EXPECT_THAT(caPaths(), Contains(caPath(ca)));
}

TEST_F(ReliabilityTest, ADeleteThatCannotRemoveTheFileKeepsTheCaWhole)
{
    const auto ca = makeCa("Kept CA");
    import(ca);
    {
        Immutable frozen(caStore());
        if (!frozen.applied())
            GTEST_SKIP() << "chattr +i is not possible here";
        EXPECT_EQ(errorNameOf([&] { caObject(caPath(ca))->Delete(); }), "org.certd.Certd1.Error.Internal");
        EXPECT_THAT(caPaths(), Contains(caPath(ca)));
        EXPECT_TRUE(trusts(ca));
    }
    caObject(caPath(ca))->Delete();
    EXPECT_FALSE(trusts(ca));
}

// ---- 4. A deleted CA does not come back.

TEST_F(ReliabilityTest, ACaStoredTwiceIsDeletedWithEveryCopyAndReloadDoesNotBringItBack)
{
    const auto ca = makeCa("Twice Stored");
    writeTextFile(caStore() / "a.pem", ca.pem());
    const auto der = ca.der();
    writeTextFile(caStore() / "b.der", std::string(der.begin(), der.end()));
    manager_->Reload();
    ASSERT_THAT(caPaths(), Contains(caPath(ca)));
    caObject(caPath(ca))->Delete();
    EXPECT_FALSE(std::filesystem::exists(caStore() / "a.pem"));
    EXPECT_FALSE(std::filesystem::exists(caStore() / "b.der"));
    EXPECT_EQ(manager_->Reload(), 0u);
    EXPECT_THAT(caPaths(), Not(Contains(caPath(ca))));
    EXPECT_FALSE(trusts(ca));
}

// ---- 5. Nothing is trusted that certd did not validate.

TEST_F(ReliabilityTest, AStoreFileOfAnotherUserIsCopiedIntoTrustNeverLinked)
{
    const auto ca = makeCa("Someone Else's CA");
    const auto file = caStore() / "theirs.pem";
    writeTextFile(file, ca.pem());
    ASSERT_EQ(::chown(file.c_str(), 65534, 65534), 0);
    manager_->Reload();
    ASSERT_TRUE(trusts(ca));
    struct stat stored{};
    ASSERT_EQ(::stat(file.c_str(), &stored), 0);
    for (const auto& entry : std::filesystem::directory_iterator(state() / "trust" / "certs")) {
        struct stat status{};
        ::stat(entry.path().c_str(), &status);
        EXPECT_NE(status.st_ino, stored.st_ino) << entry.path() << " is the other user's file";
    }
    // The owner rewrites the file: trust does not change until certd has validated the new contents.
    const auto other = makeCa("Swapped In");
    writeTextFile(file, other.pem());
    EXPECT_TRUE(trusts(ca));
    EXPECT_FALSE(trusts(other));
}

TEST_F(ReliabilityTest, ASymbolicLinkInTheStoreIsSkippedWithAReason)
{
    const auto ca = makeCa("Linked CA");
    writeTextFile(dir_ / "outside.pem", ca.pem());
    std::filesystem::create_symlink(dir_ / "outside.pem", caStore() / "linked.pem");
    EXPECT_EQ(manager_->Reload(), 0u);
    EXPECT_FALSE(trusts(ca));
    EXPECT_TRUE(waitForText(certdLogFile(), "linked.pem: a symbolic link", 5s));
    for (const auto& entry : std::filesystem::directory_iterator(state() / "trust" / "certs"))
        EXPECT_FALSE(std::filesystem::is_symlink(entry.path())) << entry.path();
}

// ---- 6. and 9. A Directory= that is not certd's own stops certd at start, naming the line.

TEST_F(ReliabilityTest, ASymlinkedSharedOrForeignDirectoryIsAConfigurationErrorWithItsLine)
{
    TempDir shared;
    std::filesystem::permissions(shared.path(), std::filesystem::perms(01777));
    std::filesystem::create_directory_symlink(shared.path(), dir_ / "link");
    std::filesystem::create_directory(dir_ / "nobodys");
    ASSERT_EQ(::chown((dir_ / "nobodys").c_str(), 65534, 65534), 0);
    struct Case {
        std::string config;
        std::string fact;
    };
    const Case cases[] = {
        {"[https]\nDirectory=" + (dir_ / "link").string() + "\n", ":2: invalid value"},
        {"[https]\nDirectory=" + (dir_ / "link").string() + "\n", "is a symbolic link"},
        {"[postgresql]\nKeyGroup=\nDirectory=" + (dir_ / "nobodys").string() + "\n", ":3: "},
        {"[postgresql]\nKeyGroup=\nDirectory=" + (dir_ / "nobodys").string() + "\n", "belongs to uid 65534"},
        {"[https]\nDirectory=" + (dir_ / "one").string() + "\n[postgresql]\nDirectory=" + (dir_ / "one").string() + "\n",
         "each service needs a directory of its own"},
    };
    for (const auto& c : cases) {
        const auto result = runCertdExpectingExit(bus_, {dir_ / "other-state", c.config, {}, {}, {}});
        EXPECT_EQ(result.exitCode, 1) << c.config;
        EXPECT_THAT(result.err, HasSubstr(c.fact)) << c.config;
    }
    EXPECT_TRUE(std::filesystem::is_empty(shared.path())) << "certd wrote through the link";
    EXPECT_EQ(infoOf(shared.path()).mode, 01777u) << "certd took over the shared directory";
}

// ---- 8. A damaged cache only costs time.

TEST_F(ReliabilityTest, ACacheOfDeeplyNestedArraysIsRebuiltNotACrash)
{
    const auto ca = makeCa("Cached CA");
    import(ca);
    stop();
    writeTextFile(state() / "ca-details.cache", std::string(100000, '\x81') + '\x00');
    start();
    EXPECT_THAT(caPaths(), Contains(caPath(ca)));
}

TEST_F(ReliabilityTest, AnAnnouncementLogWithAHugeNumberIsReadAsDamaged)
{
    stop();
    writeTextFile(state() / "expiry-announcements.json", R"({"version": 1, "announced": {"aa": 8e+136}})");
    start();
    EXPECT_NO_THROW(manager_->CheckExpiry());
}

// ---- 9. Interrupted writes of every kind are cleaned up; DER is DER.

TEST_F(ReliabilityTest, StaleTemporaryFilesOfEveryKindAreRemovedAtStart)
{
    stop();
    const std::vector<std::filesystem::path> leftovers{
        state() / "private" / ".https.json.0123456789abcdef.tmp",
        state() / "private" / "https" / ".2.json.0123456789abcdef.tmp",
        state() / "https" / ".key.pem.0123456789abcdef.tmp",
        state() / "https" / ".current.0123456789abcdef.tmp",
        state() / ".appliance-ca.pem.0123456789abcdef.tmp",
        state() / "ca" / ".x.pem.0123456789abcdef.tmp",
    };
    for (const auto& leftover : leftovers)
        writeTextFile(leftover, "interrupted, with key material");
    std::filesystem::create_directories(state() / "https" / ".v99");
    writeTextFile(state() / "https" / ".v99" / "key.pem", "an interrupted version");
    start();
    for (const auto& leftover : leftovers)
        EXPECT_FALSE(std::filesystem::exists(leftover)) << leftover;
    EXPECT_FALSE(std::filesystem::exists(state() / "https" / ".v99"));
}

TEST_F(ReliabilityTest, ADerCaWhoseCommonNameHoldsAPemMarkerImports)
{
    const auto ca = makeCa("-----BEGIN CERTIFICATE----- Marker CA");
    const auto der = ca.der();
    EXPECT_EQ(manager_->ImportCACertificate(std::vector<uint8_t>(der.begin(), der.end())), caPath(ca));
}

// ---- 7. A write that keeps failing is retried until it works.

TEST_F(ReliabilityTest, AnOutputThatFailsTheSameWayAgainIsStillRetried)
{
    SignalRecorder signals(bus_);
    {
        Immutable frozen(state() / "trust");
        if (!frozen.applied())
            GTEST_SKIP() << "chattr +i is not possible here";
        import(makeCa("Retried CA")); // the bundle cannot be rewritten: degraded
        ASSERT_TRUE(signals.waitFor(
            [](const ReceivedSignal& s) { return s.values.contains("Degraded") && s.values.at("Degraded") == "true"; },
            10s));
        // The first retry (after 1 s) fails the same way; the next ones must still come.
        ASSERT_TRUE(waitForText(certdLogFile(), "Still failing, retrying: trust bundle", 10s));
    }
    EXPECT_TRUE(signals.waitFor(
        [](const ReceivedSignal& s) { return s.values.contains("Degraded") && s.values.at("Degraded") == "false"; },
        20s))
        << "certd stopped retrying";
}

// ---- 7. A full disk at start: certd serves what it has, says so, recovers.

class FullStateDirectoryTest : public ReliabilityTest {
protected:
    void SetUp() override
    {
        tmpfs_ = std::make_unique<SmallTmpfs>(state(), 512 * 1024);
        if (!tmpfs_->mounted())
            GTEST_SKIP() << "mounting a tmpfs needs root";
        start();
    }
    void TearDown() override
    {
        manager_.reset();
        connection_.reset();
        certd_.reset();
        tmpfs_.reset();
    }
    std::unique_ptr<SmallTmpfs> tmpfs_;
};

TEST_F(FullStateDirectoryTest, StartOnAFullDiskServesDegradedAndRecoversWhenThereIsRoom)
{
    std::vector<TestCertificate> cas;
    for (int i = 0; i < 5; ++i) {
        cas.push_back(makeCa("Full Disk CA " + std::to_string(i)));
        import(cas.back());
    }
    stop();
    std::filesystem::remove_all(state() / "trust");
    tmpfs_->fill();
    start(); // READY on a full disk
    EXPECT_EQ(caPaths().size(), 5u);
    EXPECT_TRUE(manager_->Degraded());
    EXPECT_THAT(manager_->Problems(), Contains(HasSubstr("No space left on device")));
    EXPECT_TRUE(waitForText(certdLogFile(), "MESSAGE_ID=9bb5adc068bb4564a9a920148ce3dec3", 5s));

    SignalRecorder signals(bus_);
    tmpfs_->empty();
    EXPECT_TRUE(signals.waitFor(
        [](const ReceivedSignal& s) {
            return s.member == "PropertiesChanged" && s.values.contains("Degraded") && s.values.at("Degraded") == "false";
        },
        30s));
    EXPECT_THAT(manager_->Problems(), IsEmpty());
    EXPECT_TRUE(trusts(cas.front()));
    EXPECT_TRUE(std::filesystem::exists(state() / "trust" / "ca-bundle.pem"));
    EXPECT_TRUE(waitForText(certdLogFile(), "MESSAGE_ID=d7041ad8be0a46dc870bd4b4242a9ed3", 5s));
}

} // namespace
} // namespace certd::test
