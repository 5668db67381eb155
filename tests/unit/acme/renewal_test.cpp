// When an ACME certificate is renewed: the lifetime rule, ARI's window
// (RFC 9773's own example response and certificate identifier), and the
// RFC 3339 times ARI speaks in.
#include "acme/renewal.h"
#include "base/error.h"
#include "refusal.h"
#include "test_certificates.h"

#include <openssl/x509v3.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd::acme {
namespace {

using ::testing::HasSubstr;

constexpr std::int64_t day = 86400;

TEST(RenewalTime, IsWhenAThirdOfTheLifetimeIsLeft)
{
    const struct {
        const char* name;
        std::int64_t lifetime;
        std::int64_t renewBeforeEnd;
    } rows[] = {
        {"90 days (Let's Encrypt)", 90 * day, 30 * day},
        {"47 days (CA/B Forum 2029)", 47 * day, 47 * day / 3},
        {"6 days (short-lived)", 6 * day, 2 * day},
        {"397 days", 397 * day, 397 * day / 3},
    };
    const std::int64_t notBefore = 1'800'000'000;
    for (const auto& row : rows)
        EXPECT_EQ(renewalTime(notBefore, notBefore + row.lifetime, std::nullopt),
                  notBefore + row.lifetime - row.renewBeforeEnd)
            << row.name;
}

TEST(RenewalTime, TheCasWindowWins)
{
    const std::int64_t notBefore = 1'800'000'000, notAfter = notBefore + 90 * day;
    EXPECT_EQ(renewalTime(notBefore, notAfter, RenewalWindow{notBefore + 10 * day, notBefore + 11 * day}),
              notBefore + 10 * day);
}

TEST(ParseRfc3339, AcceptsTheFormsArisServersSend)
{
    const std::pair<const char*, std::optional<std::int64_t>> rows[] = {
        {"2025-01-02T04:00:00Z", 1735790400},
        {"2025-01-02T04:00:00.123456Z", 1735790400},
        {"2025-01-02t04:00:00z", 1735790400},
        {"2025-01-02T06:00:00+02:00", 1735790400},
        {"2025-01-02T01:30:00-02:30", 1735790400},
        {"2025-01-02 04:00:00Z", std::nullopt},
        {"2025-01-02T04:00:00", std::nullopt},
        {"2025-13-02T04:00:00Z", std::nullopt},
        {"2025-01-02T04:00:00.Z", std::nullopt},
        {"2025-01-02T04:00:00+0200", std::nullopt},
        {"", std::nullopt},
    };
    for (const auto& [text, expected] : rows)
        EXPECT_EQ(parseRfc3339(text), expected) << text;
}

TEST(ParseRenewalInfo, ReadsRfc9773sExample)
{
    const auto window = parseRenewalInfo(R"({
        "suggestedWindow": {"start": "2025-01-02T04:00:00Z", "end": "2025-01-03T04:00:00Z"},
        "explanationURL": "https://acme.example.com/docs/ari"})");
    EXPECT_EQ(window.start, 1735790400);
    EXPECT_EQ(window.end, 1735790400 + day);
}

TEST(ParseRenewalInfo, RefusesWhatIsNoWindow)
{
    const std::pair<const char*, const char*> rows[] = {
        {"not json", "not a JSON object"},
        {"{}", "no suggestedWindow"},
        {R"({"suggestedWindow": {"start": "2025-01-02T04:00:00Z"}})", "start and end"},
        {R"({"suggestedWindow": {"start": "yesterday", "end": "2025-01-03T04:00:00Z"}})", "start and end"},
        {R"({"suggestedWindow": {"start": "2025-01-03T04:00:00Z", "end": "2025-01-02T04:00:00Z"}})",
         "ends before it starts"},
    };
    for (const auto& [text, why] : rows) {
        const std::string json = text; // a structured binding cannot be captured (clang 14)
        const auto refusal = test::refusalOf([&] { parseRenewalInfo(json); });
        EXPECT_EQ(refusal.code, ErrorCode::ACMEFailed) << json;
        EXPECT_THAT(refusal.message, HasSubstr(why)) << json;
    }
}

TEST(RenewalCertificateId, IsRfc9773sExample)
{
    // RFC 9773 §4.1: keyIdentifier 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4,
    // serial 00:87:65:43:21 -> "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE".
    auto certificate = test::makeCertificate(test::CertificateSpec{});
    X509* x509 = certificate.cert.get();
    BignumPtr serial;
    BIGNUM* raw = nullptr;
    BN_hex2bn(&raw, "87654321");
    serial.reset(raw);
    BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(x509));
    const unsigned char keyId[] = {0x69, 0x88, 0x5B, 0x6B, 0x87, 0x46, 0x40, 0x41, 0xE1, 0xB3,
                                   0x7B, 0x84, 0x7B, 0xA0, 0xAE, 0x2C, 0xDE, 0x01, 0xC8, 0xD4};
    AUTHORITY_KEYID* akid = AUTHORITY_KEYID_new();
    akid->keyid = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(akid->keyid, keyId, sizeof keyId);
    X509_add1_ext_i2d(x509, NID_authority_key_identifier, akid, 0, X509V3_ADD_REPLACE);
    AUTHORITY_KEYID_free(akid);
    X509_sign(x509, certificate.key.get(), EVP_sha256());
    EXPECT_EQ(renewalCertificateId(*x509), "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
}

} // namespace
} // namespace certd::acme
