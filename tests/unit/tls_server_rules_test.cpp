#include "error.h"
#include "server_certificate_validation.h"
#include "test_certificates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using test::CertificateSpec;
using test::day;
using test::makeCertificate;
using test::now;
using ::testing::HasSubstr;

struct Pki {
    test::TestCertificate root = test::makeCa("Rules Root");
    test::TestCertificate intermediate = [this] {
        CertificateSpec spec;
        spec.subject = {{"CN", "Rules Intermediate"}};
        spec.basicConstraints = "critical,CA:TRUE,pathlen:0";
        spec.issuer = &root;
        return makeCertificate(spec);
    }();

    CertificateSpec leaf() const
    {
        CertificateSpec spec;
        spec.subject = {{"CN", "server.example"}};
        spec.basicConstraints = "critical,CA:FALSE";
        spec.keyUsage = "critical,digitalSignature";
        spec.extendedKeyUsage = "serverAuth";
        spec.subjectAltName = "DNS:server.example";
        spec.issuer = &intermediate;
        return spec;
    }
};

struct Outcome {
    bool accepted = false;
    ErrorCode code = ErrorCode::Internal;
    std::string message;
};

std::vector<X509Ptr> chainOf(std::initializer_list<const test::TestCertificate*> certs)
{
    std::vector<X509Ptr> chain;
    for (const auto* cert : certs)
        chain.push_back(shareCertificate(*cert->cert));
    return chain;
}

Outcome validate(const std::vector<X509Ptr>& chain, EVP_PKEY& key, ServerCertificateRules rules = {true})
{
    try {
        validateServerCertificate(chain, key, now(), rules);
        return {true, ErrorCode::Internal, {}};
    } catch (const Error& error) {
        return {false, error.code(), error.what()};
    }
}

class TlsServerRules : public ::testing::Test {
protected:
    Outcome leafWith(const std::function<void(CertificateSpec&)>& change, ServerCertificateRules rules = {true})
    {
        auto spec = pki.leaf();
        change(spec);
        const auto leaf = makeCertificate(spec);
        return validate(chainOf({&leaf, &pki.intermediate}), *leaf.key, rules);
    }

    Pki pki;
};

TEST_F(TlsServerRules, AcceptsAProperServerCertificateWithAndWithoutChain)
{
    const auto leaf = makeCertificate(pki.leaf());
    EXPECT_TRUE(validate(chainOf({&leaf, &pki.intermediate}), *leaf.key).accepted);
    EXPECT_TRUE(validate(chainOf({&leaf, &pki.intermediate, &pki.root}), *leaf.key).accepted);
    EXPECT_TRUE(validate(chainOf({&leaf}), *leaf.key).accepted);
}

TEST_F(TlsServerRules, AcceptsLeavesWithoutKeyUsageExtensions)
{
    EXPECT_TRUE(leafWith([](auto& s) { s.keyUsage = ""; s.extendedKeyUsage = ""; }).accepted);
}

TEST_F(TlsServerRules, RefusesCertificatesOutsideTheirValidity)
{
    EXPECT_EQ(leafWith([](auto& s) { s.notAfter = now() - day; }).code, ErrorCode::Expired);
    EXPECT_EQ(leafWith([](auto& s) { s.notBefore = now() + day; }).code, ErrorCode::NotYetValid);
}

TEST_F(TlsServerRules, RefusesAnExpiredIntermediate)
{
    CertificateSpec spec;
    spec.subject = {{"CN", "Expired Intermediate"}};
    spec.notAfter = now() - day;
    spec.issuer = &pki.root;
    const auto expired = makeCertificate(spec);
    auto leafSpec = pki.leaf();
    leafSpec.issuer = &expired;
    const auto leaf = makeCertificate(leafSpec);
    const auto outcome = validate(chainOf({&leaf, &expired}), *leaf.key);
    EXPECT_EQ(outcome.code, ErrorCode::Expired);
    EXPECT_THAT(outcome.message, HasSubstr("Expired Intermediate"));
}

