#include "host/appliance_ca.h"
#include "x509/certificate_details.h"
#include "x509/certificate_input.h"
#include "x509/certificate_validation.h"
#include "base/error.h"
#include "host/hostname.h"
#include "x509/private_key_input.h"
#include "process.h"
#include "x509/server_certificate_validation.h"
#include "temp_dir.h"
#include "test_certificates.h"

#include <openssl/x509v3.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <optional>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using test::day;
using test::now;
using test::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::int64_t hour = 3600;

mode_t modeOf(const std::filesystem::path& path)
{
    return test::infoOf(path).mode;
}

X509Ptr parse(const std::string& pem)
{
    return std::move(readFirstCertificate(asBytes(pem)).certificate);
}

GenerationSettings settingsFor(std::string hostname, KeyType keyType = KeyType::EcP256)
{
    GenerationSettings settings;
    settings.hostname = std::move(hostname);
    settings.keyType = keyType;
    return settings;
}

struct Extension {
    bool present = false;
    bool critical = false;
};

Extension extensionOf(const X509& cert, int nid)
{
    const int index = X509_get_ext_by_NID(&cert, nid, -1);
    if (index < 0)
        return {};
    return {true, X509_EXTENSION_get_critical(X509_get_ext(&cert, index)) == 1};
}

// -------- the CA itself --------

TEST(ApplianceCaFile, IsCreatedWithKeyAndCertificateReadableByRootOnly)
{
    TempDir dir;
    const auto file = dir / "appliance-ca.pem";
    const auto ca = ApplianceCa::loadOrCreate(file, {"Probe 42 Appliance CA", KeyType::EcP256}, now());
    EXPECT_TRUE(ca->wasCreated());
    ASSERT_TRUE(std::filesystem::exists(file));
    EXPECT_EQ(modeOf(file), 0600u);

    const auto contents = test::readTextFile(file);
    EXPECT_THAT(contents, StartsWith("-----BEGIN PRIVATE KEY-----\n"));
    EXPECT_EQ(contents.find("ENCRYPTED"), std::string::npos);
    const auto certificateAt = contents.find("-----BEGIN CERTIFICATE-----");
    ASSERT_NE(certificateAt, std::string::npos);
    EXPECT_EQ(contents.substr(certificateAt), ca->certificatePem());

    // The key in the file is the certificate's.
    const auto key = readPrivateKey(asBytes(contents));
    const auto cert = parse(ca->certificatePem());
    EXPECT_EQ(X509_check_private_key(cert.get(), key.get()), 1);
}

TEST(ApplianceCaFile, IsASelfSignedCaNamedAsConfigured)
{
    TempDir dir;
    const auto ca = ApplianceCa::loadOrCreate(dir / "ca.pem", {"Probe 42 Appliance CA", KeyType::EcP256}, now());
    const auto cert = parse(ca->certificatePem());
    const auto details = describeCertificate(*cert);
    EXPECT_EQ(details.commonName, "Probe 42 Appliance CA");
    EXPECT_EQ(details.subject, "CN=Probe 42 Appliance CA");
    EXPECT_EQ(details.issuer, details.subject);
    EXPECT_TRUE(details.selfSigned);
    EXPECT_EQ(X509_verify(cert.get(), X509_get0_pubkey(cert.get())), 1);
    EXPECT_EQ(details.keyType, "EC P-256");
    EXPECT_NO_THROW(validateCaCertificate(*cert, now()));
}

TEST(ApplianceCaFile, HasCriticalBasicConstraintsCaTruePathLengthZero)
{
    TempDir dir;
    const auto ca = ApplianceCa::loadOrCreate(dir / "ca.pem", {"Constraints CA", KeyType::EcP256}, now());
    const auto cert = parse(ca->certificatePem());
    const auto extension = extensionOf(*cert, NID_basic_constraints);
    EXPECT_TRUE(extension.present);
    EXPECT_TRUE(extension.critical);
    std::unique_ptr<BASIC_CONSTRAINTS, OpenSslDeleter<BASIC_CONSTRAINTS_free>> constraints(
        static_cast<BASIC_CONSTRAINTS*>(X509_get_ext_d2i(cert.get(), NID_basic_constraints, nullptr, nullptr)));
    ASSERT_TRUE(constraints);
    EXPECT_TRUE(constraints->ca);
    ASSERT_NE(constraints->pathlen, nullptr);
    EXPECT_EQ(ASN1_INTEGER_get(constraints->pathlen), 0);
    EXPECT_EQ(describeCertificate(*cert).pathLength, 0);
}

