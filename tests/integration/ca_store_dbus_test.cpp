// The CA store through certd's D-Bus API, with generated proxies.
#include "certd_fixture.h"
#include "process.h"
#include "test_paths.h"

#include <gmock/gmock.h>

#include <csignal>
#include <future>
#include <set>
#include <thread>
#include <sys/wait.h>

namespace certd::test {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

using bus::caInterface;
const std::vector<std::string> caPropertyNames = {
    "CommonName", "Subject",  "Issuer",  "IssuerCommonName", "SerialNumber",       "NotBefore",
    "NotAfter",   "Fingerprint", "SelfSigned", "KeyType", "SignatureAlgorithm", "PathLength",
    "SubjectAlternativeNames"};

class CaStoreDbusTest : public CertdFixture {};

// Names in directory, leaving out hidden ones (temporary files).
std::vector<std::string> visibleFiles(const std::filesystem::path& directory)
{
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(directory))
        if (!entry.path().filename().string().starts_with('.'))
            names.push_back(entry.path().filename().string());
    return names;
}

TEST_F(CaStoreDbusTest, InspectShowsEveryPropertyAndStoresNothing)
{
    const auto ca = makeCa("Inspected CA");
    const auto details = manager_->InspectCACertificate(bytesOf(ca.pem() + makeCa("Extra").pem()));
    for (const auto& name : caPropertyNames)
        EXPECT_TRUE(details.contains(name)) << name;
    EXPECT_EQ(details.size(), caPropertyNames.size() + 2);
    EXPECT_EQ(details.at("CommonName").get<std::string>(), "Inspected CA");
    EXPECT_EQ(details.at("Fingerprint").get<std::string>(), ca.fingerprint());
    EXPECT_EQ(details.at("KeyType").get<std::string>(), "EC P-256");
    EXPECT_EQ(details.at("AdditionalCertificatesIgnored").get<uint32_t>(), 1u);
    EXPECT_FALSE(details.at("AlreadyImported").get<bool>());
    EXPECT_TRUE(caPaths().empty());
    EXPECT_TRUE(std::filesystem::is_empty(caStore()));
}

TEST_F(CaStoreDbusTest, InspectReadsDer)
{
    const auto ca = makeCa("DER CA");
    const auto der = ca.der();
    const auto details = manager_->InspectCACertificate(std::vector<uint8_t>(der.begin(), der.end()));
    EXPECT_EQ(details.at("Fingerprint").get<std::string>(), ca.fingerprint());
}

TEST_F(CaStoreDbusTest, ImportPublishesACompleteObjectAndAnnouncesIt)
{
    SignalRecorder signals(bus_);
    const auto ca = makeCa("Imported CA");
    const auto inspected = manager_->InspectCACertificate(bytesOf(ca.pem()));
    const auto path = import(ca);
    EXPECT_EQ(path, caPath(ca));

    const auto added = signals.waitFor("InterfacesAdded");
    ASSERT_TRUE(added);
    EXPECT_EQ(added->path, managerPath);
    EXPECT_EQ(added->arguments.at(0), path);
    EXPECT_THAT(added->arguments, ::testing::Contains(caInterface));

    const auto properties = caObject(path)->GetAll(caInterface);
    EXPECT_EQ(properties.size(), caPropertyNames.size());
    for (const auto& name : caPropertyNames)
        EXPECT_EQ(properties.at(name).peekValueType(), inspected.at(name).peekValueType()) << name;
    EXPECT_EQ(properties.at("CommonName").get<std::string>(), "Imported CA");
    EXPECT_EQ(properties.at("Subject").get<std::string>(), "CN=Imported CA,O=certd tests");
    EXPECT_EQ(properties.at("NotAfter").get<int64_t>(), inspected.at("NotAfter").get<int64_t>());
    EXPECT_EQ(properties.at("PathLength").get<int32_t>(), -1);
    EXPECT_TRUE(properties.at("SelfSigned").get<bool>());
    EXPECT_TRUE(std::filesystem::exists(caStore() / (ca.fingerprint() + ".pem")));

    const auto changed = signals.waitFor("TrustStoreChanged");
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->arguments.at(0), "1");
    EXPECT_TRUE(manager_->InspectCACertificate(bytesOf(ca.pem())).at("AlreadyImported").get<bool>());
}

TEST_F(CaStoreDbusTest, ImportingAgainNamesTheExistingObject)
{
    const auto ca = makeCa("Twice");
    import(ca);
    const auto again = [&] { import(ca); };
    EXPECT_EQ(errorNameOf(again), "org.certd.Certd1.Error.AlreadyExists");
    EXPECT_THAT(errorMessageOf(again), HasSubstr(caPath(ca)));
}

