#include "input.h"
#include "test_certificates.h"
#include "temp_dir.h"

#include <openssl/pem.h>
#include <openssl/pkcs7.h>

#include <gtest/gtest.h>

#include <fstream>

namespace certd::cli {
namespace {

using test::makeCa;

std::vector<Bytes> dersOf(const std::vector<const test::TestCertificate*>& certs)
{
    std::vector<Bytes> ders;
    for (const auto* cert : certs)
        ders.push_back(cert->der());
    return ders;
}

// A degenerate PKCS#7 SignedData (certificates only), as `openssl crl2pkcs7
// -nocrl` makes.
Bytes pkcs7Der(const std::vector<const test::TestCertificate*>& certs)
{
    std::unique_ptr<PKCS7, OpenSslDeleter<PKCS7_free>> p7{PKCS7_new()};
    PKCS7_set_type(p7.get(), NID_pkcs7_signed);
    PKCS7_content_new(p7.get(), NID_pkcs7_data);
    for (const auto* cert : certs)
        PKCS7_add_certificate(p7.get(), cert->cert.get());
    unsigned char* der = nullptr;
    const int length = i2d_PKCS7(p7.get(), &der);
    Bytes bytes(der, der + length);
    OPENSSL_free(der);
    return bytes;
}

TEST(CliInput, SplitsPemSequence)
{
    const auto one = makeCa("One");
    const auto two = makeCa("Two");
    EXPECT_EQ(splitBundle(test::bytesOf(one.pem() + two.pem())), dersOf({&one, &two}));
    EXPECT_EQ(splitBundle(test::bytesOf("comment\n" + one.pem() + "\n\n" + two.pem())), dersOf({&one, &two}));
}

TEST(CliInput, SplitsDerAndPkcs7)
{
    const auto one = makeCa("One");
    const auto two = makeCa("Two");
    EXPECT_EQ(splitBundle(one.der()), dersOf({&one}));
    EXPECT_EQ(splitBundle(pkcs7Der({&one, &two})), dersOf({&one, &two}));
    const Bytes p7 = pkcs7Der({&one, &two});
    BioPtr bio{BIO_new(BIO_s_mem())};
    const unsigned char* cursor = p7.data();
    std::unique_ptr<PKCS7, OpenSslDeleter<PKCS7_free>> parsed{d2i_PKCS7(nullptr, &cursor, static_cast<long>(p7.size()))};
    PEM_write_bio_PKCS7(bio.get(), parsed.get());
    EXPECT_EQ(splitBundle(test::bytesOf(bioToString(*bio))), dersOf({&one, &two}));
}

TEST(CliInput, GarbageHoldsNoCertificate)
{
    EXPECT_TRUE(splitBundle(test::bytesOf("not a certificate")).empty());
    EXPECT_TRUE(splitBundle({}).empty());
    EXPECT_TRUE(splitBundle(test::bytesOf("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")).empty());
}

TEST(CliInput, CountsBlocksThatAreNoCertificateAndGoesOn)
{
    const auto one = makeCa("One");
    const auto two = makeCa("Two");
    const std::string damaged = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    // Encrypted PEM: never decrypted, so never a passphrase prompt.
    const std::string encrypted = "-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n"
                                  "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n"
                                  "-----END CERTIFICATE-----\n";
    const std::string key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    std::size_t unreadable = 99;
    EXPECT_EQ(splitBundle(test::bytesOf(one.pem() + damaged + encrypted + key + two.pem()), &unreadable),
              dersOf({&one, &two}));
    EXPECT_EQ(unreadable, 3u);
    splitBundle(test::bytesOf(one.pem()), &unreadable);
    EXPECT_EQ(unreadable, 0u);
    Bytes derThenJunk = one.der();
    derThenJunk.push_back(0x30);
    EXPECT_EQ(splitBundle(derThenJunk, &unreadable), dersOf({&one}));
    EXPECT_EQ(unreadable, 1u);
}

TEST(CliInput, NamesCertificates)
{
    EXPECT_EQ(commonNameOf(makeCa("Example Root").der()), "Example Root");
    EXPECT_EQ(commonNameOf(test::bytesOf("junk")), "");
}

TEST(CliInput, ReadsFilesWithinTheLimit)
{
    test::TempDir dir;
    const auto file = dir.path() / "data";
    std::ofstream(file) << std::string(300 * 1024, 'x');
    EXPECT_EQ(readInput(file).size(), 300u * 1024);
    EXPECT_THROW(readInput(file, 1024), std::runtime_error);
    try {
        readInput((dir.path() / "missing").string());
        FAIL();
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("missing"), std::string::npos);
    }
}

} // namespace
} // namespace certd::cli