TEST(ApplianceCaFile, HasCriticalKeyUsageForSigningCertificatesAndCrlsOnly)
{
    TempDir dir;
    const auto ca = ApplianceCa::loadOrCreate(dir / "ca.pem", {"Usage CA", KeyType::EcP256}, now());
    const auto cert = parse(ca->certificatePem());
    const auto extension = extensionOf(*cert, NID_key_usage);
    EXPECT_TRUE(extension.present);
    EXPECT_TRUE(extension.critical);
    EXPECT_EQ(X509_get_key_usage(cert.get()), static_cast<std::uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
    EXPECT_FALSE(extensionOf(*cert, NID_ext_key_usage).present);
}

TEST(ApplianceCaFile, HasASubjectKeyIdentifier)
{
    TempDir dir;
    const auto ca = ApplianceCa::loadOrCreate(dir / "ca.pem", {"SKI CA", KeyType::EcP256}, now());
    const auto cert = parse(ca->certificatePem());
    EXPECT_TRUE(extensionOf(*cert, NID_subject_key_identifier).present);
    const ASN1_OCTET_STRING* identifier = X509_get0_subject_key_id(cert.get());
    ASSERT_NE(identifier, nullptr);
    EXPECT_GT(ASN1_STRING_length(identifier), 0);
}

TEST(ApplianceCaFile, IsValidForAboutTenYearsFromNow)
{
    TempDir dir;
    const auto created = now();
    const auto ca = ApplianceCa::loadOrCreate(dir / "ca.pem", {"Lifetime CA", KeyType::EcP256}, created);
    const auto details = describeCertificate(*parse(ca->certificatePem()));
    EXPECT_LE(details.notBefore, created);
    EXPECT_GE(details.notBefore, created - 2 * hour);
    EXPECT_GE(details.notAfter, created + 10 * 365 * day);
    EXPECT_LE(details.notAfter, created + 10 * 366 * day);
}

TEST(ApplianceCaFile, IsCreatedForTheGivenTime)
{
    TempDir dir;
    constexpr std::int64_t then = 1'700'000'000;
    const auto ca = ApplianceCa::loadOrCreate(dir / "ca.pem", {"Then CA", KeyType::EcP256}, then);
    const auto details = describeCertificate(*parse(ca->certificatePem()));
    EXPECT_LE(details.notBefore, then);
    EXPECT_GE(details.notBefore, then - 2 * hour);
    EXPECT_GE(details.notAfter, then + 10 * 365 * day);
    EXPECT_LE(details.notAfter, then + 10 * 366 * day);
}

TEST(ApplianceCaFile, DefaultCommonNameIsTheHostsApplianceCa)
{
    TempDir dir;
    const auto ca = ApplianceCa::loadOrCreate(dir / "ca.pem", {"", KeyType::EcP256}, now());
    EXPECT_EQ(describeCertificate(*parse(ca->certificatePem())).commonName, currentHostname() + " Appliance CA");
}

TEST(ApplianceCaFile, IsLoadedBackNotCreatedAgain)
{
    TempDir dir;
    const auto file = dir / "ca.pem";
    const auto first = ApplianceCa::loadOrCreate(file, {"Kept CA", KeyType::EcP256}, now());
    ASSERT_TRUE(first->wasCreated());
    const auto contents = test::readTextFile(file);

    // Different settings only apply to a new CA.
    const auto second = ApplianceCa::loadOrCreate(file, {"Other name", KeyType::Rsa2048}, now());
    EXPECT_FALSE(second->wasCreated());
    EXPECT_EQ(second->certificatePem(), first->certificatePem());
    EXPECT_EQ(describeCertificate(*parse(second->certificatePem())).commonName, "Kept CA");
    EXPECT_EQ(test::readTextFile(file), contents);
    EXPECT_EQ(modeOf(file), 0600u);

    const auto third = ApplianceCa::loadOrCreate(file, {}, now());
    EXPECT_FALSE(third->wasCreated());
    EXPECT_EQ(third->certificatePem(), first->certificatePem());
}

TEST(ApplianceCaFile, ALoadedCaIssuesWithItsStoredKey)
{
    TempDir dir;
    const auto file = dir / "ca.pem";
    const auto created = ApplianceCa::loadOrCreate(file, {"Reloaded CA", KeyType::EcP256}, now());
    const auto loaded = ApplianceCa::loadOrCreate(file, {}, now());
    const auto host = loaded->issue(settingsFor("after.reload.example"), now());
    const auto caCert = parse(created->certificatePem());
    const auto leaf = parse(host->certificatePem);
    EXPECT_EQ(X509_verify(leaf.get(), X509_get0_pubkey(caCert.get())), 1);
    EXPECT_EQ(host->details.issuerCommonName, "Reloaded CA");
}

TEST(ApplianceCaFile, KeyTypeIsHonoured)
{
    TempDir dir;
    const auto p384 = ApplianceCa::loadOrCreate(dir / "p384.pem", {"P-384 CA", KeyType::EcP384}, now());
    const auto p384Details = describeCertificate(*parse(p384->certificatePem()));
    EXPECT_EQ(p384Details.keyType, "EC P-384");
    EXPECT_EQ(p384Details.signatureAlgorithm, "ecdsa-with-SHA384");

    const auto rsa = ApplianceCa::loadOrCreate(dir / "rsa.pem", {"RSA CA", KeyType::Rsa2048}, now());
    const auto rsaDetails = describeCertificate(*parse(rsa->certificatePem()));
    EXPECT_EQ(rsaDetails.keyType, "RSA 2048");
    EXPECT_EQ(rsaDetails.signatureAlgorithm, "sha256WithRSAEncryption");

    const auto p256 = ApplianceCa::loadOrCreate(dir / "p256.pem", {"P-256 CA"}, now());
    EXPECT_EQ(describeCertificate(*parse(p256->certificatePem())).keyType, "EC P-256");
}

TEST(ApplianceCaFile, AFileWithoutACertificateIsAnErrorAndIsLeftAlone)
{
    TempDir dir;
    const auto file = dir / "ca.pem";
    test::writeTextFile(file, "not a CA\n");
    try {
        ApplianceCa::loadOrCreate(file, {"Replacement", KeyType::EcP256}, now());
        FAIL() << "accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), ErrorCode::Internal);
        EXPECT_EQ(std::string(error.what()), "The appliance CA file " + file.string() + " holds no certificate");
    }
    EXPECT_EQ(test::readTextFile(file), "not a CA\n");
}

// Runs body in a child process with its own UTS namespace whose host name is
// hostname. Returns the child's exit code, or nullopt when the namespace
// cannot be made here; message gets what body wrote.
std::optional<int> withHostname(const std::string& hostname, const std::function<int(std::string&)>& body,
                                std::string& message)
{
    int pipeFds[2];
    if (::pipe(pipeFds) != 0)
        return std::nullopt;
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(pipeFds[0]);
        if (::unshare(CLONE_NEWUTS) != 0 || ::sethostname(hostname.data(), hostname.size()) != 0)
            ::_exit(77);
        std::string text;
        int code = 100;
        try {
            code = body(text);
        } catch (const std::exception& failure) {
            text = failure.what();
            code = 101;
        }
        [[maybe_unused]] const auto written = ::write(pipeFds[1], text.data(), text.size());
        ::_exit(code);
    }
    ::close(pipeFds[1]);
    char buffer[4096];
    ssize_t got = 0;
    while ((got = ::read(pipeFds[0], buffer, sizeof buffer)) > 0)
        message.append(buffer, static_cast<std::size_t>(got));
    ::close(pipeFds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) == 77)
        return std::nullopt;
    return WEXITSTATUS(status);
}

