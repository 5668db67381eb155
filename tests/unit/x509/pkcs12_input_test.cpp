// PKCS#12 files as Windows CAs, OpenSSL and PKI portals make them: what is
// taken from them, and every way one is refused.
#include "x509/pkcs12_input.h"

#include "refusal.h"
#include "test_certificates.h"
#include "x509/certificate_input.h"
#include "x509/private_key_input.h"

#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using namespace test;
using ::testing::HasSubstr;

struct Pkcs12Deleter {
    void operator()(PKCS12* p12) const noexcept { PKCS12_free(p12); }
};
using Pkcs12Ptr = std::unique_ptr<PKCS12, Pkcs12Deleter>;

struct CertificateStackDeleter {
    void operator()(STACK_OF(X509) * stack) const noexcept { sk_X509_pop_free(stack, X509_free); }
};

Bytes toDer(PKCS12& p12)
{
    unsigned char* der = nullptr;
    const int length = i2d_PKCS12(&p12, &der);
    EXPECT_GT(length, 0);
    Bytes bytes(der, der + std::max(length, 0));
    OPENSSL_free(der);
    return bytes;
}

// A leaf with its issuing CA, and one more CA to go in the file.
struct Pki {
    TestCertificate root = makeCa("P12 Root CA");
    TestCertificate leaf = makeCertificate(serverSpec("p12.example.com", root));
};

// keyNid/certNid 0: OpenSSL 3's defaults (AES-256-CBC, PBKDF2); macIter -1: no MAC.
Bytes makePkcs12(const std::string& passphrase, EVP_PKEY* key, X509* cert, const std::vector<X509*>& others,
                 int keyNid = 0, int certNid = 0, int macIter = 0, OSSL_LIB_CTX* context = nullptr)
{
    std::unique_ptr<STACK_OF(X509), CertificateStackDeleter> stack(sk_X509_new_null());
    for (X509* other : others) {
        X509_up_ref(other);
        sk_X509_push(stack.get(), other);
    }
    const Pkcs12Ptr p12(PKCS12_create_ex(passphrase.c_str(), "certd test", key, cert, stack.get(), keyNid, certNid,
                                         0, macIter, 0, context, nullptr));
    EXPECT_TRUE(p12) << takeOpenSslErrors();
    return p12 ? toDer(*p12) : Bytes{};
}

// Bags built by hand: several keys, keys without certificates, certificates
// in any order.
class Pkcs12Builder {
public:
    ~Pkcs12Builder() { sk_PKCS12_SAFEBAG_pop_free(bags_, PKCS12_SAFEBAG_free); }

    void key(EVP_PKEY& key, const std::string& id = {})
    {
        PKCS12_SAFEBAG* bag = PKCS12_add_key(&bags_, &key, 0, 2048, NID_aes_256_cbc, passphrase_.c_str());
        ASSERT_TRUE(bag) << takeOpenSslErrors();
        if (!id.empty())
            PKCS12_add_localkeyid(bag, reinterpret_cast<unsigned char*>(const_cast<char*>(id.data())),
                                  static_cast<int>(id.size()));
    }

    void certificate(X509& cert, const std::string& id = {})
    {
        PKCS12_SAFEBAG* bag = PKCS12_add_cert(&bags_, &cert);
        ASSERT_TRUE(bag) << takeOpenSslErrors();
        if (!id.empty())
            PKCS12_add_localkeyid(bag, reinterpret_cast<unsigned char*>(const_cast<char*>(id.data())),
                                  static_cast<int>(id.size()));
    }

    Bytes build()
    {
        STACK_OF(PKCS7)* safes = nullptr;
        EXPECT_TRUE(PKCS12_add_safe(&safes, bags_, -1, 0, nullptr)) << takeOpenSslErrors();
        const Pkcs12Ptr p12(PKCS12_add_safes(safes, 0));
        sk_PKCS7_pop_free(safes, PKCS7_free);
        EXPECT_TRUE(p12);
        EXPECT_EQ(PKCS12_set_mac(p12.get(), passphrase_.c_str(), -1, nullptr, 0, 2048, nullptr), 1);
        return toDer(*p12);
    }

private:
    std::string passphrase_ = "secret";
    STACK_OF(PKCS12_SAFEBAG)* bags_ = nullptr;
};