struct BadInput {
    std::string name;
    std::function<std::string()> data;
    std::string error;
    std::string messagePart;
};

std::string pemOf(const CertificateSpec& spec)
{
    return makeCertificate(spec).pem();
}

std::vector<BadInput> badInputs()
{
    return {
        {"Empty", [] { return std::string(); }, "InvalidCertificate", "empty"},
        {"Garbage", [] { return std::string("hello, certd"); }, "InvalidCertificate", "neither"},
        {"TruncatedPem", [] { auto p = makeCa("T").pem(); return p.substr(0, p.size() / 2); },
         "InvalidCertificate", "damaged"},
        {"TruncatedDer", [] { auto d = makeCa("T").der(); return std::string(d.begin(), d.begin() + 100); },
         "InvalidCertificate", "DER"},
        {"KeyOnly", [] { return makeCa("K").keyPem(); }, "InvalidCertificate", "PRIVATE KEY"},
        {"NotYetValid", [] { CertificateSpec s; s.notBefore = now() + 2 * day; s.notAfter = now() + 9 * day; return pemOf(s); },
         "NotYetValid", "is not valid before"},
        {"Expired", [] { CertificateSpec s; s.notBefore = now() - 9 * day; s.notAfter = now() - 2 * day; return pemOf(s); },
         "Expired", "expired on"},
        {"NoBasicConstraints", [] { CertificateSpec s; s.basicConstraints = ""; return pemOf(s); },
         "NotCA", "no Basic Constraints"},
        {"CaFalse", [] { CertificateSpec s; s.basicConstraints = "CA:FALSE"; s.keyUsage = ""; return pemOf(s); },
         "NotCA", "CA:FALSE"},
        {"NoKeyCertSign", [] { CertificateSpec s; s.keyUsage = "digitalSignature"; return pemOf(s); },
         "NotCA", "keyCertSign"},
        {"TooLarge", [] { auto p = makeCa("Big").pem(); p.resize(1024 * 1024 + 1, '\n'); return p; },
         "TooLarge", "1048577 bytes"},
    };
}

class CaStoreBadInputTest : public CertdFixture, public ::testing::WithParamInterface<BadInput> {};

TEST_P(CaStoreBadInputTest, InspectAndImportRefuseWithANamedError)
{
    const auto data = bytesOf(GetParam().data());
    const std::string expected = "org.certd.Certd1.Error." + GetParam().error;
    const auto inspect = [&] { manager_->InspectCACertificate(data); };
    const auto importIt = [&] { manager_->ImportCACertificate(data); };
    EXPECT_EQ(errorNameOf(inspect), expected);
    EXPECT_EQ(errorNameOf(importIt), expected);
    EXPECT_THAT(errorMessageOf(importIt), HasSubstr(GetParam().messagePart));
    EXPECT_TRUE(caPaths().empty());
    EXPECT_TRUE(std::filesystem::is_empty(caStore()));
}

INSTANTIATE_TEST_SUITE_P(All, CaStoreBadInputTest, ::testing::ValuesIn(badInputs()),
                         [](const auto& info) { return info.param.name; });

TEST_F(CaStoreDbusTest, ExportsPemAndDer)
{
    const auto ca = makeCa("Exported");
    auto object = caObject(import(ca));
    EXPECT_EQ(object->Export("pem"), bytesOf(ca.pem()));
    const auto der = ca.der();
    EXPECT_EQ(object->Export("der"), std::vector<uint8_t>(der.begin(), der.end()));
    const auto bad = [&] { object->Export("pkcs12"); };
    EXPECT_EQ(errorNameOf(bad), "org.certd.Certd1.Error.InvalidArgument");
    EXPECT_THAT(errorMessageOf(bad), HasSubstr("\"pkcs12\""));
}

