#include "x509/certificate_builder.h"
#include "x509/certificate_details.h"
#include "test_certificates.h"

#include <openssl/evp.h>

#include <gtest/gtest.h>

namespace certd {
namespace {

using test::CertificateSpec;
using test::makeCertificate;

TEST(CertificateDetails, DescribesNamesAndDates)
{
    CertificateSpec spec;
    spec.subject = {{"C", "DE"}, {"O", "Example GmbH"}, {"CN", "Example Root"}};
    spec.notBefore = 1'700'000'000;
    spec.notAfter = 2'000'000'000;
    const auto ca = makeCertificate(spec);
    const auto details = describeCertificate(*ca.cert);
    EXPECT_EQ(details.commonName, "Example Root");
    EXPECT_EQ(details.subject, "CN=Example Root,O=Example GmbH,C=DE");
    EXPECT_EQ(details.issuer, details.subject);
    EXPECT_EQ(details.issuerCommonName, "Example Root");
    EXPECT_EQ(details.notBefore, 1'700'000'000);
    EXPECT_EQ(details.notAfter, 2'000'000'000);
    EXPECT_TRUE(details.selfSigned);
}

TEST(CertificateDetails, NoCommonNameIsShownAsEmptyCommonName)
{
    CertificateSpec spec;
    spec.subject = {{"O", "Only an organization"}};
    const auto details = describeCertificate(*makeCertificate(spec).cert);
    EXPECT_EQ(details.commonName, "Empty Common Name");
    EXPECT_EQ(details.issuerCommonName, "Empty Common Name");
    EXPECT_EQ(details.subject, "O=Only an organization");
}

TEST(CertificateDetails, EmptySubjectIsShownAsEmptyCommonName)
{
    CertificateSpec spec;
    spec.subject = {};
    const auto details = describeCertificate(*makeCertificate(spec).cert);
    EXPECT_EQ(details.commonName, "Empty Common Name");
    EXPECT_EQ(details.subject, "");
}

TEST(CertificateDetails, IssuedCertificateNamesItsIssuerAndIsNotSelfSigned)
{
    const auto root = test::makeCa("The Root");
    CertificateSpec spec;
    spec.subject = {{"CN", "Intermediate"}};
    spec.issuer = &root;
    const auto details = describeCertificate(*makeCertificate(spec).cert);
    EXPECT_EQ(details.issuerCommonName, "The Root");
    EXPECT_FALSE(details.selfSigned);
}

TEST(CertificateDetails, IssuerWithoutCommonNameIsShownAsEmptyCommonName)
{
    CertificateSpec rootSpec;
    rootSpec.subject = {{"O", "Nameless Root"}};
    const auto root = makeCertificate(rootSpec);
    CertificateSpec spec;
    spec.issuer = &root;
    EXPECT_EQ(describeCertificate(*makeCertificate(spec).cert).issuerCommonName, "Empty Common Name");
}

TEST(CertificateDetails, KeepsUtf8Names)
{
    CertificateSpec spec;
    spec.subject = {{"CN", "Zertifizierungsstelle Müller Ω"}};
    EXPECT_EQ(describeCertificate(*makeCertificate(spec).cert).commonName, "Zertifizierungsstelle Müller Ω");
}

TEST(CertificateDetails, SerialIsUppercaseHex)
{
    auto key = test::makeKey("EC");
    CertificateBuilder builder;
    auto cert = builder.subject({{"CN", "Serial"}}).validity(0, 1).serial(0xABCDEF).publicKey(*key).sign(*key);
    EXPECT_EQ(describeCertificate(*cert).serialNumber, "ABCDEF");
}

TEST(CertificateDetails, FingerprintIsSha256OfDer)
{
    const auto ca = test::makeCa("Fingerprint");
    const auto der = ca.der();
    unsigned char digest[32];
    unsigned int length = 0;
    EVP_Digest(der.data(), der.size(), digest, &length, EVP_sha256(), nullptr);
    std::string hex;
    char pair[3];
    for (unsigned i = 0; i < length; ++i) {
        std::snprintf(pair, sizeof pair, "%02x", digest[i]);
        hex += pair;
    }
    EXPECT_EQ(describeCertificate(*ca.cert).fingerprint, hex);
    EXPECT_EQ(hex.size(), 64u);
}

struct KeyCase {
    const char* algorithm;
    const char* keyType;
    const char* signature;
};

class CertificateKeyTypes : public ::testing::TestWithParam<KeyCase> {};

TEST_P(CertificateKeyTypes, NamesKeyAndSignatureAlgorithm)
{
    CertificateSpec spec;
    spec.keyAlgorithm = GetParam().algorithm;
    const auto details = describeCertificate(*makeCertificate(spec).cert);
    EXPECT_EQ(details.keyType, GetParam().keyType);
    EXPECT_EQ(details.signatureAlgorithm, GetParam().signature);
}

INSTANTIATE_TEST_SUITE_P(All, CertificateKeyTypes,
                         ::testing::Values(KeyCase{"EC", "EC P-256", "ecdsa-with-SHA256"},
                                           KeyCase{"EC-P384", "EC P-384", "ecdsa-with-SHA384"},
                                           KeyCase{"RSA", "RSA 2048", "sha256WithRSAEncryption"},
                                           KeyCase{"ED25519", "Ed25519", "ED25519"}));

TEST(CertificateDetails, PathLength)
{
    CertificateSpec spec;
    EXPECT_EQ(describeCertificate(*makeCertificate(spec).cert).pathLength, -1);
    spec.basicConstraints = "critical,CA:TRUE,pathlen:0";
    EXPECT_EQ(describeCertificate(*makeCertificate(spec).cert).pathLength, 0);
    spec.basicConstraints = "critical,CA:TRUE,pathlen:3";
    EXPECT_EQ(describeCertificate(*makeCertificate(spec).cert).pathLength, 3);
}

TEST(CertificateDetails, SubjectAlternativeNames)
{
    CertificateSpec spec;
    spec.basicConstraints = "CA:FALSE";
    spec.keyUsage = "digitalSignature";
    spec.subjectAltName = "DNS:probe.example.com,DNS:probe,IP:192.0.2.7,IP:2001:db8::1";
    const auto names = describeCertificate(*makeCertificate(spec).cert).subjectAlternativeNames;
    EXPECT_EQ(names, (std::vector<std::string>{"DNS:probe.example.com", "DNS:probe", "IP:192.0.2.7",
                                               "IP:2001:db8::1"}));
}

} // namespace
} // namespace certd