std::string publicKeyOf(const std::string& keyPem)
{
    const EvpPkeyPtr key = readPrivateKey(asBytes(keyPem));
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(key.get(), &der);
    std::string text(reinterpret_cast<char*>(der), static_cast<std::size_t>(std::max(length, 0)));
    OPENSSL_free(der);
    return text;
}

std::string publicKeyOf(EVP_PKEY& key)
{
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(&key, &der);
    std::string text(reinterpret_cast<char*>(der), static_cast<std::size_t>(std::max(length, 0)));
    OPENSSL_free(der);
    return text;
}

TEST(Pkcs12Input, TakesTheKeyItsCertificateFirstAndTheOthersAsChain)
{
    Pki pki;
    const auto contents =
        readPkcs12(makePkcs12("secret", pki.leaf.key.get(), pki.leaf.cert.get(), {pki.root.cert.get()}), "secret");
    EXPECT_EQ(contents.certificatesPem, pki.leaf.pem() + pki.root.pem());
    EXPECT_EQ(publicKeyOf(contents.privateKeyPem), publicKeyOf(*pki.leaf.key));
    EXPECT_THAT(contents.privateKeyPem, HasSubstr("-----BEGIN PRIVATE KEY-----")); // PKCS#8, not encrypted
}

TEST(Pkcs12Input, RsaKeysToo)
{
    TestCertificate root = makeCa("P12 Root CA");
    auto spec = serverSpec("rsa.example.com", root);
    spec.keyAlgorithm = "RSA";
    const auto leaf = makeCertificate(spec);
    const auto contents = readPkcs12(makePkcs12("pw", leaf.key.get(), leaf.cert.get(), {}), "pw");
    EXPECT_EQ(publicKeyOf(contents.privateKeyPem), publicKeyOf(*leaf.key));
}

// What Windows exports: 3DES for the key, RC2-40 for the certificates.
TEST(Pkcs12Input, LegacyEncryptionsAreReadWithoutMakingThemAvailableElsewhere)
{
    // For life, as certd's own: freeing a context with the legacy provider
    // leaks the provider's child context in OpenSSL 3.0 (LeakSanitizer).
    static OSSL_LIB_CTX* const legacy = OSSL_LIB_CTX_new();
    ASSERT_TRUE(OSSL_PROVIDER_load(legacy, "default"));
    ASSERT_TRUE(OSSL_PROVIDER_load(legacy, "legacy")) << "Debian's libssl3 ships the legacy provider";
    Pki pki;
    const auto file = makePkcs12("secret", pki.leaf.key.get(), pki.leaf.cert.get(), {pki.root.cert.get()},
                                 NID_pbe_WithSHA1And3_Key_TripleDES_CBC, NID_pbe_WithSHA1And40BitRC2_CBC, 2048,
                                 legacy);
    const auto contents = readPkcs12(file, "secret");
    EXPECT_EQ(contents.certificatesPem, pki.leaf.pem() + pki.root.pem());
    EXPECT_EQ(publicKeyOf(contents.privateKeyPem), publicKeyOf(*pki.leaf.key));

    EVP_CIPHER* rc2 = EVP_CIPHER_fetch(nullptr, "RC2-40-CBC", nullptr);
    EXPECT_EQ(rc2, nullptr) << "the legacy provider leaked into the default context";
    EVP_CIPHER_free(rc2);
    ERR_clear_error();
}

TEST(Pkcs12Input, AWrongPassphraseIsNamed)
{
    Pki pki;
    const auto file = makePkcs12("secret", pki.leaf.key.get(), pki.leaf.cert.get(), {});
    const auto wrong = refusalOf([&] { readPkcs12(file, "Secret"); });
    EXPECT_EQ(wrong.code, ErrorCode::WrongPassphrase);
    EXPECT_THAT(wrong.message, HasSubstr("does not open"));
    const auto none = refusalOf([&] { readPkcs12(file, ""); });
    EXPECT_EQ(none.code, ErrorCode::WrongPassphrase);
    EXPECT_THAT(none.message, HasSubstr("give it"));
}