TEST_F(CaStoreDbusTest, DeleteRemovesObjectFileAndTrust)
{
    const auto ca = makeCa("Deleted");
    const auto path = import(ca);
    SignalRecorder signals(bus_);
    caObject(path)->Delete();
    const auto removed = signals.waitFor("InterfacesRemoved");
    ASSERT_TRUE(removed);
    EXPECT_EQ(removed->arguments.at(0), path);
    EXPECT_TRUE(caPaths().empty());
    EXPECT_FALSE(std::filesystem::exists(caStore() / (ca.fingerprint() + ".pem")));
    EXPECT_TRUE(std::filesystem::is_empty(manager_->TrustDirectory()));
    const auto changed = signals.waitFor([](const auto& s) {
        return s.member == "TrustStoreChanged" && s.arguments.at(0) == "0";
    });
    EXPECT_TRUE(changed);
    // The object is gone: calling it again says which certificate is not stored.
    EXPECT_EQ(errorNameOf([&] { caObject(path)->Delete(); }), "org.certd.Certd1.Error.NotFound");
    EXPECT_THAT(errorMessageOf([&] { caObject(path)->Delete(); }), HasSubstr(ca.fingerprint()));
    EXPECT_EQ(errorNameOf([&] { caObject(path)->CommonName(); }), "org.certd.Certd1.Error.NotFound");
}

TEST_F(CaStoreDbusTest, UnpublishedPathsAreNotFoundOnlyWhereACaCouldBe)
{
    const auto never = makeCa("Never imported");
    EXPECT_EQ(errorNameOf([&] { caObject(caPath(never))->Export("pem"); }), "org.certd.Certd1.Error.NotFound");
    // Not a fingerprint: the bus's own answer.
    EXPECT_EQ(errorNameOf([&] { caObject(std::string(bus::caPathPrefix) + "abc")->Delete(); }),
              "org.freedesktop.DBus.Error.UnknownObject");
    // A published object keeps sd-bus's answers for members it lacks.
    const auto path = import(makeCa("Published"));
    const auto proxy = sdbus::createProxy(*connection_, certdName, path);
    EXPECT_EQ(errorNameOf([&] { proxy->callMethod("NoSuchMethod").onInterface(bus::caInterface); }),
              "org.freedesktop.DBus.Error.UnknownMethod");
    EXPECT_EQ(caObject(path)->CommonName(), "Published");
}

TEST_F(CaStoreDbusTest, ManagedObjectsListEveryCaWithProperties)
{
    const auto a = makeCa("A");
    const auto b = makeCa("B");
    import(a);
    import(b);
    const auto objects = manager_->GetManagedObjects();
    EXPECT_THAT(caPaths(), UnorderedElementsAre(caPath(a), caPath(b)));
    const auto& properties = objects.at(sdbus::ObjectPath(caPath(b))).at(caInterface);
    EXPECT_EQ(properties.at("CommonName").get<std::string>(), "B");
    EXPECT_EQ(properties.size(), caPropertyNames.size());
}

TEST_F(CaStoreDbusTest, ManagerProperties)
{
    EXPECT_EQ(manager_->TrustDirectory(), (state() / "trust" / "certs").string());
    EXPECT_EQ(manager_->TrustBundle(), (state() / "trust" / "ca-bundle.pem").string());
    const auto version = runCommand({certdBinary().string(), "--version"});
    EXPECT_EQ(version.out, "certd " + manager_->Version() + "\n");
}

TEST_F(CaStoreDbusTest, OpensslTrustsExactlyTheStoredCas)
{
    TempDir work;
    const auto root = makeCa("Proxy Inspection CA");
    writeTextFile(work / "server.pem", makeCertificate(test::serverSpec("intranet.example", root)).pem());
    const auto verify = [&](const std::string& option, const std::string& location) {
        return runCommand({"openssl", "verify", option, location, (work / "server.pem").string()});
    };

    SignalRecorder signals(bus_);
    const auto path = import(root);
    // TrustDirectory is current when the call returns; the bundle when TrustStoreChanged says so.
    EXPECT_EQ(verify("-CApath", manager_->TrustDirectory()).exitCode, 0);
    ASSERT_TRUE(signals.waitFor([](const auto& s) { return s.member == "TrustStoreChanged" && s.arguments[0] == "1"; }));
    const auto viaBundle = verify("-CAfile", manager_->TrustBundle());
    EXPECT_EQ(viaBundle.exitCode, 0) << viaBundle.out << viaBundle.err;

    caObject(path)->Delete();
    EXPECT_NE(verify("-CApath", manager_->TrustDirectory()).exitCode, 0);
    ASSERT_TRUE(signals.waitFor([](const auto& s) { return s.member == "TrustStoreChanged" && s.arguments[0] == "0"; }));
    EXPECT_NE(verify("-CAfile", manager_->TrustBundle()).exitCode, 0);
}

TEST_F(CaStoreDbusTest, StoredCasSurviveARestart)
{
    const auto a = makeCa("Survivor A");
    const auto b = makeCa("Survivor B");
    import(a);
    import(b);
    restart();
    EXPECT_THAT(caPaths(), UnorderedElementsAre(caPath(a), caPath(b)));
    EXPECT_EQ(caObject(caPath(a))->CommonName(), "Survivor A");
}

