#include "trust/ca_store.h"
#include "trust/details_cache.h"
#include "trust/hashed_directory.h"
#include "x509/pem.h"
#include "process.h"
#include "temp_dir.h"
#include "test_certificates.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

namespace certd {
namespace {

using test::CertificateSpec;
using test::TempDir;

std::string entryName(const StoredCaPtr& ca, int index)
{
    char name[32];
    std::snprintf(name, sizeof name, "%08lx.%d", ca->subjectHash, index);
    return name;
}

// Several CAs sharing one subject (so one subject hash), as when a CA is re-keyed.
std::vector<StoredCaPtr> sameSubject(int count)
{
    std::vector<StoredCaPtr> cas;
    for (int i = 0; i < count; ++i)
        cas.push_back(test::storedCaOf(test::makeCa("Re-keyed CA")));
    return cas;
}

ino_t inodeOf(const std::filesystem::path& path)
{
    struct stat status{};
    ::stat(path.c_str(), &status);
    return status.st_ino;
}

TEST(HashedName, Parses)
{
    ASSERT_TRUE(parseHashedName("1a2b3c4d.0"));
    EXPECT_EQ(parseHashedName("1a2b3c4d.12")->index, 12u);
    EXPECT_EQ(parseHashedName("1a2b3c4d.12")->hash, 0x1a2b3c4dul);
    EXPECT_FALSE(parseHashedName("1A2B3C4D.0"));
    EXPECT_FALSE(parseHashedName("1a2b3c4d.r0"));
    EXPECT_FALSE(parseHashedName("1a2b3c4d."));
    EXPECT_FALSE(parseHashedName("1a2b3c4.0"));
    EXPECT_FALSE(parseHashedName("ca-bundle.pem"));
}

TEST(HashedDirectory, NamesEntriesAsOpensslDoes)
{
    TempDir dir;
    const auto ca = test::makeCa("Hash me");
    test::writeTextFile(dir / "ca.pem", ca.pem());
    const auto openssl = test::runCommand({"openssl", "x509", "-noout", "-subject_hash", "-in",
                                           (dir / "ca.pem").string()});
    ASSERT_EQ(openssl.exitCode, 0) << openssl.err;

    HashedDirectory hashed(dir.path());
    hashed.add(*test::storedCaOf(ca));
    const std::string expected = openssl.out.substr(0, 8) + ".0";
    ASSERT_TRUE(std::filesystem::exists(dir / expected));
    EXPECT_EQ(test::readTextFile(dir / expected), ca.pem());
}

TEST(HashedDirectory, NumbersCollisionsAndClosesGapsOnRemoval)
{
    TempDir dir;
    HashedDirectory hashed(dir.path());
    const auto cas = sameSubject(3);
    for (const auto& ca : cas)
        hashed.add(*ca);
    ASSERT_EQ(cas[0]->subjectHash, cas[2]->subjectHash);
    EXPECT_TRUE(std::filesystem::exists(dir / entryName(cas[0], 2)));

    hashed.remove(*cas[0]); // the last one moves into slot 0
    EXPECT_FALSE(std::filesystem::exists(dir / entryName(cas[0], 2)));
    EXPECT_EQ(test::readTextFile(dir / entryName(cas[0], 0)), cas[2]->pem);
    EXPECT_EQ(test::readTextFile(dir / entryName(cas[0], 1)), cas[1]->pem);

    hashed.remove(*cas[1]); // the last one itself
    EXPECT_FALSE(std::filesystem::exists(dir / entryName(cas[0], 1)));
    hashed.remove(*cas[2]);
    EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(HashedDirectory, RebuildRepairsWhatIsWrongAndKeepsWhatIsRight)
{
    TempDir dir;
    const auto cas = sameSubject(2);
    const auto other = test::storedCaOf(test::makeCa("Other"));
    {
        HashedDirectory first(dir.path());
        first.add(*cas[0]);
        first.add(*cas[1]);
        first.add(*other);
    }
    const auto keptInode = inodeOf(dir / entryName(cas[0], 0));
    test::writeTextFile(dir / entryName(cas[0], 1), "");          // lost its data in a crash
    test::writeTextFile(dir / "0badc0de.0", "not ours");          // stray entry
    test::writeTextFile(dir / ".x.tmp", "debris");                // temp file
    std::filesystem::remove(dir / entryName(other, 0));           // deleted by hand

    HashedDirectory rebuilt(dir.path());
    rebuilt.rebuild({cas[0], cas[1], other});
    EXPECT_EQ(inodeOf(dir / entryName(cas[0], 0)), keptInode);
    EXPECT_EQ(test::readTextFile(dir / entryName(cas[0], 1)), cas[1]->pem);
    EXPECT_EQ(test::readTextFile(dir / entryName(other, 0)), other->pem);
    EXPECT_FALSE(std::filesystem::exists(dir / "0badc0de.0"));
    EXPECT_FALSE(std::filesystem::exists(dir / ".x.tmp"));
}

TEST(HashedDirectory, RebuildDropsEntriesOfRemovedCertificatesWithoutGaps)
{
    TempDir dir;
    const auto cas = sameSubject(3);
    HashedDirectory hashed(dir.path());
    hashed.rebuild({cas[0], cas[1], cas[2]});
    hashed.rebuild({cas[2]});
    EXPECT_EQ(test::readTextFile(dir / entryName(cas[0], 0)), cas[2]->pem);
    EXPECT_FALSE(std::filesystem::exists(dir / entryName(cas[0], 1)));
    EXPECT_FALSE(std::filesystem::exists(dir / entryName(cas[0], 2)));
}

TEST(HashedDirectory, LinksToStoreFilesThatHoldJustThePem)
{
    TempDir dir;
    std::filesystem::create_directories(dir / "store");
    std::filesystem::create_directories(dir / "hashed");
    const CaStore store(dir / "store");
    const auto ca = test::makeCa("Linked");
    const auto stored = store.add(*ca.cert, describeCertificate(*ca.cert));
    ASSERT_TRUE(stored->linkable);

    HashedDirectory hashed(dir / "hashed");
    hashed.add(*stored);
    const auto entry = dir / "hashed" / entryName(stored, 0);
    EXPECT_EQ(inodeOf(entry), inodeOf(stored->file));
    EXPECT_EQ(test::readTextFile(entry), ca.pem());

    // A rebuild keeps the link as it is ...
    HashedDirectory again(dir / "hashed");
    again.rebuild({stored});
    EXPECT_EQ(inodeOf(entry), inodeOf(stored->file));
    // ... and replaces a stale copy by the link.
    std::filesystem::remove(entry);
    test::writeTextFile(entry, "stale");
    again.rebuild({stored});
    EXPECT_EQ(inodeOf(entry), inodeOf(stored->file));
}

TEST(HashedDirectory, CopiesCertificatesFromFilesThatHoldMore)
{
    TempDir dir;
    std::filesystem::create_directories(dir / "store");
    std::filesystem::create_directories(dir / "hashed");
    const auto ca = test::makeCa("First of two");
    test::writeTextFile(dir / "store" / "bundle.pem", ca.pem() + test::makeCa("Second of two").pem());
    const auto scan = CaStore(dir / "store").scan({}, {});
    ASSERT_EQ(scan.certificates.size(), 1u);
    EXPECT_FALSE(scan.certificates[0]->linkable);

    HashedDirectory hashed(dir / "hashed");
    hashed.rebuild(scan.certificates);
    const auto entry = dir / "hashed" / entryName(scan.certificates[0], 0);
    EXPECT_NE(inodeOf(entry), inodeOf(dir / "store" / "bundle.pem"));
    EXPECT_EQ(test::readTextFile(entry), ca.pem()); // only the validated certificate
}

TEST(HashedDirectory, OpensslVerifiesAgainstIt)
{
    TempDir dir;
    std::filesystem::create_directory(dir / "hashed");
    const auto root = test::makeCa("Verifying Root");
    const auto leaf = test::makeCertificate(test::serverSpec("server.example", root));
    test::writeTextFile(dir / "leaf.pem", leaf.pem());

    HashedDirectory hashed(dir / "hashed");
    const auto rootStored = test::storedCaOf(root);
    hashed.add(*rootStored);
    const auto verify = [&] {
        return test::runCommand({"openssl", "verify", "-CApath", (dir / "hashed").string(),
                                 (dir / "leaf.pem").string()})
            .exitCode;
    };
    EXPECT_EQ(verify(), 0);
    hashed.remove(*rootStored);
    EXPECT_NE(verify(), 0);
}

} // namespace
} // namespace certd
