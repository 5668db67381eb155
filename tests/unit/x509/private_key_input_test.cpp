#include "x509/certificate_input.h"
#include "base/error.h"
#include "host/hostname.h"
#include "x509/private_key_input.h"
#include "process.h"
#include "temp_dir.h"
#include "test_certificates.h"
#include "refusal.h"
#include "terminal.h"
#include "test_keys.h"

#include <openssl/pem.h>
#include <openssl/rand.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using namespace test; // keys in every encoding, certificates, bytes
using test::makeKey;
using test::TempDir;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

test::Refusal refusalOf(const std::string& input)
{
    return test::refusalOf([&] { readPrivateKey(bytesOf(input)); });
}

::testing::AssertionResult readsAs(const std::string& input, EVP_PKEY& expected)
{
    try {
        const auto key = readPrivateKey(bytesOf(input));
        if (!key)
            return ::testing::AssertionFailure() << "no key returned";
        if (EVP_PKEY_eq(key.get(), &expected) != 1)
            return ::testing::AssertionFailure() << "a different key was read";
        return ::testing::AssertionSuccess();
    } catch (const Error& error) {
        return ::testing::AssertionFailure() << "refused: " << errorCodeName(error.code()) << ": " << error.what();
    }
}

void expectEncryptedRefusal(const std::string& input, const std::string& what)
{
    const auto refusal = refusalOf(input);
    ASSERT_TRUE(refusal.refused) << what << " was accepted";
    EXPECT_EQ(refusal.code, ErrorCode::KeyEncrypted) << what << ": " << refusal.message;
    EXPECT_THAT(refusal.message, StartsWith("Private keys protected by a passphrase are not supported")) << what;
    EXPECT_THAT(refusal.message, HasSubstr("openssl pkey")) << what;
}

// Runs openssl with args, returning its stdout; the test fails when it does.
std::string openssl(const std::vector<std::string>& args)
{
    std::vector<std::string> argv{"openssl"};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto result = test::runCommand(argv);
    EXPECT_EQ(result.exitCode, 0) << result.err;
    return result.out;
}

// -------- accepted encodings --------

TEST(PrivateKeyInput, ReadsPkcs8Pem)
{
    for (const char* algorithm : {"EC", "EC-P384", "RSA", "ED25519"}) {
        auto key = makeKey(algorithm);
        const auto pem = pkcs8Pem(*key);
        ASSERT_THAT(pem, StartsWith("-----BEGIN PRIVATE KEY-----"));
        EXPECT_TRUE(readsAs(pem, *key)) << algorithm;
    }
}

TEST(PrivateKeyInput, ReadsTraditionalRsaPem)
{
    auto key = makeKey("RSA");
    const auto pem = traditionalPem(*key);
    ASSERT_THAT(pem, StartsWith("-----BEGIN RSA PRIVATE KEY-----"));
    EXPECT_TRUE(readsAs(pem, *key));
}

TEST(PrivateKeyInput, ReadsTraditionalEcPem)
{
    auto key = makeKey("EC");
    const auto pem = traditionalPem(*key);
    ASSERT_THAT(pem, StartsWith("-----BEGIN EC PRIVATE KEY-----"));
    EXPECT_TRUE(readsAs(pem, *key));
}

TEST(PrivateKeyInput, ReadsTraditionalPemMadeByTheOpensslCommand)
{
    TempDir dir;
    const auto rsa = openssl({"genrsa", "-traditional", "2048"});
    ASSERT_THAT(rsa, StartsWith("-----BEGIN RSA PRIVATE KEY-----"));
    const auto ec = openssl({"ecparam", "-name", "prime256v1", "-genkey", "-noout"});
    ASSERT_THAT(ec, StartsWith("-----BEGIN EC PRIVATE KEY-----"));
    for (const auto& pem : {rsa, ec}) {
        const auto refusal = refusalOf(pem);
        EXPECT_FALSE(refusal.refused) << refusal.message;
        // The same key as the command line sees it.
        test::writeTextFile(dir / "key.pem", pem);
        const auto publicKey = openssl({"pkey", "-in", (dir / "key.pem").string(), "-pubout"});
        const auto key = readPrivateKey(bytesOf(pem));
        const auto ours = encoded([&](BIO* b) { return PEM_write_bio_PUBKEY(b, key.get()); });
        EXPECT_EQ(ours, publicKey);
    }
}