TEST_F(CaStoreDbusTest, AnAcknowledgedImportSurvivesKillNine)
{
    const auto ca = makeCa("Acknowledged");
    import(ca);
    certd_->kill9();
    // Debris of a write that was under way when the power went.
    writeTextFile(caStore() / ".deadbeef.pem.0123456789abcdef.tmp", "-----BEGIN CERTIFICATE-----\nMII");
    start();
    EXPECT_THAT(caPaths(), UnorderedElementsAre(caPath(ca)));
    EXPECT_FALSE(std::filesystem::exists(caStore() / ".deadbeef.pem.0123456789abcdef.tmp"));
}

TEST_F(CaStoreDbusTest, KillNineDuringImportsAlwaysLeavesAConsistentStore)
{
    std::set<std::string> acknowledged;
    for (int round = 0; round < 6; ++round) {
        // Imports from a connection of their own, until certd dies under them;
        // the plug is pulled once a different number has landed each round.
        const int killAfter = 3 + 9 * round;
        std::promise<void> reached;
        auto importer = std::async(std::launch::async, [&, round] {
            auto connection = bus_.connect();
            ManagerProxy manager(*connection);
            std::vector<std::string> done;
            for (int i = 0; i < 400; ++i) {
                const auto ca = makeCa("Round " + std::to_string(round) + " CA " + std::to_string(i));
                try {
                    manager.ImportCACertificate(bytesOf(ca.pem()));
                } catch (const sdbus::Error&) {
                    break; // certd is gone
                }
                done.push_back(caPath(ca));
                if (static_cast<int>(done.size()) == killAfter)
                    reached.set_value();
            }
            return done;
        });
        ASSERT_EQ(reached.get_future().wait_for(30s), std::future_status::ready);
        certd_->kill9(); // while the next imports are under way
        for (const auto& path : importer.get())
            acknowledged.insert(path);
        start();

        const auto published = caPaths();
        const std::set<std::string> present(published.begin(), published.end());
        for (const auto& path : acknowledged)
            EXPECT_TRUE(present.contains(path)) << "lost an acknowledged import: " << path;
        // Every file in the store is a complete certificate that certd lists.
        std::size_t files = 0;
        for (const auto& entry : std::filesystem::directory_iterator(caStore()))
            files += !entry.path().filename().string().starts_with('.');
        EXPECT_EQ(files, published.size());
        EXPECT_THAT(certd_->log(), ::testing::Not(HasSubstr("Skipped a file"))) << "round " << round;
        EXPECT_EQ(visibleFiles(manager_->TrustDirectory()).size(), published.size());
    }
    EXPECT_GT(acknowledged.size(), 0u);
}

TEST_F(CaStoreDbusTest, ReloadPicksUpChangesOnDisk)
{
    const auto kept = makeCa("Kept");
    const auto removed = makeCa("Removed behind certd's back");
    const auto added = makeCa("Added behind certd's back");
    import(kept);
    import(removed);
    std::filesystem::remove(caStore() / (removed.fingerprint() + ".pem"));
    const auto der = added.der();
    writeTextFile(caStore() / "added.der", std::string(der.begin(), der.end()));

    SignalRecorder signals(bus_);
    EXPECT_EQ(manager_->Reload(), 2u);
    const auto gone = signals.waitFor("InterfacesRemoved");
    const auto appeared = signals.waitFor("InterfacesAdded");
    ASSERT_TRUE(gone && appeared);
    EXPECT_EQ(gone->arguments.at(0), caPath(removed));
    EXPECT_EQ(appeared->arguments.at(0), caPath(added));
    EXPECT_THAT(caPaths(), UnorderedElementsAre(caPath(kept), caPath(added)));
    EXPECT_EQ(signals.count("InterfacesAdded"), 1u); // the unchanged CA is not republished
}

TEST_F(CaStoreDbusTest, ReloadRepairsTheTrustDirectory)
{
    const auto ca = makeCa("Repaired");
    import(ca);
    for (const auto& entry : std::filesystem::directory_iterator(manager_->TrustDirectory()))
        std::filesystem::remove(entry.path());
    manager_->Reload();
    EXPECT_FALSE(std::filesystem::is_empty(manager_->TrustDirectory()));
}