TEST(ApplianceCaFile, DefaultCommonNameFollowsTheHostname)
{
    TempDir dir;
    std::string message;
    const auto code = withHostname(
        "Probe-7.Example.com",
        [&](std::string& text) {
            const auto ca = ApplianceCa::loadOrCreate(dir / "ca.pem", {"", KeyType::EcP256}, now());
            text = describeCertificate(*parse(ca->certificatePem())).commonName;
            return 0;
        },
        message);
    if (!code)
        GTEST_SKIP() << "cannot set a host name in a new UTS namespace here";
    EXPECT_EQ(*code, 0) << message;
    EXPECT_EQ(message, "probe-7.example.com Appliance CA");
}

// The default CN stays within X.509's 64 characters, however long the host name.
TEST(ApplianceCaFile, DefaultCommonNameWorksForTheLongestHostnames)
{
    TempDir dir;
    const std::string hostname = std::string(50, 'a') + ".example.com"; // 62 characters; HOST_NAME_MAX is 64
    std::string message;
    const auto code = withHostname(
        hostname,
        [&](std::string& text) {
            const auto ca = ApplianceCa::loadOrCreate(dir / "ca.pem", {"", KeyType::EcP256}, now());
            text = describeCertificate(*parse(ca->certificatePem())).commonName;
            return 0;
        },
        message);
    if (!code)
        GTEST_SKIP() << "cannot set a host name in a new UTS namespace here";
    EXPECT_EQ(*code, 0) << message;
}

