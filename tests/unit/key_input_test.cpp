#include "error.h"
#include "certificate_input.h"
#include "private_key_input.h"
#include "process.h"
#include "temp_dir.h"
#include "test_certificates.h"

#include <openssl/pem.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using test::bytesOf;
using test::makeKey;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string drain(BIO* bio)
{
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(length));
}

template <typename Write>
std::string encode(Write write)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    write(bio.get());
    return drain(bio.get());
}

unsigned char passphrase[] = "secret";

ErrorCode codeOf(const std::string& input, std::string* message = nullptr)
{
    try {
        readPrivateKey(bytesOf(input));
    } catch (const Error& error) {
        if (message)
            *message = error.what();
        return error.code();
    }
    ADD_FAILURE() << "accepted";
    return ErrorCode::Internal;
}

bool sameKey(EVP_PKEY& a, const std::string& input)
{
    const auto read = readPrivateKey(bytesOf(input));
    return EVP_PKEY_eq(read.get(), &a) == 1;
}

TEST(KeyInput, ReadsEveryUnencryptedEncoding)
{
    auto rsa = makeKey("RSA");
    auto ec = makeKey("EC");
    EXPECT_TRUE(sameKey(*ec, encode([&](BIO* b) { PEM_write_bio_PrivateKey(b, ec.get(), nullptr, nullptr, 0, nullptr, nullptr); })));
    EXPECT_TRUE(sameKey(*rsa, encode([&](BIO* b) { PEM_write_bio_PrivateKey_traditional(b, rsa.get(), nullptr, nullptr, 0, nullptr, nullptr); })));
    EXPECT_TRUE(sameKey(*ec, encode([&](BIO* b) { PEM_write_bio_PrivateKey_traditional(b, ec.get(), nullptr, nullptr, 0, nullptr, nullptr); })));
    EXPECT_TRUE(sameKey(*ec, encode([&](BIO* b) { i2d_PKCS8PrivateKey_bio(b, ec.get(), nullptr, nullptr, 0, nullptr, nullptr); })));
    EXPECT_TRUE(sameKey(*rsa, encode([&](BIO* b) { i2d_PrivateKey_bio(b, rsa.get()); })));
}

TEST(KeyInput, FindsTheKeyAmongOtherPemBlocks)
{
    const auto ca = test::makeCa("With its key");
    EXPECT_TRUE(sameKey(*ca.key, ca.pem() + ca.keyPem()));
}

TEST(KeyInput, RefusesPassphraseProtectedKeysWithThatExplanation)
{
    auto key = makeKey("EC");
    const std::vector<std::string> encrypted = {
        encode([&](BIO* b) { PEM_write_bio_PKCS8PrivateKey(b, key.get(), EVP_aes_128_cbc(), "secret", 6, nullptr, nullptr); }),
        encode([&](BIO* b) { PEM_write_bio_PrivateKey_traditional(b, key.get(), EVP_aes_128_cbc(), passphrase, 6, nullptr, nullptr); }),
        encode([&](BIO* b) { i2d_PKCS8PrivateKey_bio(b, key.get(), EVP_aes_128_cbc(), const_cast<char*>("secret"), 6, nullptr, nullptr); }),
    };
    for (const auto& input : encrypted) {
        std::string message;
        EXPECT_EQ(codeOf(input, &message), ErrorCode::KeyEncrypted);
        EXPECT_THAT(message, StartsWith("Private keys protected by a passphrase are not supported"));
    }
}

TEST(KeyInput, AnOpensslEncryptedKeyIsRefusedWithoutPrompting)
{
    // Made by the command line as an administrator would; stdin is not a
    // terminal here, and a prompt would hang the test.
    test::TempDir dir;
    const auto made = test::runCommand({"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                                        "-aes-128-cbc", "-pass", "pass:secret", "-out", (dir / "key.pem").string()});
    ASSERT_EQ(made.exitCode, 0) << made.err;
    EXPECT_EQ(codeOf(test::readTextFile(dir / "key.pem")), ErrorCode::KeyEncrypted);
}

TEST(KeyInput, RefusesWhatIsNoKey)
{
    std::string message;
    EXPECT_EQ(codeOf("", &message), ErrorCode::InvalidKey);
    EXPECT_THAT(message, HasSubstr("empty"));
    EXPECT_EQ(codeOf("not a key at all", &message), ErrorCode::InvalidKey);
    EXPECT_EQ(codeOf(test::makeCa("Only a certificate").pem(), &message), ErrorCode::InvalidKey);
    EXPECT_THAT(message, HasSubstr("CERTIFICATE"));
    auto pem = test::makeCa("Damaged").keyPem();
    pem[pem.size() / 2] = '!';
    EXPECT_EQ(codeOf(pem), ErrorCode::InvalidKey);
}

TEST(KeyInput, RefusesOversizedInput)
{
    std::string big = test::makeCa("Big").keyPem();
    big.resize(maxInputSize + 1, '\n');
    EXPECT_EQ(codeOf(big), ErrorCode::TooLarge);
}

TEST(KeyInput, WritesUnencryptedPkcs8)
{
    auto key = makeKey("EC");
    const auto pem = privateKeyToPem(*key);
    EXPECT_THAT(pem, StartsWith("-----BEGIN PRIVATE KEY-----"));
    EXPECT_TRUE(sameKey(*key, pem));
}

} // namespace
} // namespace certd
