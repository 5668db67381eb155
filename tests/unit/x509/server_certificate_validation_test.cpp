#include "x509/certificate_builder.h"
#include "x509/certificate_input.h"
#include "base/error.h"
#include "x509/server_certificate_validation.h"
#include "test_certificates.h"
#include "refusal.h"

#include <functional>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using test::CertificateSpec;
using test::day;
using test::makeCertificate;
using test::makeKey;
using test::TestCertificate;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Fixed times, so that messages carry known dates.
constexpr std::int64_t notBefore = 1'700'000'000; // 2023-11-14 22:13:20 UTC
constexpr std::int64_t notAfter = 1'800'000'000;  // 2027-01-15 08:00:00 UTC
constexpr std::int64_t at = 1'750'000'000;        // 2025-06-15 15:06:40 UTC

constexpr ServerCertificateRules sanRequired{true};
constexpr ServerCertificateRules sanOptional{false};

CertificateSpec caSpec(const std::string& commonName, const TestCertificate* issuer)
{
    CertificateSpec spec;
    spec.subject = {{"O", "certd tests"}, {"CN", commonName}};
    spec.notBefore = notBefore;
    spec.notAfter = notAfter;
    spec.basicConstraints = issuer ? "critical,CA:TRUE,pathlen:0" : "critical,CA:TRUE";
    spec.issuer = issuer;
    return spec;
}

using Outcome = test::Refusal;

std::vector<X509Ptr> chainOf(std::initializer_list<const TestCertificate*> certs)
{
    std::vector<X509Ptr> chain;
    for (const auto* cert : certs)
        chain.push_back(shareCertificate(*cert->cert));
    return chain;
}

Outcome validate(const std::vector<X509Ptr>& chain, EVP_PKEY& key, ServerCertificateRules rules = sanRequired,
                 std::int64_t now = at)
{
    return test::refusalOf([&] { validateServerCertificate(chain, key, now, rules); });
}

Outcome outcomeOf(const std::function<void()>& check)
{
    return test::refusalOf(check);
}

// cert signed again by issuerKey with digest, as a freshly parsed object.
X509Ptr resigned(X509& cert, EVP_PKEY& issuerKey, const EVP_MD* digest)
{
    X509Ptr copy(X509_dup(&cert));
    if (!copy || X509_sign(copy.get(), &issuerKey, digest) <= 0)
        return nullptr;
    return certificateFromDer(certificateToDer(*copy));
}

class ServerCertificateValidation : public ::testing::Test {
protected:
    CertificateSpec leafSpec(const TestCertificate* issuer = nullptr) const
    {
        CertificateSpec spec;
        spec.subject = {{"CN", "server.example"}};
        spec.notBefore = notBefore;
        spec.notAfter = notAfter;
        spec.basicConstraints = "critical,CA:FALSE";
        spec.keyUsage = "critical,digitalSignature";
        spec.extendedKeyUsage = "serverAuth";
        spec.subjectAltName = "DNS:server.example";
        spec.issuer = issuer ? issuer : &intermediate;
        return spec;
    }

    // A leaf from leafSpec changed by change, validated with its intermediate and its own key.
    Outcome leafWith(const std::function<void(CertificateSpec&)>& change, ServerCertificateRules rules = sanRequired,
                     std::int64_t now = at)
    {
        auto spec = leafSpec();
        change(spec);
        const auto leaf = makeCertificate(spec);
        return validate(chainOf({&leaf, &intermediate}), *leaf.key, rules, now);
    }

    TestCertificate root = makeCertificate(caSpec("Validation Root", nullptr));
    TestCertificate intermediate = makeCertificate(caSpec("Validation Intermediate", &root));
    TestCertificate leaf = makeCertificate(leafSpec());
};

// -------- accepted --------

TEST_F(ServerCertificateValidation, AcceptsAProperLeafWithItsIntermediate)
{
    EXPECT_TRUE(validate(chainOf({&leaf, &intermediate}), *leaf.key).accepted())
        << validate(chainOf({&leaf, &intermediate}), *leaf.key);
    EXPECT_TRUE(validate(chainOf({&leaf, &intermediate}), *leaf.key, sanOptional).accepted());
}

TEST_F(ServerCertificateValidation, AcceptsAChainUpToTheRoot)
{
    EXPECT_TRUE(validate(chainOf({&leaf, &intermediate, &root}), *leaf.key).accepted());
}