TEST(PrivateKeyInput, ReadsPkcs8Der)
{
    for (const char* algorithm : {"EC", "RSA", "ED25519"}) {
        auto key = makeKey(algorithm);
        EXPECT_TRUE(readsAs(pkcs8Der(*key), *key)) << algorithm;
    }
}

TEST(PrivateKeyInput, ReadsTraditionalRsaDer)
{
    auto key = makeKey("RSA");
    const auto der = traditionalDer(*key);
    // PKCS#1 RSAPrivateKey: SEQUENCE { INTEGER 0, INTEGER modulus, ... }, no AlgorithmIdentifier
    ASSERT_GT(der.size(), 8u);
    EXPECT_TRUE(readsAs(der, *key));
}

TEST(PrivateKeyInput, ReadsTraditionalEcDer)
{
    auto key = makeKey("EC");
    EXPECT_TRUE(readsAs(traditionalDer(*key), *key));
}

TEST(PrivateKeyInput, FindsTheKeyAfterACertificate)
{
    const auto ca = test::makeCa("Certificate then key");
    EXPECT_TRUE(readsAs(ca.pem() + ca.keyPem(), *ca.key));
}

TEST(PrivateKeyInput, FindsTheKeyBeforeACertificateAndAmongText)
{
    const auto ca = test::makeCa("Key then certificate");
    EXPECT_TRUE(readsAs(ca.keyPem() + ca.pem(), *ca.key));
    // As `openssl pkcs12 -nodes` writes it: attribute lines before each block.
    EXPECT_TRUE(readsAs("Bag Attributes\n    localKeyID: 01\nsubject=/CN=x\n" + ca.pem() +
                            "Bag Attributes\n    localKeyID: 01\nKey Attributes: <No Attributes>\n" + ca.keyPem(),
                        *ca.key));
}

TEST(PrivateKeyInput, TakesTheFirstOfSeveralKeys)
{
    auto first = makeKey("EC");
    auto second = makeKey("EC");
    EXPECT_TRUE(readsAs(pkcs8Pem(*first) + pkcs8Pem(*second), *first));
}

TEST(PrivateKeyInput, AcceptsExactlyOneMebibyte)
{
    auto key = makeKey("EC");
    auto pem = pkcs8Pem(*key);
    pem.resize(maxInputSize, '\n');
    EXPECT_TRUE(readsAs(pem, *key));
}

// -------- passphrase-protected keys --------

