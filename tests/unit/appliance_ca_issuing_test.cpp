#include "appliance_ca.h"
#include "certificate_input.h"
#include "hostname.h"
#include "process.h"
#include "temp_dir.h"
#include "test_certificates.h"

#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using test::day;
using test::now;
using test::TempDir;
using ::testing::ElementsAre;

mode_t modeOf(const std::filesystem::path& path)
{
    struct stat status{};
    ::stat(path.c_str(), &status);
    return status.st_mode & 07777;
}

GenerationSettings settingsFor(std::string hostname)
{
    GenerationSettings settings;
    settings.hostname = std::move(hostname);
    return settings;
}

TEST(ApplianceCa, IsCreatedOnceAsAPathLengthZeroCaAndKeptPrivate)
{
    TempDir dir;
    const auto file = dir / "appliance-ca.pem";
    const auto ca = ApplianceCa::loadOrCreate(file, {"Test Appliance CA", KeyType::EcP384}, now());
    EXPECT_TRUE(ca->wasCreated());
    EXPECT_EQ(modeOf(file), 0600u);
    const auto parsed = readFirstCertificate(asBytes(ca->certificatePem()));
    X509& cert = *parsed.certificate;
    const auto details = describeCertificate(cert);
    EXPECT_EQ(details.commonName, "Test Appliance CA");
    EXPECT_EQ(details.keyType, "EC P-384");
    EXPECT_EQ(details.pathLength, 0);
    EXPECT_TRUE(details.selfSigned);
    const auto flags = X509_get_extension_flags(&cert);
    EXPECT_TRUE(flags & EXFLAG_CA);
    EXPECT_EQ(X509_get_key_usage(&cert), static_cast<uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
    EXPECT_NE(X509_get0_subject_key_id(&cert), nullptr);
    EXPECT_GE(details.notAfter - details.notBefore, 3652 * day);
    EXPECT_LE(details.notBefore, now());

    const auto again = ApplianceCa::loadOrCreate(file, {"Other name", KeyType::Rsa2048}, now());
    EXPECT_FALSE(again->wasCreated());
    EXPECT_EQ(again->certificatePem(), ca->certificatePem());
    EXPECT_EQ(again->issue(settingsFor("after.reload"), now())->details.issuerCommonName, "Test Appliance CA");
}

TEST(ApplianceCa, DefaultNameIsTheHostsAndKeyTypeIsHonoured)
{
    TempDir dir;
    const auto ca = ApplianceCa::loadOrCreate(dir / "ca.pem", {"", KeyType::Rsa2048}, now());
    const auto details = describeCertificate(*readFirstCertificate(asBytes(ca->certificatePem())).certificate);
    EXPECT_EQ(details.commonName, currentHostname() + " Appliance CA");
    EXPECT_EQ(details.keyType, "RSA 2048");
}

TEST(ApplianceCa, SubjectAlternativeNames)
{
    auto settings = settingsFor("Probe.Example.com");
    settings.additionalNames = {"probe", "10.0.0.1", "Web.Example.com", "web.example.com"};
    EXPECT_THAT(subjectAlternativeNamesFor(settings),
                ElementsAre("probe.example.com", "probe", "10.0.0.1", "web.example.com"));
    EXPECT_THAT(subjectAlternativeNamesFor(settingsFor("single")), ElementsAre("single"));
}

class IssuedCertificate : public ::testing::Test {
protected:
    TempDir dir;
    std::unique_ptr<ApplianceCa> ca = ApplianceCa::loadOrCreate(dir / "ca.pem", {"Issuing CA", KeyType::EcP256}, now());
};

TEST_F(IssuedCertificate, IsAServerCertificateForTheHostname)
{
    auto settings = settingsFor("Probe.Example.com");
    settings.additionalNames = {"192.0.2.7"};
    settings.validityDays = 90;
    const auto host = ca->issue(settings, now());
    const auto parsedLeaf = readFirstCertificate(asBytes(host->certificatePem));
    X509& leaf = *parsedLeaf.certificate;
    EXPECT_EQ(host->origin, HostOrigin::Generated);
    EXPECT_EQ(host->details.commonName, "probe.example.com");
    EXPECT_THAT(host->details.subjectAlternativeNames,
                ElementsAre("DNS:probe.example.com", "DNS:probe", "IP:192.0.2.7"));
    EXPECT_FALSE(X509_get_extension_flags(&leaf) & EXFLAG_CA);
    EXPECT_EQ(X509_get_key_usage(&leaf), static_cast<uint32_t>(KU_DIGITAL_SIGNATURE));
    EXPECT_EQ(X509_get_extended_key_usage(&leaf), static_cast<uint32_t>(XKU_SSL_SERVER));
    EXPECT_NE(X509_get0_subject_key_id(&leaf), nullptr);
    EXPECT_NE(X509_get0_authority_key_id(&leaf), nullptr);
    EXPECT_LE(host->details.notBefore, now());
    EXPECT_LE(host->details.notAfter, now() + 90 * day);
    EXPECT_GT(host->details.notAfter, now() + 89 * day);
    EXPECT_TRUE(host->chainPems.empty());
    EXPECT_TRUE(matchesHostname(host->details, "probe.example.com"));

    // Serial: positive and at least 64 bits.
    BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(&leaf), nullptr));
    EXPECT_FALSE(BN_is_negative(serial.get()));
    EXPECT_GE(BN_num_bits(serial.get()), 64);

    test::writeTextFile(dir / "issuing-ca.pem", ca->certificatePem());
    test::writeTextFile(dir / "leaf.pem", host->certificatePem);
    const auto verify = test::runCommand({"openssl", "verify", "-CAfile", (dir / "issuing-ca.pem").string(), "-purpose",
                                          "sslserver", "-verify_hostname", "probe", (dir / "leaf.pem").string()});
    EXPECT_EQ(verify.exitCode, 0) << verify.out << verify.err;
}

TEST_F(IssuedCertificate, RsaKeysAlsoAllowKeyEncipherment)
{
    auto settings = settingsFor("rsa.example");
    settings.keyType = KeyType::Rsa2048;
    const auto host = ca->issue(settings, now());
    EXPECT_EQ(host->details.keyType, "RSA 2048");
    const auto leaf = readFirstCertificate(asBytes(host->certificatePem));
    EXPECT_EQ(X509_get_key_usage(leaf.certificate.get()), static_cast<uint32_t>(KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT));
}

TEST_F(IssuedCertificate, NeverOutlivesTheCa)
{
    auto settings = settingsFor("late.example");
    settings.validityDays = 825;
    const auto caNotAfter = describeCertificate(*readFirstCertificate(asBytes(ca->certificatePem())).certificate).notAfter;
    const auto host = ca->issue(settings, caNotAfter - 10 * day); // late in the CA's life
    EXPECT_EQ(host->details.notAfter, caNotAfter);
}

TEST_F(IssuedCertificate, SerialsDiffer)
{
    const auto a = ca->issue(settingsFor("a.example"), now());
    const auto b = ca->issue(settingsFor("a.example"), now());
    EXPECT_NE(a->details.serialNumber, b->details.serialNumber);
}

} // namespace
} // namespace certd