TEST_F(CaStoreDbusTest, StartupKeepsExpiredCasAndSkipsCorruptFiles)
{
    stop();
    CertificateSpec spec;
    spec.subject = {{"CN", "Expired since import"}};
    spec.notBefore = now() - 30 * day;
    spec.notAfter = now() - day;
    const auto expired = makeCertificate(spec);
    writeTextFile(caStore() / "expired.pem", expired.pem());
    writeTextFile(caStore() / "corrupt.pem", "-----BEGIN CERTIFICATE-----\nnot base64 at all\n");
    start();
    EXPECT_THAT(caPaths(), UnorderedElementsAre(caPath(expired)));
    EXPECT_THAT(certd_->log(), HasSubstr("corrupt.pem"));
}

TEST_F(CaStoreDbusTest, AStoreThatCannotBeWrittenIsAnInternalErrorNamingThePath)
{
    const auto kept = makeCa("Already stored");
    import(kept);
    // The store directory replaced by a file: nothing can be written into it.
    const auto aside = dir_ / "ca-aside";
    std::filesystem::rename(caStore(), aside);
    writeTextFile(caStore(), "not a directory");
    const auto importIt = [&] { import(makeCa("Cannot be stored")); };
    EXPECT_EQ(errorNameOf(importIt), "org.certd.Certd1.Error.Internal");
    EXPECT_THAT(errorMessageOf(importIt), HasSubstr(caStore().string()));
    EXPECT_THAT(caPaths(), UnorderedElementsAre(caPath(kept))); // nothing half-published
    // Repaired, the store works again and has lost nothing.
    std::filesystem::remove(caStore());
    std::filesystem::rename(aside, caStore());
    manager_->Reload();
    EXPECT_THAT(caPaths(), UnorderedElementsAre(caPath(kept)));
}

TEST_F(CaStoreDbusTest, SigtermEndsCertdCleanly)
{
    stop(); // asserts exit status 0
}

class CaStoreLifecycleTest : public ::testing::Test {
protected:
    TempDir dir_;
};

TEST_F(CaStoreLifecycleTest, CertdExitsNonZeroWhenTheBusGoesAway)
{
    auto bus = std::make_unique<TestBus>();
    CertdProcess certd(*bus, {dir_ / "state", {}, {}, {}, {}});
    bus.reset();
    EXPECT_EQ(certd.stop(), 1) << certd.log();
    EXPECT_THAT(certd.log(), HasSubstr("Lost the D-Bus connection"));
}

TEST_F(CaStoreLifecycleTest, ASecondCertdOnTheSameStateDirectoryIsRefused)
{
    TestBus bus;
    CertdProcess first(bus, {dir_ / "state", {}, {}, {}, {}});
    // Stands for a write the first certd has under way: the refused second
    // one must not clean it up.
    const auto inFlight = dir_ / "state" / "trust" / ".ca-bundle.pem.0123456789abcdef.tmp";
    writeTextFile(inFlight, "being written");
    const auto second = runCertdExpectingExit(bus, {dir_ / "state", {}, {}, {}, {}});
    EXPECT_EQ(second.exitCode, 1);
    EXPECT_THAT(second.err, HasSubstr("Another certd is already using the state directory"));
    EXPECT_TRUE(std::filesystem::exists(inFlight));
}

TEST_F(CaStoreLifecycleTest, ASecondCertdCannotTakeTheName)
{
    TestBus bus;
    CertdProcess first(bus, {dir_ / "one", {}, {}, {}, {}});
    const auto second = runCertdExpectingExit(bus, {dir_ / "two", {}, {}, {}, {}});
    EXPECT_EQ(second.exitCode, 1);
    EXPECT_THAT(second.err, HasSubstr("org.certd.Certd1"));
}

TEST_F(CaStoreLifecycleTest, SessionFlagUsesTheSessionBus)
{
    TestBus bus;
    // The system bus address leads nowhere: only the session bus can work.
    CertdProcess certd(bus, {dir_ / "state", {}, {"--session"},
                             {"DBUS_SESSION_BUS_ADDRESS=" + bus.address(),
                              "DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/system_bus_socket"},
                             {}});
    auto connection = bus.connect();
    ManagerProxy manager(*connection);
    EXPECT_FALSE(manager.Version().empty());
    EXPECT_THAT(certd.log(), HasSubstr("on the session bus"));
}

TEST_F(CaStoreLifecycleTest, InvalidConfigurationStopsStartupNamingFileLineAndKey)
{
    TestBus bus;
    const auto result = runCertdExpectingExit(bus, {dir_ / "state", "[Access]\nAdminGroupp=wheel\n", {}, {}, {}});
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_THAT(result.err, HasSubstr("certd.conf:2: unknown key AdminGroupp= in section [Access]"));
}

} // namespace
} // namespace certd::test