TEST(Pkcs12Input, AWrongPassphraseIsNamedWithoutAMacToo)
{
    Pki pki;
    const auto file = makePkcs12("secret", pki.leaf.key.get(), pki.leaf.cert.get(), {}, 0, 0, -1);
    EXPECT_EQ(readPkcs12(file, "secret").certificatesPem, pki.leaf.pem());
    EXPECT_EQ(refusalOf([&] { readPkcs12(file, "guess"); }).code, ErrorCode::WrongPassphrase);
}

TEST(Pkcs12Input, AnEmptyPassphraseOpensAFileMadeWithOne)
{
    Pki pki;
    const auto file = makePkcs12("", pki.leaf.key.get(), pki.leaf.cert.get(), {});
    EXPECT_EQ(readPkcs12(file, "").certificatesPem, pki.leaf.pem());
}

TEST(Pkcs12Input, NoKeySeveralKeysNoCertificateAndAForeignCertificateAreNamed)
{
    Pki pki;
    const auto noKey = refusalOf([&] { readPkcs12(makePkcs12("pw", nullptr, pki.leaf.cert.get(), {}), "pw"); });
    EXPECT_EQ(noKey.code, ErrorCode::NoPrivateKey);

    Pkcs12Builder several;
    several.key(*pki.leaf.key);
    several.key(*pki.root.key);
    several.certificate(*pki.leaf.cert);
    const auto two = refusalOf([&] { readPkcs12(several.build(), "secret"); });
    EXPECT_EQ(two.code, ErrorCode::SeveralPrivateKeys);
    EXPECT_THAT(two.message, HasSubstr("2 private keys"));

    Pkcs12Builder keyOnly;
    keyOnly.key(*pki.leaf.key);
    const auto noCertificate = refusalOf([&] { readPkcs12(keyOnly.build(), "secret"); });
    EXPECT_EQ(noCertificate.code, ErrorCode::InvalidPKCS12);
    EXPECT_THAT(noCertificate.message, HasSubstr("no certificate"));

    Pkcs12Builder foreign;
    foreign.key(*pki.leaf.key);
    foreign.certificate(*pki.root.cert);
    EXPECT_EQ(refusalOf([&] { readPkcs12(foreign.build(), "secret"); }).code, ErrorCode::KeyMismatch);
}

TEST(Pkcs12Input, TheKeysCertificateIsFoundByLocalKeyIdWhereverItIs)
{
    Pki pki;
    Pkcs12Builder builder;
    builder.certificate(*pki.root.cert);
    builder.certificate(*pki.leaf.cert, "pair");
    builder.key(*pki.leaf.key, "pair");
    EXPECT_EQ(readPkcs12(builder.build(), "secret").certificatesPem, pki.leaf.pem() + pki.root.pem());

    Pkcs12Builder withoutIds; // then by public key
    withoutIds.certificate(*pki.root.cert);
    withoutIds.certificate(*pki.leaf.cert);
    withoutIds.key(*pki.leaf.key);
    EXPECT_EQ(readPkcs12(withoutIds.build(), "secret").certificatesPem, pki.leaf.pem() + pki.root.pem());
}

TEST(Pkcs12Input, WhatIsNotPkcs12IsRefusedAsSuch)
{
    Pki pki;
    auto file = makePkcs12("secret", pki.leaf.key.get(), pki.leaf.cert.get(), {});
    const Bytes truncated(file.begin(), file.begin() + static_cast<long>(file.size() / 2));
    Bytes trailing = file;
    trailing.push_back(0);
    for (const Bytes& input : {Bytes{}, truncated, trailing, bytesOf(pki.leaf.pem()), pki.leaf.der()}) {
        const auto refusal = refusalOf([&] { readPkcs12(input, "secret"); });
        EXPECT_EQ(refusal.code, ErrorCode::InvalidPKCS12) << refusal;
    }
    const Bytes huge(maxInputSize + 1, 0x30);
    EXPECT_EQ(refusalOf([&] { readPkcs12(huge, "secret"); }).code, ErrorCode::TooLarge);
    EXPECT_EQ(refusalOf([&] { readPkcs12(file, std::string(maxPassphraseSize + 1, 'x')); }).code,
              ErrorCode::InvalidArgument);
}

} // namespace
} // namespace certd
