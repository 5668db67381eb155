#include "base/atomic_file.h"
#include "trust/ca_store.h"
#include "x509/certificate_input.h"
#include "trust/details_cache.h"
#include "temp_dir.h"
#include "test_certificates.h"

#include <gtest/gtest.h>

namespace certd {
namespace {

using test::makeCa;
using test::TempDir;

TEST(DetailsCache, RoundTripsEveryField)
{
    TempDir dir;
    test::CertificateSpec spec;
    spec.subject = {{"CN", "Cached"}};
    spec.basicConstraints = "critical,CA:TRUE,pathlen:2";
    spec.subjectAltName = "DNS:ca.example,IP:192.0.2.1";
    const auto original = test::storedCaOf(test::makeCertificate(spec));
    writeFileAtomically(dir / "cache", renderDetailsCache({original}));

    const auto cache = readDetailsCache(dir / "cache");
    ASSERT_EQ(cache.size(), 1u);
    const auto* found = findCached(cache, original->pem);
    ASSERT_TRUE(found);
    const auto& entry = *found;
    const auto& a = entry.details;
    const auto& b = original->details;
    EXPECT_EQ(entry.subjectHash, original->subjectHash);
    EXPECT_EQ(std::tie(a.commonName, a.subject, a.issuer, a.issuerCommonName, a.serialNumber, a.notBefore,
                       a.notAfter, a.fingerprint, a.selfSigned, a.keyType, a.signatureAlgorithm, a.pathLength,
                       a.subjectAlternativeNames),
              std::tie(b.commonName, b.subject, b.issuer, b.issuerCommonName, b.serialNumber, b.notBefore,
                       b.notAfter, b.fingerprint, b.selfSigned, b.keyType, b.signatureAlgorithm, b.pathLength,
                       b.subjectAlternativeNames));
}

TEST(DetailsCache, MissingOrDamagedIsEmpty)
{
    TempDir dir;
    EXPECT_TRUE(readDetailsCache(dir / "absent").empty());
    test::writeTextFile(dir / "damaged", "\xa2garbage");
    EXPECT_TRUE(readDetailsCache(dir / "damaged").empty());
    auto valid = renderDetailsCache({test::storedCaOf(makeCa("A"))});
    test::writeTextFile(dir / "truncated", valid.substr(0, valid.size() - 10));
    EXPECT_TRUE(readDetailsCache(dir / "truncated").empty());
}

TEST(DetailsCache, FindsOnlyExactlyTheSameContents)
{
    const auto a = test::storedCaOf(makeCa("A"));
    TempDir dir;
    writeFileAtomically(dir / "cache", renderDetailsCache({a}));
    const auto cache = readDetailsCache(dir / "cache");
    EXPECT_TRUE(findCached(cache, a->pem));
    EXPECT_FALSE(findCached(cache, a->pem + "\n"));
    EXPECT_FALSE(findCached(cache, test::storedCaOf(makeCa("B"))->pem));
}

TEST(DetailsCache, ScanServesCachedDetailsByContent)
{
    TempDir dir;
    const auto ca = makeCa("Real name");
    std::filesystem::create_directory(dir / "store");
    test::writeTextFile(dir / "store" / "ca.pem", ca.pem());
    // A cache entry for this very content, doctored: proves the scan used it.
    auto doctored = std::make_shared<StoredCa>(*test::storedCaOf(ca));
    doctored->details.commonName = "From the cache";
    writeFileAtomically(dir / "cache", renderDetailsCache({doctored}));
    const DetailsCache cache = readDetailsCache(dir / "cache");

    const auto scan = CaStore(dir / "store").scan({}, cache);
    ASSERT_EQ(scan.certificates.size(), 1u);
    EXPECT_EQ(scan.certificates[0]->details.commonName, "From the cache");
    EXPECT_EQ(scan.certificates[0]->pem, ca.pem());

    // Other content under the same file name is parsed, never served stale.
    const auto replacement = makeCa("Replacement");
    test::writeTextFile(dir / "store" / "ca.pem", replacement.pem());
    EXPECT_EQ(CaStore(dir / "store").scan({}, cache).certificates[0]->details.commonName, "Replacement");
}

TEST(FirstCertificateDer, FindsItWithoutParsing)
{
    const auto a = makeCa("A");
    const auto b = makeCa("B");
    EXPECT_EQ(firstCertificateDer(test::bytesOf(a.pem() + b.pem())), a.der());
    auto der = a.der();
    const auto more = b.der();
    der.insert(der.end(), more.begin(), more.end());
    EXPECT_EQ(firstCertificateDer(der), a.der());
    EXPECT_TRUE(firstCertificateDer(test::bytesOf("nothing here")).empty());
    EXPECT_TRUE(firstCertificateDer({}).empty());
}

} // namespace
} // namespace certd