TEST_F(ServerCertificateValidation, AcceptsALeafWithoutChain)
{
    EXPECT_TRUE(validate(chainOf({&leaf}), *leaf.key).accepted());
}

TEST_F(ServerCertificateValidation, AcceptsALeafSignedDirectlyByTheCa)
{
    const auto direct = makeCertificate(leafSpec(&root));
    EXPECT_TRUE(validate(chainOf({&direct, &root}), *direct.key).accepted());
    EXPECT_TRUE(validate(chainOf({&direct}), *direct.key).accepted());
}

TEST_F(ServerCertificateValidation, ValidityIncludesNotBeforeAndExcludesNotAfter)
{
    EXPECT_TRUE(validate(chainOf({&leaf, &intermediate}), *leaf.key, sanRequired, notBefore).accepted());
    EXPECT_TRUE(validate(chainOf({&leaf, &intermediate}), *leaf.key, sanRequired, notAfter - 1).accepted());
    EXPECT_EQ(validate(chainOf({&leaf, &intermediate}), *leaf.key, sanRequired, notAfter).code, ErrorCode::Expired);
    EXPECT_EQ(validate(chainOf({&leaf, &intermediate}), *leaf.key, sanRequired, notBefore - 1).code,
              ErrorCode::NotYetValid);
}

TEST_F(ServerCertificateValidation, AcceptsStrongKeysOfEveryKind)
{
    for (const char* algorithm : {"RSA", "EC-P384", "ED25519"}) {
        const auto outcome = leafWith([&](auto& s) { s.keyAlgorithm = algorithm; });
        EXPECT_TRUE(outcome.accepted()) << algorithm << ": " << outcome;
    }
}

TEST_F(ServerCertificateValidation, AcceptsOtherUsagesThatAllowTls)
{
    const std::vector<std::pair<const char*, std::function<void(CertificateSpec&)>>> variants = {
        {"no Key Usage", [](auto& s) { s.keyUsage = ""; }},
        {"no Extended Key Usage", [](auto& s) { s.extendedKeyUsage = ""; }},
        {"keyEncipherment only (RSA)", [](auto& s) { s.keyUsage = "critical,keyEncipherment"; s.keyAlgorithm = "RSA"; }},
        {"digitalSignature,keyEncipherment", [](auto& s) { s.keyUsage = "critical,digitalSignature,keyEncipherment"; }},
        {"clientAuth and serverAuth", [](auto& s) { s.extendedKeyUsage = "clientAuth,serverAuth"; }},
        {"anyExtendedKeyUsage", [](auto& s) { s.extendedKeyUsage = "anyExtendedKeyUsage"; }},
        {"no Basic Constraints", [](auto& s) { s.basicConstraints = ""; }},
        {"an IP address as the only name", [](auto& s) { s.subjectAltName = "IP:192.0.2.1"; }},
        {"a wildcard name", [](auto& s) { s.subjectAltName = "DNS:*.example"; }},
    };
    for (const auto& [what, change] : variants) {
        const auto outcome = leafWith(change);
        EXPECT_TRUE(outcome.accepted()) << what << ": " << outcome;
    }
}

// -------- validity --------

TEST_F(ServerCertificateValidation, RefusesAnExpiredLeaf)
{
    const auto outcome = leafWith([](auto& s) { s.notAfter = at - day; });
    EXPECT_EQ(outcome.code, ErrorCode::Expired);
    EXPECT_THAT(outcome.message, StartsWith("The certificate \"server.example\" expired on 2025-06-14 15:06:40 UTC"));
}

TEST_F(ServerCertificateValidation, RefusesALeafThatIsNotYetValid)
{
    const auto outcome = leafWith([](auto& s) { s.notBefore = at + day; });
    EXPECT_EQ(outcome.code, ErrorCode::NotYetValid);
    EXPECT_THAT(outcome.message,
                StartsWith("The certificate \"server.example\" is not valid before 2025-06-16 15:06:40 UTC"));
}