// -------- subjectAlternativeNamesFor --------

TEST(ApplianceCaNames, HostnameThenShortNameThenAdditionalNames)
{
    auto settings = settingsFor("probe.example.com");
    settings.additionalNames = {"web.example.com", "192.0.2.7", "2001:db8::7"};
    EXPECT_THAT(subjectAlternativeNamesFor(settings),
                ElementsAre("probe.example.com", "probe", "web.example.com", "192.0.2.7", "2001:db8::7"));
}

TEST(ApplianceCaNames, NoShortNameForASingleLabel)
{
    EXPECT_THAT(subjectAlternativeNamesFor(settingsFor("probe")), ElementsAre("probe"));
}

TEST(ApplianceCaNames, DnsNamesAreLowercasedAndDeduplicated)
{
    auto settings = settingsFor("Probe.Example.COM");
    settings.additionalNames = {"PROBE", "probe.example.com", "Web.Example.com", "web.example.com", "192.0.2.7",
                                "192.0.2.7", "*.Apps.Example.com"};
    EXPECT_THAT(subjectAlternativeNamesFor(settings),
                ElementsAre("probe.example.com", "probe", "web.example.com", "192.0.2.7", "*.apps.example.com"));
}

// Addresses are compared in canonical form, not as text.
TEST(ApplianceCaNames, OneIpv6AddressIsListedOnceHoweverItIsWritten)
{
    auto settings = settingsFor("probe.example.com");
    settings.additionalNames = {"2001:db8::1", "2001:DB8::1", "2001:db8:0:0:0:0:0:1"};
    EXPECT_THAT(subjectAlternativeNamesFor(settings), ElementsAre("probe.example.com", "probe", "2001:db8::1"));
}

// -------- issued host certificates --------

class ApplianceCaIssuing : public ::testing::Test {
protected:
    TempDir dir;
    std::unique_ptr<ApplianceCa> ca =
        ApplianceCa::loadOrCreate(dir / "ca.pem", {"Issuing Appliance CA", KeyType::EcP256}, now());
    X509Ptr caCert = parse(ca->certificatePem());

