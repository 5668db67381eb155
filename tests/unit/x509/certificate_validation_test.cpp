#include "x509/certificate_validation.h"
#include "base/error.h"
#include "test_certificates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using test::CertificateSpec;
using test::day;
using test::makeCertificate;
using ::testing::HasSubstr;

struct Outcome {
    bool accepted = false;
    ErrorCode code = ErrorCode::Internal;
    std::string message;
};

Outcome validate(const CertificateSpec& spec, std::int64_t now)
{
    auto cert = makeCertificate(spec);
    try {
        validateCaCertificate(*cert.cert, now);
        return {true, ErrorCode::Internal, {}};
    } catch (const Error& error) {
        return {false, error.code(), error.what()};
    }
}

constexpr std::int64_t notBefore = 1'700'000'000; // 2023-11-14 22:13:20 UTC
constexpr std::int64_t notAfter = 1'800'000'000;  // 2027-01-15 08:00:00 UTC

CertificateSpec ca()
{
    CertificateSpec spec;
    spec.subject = {{"CN", "Validated CA"}};
    spec.notBefore = notBefore;
    spec.notAfter = notAfter;
    return spec;
}

TEST(CaValidation, AcceptsCurrentCa)
{
    EXPECT_TRUE(validate(ca(), notBefore + day).accepted);
}

TEST(CaValidation, ValidityIncludesNotBeforeAndExcludesNotAfter)
{
    EXPECT_TRUE(validate(ca(), notBefore).accepted);
    EXPECT_TRUE(validate(ca(), notAfter - 1).accepted);
    EXPECT_EQ(validate(ca(), notAfter).code, ErrorCode::Expired);
}

TEST(CaValidation, RefusesNotYetValidWithTheDate)
{
    const auto outcome = validate(ca(), notBefore - 1);
    EXPECT_EQ(outcome.code, ErrorCode::NotYetValid);
    EXPECT_THAT(outcome.message, HasSubstr("not valid before 2023-11-14 22:13:20 UTC"));
    EXPECT_THAT(outcome.message, HasSubstr("Validated CA"));
}

TEST(CaValidation, RefusesExpiredWithTheDate)
{
    const auto outcome = validate(ca(), notAfter + day);
    EXPECT_EQ(outcome.code, ErrorCode::Expired);
    EXPECT_THAT(outcome.message, HasSubstr("expired on 2027-01-15 08:00:00 UTC"));
}

TEST(CaValidation, RefusesCertificateWithoutBasicConstraints)
{
    auto spec = ca();
    spec.basicConstraints = "";
    const auto outcome = validate(spec, notBefore + day);
    EXPECT_EQ(outcome.code, ErrorCode::NotCA);
    EXPECT_THAT(outcome.message, HasSubstr("no Basic Constraints"));
}

TEST(CaValidation, RefusesCertificateWithCaFalse)
{
    auto spec = ca();
    spec.basicConstraints = "critical,CA:FALSE";
    spec.keyUsage = "digitalSignature";
    const auto outcome = validate(spec, notBefore + day);
    EXPECT_EQ(outcome.code, ErrorCode::NotCA);
    EXPECT_THAT(outcome.message, HasSubstr("CA:FALSE"));
}

TEST(CaValidation, RefusesCaWhoseKeyUsageForbidsCertificateSigning)
{
    auto spec = ca();
    spec.keyUsage = "critical,digitalSignature,cRLSign";
    const auto outcome = validate(spec, notBefore + day);
    EXPECT_EQ(outcome.code, ErrorCode::NotCA);
    EXPECT_THAT(outcome.message, HasSubstr("keyCertSign"));
}

TEST(CaValidation, AcceptsCaWithoutKeyUsage)
{
    auto spec = ca();
    spec.keyUsage = "";
    EXPECT_TRUE(validate(spec, notBefore + day).accepted);
}

TEST(CaValidation, AcceptsNonCriticalBasicConstraints)
{
    auto spec = ca();
    spec.basicConstraints = "CA:TRUE";
    EXPECT_TRUE(validate(spec, notBefore + day).accepted);
}

TEST(CaValidation, ReportsExpiryBeforeTheMissingCaBit)
{
    // What a person fixes first: an expired end-entity certificate is reported as expired.
    auto spec = ca();
    spec.basicConstraints = "";
    EXPECT_EQ(validate(spec, notAfter + day).code, ErrorCode::Expired);
}

} // namespace
} // namespace certd