TEST_F(ServerCertificateValidation, RefusesAnExpiredIntermediate)
{
    auto spec = caSpec("Expired Intermediate", &root);
    spec.notAfter = at - day;
    const auto expired = makeCertificate(spec);
    const auto issued = makeCertificate(leafSpec(&expired));
    const auto outcome = validate(chainOf({&issued, &expired}), *issued.key);
    EXPECT_EQ(outcome.code, ErrorCode::Expired);
    EXPECT_THAT(outcome.message, StartsWith("The certificate \"Expired Intermediate\" expired on"));
}

TEST_F(ServerCertificateValidation, RefusesARootThatIsNotYetValid)
{
    auto spec = caSpec("Future Root", nullptr);
    spec.notBefore = at + day;
    const auto future = makeCertificate(spec);
    const auto issued = makeCertificate(leafSpec(&future));
    const auto outcome = validate(chainOf({&issued, &future}), *issued.key);
    EXPECT_EQ(outcome.code, ErrorCode::NotYetValid);
    EXPECT_THAT(outcome.message, HasSubstr("\"Future Root\" is not valid before"));
}

// -------- not a TLS server certificate --------

TEST_F(ServerCertificateValidation, RefusesACaCertificateAsTheLeaf)
{
    const auto outcome = leafWith([](auto& s) {
        s.basicConstraints = "critical,CA:TRUE";
        s.keyUsage = "critical,digitalSignature,keyCertSign";
    });
    EXPECT_EQ(outcome.code, ErrorCode::InvalidCertificate);
    EXPECT_THAT(outcome.message,
                StartsWith("The certificate \"server.example\" cannot serve TLS: it is a CA certificate "
                           "(Basic Constraints CA:TRUE)"));

    // The intermediate given first, with its own key.
    const auto swapped = validate(chainOf({&intermediate, &root}), *intermediate.key);
    EXPECT_EQ(swapped.code, ErrorCode::InvalidCertificate);
    EXPECT_THAT(swapped.message, HasSubstr("\"Validation Intermediate\" cannot serve TLS: it is a CA certificate"));
}

TEST_F(ServerCertificateValidation, RefusesALeafForClientAuthenticationOnly)
{
    for (const char* usage : {"clientAuth", "codeSigning,emailProtection"}) {
        const auto outcome = leafWith([&](auto& s) { s.extendedKeyUsage = usage; });
        EXPECT_EQ(outcome.code, ErrorCode::InvalidCertificate) << usage;
        EXPECT_EQ(outcome.message, "The certificate \"server.example\" cannot serve TLS: its Extended Key Usage "
                                   "does not include serverAuth (TLS Web Server Authentication)")
            << usage;
    }
}

TEST_F(ServerCertificateValidation, RefusesAKeyUsageWithoutSignatureOrEncipherment)
{
    for (const char* usage : {"critical,keyCertSign", "critical,cRLSign", "keyAgreement"}) {
        const auto outcome = leafWith([&](auto& s) { s.keyUsage = usage; });
        EXPECT_EQ(outcome.code, ErrorCode::InvalidCertificate) << usage;
        EXPECT_EQ(outcome.message, "The certificate \"server.example\" cannot serve TLS: its Key Usage allows "
                                   "neither digitalSignature nor keyEncipherment")
            << usage;
    }
}

TEST_F(ServerCertificateValidation, SubjectAltNamesAreRequiredOnlyWhenTheRulesSaySo)
{
    const auto none = leafWith([](auto& s) { s.subjectAltName = ""; }, sanRequired);
    EXPECT_EQ(none.code, ErrorCode::InvalidCertificate);
    EXPECT_EQ(none.message, "The certificate \"server.example\" cannot serve TLS: it has no DNS or IP Subject "
                            "Alternative Name, and browsers ignore the Common Name");
    EXPECT_TRUE(leafWith([](auto& s) { s.subjectAltName = ""; }, sanOptional).accepted());

    // Names that are not addresses do not count.
    const auto email = leafWith([](auto& s) { s.subjectAltName = "email:admin@server.example"; }, sanRequired);
    EXPECT_EQ(email.code, ErrorCode::InvalidCertificate);
    EXPECT_THAT(email.message, HasSubstr("no DNS or IP Subject Alternative Name"));
    EXPECT_TRUE(leafWith([](auto& s) { s.subjectAltName = "email:admin@server.example"; }, sanOptional).accepted());
}

