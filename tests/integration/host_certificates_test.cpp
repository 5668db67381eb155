// Host certificates for https and postgresql through certd's D-Bus API:
// first start, Generate, Upload, Export, delivery, restart, systemd reloads.
#include "certd_fixture.h"
#include "x509/certificate_details.h"
#include "x509/certificate_input.h"
#include "fake_systemd.h"
#include "host/hostname.h"
#include "process.h"
#include "test_keys.h"

#include <openssl/pem.h>
#include <sys/stat.h>

#include <future>

#include <gmock/gmock.h>

namespace certd::test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

using bus::hostInterface;

std::string expectedFirstHostname()
{
    const auto name = currentHostname();
    return whyNotAHostname(name).empty() ? name : "localhost";
}

// The encrypted encodings an administrator might upload.
std::string encryptedTraditionalPem(EVP_PKEY& key)
{
    return traditionalPem(key, EVP_aes_128_cbc());
}

std::string encryptedPkcs8Der(EVP_PKEY& key)
{
    return pkcs8Der(key, EVP_aes_128_cbc());
}

std::string encryptedPkcs8PemOf(EVP_PKEY& key)
{
    return encryptedPkcs8Pem(key, EVP_aes_128_cbc());
}

// An administrator's own PKI: a root, an intermediate, and leaves.
struct OwnPki {
    TestCertificate root = makeCa("Own Root CA");
    TestCertificate intermediate = makeIntermediate();

    TestCertificate makeIntermediate()
    {
        CertificateSpec spec;
        spec.subject = {{"O", "certd tests"}, {"CN", "Own Issuing CA"}};
        spec.basicConstraints = "critical,CA:TRUE,pathlen:0";
        spec.issuer = &root;
        return makeCertificate(spec);
    }

    CertificateSpec leafSpec(const std::string& name = "upload.example.com") const
    {
        return serverSpec(name, intermediate);
    }
};

class HostCertificatesTest : public CertdFixture {
protected:
    std::unique_ptr<HostProxy> host(const std::string& service) { return std::make_unique<HostProxy>(*connection_, service); }

    void upload(const std::string& service, const std::string& certificate, const std::string& key)
    {
        host(service)->Upload(bytesOf(certificate), bytesOf(key));
    }

    std::filesystem::path serviceDirectory(const std::string& service) const { return state() / service; }

    std::string applianceCa()
    {
        const auto pem = manager_->ExportApplianceCA("pem");
        writeTextFile(dir_ / "appliance-ca.pem", std::string(pem.begin(), pem.end()));
        return (dir_ / "appliance-ca.pem").string();
    }
};

TEST_F(HostCertificatesTest, FirstStartGivesEveryServiceACertificateForTheHostname)
{
    const auto caFile = applianceCa();
    for (const std::string service : {"https", "postgresql"}) {
        auto object = host(service);
        EXPECT_EQ(object->Service(), service);
        EXPECT_EQ(object->Origin(), "generated");
        EXPECT_EQ(object->CommonName(), expectedFirstHostname());
        EXPECT_EQ(object->HostnameMatches(), expectedFirstHostname() == currentHostname());
        EXPECT_EQ(object->CertificatePath(), (serviceDirectory(service) / "cert.pem").string());
        EXPECT_EQ(object->ChainPath(), (serviceDirectory(service) / "chain.pem").string());
        EXPECT_EQ(object->PrivateKeyPath(), (serviceDirectory(service) / "key.pem").string());
        EXPECT_EQ(infoOf(object->PrivateKeyPath()).mode, 0600u);
        EXPECT_EQ(infoOf(serviceDirectory(service)).mode, 0700u);
        const auto verify = runCommand({"openssl", "verify", "-CAfile", caFile, "-purpose", "sslserver",
                                        "-verify_hostname", expectedFirstHostname(), object->ChainPath()});
        EXPECT_EQ(verify.exitCode, 0) << verify.out << verify.err;
    }
    const auto objects = manager_->GetManagedObjects();
    EXPECT_TRUE(objects.at(sdbus::ObjectPath(bus::hostObjectPath("https"))).contains(hostInterface));
    EXPECT_TRUE(objects.at(sdbus::ObjectPath(bus::hostObjectPath("postgresql"))).contains(hostInterface));
}

TEST_F(HostCertificatesTest, ApplianceCaIsAPathLengthZeroCaAndExportsAsPemAndDer)
{
    const auto pem = manager_->ExportApplianceCA("pem");
    const auto der = manager_->ExportApplianceCA("der");
    const auto ca = readFirstCertificate(pem);
    EXPECT_EQ(certificateToDer(*ca.certificate), Bytes(der.begin(), der.end()));
    const auto details = describeCertificate(*ca.certificate);
    EXPECT_EQ(details.pathLength, 0);
    EXPECT_TRUE(details.selfSigned);
    EXPECT_GT(details.notAfter - details.notBefore, 3650 * day - 1);
    EXPECT_EQ(errorNameOf([&] { manager_->ExportApplianceCA("p12"); }), "org.certd.Certd1.Error.InvalidArgument");
    EXPECT_EQ(host("https")->IssuerCommonName(), details.commonName);
    EXPECT_EQ(manager_->ApplianceCACommonName(), details.commonName);
    EXPECT_EQ(manager_->ApplianceCAFingerprint(), details.fingerprint);
    EXPECT_EQ(manager_->ApplianceCANotAfter(), details.notAfter);
}