TEST(PrivateKeyInput, RefusesEncryptedPkcs8Pem)
{
    auto key = makeKey("EC");
    const auto pem = encryptedPkcs8Pem(*key);
    ASSERT_THAT(pem, StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    expectEncryptedRefusal(pem, "encrypted PKCS#8 PEM");
}

TEST(PrivateKeyInput, RefusesTraditionalEncryptedPem)
{
    auto rsa = makeKey("RSA");
    auto ec = makeKey("EC");
    const auto rsaPem = traditionalPem(*rsa, EVP_aes_256_cbc());
    const auto ecPem = traditionalPem(*ec, EVP_aes_128_cbc());
    ASSERT_THAT(rsaPem, HasSubstr("Proc-Type: 4,ENCRYPTED"));
    ASSERT_THAT(ecPem, HasSubstr("Proc-Type: 4,ENCRYPTED"));
    expectEncryptedRefusal(rsaPem, "encrypted RSA PRIVATE KEY");
    expectEncryptedRefusal(ecPem, "encrypted EC PRIVATE KEY");
}

TEST(PrivateKeyInput, RefusesTraditionalEncryptedPemMadeByTheOpensslCommand)
{
    TempDir dir;
    const auto rsa = openssl({"genrsa", "-aes256", "-passout", "pass:x", "-traditional", "2048"});
    ASSERT_THAT(rsa, StartsWith("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"));
    expectEncryptedRefusal(rsa, "openssl genrsa -aes256 -traditional");

    test::writeTextFile(dir / "ec.pem", openssl({"ecparam", "-name", "prime256v1", "-genkey", "-noout"}));
    const auto ec = openssl({"ec", "-in", (dir / "ec.pem").string(), "-aes256", "-passout", "pass:x"});
    ASSERT_THAT(ec, StartsWith("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"));
    expectEncryptedRefusal(ec, "openssl ec -aes256");

    const auto pkcs8 = openssl({"pkcs8", "-topk8", "-in", (dir / "ec.pem").string(), "-v2", "aes-256-cbc",
                                "-passout", "pass:x"});
    ASSERT_THAT(pkcs8, StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    expectEncryptedRefusal(pkcs8, "openssl pkcs8 -topk8 -v2 aes-256-cbc");
}

TEST(PrivateKeyInput, RefusesEncryptedPkcs8Der)
{
    auto key = makeKey("RSA");
    expectEncryptedRefusal(pkcs8Der(*key, EVP_aes_256_cbc()), "encrypted PKCS#8 DER");

    TempDir dir;
    test::writeTextFile(dir / "ec.pem", openssl({"ecparam", "-name", "prime256v1", "-genkey", "-noout"}));
    openssl({"pkcs8", "-topk8", "-in", (dir / "ec.pem").string(), "-outform", "DER", "-v2", "aes-256-cbc", "-passout",
             "pass:x", "-out", (dir / "ec.der").string()});
    expectEncryptedRefusal(test::readTextFile(dir / "ec.der"), "openssl pkcs8 -topk8 -outform DER");
}

TEST(PrivateKeyInput, RefusesAnEncryptedKeyAfterACertificate)
{
    const auto ca = test::makeCa("Certificate then encrypted key");
    expectEncryptedRefusal(ca.pem() + encryptedPkcs8Pem(*ca.key), "certificate + encrypted PKCS#8");
    expectEncryptedRefusal(ca.pem() + traditionalPem(*ca.key, EVP_aes_256_cbc()), "certificate + Proc-Type");
}

TEST(PrivateKeyInput, RefusesAnEncryptedKeyUnderAPlainLabelWithoutPrompting)
{
    // The body of an ENCRYPTED PRIVATE KEY relabelled PRIVATE KEY: the label
    // does not give it away, so the decoder itself asks for a passphrase,
    // which readPrivateKey must answer by refusing.
    auto key = makeKey("EC");
    std::string pem = encryptedPkcs8Pem(*key);
    for (const auto& label : {std::string("-----BEGIN "), std::string("-----END ")}) {
        const auto at = pem.find(label + "ENCRYPTED ");
        ASSERT_NE(at, std::string::npos);
        pem.erase(at + label.size(), std::string("ENCRYPTED ").size());
    }
    ASSERT_THAT(pem, StartsWith("-----BEGIN PRIVATE KEY-----"));
    expectEncryptedRefusal(pem, "encrypted PKCS#8 labelled PRIVATE KEY");
}

TEST(PrivateKeyInput, NeverPromptsForAPassphraseEvenOnATerminal)
{
    auto key = makeKey("EC");
    std::string relabelled = encryptedPkcs8Pem(*key);
    relabelled.replace(relabelled.find("ENCRYPTED "), 10, "");
    relabelled.replace(relabelled.find("ENCRYPTED "), 10, "");
    const std::vector<std::string> inputs = {
        encryptedPkcs8Pem(*key),
        traditionalPem(*key, EVP_aes_256_cbc()),
        pkcs8Der(*key, EVP_aes_256_cbc()),
        relabelled,
    };
    const auto run = runOnATerminal(
        [&] {
            if (::isatty(STDIN_FILENO) != 1)
                return 90; // the setup, not certd, failed
            int code = 0;
            for (std::size_t i = 0; i < inputs.size(); ++i) {
                try {
                    readPrivateKey(bytesOf(inputs[i]));
                    code = 10 + static_cast<int>(i); // accepted
                } catch (const Error& error) {
                    if (error.code() != ErrorCode::KeyEncrypted)
                        code = 20 + static_cast<int>(i);
                }
            }
            return code;
        },
        std::chrono::seconds(30));
    ASSERT_TRUE(run.finished) << "readPrivateKey waited for a passphrase; the terminal showed: " << run.output;
    ASSERT_TRUE(WIFEXITED(run.status));
    EXPECT_EQ(WEXITSTATUS(run.status), 0) << "(10 + i: input i accepted; 20 + i: refused with another code)";
    EXPECT_THAT(toLower(run.output), Not(HasSubstr("pass"))) << run.output;
}

// -------- what is not a usable key --------

TEST(PrivateKeyInput, RefusesEmptyInput)
{
    const auto refusal = refusalOf("");
    ASSERT_TRUE(refusal.refused);
    EXPECT_EQ(refusal.code, ErrorCode::InvalidKey);
    EXPECT_EQ(refusal.message, "The private key is empty");
}

TEST(PrivateKeyInput, RefusesGarbage)
{
    for (const auto& garbage : {std::string("not a key at all"), std::string("\x30\x03\x02\x01\x00", 5),
                                      std::string(1000, '\0')}) {
        const auto refusal = refusalOf(garbage);
        ASSERT_TRUE(refusal.refused);
        EXPECT_EQ(refusal.code, ErrorCode::InvalidKey) << refusal.message;
        EXPECT_THAT(refusal.message,
                    StartsWith("The private key could not be read as a PEM or DER private key (PKCS#8 or traditional)"));
    }
    std::string random(2048, '\0');
    ASSERT_EQ(RAND_bytes(reinterpret_cast<unsigned char*>(random.data()), static_cast<int>(random.size())), 1);
    EXPECT_EQ(refusalOf(random).code, ErrorCode::InvalidKey);
}

TEST(PrivateKeyInput, RefusesAPemHoldingOnlyACertificate)
{
    const auto refusal = refusalOf(test::makeCa("Only a certificate").pem());
    ASSERT_TRUE(refusal.refused);
    EXPECT_EQ(refusal.code, ErrorCode::InvalidKey);
    EXPECT_EQ(refusal.message, "The PEM data holds no private key, only: CERTIFICATE");
}

TEST(PrivateKeyInput, RefusesAPemHoldingOnlyAPublicKey)
{
    auto key = makeKey("EC");
    const auto refusal = refusalOf(encoded([&](BIO* b) { return PEM_write_bio_PUBKEY(b, key.get()); }));
    EXPECT_EQ(refusal.code, ErrorCode::InvalidKey);
    EXPECT_EQ(refusal.message, "The PEM data holds no private key, only: PUBLIC KEY");
}

TEST(PrivateKeyInput, RefusesAPublicKeyInDer)
{
    auto key = makeKey("EC");
    const auto refusal = refusalOf(encoded([&](BIO* b) { return i2d_PUBKEY_bio(b, key.get()); }));
    ASSERT_TRUE(refusal.refused) << "a public key was taken for a private key";
    EXPECT_EQ(refusal.code, ErrorCode::InvalidKey);
}

TEST(PrivateKeyInput, RefusesACertificateInDer)
{
    const auto der = test::makeCa("DER certificate").der();
    const auto refusal = refusalOf(std::string(der.begin(), der.end()));
    ASSERT_TRUE(refusal.refused);
    EXPECT_EQ(refusal.code, ErrorCode::InvalidKey);
}

TEST(PrivateKeyInput, RefusesDamagedPem)
{
    auto pem = test::makeCa("Damaged").keyPem();
    pem[pem.size() / 2] = '!'; // not base64
    const auto damaged = refusalOf(pem);
    EXPECT_EQ(damaged.code, ErrorCode::InvalidKey);
    EXPECT_THAT(damaged.message, StartsWith("The PEM data holds no private key ("));

    const auto truncated = refusalOf(test::makeCa("Truncated").keyPem().substr(0, 100));
    EXPECT_EQ(truncated.code, ErrorCode::InvalidKey);
    EXPECT_THAT(truncated.message, StartsWith("The PEM data holds no private key ("));
}

// Text with a "-----BEGIN " that starts no PEM block still gets a reason.
TEST(PrivateKeyInput, ExplainsTextThatOnlyMentionsAPemMarker)
{
    const auto refusal = refusalOf("paste the key here: -----BEGIN ");
    EXPECT_EQ(refusal.code, ErrorCode::InvalidKey);
    EXPECT_THAT(refusal.message, HasSubstr("holds no private key"));
    EXPECT_THAT(refusal.message, Not(HasSubstr("()")));
}

TEST(PrivateKeyInput, RefusesAPrivateKeyBlockThatHoldsNoKey)
{
    const std::string pem = "-----BEGIN PRIVATE KEY-----\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
                            "-----END PRIVATE KEY-----\n";
    const auto refusal = refusalOf(pem);
    EXPECT_EQ(refusal.code, ErrorCode::InvalidKey);
    EXPECT_THAT(refusal.message, StartsWith("The private key could not be read as a PEM or DER private key"));
}

TEST(PrivateKeyInput, RefusesInputOverOneMebibyte)
{
    auto pem = test::makeCa("Big").keyPem();
    pem.resize(maxInputSize + 1, '\n');
    const auto refusal = refusalOf(pem);
    EXPECT_EQ(refusal.code, ErrorCode::TooLarge);
    EXPECT_EQ(refusal.message, "The private key is 1048577 bytes; at most 1048576 bytes (1 MiB) are accepted");
    EXPECT_EQ(refusalOf(std::string(3 * maxInputSize, 'x')).code, ErrorCode::TooLarge);
}

TEST(PrivateKeyInput, SizeIsCheckedBeforeEncryption)
{
    auto key = makeKey("EC");
    auto pem = encryptedPkcs8Pem(*key);
    pem.resize(maxInputSize + 1, '\n');
    EXPECT_EQ(refusalOf(pem).code, ErrorCode::TooLarge);
}

// -------- privateKeyToPem --------

TEST(PrivateKeyToPem, WritesUnencryptedPkcs8ThatReadsBack)
{
    for (const char* algorithm : {"EC", "EC-P384", "RSA", "ED25519"}) {
        auto key = makeKey(algorithm);
        const auto pem = privateKeyToPem(*key);
        EXPECT_THAT(pem, StartsWith("-----BEGIN PRIVATE KEY-----\n")) << algorithm;
        EXPECT_THAT(pem, EndsWith("-----END PRIVATE KEY-----\n")) << algorithm;
        EXPECT_THAT(pem, Not(HasSubstr("ENCRYPTED"))) << algorithm;
        EXPECT_TRUE(readsAs(pem, *key)) << algorithm;
        // and is stable: reading and writing again gives the same text
        EXPECT_EQ(privateKeyToPem(*readPrivateKey(bytesOf(pem))), pem) << algorithm;
    }
}

TEST(PrivateKeyToPem, NormalisesTraditionalInput)
{
    auto key = makeKey("RSA");
    const auto normalised = privateKeyToPem(*readPrivateKey(bytesOf(traditionalPem(*key))));
    EXPECT_EQ(normalised, pkcs8Pem(*key));
    auto ec = makeKey("EC");
    EXPECT_EQ(privateKeyToPem(*readPrivateKey(bytesOf(traditionalDer(*ec)))), privateKeyToPem(*ec));
}

TEST(PrivateKeyToPem, MatchesWhatTheOpensslCommandReads)
{
    TempDir dir;
    auto key = makeKey("EC");
    test::writeTextFile(dir / "key.pem", privateKeyToPem(*key));
    const auto check = test::runCommand({"openssl", "pkey", "-in", (dir / "key.pem").string(), "-check", "-noout"});
    EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
}

} // namespace
} // namespace certd