TEST_F(ServerCertificateValidation, RefusesMalformedExtensions)
{
    // The same extension twice.
    auto key = makeKey("EC");
    const auto cert = CertificateBuilder()
                          .subject({{"CN", "twice.example"}})
                          .validity(notBefore, notAfter)
                          .publicKey(*key)
                          .issuer(*intermediate.cert)
                          .extension(NID_subject_alt_name, "DNS:twice.example")
                          .extension(NID_subject_alt_name, "DNS:other.example")
                          .sign(*intermediate.key);
    std::vector<X509Ptr> chain;
    chain.push_back(shareCertificate(*cert));
    const auto outcome = validate(chain, *key);
    EXPECT_EQ(outcome.code, ErrorCode::InvalidCertificate);
    EXPECT_EQ(outcome.message,
              "The certificate \"twice.example\" has malformed or duplicate extensions and cannot be used");
}

// -------- keys and signatures --------

TEST_F(ServerCertificateValidation, RefusesAnRsa1024Key)
{
    const auto outcome = leafWith([](auto& s) { s.keyAlgorithm = "RSA-1024"; });
    EXPECT_EQ(outcome.code, ErrorCode::InvalidKey);
    EXPECT_EQ(outcome.message,
              "The key is RSA 1024, which TLS clients refuse as too weak; use at least 2048 bits");
}

TEST_F(ServerCertificateValidation, RefusesCurvesTlsClientsDoNotSupport)
{
    EvpPkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1"));
    ASSERT_TRUE(key);
    const auto cert = CertificateBuilder()
                          .subject({{"CN", "k1.example"}})
                          .validity(notBefore, notAfter)
                          .publicKey(*key)
                          .issuer(*intermediate.cert)
                          .extension(NID_subject_alt_name, "DNS:k1.example")
                          .sign(*intermediate.key);
    std::vector<X509Ptr> chain;
    chain.push_back(shareCertificate(*cert));
    chain.push_back(shareCertificate(*intermediate.cert));
    const auto outcome = validate(chain, *key);
    EXPECT_EQ(outcome.code, ErrorCode::InvalidKey);
    EXPECT_EQ(outcome.message, "The key is EC secp256k1; TLS clients support the curves P-256, P-384 and P-521");
}

TEST_F(ServerCertificateValidation, RefusesSha1Signatures)
{
    // OpenSSL 3 signs with SHA-1 when asked directly; only verification
    // at security level 1 and above refuses it.
    for (const char* algorithm : {"EC", "RSA"}) {
        auto issuerSpec = caSpec(std::string("SHA-1 issuer ") + algorithm, &root);
        issuerSpec.keyAlgorithm = algorithm;
        const auto issuer = makeCertificate(issuerSpec);
        const auto issued = makeCertificate(leafSpec(&issuer));
        const auto sha1 = resigned(*issued.cert, *issuer.key, EVP_sha1());
        ASSERT_TRUE(sha1) << "OpenSSL refused to sign with SHA-1";
        std::vector<X509Ptr> chain;
        chain.push_back(shareCertificate(*sha1));
        chain.push_back(shareCertificate(*issuer.cert));
        const auto outcome = validate(chain, *issued.key);
        EXPECT_EQ(outcome.code, ErrorCode::InvalidCertificate) << algorithm;
        EXPECT_EQ(outcome.message,
                  "The certificate \"server.example\" cannot serve TLS: it is signed with SHA1, which TLS clients refuse")
            << algorithm;

        // The same certificate signed again with SHA-256 is fine.
        const auto sha256 = resigned(*issued.cert, *issuer.key, EVP_sha256());
        ASSERT_TRUE(sha256);
        EXPECT_TRUE(outcomeOf([&] { requireStrongSignature(*sha256); }).accepted()) << algorithm;
    }
}

TEST_F(ServerCertificateValidation, RefusesAKeyThatDoesNotMatch)
{
    auto otherEc = makeKey("EC");
    const auto outcome = validate(chainOf({&leaf, &intermediate}), *otherEc);
    EXPECT_EQ(outcome.code, ErrorCode::KeyMismatch);
    EXPECT_EQ(outcome.message, "The private key does not belong to the certificate \"server.example\" (its public "
                               "key is EC P-256 but not the certificate's)");

    auto otherRsa = makeKey("RSA");
    const auto rsa = validate(chainOf({&leaf, &intermediate}), *otherRsa);
    EXPECT_EQ(rsa.code, ErrorCode::KeyMismatch);
    EXPECT_THAT(rsa.message, HasSubstr("(its public key is RSA 2048 but not the certificate's)"));

    // The issuer's key is not the leaf's either.
    EXPECT_EQ(validate(chainOf({&leaf, &intermediate}), *intermediate.key).code, ErrorCode::KeyMismatch);
}