TEST_F(HostCertificatesTest, GenerateReplacesTheCertificateAndAnnouncesExactlyWhatChanged)
{
    SignalRecorder signals(bus_);
    auto https = host("https");
    const auto before = https->Fingerprint();
    https->Generate({{"Hostname", sdbus::Variant(std::string("Probe.Example.com"))},
                     {"KeyType", sdbus::Variant(std::string("ec-p384"))},
                     {"ValidityDays", sdbus::Variant(uint32_t{30})},
                     {"AdditionalNames", sdbus::Variant(std::vector<std::string>{"10.0.0.1", "probe.local"})}});

    EXPECT_EQ(https->CommonName(), "probe.example.com");
    EXPECT_THAT(https->SubjectAlternativeNames(),
                ElementsAre("DNS:probe.example.com", "DNS:probe", "IP:10.0.0.1", "DNS:probe.local"));
    EXPECT_EQ(https->KeyType(), "EC P-384");
    EXPECT_EQ(https->Origin(), "generated");
    EXPECT_NE(https->Fingerprint(), before);
    EXPECT_NEAR(static_cast<double>(https->NotAfter() - https->NotBefore()), 30.0 * day, 3600);
    EXPECT_FALSE(https->HostnameMatches() && currentHostname() != "probe.example.com");

    const auto changed = signals.waitFor([](const auto& s) {
        return s.member == "PropertiesChanged" && s.path == bus::hostObjectPath("https");
    });
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->arguments.at(0), hostInterface);
    EXPECT_THAT(changed->arguments, Contains("Fingerprint"));
    EXPECT_THAT(changed->arguments, Contains("SubjectAlternativeNames"));
    EXPECT_THAT(changed->arguments, Contains("KeyType"));
    EXPECT_THAT(changed->arguments, Not(Contains("Origin")));   // generated before, generated now
    EXPECT_THAT(changed->arguments, Not(Contains("Issuer")));   // the same appliance CA
    EXPECT_THAT(changed->arguments, Not(Contains("Service")));
    const auto announced = signals.waitFor("HostCertificateChanged");
    ASSERT_TRUE(announced);
    EXPECT_THAT(announced->arguments, ElementsAre("https", bus::hostObjectPath("https")));

    const auto onDisk = readFirstCertificate(bytesOf(readTextFile(https->CertificatePath())));
    EXPECT_EQ(sha256Fingerprint(*onDisk.certificate), https->Fingerprint());
    // The other service is untouched.
    EXPECT_EQ(host("postgresql")->CommonName(), expectedFirstHostname());
}

// Options are made when the test runs: sdbus::Variants must not outlive
// sdbus-c++'s own statics, as test parameters would.
using Options = std::map<std::string, sdbus::Variant>;

struct BadOptions {
    std::string name;
    std::function<Options()> options;
    std::string messagePart;
};

class GenerateBadOptionsTest : public HostCertificatesTest, public ::testing::WithParamInterface<BadOptions> {};

TEST_P(GenerateBadOptionsTest, AreInvalidArgumentAndChangeNothing)
{
    auto https = host("https");
    const auto before = https->Fingerprint();
    const auto call = [&] { https->Generate(GetParam().options()); };
    EXPECT_EQ(errorNameOf(call), "org.certd.Certd1.Error.InvalidArgument");
    EXPECT_THAT(errorMessageOf(call), HasSubstr(GetParam().messagePart));
    EXPECT_EQ(https->Fingerprint(), before);
}

INSTANTIATE_TEST_SUITE_P(
    All, GenerateBadOptionsTest,
    ::testing::Values(
        BadOptions{"UnknownKey", [] { return Options{{"Hostnmae", sdbus::Variant(std::string("x.example"))}}; }, "Unknown option \"Hostnmae\""},
        BadOptions{"WrongType", [] { return Options{{"Hostname", sdbus::Variant(uint32_t{7})}}; }, "must be of D-Bus type s"},
        BadOptions{"InvalidHostname", [] { return Options{{"Hostname", sdbus::Variant(std::string("bad_host.example"))}}; }, "not a valid host name"},
        BadOptions{"IpAsHostname", [] { return Options{{"Hostname", sdbus::Variant(std::string("192.0.2.1"))}}; }, "IP address"},
        BadOptions{"UnknownKeyType", [] { return Options{{"KeyType", sdbus::Variant(std::string("rsa-1024"))}}; }, "ec-p256, ec-p384"},
        BadOptions{"ZeroDays", [] { return Options{{"ValidityDays", sdbus::Variant(uint32_t{0})}}; }, "1 to 825"},
        BadOptions{"TooManyDays", [] { return Options{{"ValidityDays", sdbus::Variant(uint32_t{826})}}; }, "1 to 825"},
        BadOptions{"BadAdditionalName", [] { return Options{{"AdditionalNames", sdbus::Variant(std::vector<std::string>{"ok.example", "not valid!"})}}; }, "\"not valid!\""},
        BadOptions{"AdditionalNamesNotAList", [] { return Options{{"AdditionalNames", sdbus::Variant(std::string("x.example"))}}; }, "type as"}),
    [](const auto& info) { return info.param.name; });

struct KeyTypeCase {
    const char* option;
    const char* property;
};

class GenerateKeyTypesTest : public HostCertificatesTest, public ::testing::WithParamInterface<KeyTypeCase> {};

TEST_P(GenerateKeyTypesTest, EachKeyTypeYieldsAWorkingCertificate)
{
    auto postgresql = host("postgresql");
    postgresql->Generate({{"Hostname", sdbus::Variant(std::string("db.example.com"))},
                          {"KeyType", sdbus::Variant(std::string(GetParam().option))}});
    EXPECT_EQ(postgresql->KeyType(), GetParam().property);
    const auto verify = runCommand({"openssl", "verify", "-CAfile", applianceCa(), "-purpose", "sslserver",
                                    "-verify_hostname", "db.example.com", postgresql->ChainPath()});
    EXPECT_EQ(verify.exitCode, 0) << verify.err;
    const auto keyMatches = runCommand({"sh", "-c", "test \"$(openssl pkey -in " + postgresql->PrivateKeyPath() +
                                                        " -pubout)\" = \"$(openssl x509 -in " +
                                                        postgresql->CertificatePath() + " -noout -pubkey)\""});
    EXPECT_EQ(keyMatches.exitCode, 0);
}

