// JWS as ACME signs: base64url both ways (RFC 4648 §10 vectors), the JWK
// thumbprint of RFC 7638 §3.1's own example, ES256 signatures that OpenSSL
// verifies from the JWK alone in r||s form, and the external account
// binding's HMAC.
#include "acme/jose.h"
#include "base/error.h"
#include "refusal.h"
#include "test_certificates.h"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd::acme {
namespace {

std::string asText(const Bytes& bytes)
{
    return std::string(bytes.begin(), bytes.end());
}

TEST(Base64Url, MatchesRfc4648VectorsWithoutPadding)
{
    const std::pair<const char*, const char*> rows[] = {
        {"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"},
        {"foobar", "Zm9vYmFy"}, {"\xfb\xff", "-_8"},
    };
    for (const auto& [plain, encoded] : rows) {
        EXPECT_EQ(base64Url(std::string_view(plain)), encoded) << plain;
        const Bytes back = fromBase64Url(encoded);
        EXPECT_EQ(std::string(back.begin(), back.end()), plain) << encoded;
    }
}

TEST(Base64Url, RefusesWhatIsNotBase64Url)
{
    for (const char* bad : {"Zg==", "a+b", "a/b", "Z", "Zm9vY"})
        EXPECT_EQ(test::refusalOf([&] { fromBase64Url(bad); }).code, ErrorCode::InvalidArgument) << bad;
}

EvpPkeyPtr rsaFromJwk(const std::string& n, const std::string& e)
{
    const Bytes modulus = fromBase64Url(n), exponent = fromBase64Url(e);
    BignumPtr bn(BN_bin2bn(modulus.data(), static_cast<int>(modulus.size()), nullptr));
    BignumPtr be(BN_bin2bn(exponent.data(), static_cast<int>(exponent.size()), nullptr));
    std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> builder(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
    OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, bn.get());
    OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, be.get());
    std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(builder.get()),
                                                                   OSSL_PARAM_free);
    EvpPkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY* key = nullptr;
    EVP_PKEY_fromdata_init(context.get());
    EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get());
    return EvpPkeyPtr(key);
}

TEST(JwkThumbprint, IsRfc7638sExample)
{
    const auto key = rsaFromJwk(
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs"
        "tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajr"
        "n1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        "AQAB");
    ASSERT_TRUE(key);
    EXPECT_EQ(jwkThumbprint(*key), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    EXPECT_EQ(jwsAlgorithm(*key), "RS256");
}

TEST(SignJws, Es256IsRawRAndSThatVerifiesAgainstTheJwk)
{
    const auto key = test::makeKey("EC");
    const nlohmann::json jwk = publicJwk(*key);
    EXPECT_EQ(jwk["kty"], "EC");
    EXPECT_EQ(jwk["crv"], "P-256");
    EXPECT_EQ(fromBase64Url(jwk["x"].get<std::string>()).size(), 32u);
    const nlohmann::json header{{"alg", "ES256"}, {"nonce", "n1"}, {"url", "https://ca.example/new-order"}};
    const auto jws = signJws(*key, header, R"({"identifiers":[]})");
    EXPECT_EQ(nlohmann::json::parse(asText(fromBase64Url(jws["protected"].get<std::string>()))), header);
    const Bytes raw = fromBase64Url(jws["signature"].get<std::string>());
    ASSERT_EQ(raw.size(), 64u);
    // Back to DER for OpenSSL's verifier.
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> signature(ECDSA_SIG_new(), ECDSA_SIG_free);
    ECDSA_SIG_set0(signature.get(), BN_bin2bn(raw.data(), 32, nullptr), BN_bin2bn(raw.data() + 32, 32, nullptr));
    unsigned char* der = nullptr;
    const int derLength = i2d_ECDSA_SIG(signature.get(), &der);
    const std::string input = jws["protected"].get<std::string>() + "." + jws["payload"].get<std::string>();
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> verify(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    ASSERT_EQ(EVP_DigestVerifyInit(verify.get(), nullptr, EVP_sha256(), nullptr, key.get()), 1);
    EXPECT_EQ(EVP_DigestVerify(verify.get(), der, static_cast<std::size_t>(derLength),
                               reinterpret_cast<const unsigned char*>(input.data()), input.size()),
              1);
    OPENSSL_free(der);
}

TEST(SignJws, PostAsGetHasAnEmptyPayload)
{
    const auto key = test::makeKey("EC");
    const auto jws = signJws(*key, {{"alg", "ES256"}, {"nonce", "n"}, {"url", "https://ca.example/order/1"}}, "");
    EXPECT_EQ(jws["payload"], "");
}

TEST(JwsAlgorithm, RefusesKeysAcmeCannotUse)
{
    for (const char* algorithm : {"EC-P384", "ED25519"}) {
        const auto key = test::makeKey(algorithm);
        const auto refusal = test::refusalOf([&] { jwsAlgorithm(*key); });
        EXPECT_EQ(refusal.code, ErrorCode::InvalidKey) << algorithm;
    }
}

TEST(ExternalAccountBinding, IsTheAccountJwkSignedWithTheMacKey)
{
    const auto key = test::makeKey("EC");
    const std::string macKey = base64Url(std::string_view("a secret the CA handed out, 32 b"));
    const auto binding = externalAccountBinding("kid-1", macKey, *key, "https://ca.example/new-account");
    const auto header = nlohmann::json::parse(asText(fromBase64Url(binding["protected"].get<std::string>())));
    EXPECT_EQ(header, (nlohmann::json{{"alg", "HS256"}, {"kid", "kid-1"}, {"url", "https://ca.example/new-account"}}));
    EXPECT_EQ(nlohmann::json::parse(asText(fromBase64Url(binding["payload"].get<std::string>()))), publicJwk(*key));
    const std::string input = binding["protected"].get<std::string>() + "." + binding["payload"].get<std::string>();
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    const Bytes secret = fromBase64Url(macKey);
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
    EXPECT_EQ(binding["signature"], base64Url(ByteView(mac, length)));
    EXPECT_EQ(test::refusalOf([&] { externalAccountBinding("k", "not base64url!", *key, "https://x"); }).code,
              ErrorCode::InvalidArgument);
}

} // namespace
} // namespace certd::acme
