#include "x509/certificate_details.h"
#include "base/error.h"
#include "host/host_certificate.h"
#include "x509/private_key_input.h"
#include "test_certificates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using test::CertificateSpec;
using test::makeCertificate;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

GenerationSettings valid()
{
    GenerationSettings settings;
    settings.hostname = "probe.example.com";
    return settings;
}

struct Outcome {
    bool accepted = false;
    ErrorCode code = ErrorCode::Internal;
    std::string message;
};

Outcome check(const GenerationSettings& settings)
{
    try {
        validateGenerationSettings(settings);
        return {true, ErrorCode::Internal, {}};
    } catch (const Error& error) {
        return {false, error.code(), error.what()};
    }
}

// -------- validateGenerationSettings --------

TEST(GenerationSettingsValidation, AcceptsTheDefaults)
{
    const auto outcome = check(valid());
    EXPECT_TRUE(outcome.accepted) << outcome.message;
    EXPECT_EQ(valid().validityDays, 397u);
    EXPECT_EQ(valid().keyType, KeyType::EcP256);
}

TEST(GenerationSettingsValidation, AcceptsEveryKindOfGoodSetting)
{
    auto settings = valid();
    settings.hostname = "Probe";
    settings.keyType = KeyType::Rsa4096;
    settings.additionalNames = {"*.apps.example.com", "192.0.2.1", "2001:db8::1", "web.example.com", "Alias"};
    EXPECT_TRUE(check(settings).accepted) << check(settings).message;
}

TEST(GenerationSettingsValidation, ValidityFromOneTo825Days)
{
    auto settings = valid();
    for (const unsigned days : {1u, 90u, 397u, 825u}) {
        settings.validityDays = days;
        EXPECT_TRUE(check(settings).accepted) << days;
    }
}

TEST(GenerationSettingsValidation, RefusesZeroValidityDays)
{
    auto settings = valid();
    settings.validityDays = 0;
    const auto outcome = check(settings);
    EXPECT_EQ(outcome.code, ErrorCode::InvalidArgument);
    EXPECT_EQ(outcome.message, "ValidityDays 0 is out of range: 1 to 825 days (browsers refuse longer-lived "
                               "certificates from a local CA)");
}

TEST(GenerationSettingsValidation, RefusesMoreThan825ValidityDays)
{
    auto settings = valid();
    for (const unsigned days : {826u, 3650u, 4294967295u}) {
        settings.validityDays = days;
        const auto outcome = check(settings);
        EXPECT_EQ(outcome.code, ErrorCode::InvalidArgument) << days;
        EXPECT_THAT(outcome.message, StartsWith("ValidityDays " + std::to_string(days) + " is out of range: 1 to 825"));
    }
}

TEST(GenerationSettingsValidation, RefusesABadHostname)
{
    auto settings = valid();
    settings.hostname = "bad_name.example";
    const auto outcome = check(settings);
    EXPECT_EQ(outcome.code, ErrorCode::InvalidArgument);
    EXPECT_EQ(outcome.message, "Hostname \"bad_name.example\" is not a valid host name: the label \"bad_name\" has "
                               "characters other than letters, digits and '-'");
}

TEST(GenerationSettingsValidation, RefusesHostnamesThatAreNotHostNames)
{
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "it is empty"},
        {"192.0.2.1", "it is an IP address, not a host name"},
        {"*.example.com", "the label \"*\" has characters other than letters, digits and '-'"},
        {"probe.example.", "it has an empty label"},
        {"-probe", "the label \"-probe\" starts or ends with '-'"},
        {"probe.123", "its last label is all digits"},
    };
    for (const auto& [hostname, why] : cases) {
        auto settings = valid();
        settings.hostname = hostname;
        const auto outcome = check(settings);
        EXPECT_EQ(outcome.code, ErrorCode::InvalidArgument) << hostname;
        EXPECT_EQ(outcome.message, "Hostname \"" + hostname + "\" is not a valid host name: " + why);
    }
}

TEST(GenerationSettingsValidation, RefusesABadAdditionalName)
{
    auto settings = valid();
    settings.additionalNames = {"*.ok.example", "192.0.2.1", "bad name"};
    const auto outcome = check(settings);
    EXPECT_EQ(outcome.code, ErrorCode::InvalidArgument);
    EXPECT_EQ(outcome.message, "AdditionalNames entry \"bad name\" is neither a valid DNS name nor an IP address: the "
                               "label \"bad name\" has characters other than letters, digits and '-'");

    for (const char* name : {"", "*.*.example.com", "a..b", "10.0.0.256.1", "host.123"}) {
        settings.additionalNames = {name};
        const auto refused = check(settings);
        EXPECT_EQ(refused.code, ErrorCode::InvalidArgument) << name;
        EXPECT_THAT(refused.message, StartsWith("AdditionalNames entry \"" + std::string(name) + "\" is neither")) << name;
    }
}