    // `openssl verify` of leafPem against the CA, with extra arguments.
    test::CommandResult opensslVerify(const std::string& leafPem, const std::vector<std::string>& extra)
    {
        test::writeTextFile(dir / "ca-cert.pem", ca->certificatePem());
        test::writeTextFile(dir / "leaf.pem", leafPem);
        std::vector<std::string> argv{"openssl", "verify", "-CAfile", (dir / "ca-cert.pem").string(), "-purpose",
                                      "sslserver"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        argv.push_back((dir / "leaf.pem").string());
        return test::runCommand(argv);
    }
};

TEST_F(ApplianceCaIssuing, CommonNameIsTheLowercasedHostname)
{
    const auto host = ca->issue(settingsFor("Probe.Example.COM"), now());
    EXPECT_EQ(host->details.commonName, "probe.example.com");
    EXPECT_EQ(host->details.subject, "CN=probe.example.com");
    EXPECT_EQ(host->details.issuer, "CN=Issuing Appliance CA");
    EXPECT_EQ(host->details.issuerCommonName, "Issuing Appliance CA");
}

TEST_F(ApplianceCaIssuing, SubjectAlternativeNamesAreHostnameShortNameAndAdditionalNames)
{
    auto settings = settingsFor("Probe.Example.com");
    settings.additionalNames = {"Web.Example.com", "192.0.2.7", "2001:db8::7", "probe", "web.example.com"};
    const auto host = ca->issue(settings, now());
    EXPECT_THAT(host->details.subjectAlternativeNames,
                ElementsAre("DNS:probe.example.com", "DNS:probe", "DNS:web.example.com", "IP:192.0.2.7",
                            "IP:2001:db8::7"));
    const auto leaf = parse(host->certificatePem);
    EXPECT_FALSE(extensionOf(*leaf, NID_subject_alt_name).critical);
}

TEST_F(ApplianceCaIssuing, ASingleLabelHostnameIsTheOnlyName)
{
    const auto host = ca->issue(settingsFor("probe"), now());
    EXPECT_THAT(host->details.subjectAlternativeNames, ElementsAre("DNS:probe"));
    EXPECT_EQ(host->details.commonName, "probe");
}

TEST_F(ApplianceCaIssuing, IsAnEndEntityCertificateForTlsServers)
{
    const auto host = ca->issue(settingsFor("probe.example.com"), now());
    const auto leaf = parse(host->certificatePem);
    const auto constraints = extensionOf(*leaf, NID_basic_constraints);
    EXPECT_TRUE(constraints.present);
    EXPECT_TRUE(constraints.critical);
    EXPECT_FALSE(X509_get_extension_flags(leaf.get()) & EXFLAG_CA);
    EXPECT_EQ(X509_check_ca(leaf.get()), 0);

    const auto usage = extensionOf(*leaf, NID_key_usage);
    EXPECT_TRUE(usage.present);
    EXPECT_TRUE(usage.critical);
    EXPECT_EQ(X509_get_key_usage(leaf.get()), static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE));

    EXPECT_TRUE(extensionOf(*leaf, NID_ext_key_usage).present);
    EXPECT_EQ(X509_get_extended_key_usage(leaf.get()), static_cast<std::uint32_t>(XKU_SSL_SERVER));
    EXPECT_EQ(X509_check_purpose(leaf.get(), X509_PURPOSE_SSL_SERVER, 0), 1);
}

TEST_F(ApplianceCaIssuing, RsaKeysMayAlsoEncipherKeys)
{
    const auto host = ca->issue(settingsFor("rsa.example", KeyType::Rsa2048), now());
    EXPECT_EQ(host->details.keyType, "RSA 2048");
    const auto leaf = parse(host->certificatePem);
    EXPECT_EQ(X509_get_key_usage(leaf.get()), static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT));
    EXPECT_EQ(host->details.signatureAlgorithm, "ecdsa-with-SHA256"); // signed by the EC CA
}

TEST_F(ApplianceCaIssuing, KeyTypeIsHonouredAndTheKeyMatches)
{
    for (const auto type : {KeyType::EcP256, KeyType::EcP384, KeyType::Rsa2048}) {
        const auto host = ca->issue(settingsFor("keys.example", type), now());
        const auto key = readPrivateKey(asBytes(host->keyPem));
        const auto leaf = parse(host->certificatePem);
        EXPECT_EQ(X509_check_private_key(leaf.get(), key.get()), 1) << keyTypeName(type);
        EXPECT_EQ(host->details.keyType, describeKeyType(*key)) << keyTypeName(type);
        EXPECT_THAT(host->keyPem, StartsWith("-----BEGIN PRIVATE KEY-----")) << keyTypeName(type);
    }
    EXPECT_EQ(ca->issue(settingsFor("keys.example", KeyType::EcP384), now())->details.keyType, "EC P-384");
}