TEST_F(TlsServerRules, RefusesWhatCannotServeTls)
{
    const auto ca = leafWith([](auto& s) { s.basicConstraints = "critical,CA:TRUE"; s.keyUsage = "keyCertSign,digitalSignature"; });
    EXPECT_EQ(ca.code, ErrorCode::InvalidCertificate);
    EXPECT_THAT(ca.message, HasSubstr("CA certificate"));
    const auto client = leafWith([](auto& s) { s.extendedKeyUsage = "clientAuth"; });
    EXPECT_EQ(client.code, ErrorCode::InvalidCertificate);
    EXPECT_THAT(client.message, HasSubstr("serverAuth"));
    const auto signOnly = leafWith([](auto& s) { s.keyUsage = "critical,keyCertSign"; });
    EXPECT_EQ(signOnly.code, ErrorCode::InvalidCertificate);
    EXPECT_THAT(signOnly.message, HasSubstr("digitalSignature"));
}

TEST_F(TlsServerRules, SubjectAltNamesAreRequiredOnlyWhenAsked)
{
    const auto https = leafWith([](auto& s) { s.subjectAltName = ""; }, {true});
    EXPECT_EQ(https.code, ErrorCode::InvalidCertificate);
    EXPECT_THAT(https.message, HasSubstr("Subject Alternative Name"));
    EXPECT_TRUE(leafWith([](auto& s) { s.subjectAltName = ""; }, {false}).accepted);
    EXPECT_TRUE(leafWith([](auto& s) { s.subjectAltName = "IP:192.0.2.1"; }, {true}).accepted);
}

TEST_F(TlsServerRules, RefusesWeakKeys)
{
    const auto weak = leafWith([](auto& s) { s.keyAlgorithm = "RSA-1024"; });
    EXPECT_EQ(weak.code, ErrorCode::InvalidKey);
    EXPECT_THAT(weak.message, HasSubstr("RSA 1024"));
    EXPECT_TRUE(leafWith([](auto& s) { s.keyAlgorithm = "RSA"; }).accepted);
    EXPECT_TRUE(leafWith([](auto& s) { s.keyAlgorithm = "ED25519"; }).accepted);
}

TEST_F(TlsServerRules, RefusesSha1Signatures)
{
    auto key = test::makeKey("EC");
    auto leaf = makeCertificate(pki.leaf());
    // Re-sign the leaf with SHA-1 by the intermediate's key.
    ASSERT_GT(X509_sign(leaf.cert.get(), pki.intermediate.key.get(), EVP_sha1()), 0);
    try {
        requireStrongSignature(*leaf.cert);
        FAIL();
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), ErrorCode::InvalidCertificate);
        EXPECT_THAT(error.what(), HasSubstr("SHA1"));
    }
}

TEST_F(TlsServerRules, RefusesAKeyThatIsNotTheCertificates)
{
    const auto leaf = makeCertificate(pki.leaf());
    auto other = test::makeKey("EC");
    const auto outcome = validate(chainOf({&leaf, &pki.intermediate}), *other);
    EXPECT_EQ(outcome.code, ErrorCode::KeyMismatch);
    EXPECT_THAT(outcome.message, HasSubstr("server.example"));
}

TEST_F(TlsServerRules, RefusesChainsOutOfOrderOrUnrelated)
{
    const auto leaf = makeCertificate(pki.leaf());
    const auto reversed = validate(chainOf({&leaf, &pki.root, &pki.intermediate}), *leaf.key);
    EXPECT_EQ(reversed.code, ErrorCode::InvalidCertificate);
    EXPECT_THAT(reversed.message, HasSubstr("did not issue"));
    const auto stranger = test::makeCa("Stranger");
    EXPECT_EQ(validate(chainOf({&leaf, &stranger}), *leaf.key).code, ErrorCode::InvalidCertificate);
}

TEST_F(TlsServerRules, RefusesANonCaInTheChain)
{
    // An end-entity certificate that (by names and key) "issued" the leaf.
    CertificateSpec issuerSpec;
    issuerSpec.subject = {{"CN", "Not a CA"}};
    issuerSpec.basicConstraints = "CA:FALSE";
    issuerSpec.keyUsage = "";
    const auto notCa = makeCertificate(issuerSpec);
    auto leafSpec = pki.leaf();
    leafSpec.issuer = &notCa;
    const auto leaf = makeCertificate(leafSpec);
    const auto outcome = validate(chainOf({&leaf, &notCa}), *leaf.key);
    EXPECT_EQ(outcome.code, ErrorCode::InvalidCertificate);
    EXPECT_THAT(outcome.message, HasSubstr("In the chain"));
}

} // namespace
} // namespace certd