TEST(GenerationSettingsValidation, NamesTheFirstWrongSetting)
{
    GenerationSettings settings;
    settings.hostname = "bad_name";
    settings.validityDays = 0;
    settings.additionalNames = {"bad name"};
    EXPECT_THAT(check(settings).message, StartsWith("Hostname "));
    settings.hostname = "good.example";
    EXPECT_THAT(check(settings).message, StartsWith("ValidityDays "));
    settings.validityDays = 30;
    EXPECT_THAT(check(settings).message, StartsWith("AdditionalNames "));
}

// -------- matchesHostname --------

CertificateDetails detailsWith(std::string commonName, std::vector<std::string> names)
{
    CertificateDetails details;
    details.commonName = std::move(commonName);
    details.subjectAlternativeNames = std::move(names);
    return details;
}

TEST(HostnameMatch, ExactDnsName)
{
    const auto details = detailsWith("cn.example", {"DNS:probe.example.com", "DNS:web.example.com"});
    EXPECT_TRUE(matchesHostname(details, "probe.example.com"));
    EXPECT_TRUE(matchesHostname(details, "web.example.com"));
}

TEST(HostnameMatch, IgnoresCaseOnBothSides)
{
    const auto details = detailsWith("cn.example", {"DNS:Probe.Example.com"});
    EXPECT_TRUE(matchesHostname(details, "probe.example.com"));
    EXPECT_TRUE(matchesHostname(details, "PROBE.EXAMPLE.COM"));
}

TEST(HostnameMatch, WildcardStandsForExactlyOneLeftmostLabel)
{
    const auto details = detailsWith("cn.example", {"DNS:*.apps.example.com"});
    EXPECT_TRUE(matchesHostname(details, "web.apps.example.com"));
    EXPECT_TRUE(matchesHostname(details, "WEB.Apps.Example.COM"));
    EXPECT_FALSE(matchesHostname(details, "apps.example.com"));
    EXPECT_FALSE(matchesHostname(details, "a.b.apps.example.com"));
    EXPECT_FALSE(matchesHostname(details, ".apps.example.com"));
    EXPECT_FALSE(matchesHostname(details, "web.apps.example.org"));
    EXPECT_FALSE(matchesHostname(details, "webapps.example.com"));
}

TEST(HostnameMatch, OtherNamesDoNotMatch)
{
    const auto details = detailsWith("cn.example", {"DNS:probe.example.com", "DNS:*.apps.example.com"});
    EXPECT_FALSE(matchesHostname(details, "other.example.com"));
    EXPECT_FALSE(matchesHostname(details, "probe.example"));
    EXPECT_FALSE(matchesHostname(details, "probe.example.com.evil"));
    EXPECT_FALSE(matchesHostname(details, "xprobe.example.com"));
    EXPECT_FALSE(matchesHostname(details, "probe"));
}

TEST(HostnameMatch, EmptyHostnameNeverMatches)
{
    EXPECT_FALSE(matchesHostname(detailsWith("cn.example", {"DNS:probe.example.com"}), ""));
    EXPECT_FALSE(matchesHostname(detailsWith("", {}), ""));
    EXPECT_FALSE(matchesHostname(detailsWith("", {"DNS:"}), ""));
}

TEST(HostnameMatch, CommonNameCountsOnlyWithoutDnsNames)
{
    EXPECT_FALSE(matchesHostname(detailsWith("cn.example", {"DNS:probe.example.com"}), "cn.example"));
    EXPECT_TRUE(matchesHostname(detailsWith("cn.example", {}), "cn.example"));
    EXPECT_TRUE(matchesHostname(detailsWith("CN.Example", {}), "cn.EXAMPLE"));
    EXPECT_TRUE(matchesHostname(detailsWith("*.cn.example", {}), "www.cn.example"));
    // Names other than DNS names leave the Common Name in force.
    EXPECT_TRUE(matchesHostname(detailsWith("cn.example", {"IP:192.0.2.1", "email:a@cn.example"}), "cn.example"));
    EXPECT_FALSE(matchesHostname(detailsWith("cn.example", {}), "other.example"));
}