TEST_F(ApplianceCaIssuing, HasSubjectAndAuthorityKeyIdentifiers)
{
    const auto host = ca->issue(settingsFor("ids.example"), now());
    const auto leaf = parse(host->certificatePem);
    const ASN1_OCTET_STRING* subjectId = X509_get0_subject_key_id(leaf.get());
    const ASN1_OCTET_STRING* authorityId = X509_get0_authority_key_id(leaf.get());
    ASSERT_NE(subjectId, nullptr);
    ASSERT_NE(authorityId, nullptr);
    const ASN1_OCTET_STRING* caId = X509_get0_subject_key_id(caCert.get());
    ASSERT_NE(caId, nullptr);
    EXPECT_EQ(ASN1_OCTET_STRING_cmp(authorityId, caId), 0);
    EXPECT_NE(ASN1_OCTET_STRING_cmp(subjectId, caId), 0);
}

TEST_F(ApplianceCaIssuing, SerialIsPositiveRandomAndAtLeast64Bits)
{
    std::set<std::string> serials;
    for (int i = 0; i < 5; ++i) {
        const auto host = ca->issue(settingsFor("serial.example"), now());
        const auto leaf = parse(host->certificatePem);
        BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(leaf.get()), nullptr));
        ASSERT_TRUE(serial);
        EXPECT_FALSE(BN_is_negative(serial.get()));
        EXPECT_FALSE(BN_is_zero(serial.get()));
        EXPECT_GE(BN_num_bits(serial.get()), 64);
        serials.insert(host->details.serialNumber);
    }
    EXPECT_EQ(serials.size(), 5u);
}

TEST_F(ApplianceCaIssuing, IsValidFromBeforeNowForTheAskedDays)
{
    for (const unsigned days : {1u, 90u, defaultValidityDays, maxValidityDays}) {
        auto settings = settingsFor("validity.example");
        settings.validityDays = days;
        const auto issuedAt = now();
        const auto host = ca->issue(settings, issuedAt);
        EXPECT_LE(host->details.notBefore, issuedAt) << days;
        EXPECT_GE(host->details.notBefore, issuedAt - 2 * hour) << days;
        EXPECT_LE(host->details.notAfter, issuedAt + static_cast<std::int64_t>(days) * day) << days;
        EXPECT_GT(host->details.notAfter, issuedAt + static_cast<std::int64_t>(days) * day - 2 * hour) << days;
    }
}

TEST_F(ApplianceCaIssuing, NeverOutlivesTheCa)
{
    const auto caNotAfter = describeCertificate(*caCert).notAfter;
    auto settings = settingsFor("late.example");
    settings.validityDays = maxValidityDays;
    const auto late = ca->issue(settings, caNotAfter - 30 * day);
    EXPECT_EQ(late->details.notAfter, caNotAfter);
    EXPECT_LE(late->details.notBefore, caNotAfter - 30 * day);

    settings.validityDays = 10;
    const auto early = ca->issue(settings, caNotAfter - 30 * day);
    EXPECT_LE(early->details.notAfter, caNotAfter - 20 * day);
}

TEST_F(ApplianceCaIssuing, RecordsWhatItWasAskedFor)
{
    auto settings = settingsFor("Record.Example", KeyType::EcP384);
    settings.validityDays = 120;
    settings.additionalNames = {"192.0.2.9", "Alias.Example"};
    const auto host = ca->issue(settings, now());
    EXPECT_EQ(host->origin, HostOrigin::Generated);
    ASSERT_TRUE(host->generation);
    EXPECT_EQ(host->generation->hostname, "Record.Example");
    EXPECT_EQ(host->generation->keyType, KeyType::EcP384);
    EXPECT_EQ(host->generation->validityDays, 120u);
    EXPECT_EQ(host->generation->additionalNames, settings.additionalNames);
    EXPECT_TRUE(host->chainPems.empty());
    EXPECT_EQ(host->chainPem(), host->certificatePem);
    EXPECT_EQ(host->details.fingerprint, describeCertificate(*parse(host->certificatePem)).fingerprint);
}