INSTANTIATE_TEST_SUITE_P(All, GenerateKeyTypesTest,
                         ::testing::Values(KeyTypeCase{"ec-p256", "EC P-256"}, KeyTypeCase{"ec-p384", "EC P-384"},
                                           KeyTypeCase{"rsa-2048", "RSA 2048"}, KeyTypeCase{"rsa-3072", "RSA 3072"},
                                           KeyTypeCase{"rsa-4096", "RSA 4096"}),
                         [](const auto& info) {
                             std::string name = info.param.option;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

TEST_F(HostCertificatesTest, OtherCallsAreAnsweredWhileAnRsa4096KeyIsGenerated)
{
    auto generatingConnection = bus_.connect();
    HostProxy generating(*generatingConnection, "https");
    auto generation = std::async(std::launch::async, [&] {
        generating.Generate({{"KeyType", sdbus::Variant(std::string("rsa-4096"))}});
    });
    // Wait until certd is on it: it logs before handing the work to its worker.
    ASSERT_TRUE(waitForText(certdLogFile(), "Generating a rsa-4096 certificate", 10s));

    auto peer = sdbus::createProxy(*connection_, certdName, managerPath);
    std::vector<double> latencies;
    int answeredDuringGeneration = 0;
    for (int i = 0; i < 40; ++i) {
        const auto start = std::chrono::steady_clock::now();
        peer->callMethod("Ping").onInterface("org.freedesktop.DBus.Peer");
        host("postgresql")->CommonName();
        manager_->InspectCACertificate(bytesOf(makeCa("During generation").pem()));
        latencies.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        answeredDuringGeneration += generation.wait_for(0s) != std::future_status::ready;
    }
    EXPECT_GT(answeredDuringGeneration, 0) << "the key was generated before the calls: nothing was proven";
    EXPECT_LT(*std::max_element(latencies.begin(), latencies.end()), 250.0);
    generation.get();
    EXPECT_EQ(host("https")->KeyType(), "RSA 4096");
}

TEST_F(HostCertificatesTest, UploadInstallsTheAdministratorsCertificateWithItsChain)
{
    SignalRecorder signals(bus_);
    OwnPki pki;
    const auto leaf = makeCertificate(pki.leafSpec());
    upload("https", leaf.pem() + pki.intermediate.pem(), leaf.keyPem());

    auto https = host("https");
    EXPECT_EQ(https->Origin(), "uploaded");
    EXPECT_EQ(https->CommonName(), "upload.example.com");
    EXPECT_EQ(https->IssuerCommonName(), "Own Issuing CA");
    EXPECT_EQ(https->Fingerprint(), leaf.fingerprint());
    EXPECT_EQ(readTextFile(https->CertificatePath()), leaf.pem());
    EXPECT_EQ(readTextFile(https->ChainPath()), leaf.pem() + pki.intermediate.pem());
    EXPECT_EQ(https->Export("pem"), bytesOf(leaf.pem() + pki.intermediate.pem()));
    const auto der = leaf.der();
    EXPECT_EQ(https->Export("der"), std::vector<uint8_t>(der.begin(), der.end()));
    EXPECT_EQ(errorNameOf([&] { https->Export("key"); }), "org.certd.Certd1.Error.InvalidArgument");
    const auto announced = signals.waitFor("HostCertificateChanged");
    ASSERT_TRUE(announced);
    EXPECT_EQ(announced->arguments.at(0), "https");

    writeTextFile(dir_ / "root.pem", pki.root.pem());
    const auto verify = runCommand({"openssl", "verify", "-CAfile", (dir_ / "root.pem").string(), "-untrusted",
                                    https->ChainPath(), "-verify_hostname", "upload.example.com",
                                    https->CertificatePath()});
    EXPECT_EQ(verify.exitCode, 0) << verify.out << verify.err;
}

// As Windows CAs export them (openssl -legacy: RC2-40 and 3DES), with the
// chain in the file.
TEST_F(HostCertificatesTest, UploadPkcs12InstallsTheFilesKeyCertificateAndChain)
{
    OwnPki pki;
    const auto leaf = makeCertificate(pki.leafSpec("pfx.example.com"));
    writeTextFile(dir_ / "leaf.pem", leaf.pem());
    writeTextFile(dir_ / "key.pem", leaf.keyPem());
    writeTextFile(dir_ / "intermediate.pem", pki.intermediate.pem());
    const auto file = dir_ / "windows.pfx";
    const auto exported = runCommand({"openssl", "pkcs12", "-export", "-legacy", "-inkey", (dir_ / "key.pem").string(),
                                      "-in", (dir_ / "leaf.pem").string(), "-certfile",
                                      (dir_ / "intermediate.pem").string(), "-passout", "pass:Pfx secret",
                                      "-out", file.string()});
    ASSERT_EQ(exported.exitCode, 0) << exported.err;
    const auto pfx = readTextFile(file);

    auto https = host("https");
    const auto before = https->Fingerprint();
    EXPECT_EQ(errorNameOf([&] { https->UploadPKCS12(bytesOf(pfx), "pfx secret"); }),
              "org.certd.Certd1.Error.WrongPassphrase");
    EXPECT_EQ(errorNameOf([&] { https->UploadPKCS12(bytesOf(leaf.pem()), "Pfx secret"); }),
              "org.certd.Certd1.Error.InvalidPKCS12");
    EXPECT_EQ(https->Fingerprint(), before) << "a refused upload changed the certificate";

    SignalRecorder signals(bus_);
    https->UploadPKCS12(bytesOf(pfx), "Pfx secret");
    EXPECT_EQ(https->Origin(), "uploaded");
    EXPECT_EQ(https->Fingerprint(), leaf.fingerprint());
    EXPECT_EQ(readTextFile(https->ChainPath()), leaf.pem() + pki.intermediate.pem());
    EXPECT_EQ(infoOf(https->PrivateKeyPath()).mode, 0600u);
    ASSERT_TRUE(signals.waitFor("HostCertificateChanged"));
    writeTextFile(dir_ / "root.pem", pki.root.pem());
    const auto verify = runCommand({"openssl", "verify", "-CAfile", (dir_ / "root.pem").string(), "-untrusted",
                                    https->ChainPath(), "-verify_hostname", "pfx.example.com",
                                    https->CertificatePath()});
    EXPECT_EQ(verify.exitCode, 0) << verify.out << verify.err;
    const auto pair = runCommand({"openssl", "x509", "-in", https->CertificatePath(), "-noout", "-pubkey"});
    const auto keyPublic = runCommand({"openssl", "pkey", "-in", https->PrivateKeyPath(), "-pubout"});
    EXPECT_EQ(pair.out, keyPublic.out) << "the delivered key does not belong to the certificate";
}

TEST_F(HostCertificatesTest, UploadAcceptsDerAndTraditionalKeys)
{
    OwnPki pki;
    auto spec = pki.leafSpec("der.example.com");
    const auto ecLeaf = makeCertificate(spec);
    const auto der = ecLeaf.der();
    upload("https", std::string(der.begin(), der.end()), pkcs8Der(*ecLeaf.key));
    EXPECT_EQ(host("https")->Fingerprint(), ecLeaf.fingerprint());

    spec.keyAlgorithm = "RSA";
    const auto rsaLeaf = makeCertificate(spec);
    upload("postgresql", rsaLeaf.pem(), traditionalPem(*rsaLeaf.key));
    EXPECT_EQ(host("postgresql")->Fingerprint(), rsaLeaf.fingerprint());
    EXPECT_EQ(host("postgresql")->KeyType(), "RSA 2048");
}

struct BadUpload {
    std::string name;
    std::function<std::pair<std::string, std::string>(const OwnPki&)> make; // certificate, key
    std::string error;
    std::string messagePart;
};

std::pair<std::string, std::string> leafWith(const OwnPki& pki, const std::function<void(CertificateSpec&)>& change)
{
    auto spec = pki.leafSpec();
    change(spec);
    const auto leaf = makeCertificate(spec);
    return {leaf.pem() + pki.intermediate.pem(), leaf.keyPem()};
}

std::vector<BadUpload> badUploads()
{
    const auto keyEncoded = [](std::string (*encode)(EVP_PKEY&)) {
        return [encode](const OwnPki& pki) {
            const auto leaf = makeCertificate(pki.leafSpec());
            return std::pair{leaf.pem(), encode(*leaf.key)};
        };
    };
    const std::string passphrase = "Private keys protected by a passphrase are not supported";
    return {
        {"EncryptedPkcs8Pem", keyEncoded(encryptedPkcs8PemOf), "KeyEncrypted", passphrase},
        {"EncryptedTraditionalPem", keyEncoded(encryptedTraditionalPem), "KeyEncrypted", passphrase},
        {"EncryptedPkcs8Der", keyEncoded(encryptedPkcs8Der), "KeyEncrypted", passphrase},
        {"KeyOfAnotherCertificate",
         [](const OwnPki& pki) { return std::pair{makeCertificate(pki.leafSpec()).pem(), makeCertificate(pki.leafSpec()).keyPem()}; },
         "KeyMismatch", "does not belong to the certificate"},
        {"GarbageKey", [](const OwnPki& pki) { return std::pair{makeCertificate(pki.leafSpec()).pem(), std::string("not a key")}; },
         "InvalidKey", "could not be read"},
        {"EmptyKey", [](const OwnPki& pki) { return std::pair{makeCertificate(pki.leafSpec()).pem(), std::string()}; },
         "InvalidKey", "empty"},
        {"WeakRsaKey", [](const OwnPki& pki) { return leafWith(pki, [](auto& s) { s.keyAlgorithm = "RSA-1024"; }); },
         "InvalidKey", "RSA 1024"},
        {"Expired", [](const OwnPki& pki) { return leafWith(pki, [](auto& s) { s.notBefore = now() - 90 * day; s.notAfter = now() - day; }); },
         "Expired", "expired on"},
        {"NotYetValid", [](const OwnPki& pki) { return leafWith(pki, [](auto& s) { s.notBefore = now() + day; s.notAfter = now() + 90 * day; }); },
         "NotYetValid", "not valid before"},
        {"CaCertificate", [](const OwnPki& pki) { return leafWith(pki, [](auto& s) { s.basicConstraints = "critical,CA:TRUE"; s.keyUsage = "critical,keyCertSign,digitalSignature"; }); },
         "InvalidCertificate", "it is a CA certificate"},
        {"ClientCertificate", [](const OwnPki& pki) { return leafWith(pki, [](auto& s) { s.extendedKeyUsage = "clientAuth"; }); },
         "InvalidCertificate", "serverAuth"},
        {"NoSubjectAltName", [](const OwnPki& pki) { return leafWith(pki, [](auto& s) { s.subjectAltName = ""; }); },
         "InvalidCertificate", "browsers ignore the Common Name"},
        {"UnrelatedCertificateInTheChain",
         [](const OwnPki& pki) {
             const auto leaf = makeCertificate(pki.leafSpec());
             return std::pair{leaf.pem() + pki.intermediate.pem() + makeCa("Stranger").pem(), leaf.keyPem()};
         },
         "InvalidCertificate", "Certificate 3 of the upload (\"Stranger\") is not in the chain"},
        {"EmptyCertificate", [](const OwnPki& pki) { return std::pair{std::string(), makeCertificate(pki.leafSpec()).keyPem()}; },
         "InvalidCertificate", "empty"},
        {"CertificateTooLarge",
         [](const OwnPki& pki) {
             auto pair = leafWith(pki, [](auto&) {});
             pair.first.resize(1024 * 1024 + 1, '\n');
             return pair;
         },
         "TooLarge", "1048577"},
    };
}

class UploadRefusalsTest : public HostCertificatesTest, public ::testing::WithParamInterface<BadUpload> {};

TEST_P(UploadRefusalsTest, AreNamedErrorsAndChangeNothing)
{
    const OwnPki pki;
    const auto [certificate, key] = GetParam().make(pki);
    auto https = host("https");
    const auto before = https->Fingerprint();
    const auto beforeOnDisk = readTextFile(https->ChainPath());
    const auto call = [&] { https->Upload(bytesOf(certificate), bytesOf(key)); };
    EXPECT_EQ(errorNameOf(call), "org.certd.Certd1.Error." + GetParam().error);
    EXPECT_THAT(errorMessageOf(call), HasSubstr(GetParam().messagePart));
    EXPECT_EQ(https->Fingerprint(), before);
    EXPECT_EQ(readTextFile(https->ChainPath()), beforeOnDisk);
}

INSTANTIATE_TEST_SUITE_P(All, UploadRefusalsTest, ::testing::ValuesIn(badUploads()),
                         [](const auto& info) { return info.param.name; });

TEST_F(HostCertificatesTest, ARestartRepublishesFromDiskAndDeliversAgain)
{
    host("https")->Generate({{"Hostname", sdbus::Variant(std::string("kept.example.com"))},
                             {"KeyType", sdbus::Variant(std::string("rsa-2048"))}});
    const auto fingerprint = host("https")->Fingerprint();
    const auto keyFile = host("https")->PrivateKeyPath();
    const auto key = readTextFile(keyFile);
    restart();
    std::filesystem::remove(keyFile); // lost behind certd's back
    restart();
    EXPECT_EQ(host("https")->Fingerprint(), fingerprint);
    EXPECT_EQ(host("https")->CommonName(), "kept.example.com");
    EXPECT_EQ(host("https")->Origin(), "generated");
    EXPECT_EQ(readTextFile(keyFile), key);
}

// ---------------------------------------------------------------- appliance CA rotation

X509Ptr certificateOf(const std::vector<uint8_t>& der)
{
    return certificateFromDer(Bytes(der.begin(), der.end()));
}

bool signedBy(const std::string& certificatePem, X509& ca)
{
    const auto cert = readFirstCertificate(bytesOf(certificatePem));
    return X509_verify(cert.certificate.get(), X509_get0_pubkey(&ca)) == 1;
}

TEST_F(HostCertificatesTest, RotatingTheApplianceCaReissuesGeneratedCertificatesAndHandsOutBothForTheOverlap)
{
    OwnPki pki;
    const auto uploaded = makeCertificate(pki.leafSpec("db.example.com"));
    upload("postgresql", uploaded.pem() + pki.intermediate.pem(), uploaded.keyPem());
    const auto oldPem = manager_->ExportApplianceCA("pem");
    const auto oldCa = certificateOf(manager_->ExportApplianceCA("der"));
    const auto oldFingerprint = manager_->ApplianceCAFingerprint();
    auto https = host("https");
    const auto before = https->Fingerprint();
    const auto names = https->SubjectAlternativeNames();
    SignalRecorder signals(bus_);

    manager_->RotateApplianceCA({{"CommonName", sdbus::Variant(std::string("Rotated Appliance CA"))},
                                 {"KeyType", sdbus::Variant(std::string("ec-p384"))}});
    const auto newFingerprint = manager_->ApplianceCAFingerprint();
    EXPECT_NE(newFingerprint, oldFingerprint);
    EXPECT_EQ(manager_->ApplianceCACommonName(), "Rotated Appliance CA");
    const auto newCa = certificateOf(manager_->ExportApplianceCA("der"));
    EXPECT_EQ(sha256Fingerprint(*newCa), newFingerprint);
    EXPECT_EQ(describeCertificate(*newCa).keyType, "EC P-384");

    EXPECT_NE(https->Fingerprint(), before);
    EXPECT_EQ(https->Origin(), "generated");
    EXPECT_EQ(https->IssuerCommonName(), "Rotated Appliance CA");
    EXPECT_EQ(https->SubjectAlternativeNames(), names) << "re-issued for other names";
    EXPECT_TRUE(signedBy(readTextFile(https->CertificatePath()), *newCa));
    EXPECT_EQ(host("postgresql")->Fingerprint(), uploaded.fingerprint()) << "an uploaded certificate was replaced";

    // Both, the new one first, for the overlap.
    const auto pem = manager_->ExportApplianceCA("pem");
    const std::string both(pem.begin(), pem.end());
    EXPECT_TRUE(both.ends_with(std::string(oldPem.begin(), oldPem.end())));
    EXPECT_EQ(sha256Fingerprint(*readFirstCertificate(pem).certificate), newFingerprint);
    EXPECT_EQ(readTextFile(state() / "appliance-ca.pem"), both);

    const auto changed = signals.waitFor("ApplianceCAChanged");
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->arguments.at(0), newFingerprint);
    EXPECT_TRUE(signals.waitFor([](const auto& s) {
        return s.member == "HostCertificateChanged" && s.arguments.at(0) == "https";
    }));
    EXPECT_TRUE(signals.waitFor([](const auto& s) {
        return s.member == "PropertiesChanged" && s.path == managerPath &&
               std::find(s.arguments.begin(), s.arguments.end(), "ApplianceCAFingerprint") != s.arguments.end();
    }));

    https.reset();
    restart();
    EXPECT_EQ(manager_->ApplianceCAFingerprint(), newFingerprint);
    EXPECT_EQ(manager_->ExportApplianceCA("pem"), pem);
    EXPECT_TRUE(signedBy(readTextFile(host("https")->CertificatePath()), *newCa));
    (void)oldCa;
}

TEST_F(HostCertificatesTest, RotationOptionsAreCheckedBeforeAnythingChanges)
{
    const auto before = manager_->ApplianceCAFingerprint();
    const std::string invalid = "org.certd.Certd1.Error.InvalidArgument";
    EXPECT_EQ(errorNameOf([&] { manager_->RotateApplianceCA({{"ValidityDays", sdbus::Variant(uint32_t{30})}}); }),
              invalid);
    EXPECT_EQ(errorNameOf([&] { manager_->RotateApplianceCA({{"KeyType", sdbus::Variant(std::string("dsa"))}}); }),
              invalid);
    EXPECT_EQ(errorNameOf([&] {
                  manager_->RotateApplianceCA({{"CommonName", sdbus::Variant(std::string(65, 'x'))}});
              }),
              invalid);
    EXPECT_EQ(errorNameOf([&] { manager_->RotateApplianceCA({{"Hostname", sdbus::Variant(std::string("x"))}}); }),
              invalid);
    EXPECT_EQ(manager_->ApplianceCAFingerprint(), before);
}

class NoOverlapTest : public HostCertificatesTest {
protected:
    NoOverlapTest() { config_ = "[ApplianceCA]\nOverlapDays=0\n"; }
};

TEST_F(NoOverlapTest, WithoutOverlapOnlyTheNewCaIsHandedOut)
{
    manager_->RotateApplianceCA({});
    const auto pem = manager_->ExportApplianceCA("pem");
    const std::string text(pem.begin(), pem.end());
    EXPECT_EQ(text.find("-----BEGIN CERTIFICATE-----", 1), std::string::npos) << text;
}

// ---------------------------------------------------------------- pre-flight checks

TEST_F(HostCertificatesTest, InspectUploadSaysWhatWouldBeInstalledAndWarnsChangingNothing)
{
    OwnPki pki;
    auto spec = pki.leafSpec("elsewhere.example.com");
    spec.notAfter = now() + 10 * day - 3600; // 9 days and 23 hours: "9 days"
    const auto leaf = makeCertificate(spec);
    auto https = host("https");
    const auto before = https->Fingerprint();
    // Out of order, root included: sent leaf first, each followed by its issuer.
    const auto inspected = https->InspectUpload(bytesOf(pki.root.pem() + leaf.pem() + pki.intermediate.pem()),
                                                bytesOf(leaf.keyPem()));
    EXPECT_EQ(inspected.at("Fingerprint").get<std::string>(), leaf.fingerprint());
    EXPECT_EQ(inspected.at("Origin").get<std::string>(), "uploaded");
    EXPECT_EQ(inspected.at("Service").get<std::string>(), "https");
    EXPECT_EQ(inspected.at("IssuerCommonName").get<std::string>(), "Own Issuing CA");
    EXPECT_FALSE(inspected.at("HostnameMatches").get<bool>());
    const auto warnings = inspected.at("Warnings").get<std::vector<std::string>>();
    EXPECT_THAT(warnings, Contains(HasSubstr("given out of order")));
    EXPECT_THAT(warnings, Contains(HasSubstr("not valid for this appliance's host name")));
    EXPECT_THAT(warnings, Contains(HasSubstr("expires in 9 days")));
    EXPECT_EQ(https->Fingerprint(), before) << "inspecting changed the certificate";
    EXPECT_EQ(errorNameOf([&] { https->InspectUpload(bytesOf(leaf.pem()), bytesOf(pki.root.keyPem())); }),
              "org.certd.Certd1.Error.KeyMismatch");

    upload("https", pki.root.pem() + leaf.pem() + pki.intermediate.pem(), leaf.keyPem());
    EXPECT_EQ(readTextFile(https->ChainPath()), leaf.pem() + pki.intermediate.pem() + pki.root.pem());
    EXPECT_THAT(certd_->log(), HasSubstr("The new https certificate is installed, but: The certificate expires in 9"));
}

TEST_F(HostCertificatesTest, AnIntermediateTheUploadLacksIsAddedFromTheTrustStore)
{
    OwnPki pki;
    const auto leaf = makeCertificate(pki.leafSpec());
    auto https = host("https");
    const auto alone = https->InspectUpload(bytesOf(leaf.pem()), bytesOf(leaf.keyPem()));
    EXPECT_THAT(alone.at("Warnings").get<std::vector<std::string>>(),
                Contains(HasSubstr("Clients need the issuer of \"upload.example.com\"")));

    import(pki.intermediate);
    const auto completed = https->InspectUpload(bytesOf(leaf.pem()), bytesOf(leaf.keyPem()));
    EXPECT_THAT(completed.at("Warnings").get<std::vector<std::string>>(),
                Contains(HasSubstr("lacks the intermediate certificate \"Own Issuing CA\"")));
    upload("https", leaf.pem(), leaf.keyPem());
    EXPECT_EQ(readTextFile(https->ChainPath()), leaf.pem() + pki.intermediate.pem());

    writeTextFile(dir_ / "root.pem", pki.root.pem());
    const auto verify = runCommand({"openssl", "verify", "-CAfile", (dir_ / "root.pem").string(), "-untrusted",
                                    https->ChainPath(), https->CertificatePath()});
    EXPECT_EQ(verify.exitCode, 0) << verify.out << verify.err;
}

// ---------------------------------------------------------------- certificate requests

TEST_F(HostCertificatesTest, ARequestIsPendingUntilItsCertificateIsInstalledAndSurvivesARestart)
{
    auto https = host("https");
    const auto before = https->Fingerprint();
    EXPECT_FALSE(https->PendingRequest());
    EXPECT_EQ(https->PendingRequestSubject(), "");
    SignalRecorder signals(bus_);
    const auto request = https->CreateRequest({{"Hostname", sdbus::Variant(std::string("probe.example.com"))},
                                               {"KeyType", sdbus::Variant(std::string("rsa-2048"))},
                                               {"Organization", sdbus::Variant(std::string("Example AG"))},
                                               {"Country", sdbus::Variant(std::string("DE"))}});
    const std::string pem(request.begin(), request.end());
    EXPECT_TRUE(pem.starts_with("-----BEGIN CERTIFICATE REQUEST-----")) << pem;
    EXPECT_TRUE(https->PendingRequest());
    EXPECT_EQ(https->PendingRequestSubject(), "CN=probe.example.com,O=Example AG,C=DE");
    EXPECT_EQ(https->ExportRequest(), request);
    EXPECT_EQ(https->Fingerprint(), before) << "the current certificate is served until the new one is installed";
    const auto changed = signals.waitFor([](const auto& s) {
        return s.member == "PropertiesChanged" && s.path == bus::hostObjectPath("https");
    });
    ASSERT_TRUE(changed);
    EXPECT_THAT(changed->arguments, Contains("PendingRequest"));
    EXPECT_THAT(changed->arguments, Not(Contains("Fingerprint")));

    writeTextFile(dir_ / "request.pem", pem);
    const auto text = runCommand({"openssl", "req", "-in", (dir_ / "request.pem").string(), "-noout", "-verify",
                                  "-text"});
    EXPECT_EQ(text.exitCode, 0) << text.err;
    EXPECT_THAT(text.out + text.err, HasSubstr("verify OK"));
    EXPECT_THAT(text.out, HasSubstr("DNS:probe.example.com, DNS:probe"));
    EXPECT_THAT(text.out, HasSubstr("TLS Web Server Authentication"));
    EXPECT_THAT(text.out, HasSubstr("Public-Key: (2048 bit)"));
    const auto requestFile = state() / "private" / "requests" / "https.json";
    EXPECT_EQ(infoOf(requestFile).mode, 0600u);

    https.reset(); // before its connection goes
    restart();
    https = host("https");
    ASSERT_TRUE(https->PendingRequest());
    EXPECT_EQ(https->ExportRequest(), request);

    OwnPki pki;
    const auto issued = issueForRequest(pem, pki.intermediate);
    https->InstallCertificate(bytesOf(issued.pem() + pki.intermediate.pem()));
    EXPECT_EQ(https->Origin(), "requested");
    EXPECT_EQ(https->Fingerprint(), issued.fingerprint());
    EXPECT_FALSE(https->PendingRequest());
    EXPECT_FALSE(std::filesystem::exists(requestFile));
    EXPECT_EQ(readTextFile(https->ChainPath()), issued.pem() + pki.intermediate.pem());
    EXPECT_TRUE(signals.waitFor("HostCertificateChanged"));
    https.reset();
    restart();
    EXPECT_EQ(host("https")->Origin(), "requested");
    EXPECT_FALSE(host("https")->PendingRequest());
}

TEST_F(HostCertificatesTest, RequestCallsRefuseWhatTheyCannotDoByName)
{
    auto https = host("https");
    OwnPki pki;
    const auto unrelated = makeCertificate(pki.leafSpec());
    const std::string notFound = "org.certd.Certd1.Error.NotFound";
    EXPECT_EQ(errorNameOf([&] { https->ExportRequest(); }), notFound);
    EXPECT_EQ(errorNameOf([&] { https->CancelRequest(); }), notFound);
    EXPECT_EQ(errorNameOf([&] { https->InstallCertificate(bytesOf(unrelated.pem())); }), notFound);
    EXPECT_THAT(errorMessageOf([&] { https->CreateRequest({{"ValidityDays", sdbus::Variant(uint32_t{30})}}); }),
                HasSubstr("the CA that signs the request decides"));
    EXPECT_EQ(errorNameOf([&] { https->CreateRequest({{"Country", sdbus::Variant(std::string("Germany"))}}); }),
              "org.certd.Certd1.Error.InvalidArgument");
    EXPECT_EQ(errorNameOf([&] { https->CreateRequest({{"Email", sdbus::Variant(uint32_t{1})}}); }),
              "org.certd.Certd1.Error.InvalidArgument");
    EXPECT_FALSE(https->PendingRequest());

    const auto first = https->CreateRequest({});
    const auto second = https->CreateRequest({});
    EXPECT_NE(first, second);
    const auto forFirst = issueForRequest(std::string(first.begin(), first.end()), pki.intermediate);
    const auto before = https->Fingerprint();
    EXPECT_THAT(errorMessageOf([&] { https->InstallCertificate(bytesOf(forFirst.pem())); }),
                HasSubstr("is not for the pending request's key"));
    EXPECT_EQ(errorNameOf([&] { https->InstallCertificate(bytesOf(forFirst.pem())); }),
              "org.certd.Certd1.Error.KeyMismatch");
    EXPECT_EQ(errorNameOf([&] { https->InstallCertificate(bytesOf("not a certificate")); }),
              "org.certd.Certd1.Error.InvalidCertificate");
    EXPECT_EQ(https->Fingerprint(), before);
    EXPECT_EQ(https->ExportRequest(), second);

    https->CancelRequest();
    EXPECT_FALSE(https->PendingRequest());
    EXPECT_FALSE(std::filesystem::exists(state() / "private" / "requests" / "https.json"));
    EXPECT_EQ(https->Fingerprint(), before);
    EXPECT_EQ(errorNameOf([&] { https->ExportRequest(); }), notFound);
}

class ReloadUnitTest : public HostCertificatesTest {
protected:
    ReloadUnitTest() { config_ = "[https]\nReloadUnit=nginx.service\n"; }
};

TEST_F(ReloadUnitTest, SystemdIsAskedToReloadTheServiceAfterEveryChange)
{
    FakeSystemd systemd(bus_);
    host("https")->Generate({});
    const auto afterGenerate = systemd.waitForCall();
    ASSERT_TRUE(afterGenerate);
    EXPECT_EQ(afterGenerate->unit, "nginx.service");
    EXPECT_EQ(afterGenerate->mode, "replace");

    OwnPki pki;
    const auto leaf = makeCertificate(pki.leafSpec());
    upload("https", leaf.pem() + pki.intermediate.pem(), leaf.keyPem());
    const auto afterUpload = systemd.waitForCall();
    ASSERT_TRUE(afterUpload);
    EXPECT_EQ(afterUpload->unit, "nginx.service");

    // postgresql names no unit: its change asks nothing (calls arrive in order,
    // so the https call below would come after one for postgresql).
    host("postgresql")->Generate({});
    host("https")->Generate({});
    ASSERT_TRUE(systemd.waitForCall());
    EXPECT_EQ(systemd.callCount(), 3u);
}

TEST_F(ReloadUnitTest, AFailingReloadIsLoggedAndNeverFailsTheChange)
{
    // No systemd on this bus at all.
    host("https")->Generate({});
    EXPECT_EQ(host("https")->Origin(), "generated");
    EXPECT_TRUE(waitForText(certdLogFile(), "could not reload or restart nginx.service", 10s)) << certd_->log();
}

class KeyGroupTest : public HostCertificatesTest {
protected:
    KeyGroupTest()
    {
        // nobody must be able to reach the state directory at all.
        std::filesystem::permissions(dir_.path(), std::filesystem::perms(0755));
        config_ = "[postgresql]\nKeyGroup=nogroup\n";
    }

    int readAsNobody(const std::string& file)
    {
        return runCommand({"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "cat", file}).exitCode;
    }
};

TEST_F(KeyGroupTest, ExactlyTheKeyGroupMayReadTheKey)
{
    const auto postgresqlKey = host("postgresql")->PrivateKeyPath();
    EXPECT_EQ(infoOf(postgresqlKey).mode, 0640u);
    EXPECT_EQ(infoOf(postgresqlKey).group, 65534u);
    EXPECT_EQ(infoOf(serviceDirectory("postgresql")).mode, 0750u);
    EXPECT_EQ(infoOf(serviceDirectory("postgresql")).group, 65534u);
    EXPECT_EQ(readAsNobody(postgresqlKey), 0);
    EXPECT_NE(readAsNobody(host("https")->PrivateKeyPath()), 0);
    // A new key keeps the group.
    host("postgresql")->Generate({});
    EXPECT_EQ(infoOf(postgresqlKey).group, 65534u);
    EXPECT_EQ(readAsNobody(postgresqlKey), 0);
}

// certd in a UTS namespace of its own, so the test may rename its host.
class HostnameChangeTest : public HostCertificatesTest {
protected:
    HostnameChangeTest() { wrapper_ = {"unshare", "--uts"}; }

    void SetUp() override
    {
        if (runCommand({"unshare", "--uts", "true"}).exitCode != 0)
            GTEST_SKIP() << "cannot create a UTS namespace here";
        HostCertificatesTest::SetUp();
    }

    void rename(const std::string& hostname)
    {
        const auto result = runCommand({"nsenter", "--uts", "--target", std::to_string(certd_->pid()), "hostname", hostname});
        ASSERT_EQ(result.exitCode, 0) << result.err;
    }
};

TEST_F(HostnameChangeTest, HostnameMatchesFollowsTheSystemsHostName)
{
    rename("appliance-one.example");
    auto https = host("https");
    SignalRecorder signals(bus_);
    https->Generate({}); // for the current name
    EXPECT_EQ(https->CommonName(), "appliance-one.example");
    EXPECT_TRUE(https->HostnameMatches());

    rename("appliance-two.example");
    const auto changed = signals.waitFor([](const auto& s) {
        return s.member == "PropertiesChanged" && s.path == bus::hostObjectPath("https") &&
               s.arguments.size() == 2 && s.arguments[1] == "HostnameMatches";
    });
    ASSERT_TRUE(changed) << certd_->log();
    EXPECT_FALSE(https->HostnameMatches());
    rename("appliance-one.example");
    EXPECT_TRUE(signals.waitFor([](const auto& s) {
        return s.member == "PropertiesChanged" && s.arguments.size() == 2 && s.arguments[1] == "HostnameMatches";
    }));
    EXPECT_TRUE(https->HostnameMatches());
}

// Ten years on: the appliance CA has expired, so nothing can be generated.
class ExpiredApplianceCaTest : public HostCertificatesTest {
protected:
    ExpiredApplianceCaTest()
    {
        CertificateSpec spec;
        spec.subject = {{"CN", "Old Appliance CA"}};
        spec.basicConstraints = "critical,CA:TRUE,pathlen:0";
        spec.notBefore = now() - 3660 * day;
        spec.notAfter = now() - day;
        const auto ca = makeCertificate(spec);
        std::filesystem::create_directories(state() / "private");
        writeTextFile(state() / "private" / "appliance-ca.pem", ca.keyPem() + ca.pem());
    }
};

TEST_F(ExpiredApplianceCaTest, AServiceWithoutCertificateSaysSoAndGenerateExplainsWhy)
{
    auto https = host("https");
    EXPECT_EQ(https->Origin(), "none");
    EXPECT_EQ(https->Fingerprint(), "");
    EXPECT_EQ(https->NotAfter(), 0);
    EXPECT_FALSE(https->HostnameMatches());
    const auto exportIt = [&] { https->Export("pem"); };
    EXPECT_EQ(errorNameOf(exportIt), "org.certd.Certd1.Error.NotFound");
    EXPECT_THAT(errorMessageOf(exportIt), HasSubstr("no certificate yet"));

    const auto generate = [&] { https->Generate({}); };
    EXPECT_EQ(errorNameOf(generate), "org.certd.Certd1.Error.Internal");
    EXPECT_THAT(errorMessageOf(generate), HasSubstr("can no longer issue certificates"));
    EXPECT_EQ(https->Origin(), "none");

    // An uploaded certificate still works.
    OwnPki pki;
    const auto leaf = makeCertificate(pki.leafSpec());
    upload("https", leaf.pem() + pki.intermediate.pem(), leaf.keyPem());
    EXPECT_EQ(https->Origin(), "uploaded");
}

} // namespace
} // namespace certd::test