TEST(HostnameMatch, AMissingCommonNameNeverMatches)
{
    const auto details = detailsWith(std::string(emptyCommonName), {});
    EXPECT_FALSE(matchesHostname(details, std::string(emptyCommonName)));
    EXPECT_FALSE(matchesHostname(details, "empty common name"));
}

TEST(HostnameMatch, IpAddressNamesAreNotHostNames)
{
    const auto details = detailsWith("cn.example", {"DNS:probe.example.com", "IP:192.0.2.1"});
    EXPECT_FALSE(matchesHostname(details, "192.0.2.1"));
}

TEST(HostnameMatch, WorksOnTheDetailsOfARealCertificate)
{
    CertificateSpec spec;
    spec.subject = {{"CN", "cn-only.example"}};
    spec.basicConstraints = "CA:FALSE";
    spec.subjectAltName = "DNS:Probe.Example.com,DNS:*.apps.example.com,IP:192.0.2.1";
    const auto details = describeCertificate(*makeCertificate(spec).cert);
    EXPECT_TRUE(matchesHostname(details, "probe.example.com"));
    EXPECT_TRUE(matchesHostname(details, "grafana.apps.example.com"));
    EXPECT_FALSE(matchesHostname(details, "cn-only.example"));

    CertificateSpec legacy;
    legacy.subject = {{"CN", "Legacy.Example"}};
    legacy.basicConstraints = "CA:FALSE";
    EXPECT_TRUE(matchesHostname(describeCertificate(*makeCertificate(legacy).cert), "legacy.example"));
}

// -------- originName --------

TEST(HostOriginName, NamesEveryOrigin)
{
    EXPECT_EQ(originName(HostOrigin::None), "none");
    EXPECT_EQ(originName(HostOrigin::Generated), "generated");
    EXPECT_EQ(originName(HostOrigin::Uploaded), "uploaded");
}

// -------- makeHostCertificate and chainPem --------

struct Chain {
    test::TestCertificate root = test::makeCa("Host Root");
    test::TestCertificate intermediate = [this] {
        CertificateSpec spec;
        spec.subject = {{"CN", "Host Intermediate"}};
        spec.issuer = &root;
        return makeCertificate(spec);
    }();
    test::TestCertificate leaf = makeCertificate(test::serverSpec("host.example", intermediate));
};

TEST(HostCertificateChain, IsTheLeafThenItsIssuersInOrder)
{
    Chain pki;
    std::vector<X509Ptr> chain;
    chain.push_back(shareCertificate(*pki.leaf.cert));
    chain.push_back(shareCertificate(*pki.intermediate.cert));
    chain.push_back(shareCertificate(*pki.root.cert));
    const auto host = makeHostCertificate(HostOrigin::Uploaded, std::nullopt, chain, *pki.leaf.key);
    EXPECT_EQ(host->origin, HostOrigin::Uploaded);
    EXPECT_FALSE(host->generation);
    EXPECT_EQ(host->certificatePem, pki.leaf.pem());
    EXPECT_THAT(host->chainPems, ElementsAre(pki.intermediate.pem(), pki.root.pem()));
    EXPECT_EQ(host->chainPem(), pki.leaf.pem() + pki.intermediate.pem() + pki.root.pem());
    EXPECT_EQ(host->details.commonName, "host.example");
    EXPECT_EQ(host->details.fingerprint, pki.leaf.fingerprint());
    EXPECT_EQ(host->keyPem, pki.leaf.keyPem());
    EXPECT_EQ(EVP_PKEY_eq(readPrivateKey(asBytes(host->keyPem)).get(), pki.leaf.key.get()), 1);
}

TEST(HostCertificateChain, WithoutIssuersIsTheLeafAlone)
{
    Chain pki;
    std::vector<X509Ptr> chain;
    chain.push_back(shareCertificate(*pki.leaf.cert));
    GenerationSettings settings = valid();
    const auto host = makeHostCertificate(HostOrigin::Generated, settings, chain, *pki.leaf.key);
    EXPECT_TRUE(host->chainPems.empty());
    EXPECT_EQ(host->chainPem(), pki.leaf.pem());
    ASSERT_TRUE(host->generation);
    EXPECT_EQ(host->generation->hostname, "probe.example.com");
}

TEST(HostCertificateChain, IsBuiltFromThePemTexts)
{
    HostCertificate host;
    host.certificatePem = "LEAF\n";
    EXPECT_EQ(host.chainPem(), "LEAF\n");
    host.chainPems = {"FIRST\n", "SECOND\n"};
    EXPECT_EQ(host.chainPem(), "LEAF\nFIRST\nSECOND\n");
}

} // namespace
} // namespace certd