TEST_F(ApplianceCaIssuing, PassesCertdsOwnServerCertificateRules)
{
    for (const auto type : {KeyType::EcP256, KeyType::Rsa2048}) {
        const auto host = ca->issue(settingsFor("rules.example", type), now());
        std::vector<X509Ptr> chain;
        chain.push_back(parse(host->certificatePem));
        chain.push_back(shareCertificate(*caCert));
        const auto key = readPrivateKey(asBytes(host->keyPem));
        EXPECT_NO_THROW(validateServerCertificate(chain, *key, now(), {true})) << keyTypeName(type);
    }
}

TEST_F(ApplianceCaIssuing, OpensslVerifiesItForEveryNameItCarries)
{
    auto settings = settingsFor("Probe.Example.com");
    settings.additionalNames = {"alias.example.net", "192.0.2.7", "2001:db8::7"};
    const auto host = ca->issue(settings, now());
    for (const char* name : {"probe.example.com", "probe", "alias.example.net", "PROBE.example.com"}) {
        const auto verify = opensslVerify(host->certificatePem, {"-verify_hostname", name});
        EXPECT_EQ(verify.exitCode, 0) << name << ": " << verify.out << verify.err;
        EXPECT_THAT(verify.out, HasSubstr(": OK")) << name;
    }
    for (const char* address : {"192.0.2.7", "2001:db8::7"}) {
        const auto verify = opensslVerify(host->certificatePem, {"-verify_ip", address});
        EXPECT_EQ(verify.exitCode, 0) << address << ": " << verify.out << verify.err;
    }
    // and not for a name it does not carry
    const auto other = opensslVerify(host->certificatePem, {"-verify_hostname", "other.example.com"});
    EXPECT_NE(other.exitCode, 0) << other.out;
    EXPECT_THAT(other.err + other.out, HasSubstr("hostname mismatch"));
}

TEST_F(ApplianceCaIssuing, OpensslVerifiesCertificatesFromAnRsaCa)
{
    const auto rsaCa = ApplianceCa::loadOrCreate(dir / "rsa-ca.pem", {"RSA Appliance CA", KeyType::Rsa2048}, now());
    const auto host = rsaCa->issue(settingsFor("rsa-ca.example", KeyType::EcP384), now());
    test::writeTextFile(dir / "rsa-ca-cert.pem", rsaCa->certificatePem());
    test::writeTextFile(dir / "rsa-leaf.pem", host->certificatePem);
    const auto verify = test::runCommand({"openssl", "verify", "-CAfile", (dir / "rsa-ca-cert.pem").string(), "-purpose",
                                          "sslserver", "-verify_hostname", "rsa-ca.example",
                                          (dir / "rsa-leaf.pem").string()});
    EXPECT_EQ(verify.exitCode, 0) << verify.out << verify.err;
}

// An expired (or all but expired) CA refuses to issue, saying what to do.
TEST_F(ApplianceCaIssuing, RefusesToIssueOnceTheCaHasExpired)
{
    const auto caNotAfter = describeCertificate(*caCert).notAfter;
    for (const auto when : {caNotAfter + 10 * day, caNotAfter - 3600}) {
        try {
            ca->issue(settingsFor("after.ca.expiry.example"), when);
            ADD_FAILURE() << "issued at " << when;
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::Internal);
            EXPECT_THAT(error.what(), testing::HasSubstr("can no longer issue certificates"));
        }
    }
}

// X.509 allows 64 characters in a CN; a longer host name lives in the SANs only.
TEST_F(ApplianceCaIssuing, IssuesForAValidHostnameLongerThan64Characters)
{
    const auto hostname = std::string(63, 'a') + ".example.com"; // 75 characters, a valid host name
    ASSERT_NO_THROW(validateGenerationSettings(settingsFor(hostname)));
    try {
        const auto host = ca->issue(settingsFor(hostname), now());
        EXPECT_THAT(host->details.subjectAlternativeNames, testing::Contains("DNS:" + hostname));
        EXPECT_TRUE(matchesHostname(host->details, hostname));
    } catch (const Error& error) {
        FAIL() << errorCodeName(error.code()) << ": " << error.what();
    }
}

} // namespace
} // namespace certd