// -------- the chain --------

TEST_F(ServerCertificateValidation, RefusesAChainInTheWrongOrder)
{
    const auto outcome = validate(chainOf({&leaf, &root, &intermediate}), *leaf.key);
    EXPECT_EQ(outcome.code, ErrorCode::InvalidCertificate);
    EXPECT_EQ(outcome.message, "Certificate 2 of the upload (\"Validation Root\") did not issue certificate 1 "
                               "(\"server.example\"). Give the server's certificate first, each one followed by "
                               "its issuer");
}

TEST_F(ServerCertificateValidation, RefusesAnUnrelatedCertificateInTheChain)
{
    const auto stranger = makeCertificate(caSpec("Stranger", nullptr));
    const auto direct = validate(chainOf({&leaf, &stranger}), *leaf.key);
    EXPECT_EQ(direct.code, ErrorCode::InvalidCertificate);
    EXPECT_THAT(direct.message, StartsWith("Certificate 2 of the upload (\"Stranger\") did not issue certificate 1"));

    const auto later = validate(chainOf({&leaf, &intermediate, &stranger}), *leaf.key);
    EXPECT_EQ(later.code, ErrorCode::InvalidCertificate);
    EXPECT_THAT(later.message, StartsWith("Certificate 3 of the upload (\"Stranger\") did not issue certificate 2 "
                                          "(\"Validation Intermediate\")"));

    const auto repeated = validate(chainOf({&leaf, &intermediate, &intermediate}), *leaf.key);
    EXPECT_EQ(repeated.code, ErrorCode::InvalidCertificate);
    EXPECT_THAT(repeated.message, StartsWith("Certificate 3 of the upload"));
}

TEST_F(ServerCertificateValidation, RefusesAnImpostorWithTheIssuersName)
{
    // Same subject as the real intermediate, different key.
    const auto impostor = makeCertificate(caSpec("Validation Intermediate", &root));
    const auto outcome = validate(chainOf({&leaf, &impostor}), *leaf.key);
    EXPECT_EQ(outcome.code, ErrorCode::InvalidCertificate);
    EXPECT_THAT(outcome.message, HasSubstr("did not issue certificate 1"));
}

TEST_F(ServerCertificateValidation, RefusesANonCaInTheChain)
{
    for (const char* constraints : {"critical,CA:FALSE", ""}) {
        CertificateSpec issuerSpec;
        issuerSpec.subject = {{"CN", "Not a CA"}};
        issuerSpec.notBefore = notBefore;
        issuerSpec.notAfter = notAfter;
        issuerSpec.basicConstraints = constraints;
        issuerSpec.keyUsage = ""; // OpenSSL would not even match an issuer whose Key Usage lacks keyCertSign
        const auto notCa = makeCertificate(issuerSpec);
        const auto issued = makeCertificate(leafSpec(&notCa));
        const auto outcome = validate(chainOf({&issued, &notCa}), *issued.key);
        EXPECT_EQ(outcome.code, ErrorCode::InvalidCertificate) << constraints;
        EXPECT_THAT(outcome.message, StartsWith("In the chain: The certificate \"Not a CA\" is not a CA certificate: "))
            << constraints;
        EXPECT_THAT(outcome.message, HasSubstr(*constraints ? "Basic Constraints say CA:FALSE" : "no Basic Constraints"))
            << constraints;
    }
}

TEST_F(ServerCertificateValidation, RefusesAnIssuerWhoseKeyUsageForbidsSigningCertificates)
{
    auto spec = caSpec("Signs nothing", &root);
    spec.keyUsage = "critical,digitalSignature";
    const auto issuer = makeCertificate(spec);
    const auto issued = makeCertificate(leafSpec(&issuer));
    const auto outcome = validate(chainOf({&issued, &issuer}), *issued.key);
    EXPECT_EQ(outcome.code, ErrorCode::InvalidCertificate);
    EXPECT_THAT(outcome.message, HasSubstr("\"Signs nothing\""));
}

} // namespace
} // namespace certd
