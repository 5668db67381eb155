// certd under faults, deterministically: an LD_PRELOAD shim counts certd's
// file operations and kills it (as a crash or power cut would) or fails the
// operation (ENOSPC, EPERM) at exactly the Nth one, for every N of a
// Generate, an Upload, an import, a delete and a start. After each, the
// state must be whole: the old one or the new one, never a mix, and D-Bus
// must show what is on disk.
#include "certd_fixture.h"
#include "file_trace.h"
#include "host/pending_request_store.h"
#include "x509/certificate_details.h"
#include "x509/certificate_input.h"
#include "x509/private_key_input.h"

#include <sdbus-c++/sdbus-c++.h>

#include <algorithm>
#include <cstdlib>

#include <gmock/gmock.h>

namespace certd::test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Every entry of directory (recursively), as names relative to it.
std::vector<std::string> entriesOf(const std::filesystem::path& directory)
{
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(directory, error))
        names.push_back(std::filesystem::relative(entry.path(), directory).string());
    std::sort(names.begin(), names.end());
    return names;
}

std::string fingerprintOfFile(const std::filesystem::path& pem)
{
    const auto input = readFirstCertificate(bytesOf(readTextFile(pem)));
    return sha256Fingerprint(*input.certificate);
}

// Whether a run breaks at operation n of operations: at every one, unless
// CERTD_FAULT_STRIDE=K thins them to every Kth, the first, the last and the
// three around the commit. scripts/test-sanitized.sh sets it: that pass
// looks for memory errors on these paths, and the normal pass has already
// proved every single ordering.
bool probed(std::size_t n, std::size_t operations, std::size_t commit = 0)
{
    static const std::size_t stride = [] {
        const char* value = std::getenv("CERTD_FAULT_STRIDE");
        return static_cast<std::size_t>(std::max(1L, value ? std::atol(value) : 1L));
    }();
    return stride == 1 || n % stride == 0 || n == 1 || n == operations ||
           (commit > 0 && n + 1 >= commit && n <= commit + 1);
}

bool keyMatchesCertificate(const std::filesystem::path& key, const std::filesystem::path& certificate)
{
    const auto cert = readFirstCertificate(bytesOf(readTextFile(certificate)));
    const auto privateKey = readPrivateKey(bytesOf(readTextFile(key)));
    return X509_check_private_key(cert.certificate.get(), privateKey.get()) == 1;
}

class FaultInjectionTest : public CertdFixture {
protected:
    CertdOptions options() override
    {
        auto options = CertdFixture::options();
        options.extraEnvironment = shim_ ? shim_->environment() : std::vector<std::string>{};
        return options;
    }

    std::filesystem::path trace() const { return dir_ / "trace"; }

    // Restarts certd with the shim (or without, for nullopt).
    void restartWith(std::optional<FaultShim> shim)
    {
        if (certd_) {
            manager_.reset();
            connection_.reset();
            certd_->stop();
            certd_.reset();
        }
        shim_ = std::move(shim);
        std::filesystem::remove(trace());
        start();
    }

    // A call that may end certd on the way: its error name, or "" on success.
    std::string callDying(const std::string& path, const std::string& interface, const std::string& method,
                          const std::function<void(sdbus::MethodCall&)>& arguments)
    {
        auto proxy = sdbus::createProxy(*connection_, certdName, path);
        auto call = proxy->createMethodCall(interface, method);
        arguments(call);
        try {
            proxy->callMethod(call, std::chrono::microseconds(60s).count());
            return "";
        } catch (const sdbus::Error& error) {
            return error.getName();
        }
    }

    // The state of a service as D-Bus, disk and records see it; fails the test where they disagree.
    std::string expectWholeService(const std::string& service)
    {
        const auto directory = state() / service;
        const auto fingerprint = HostProxy(*connection_, service).Fingerprint();
        EXPECT_EQ(fingerprintOfFile(directory / "cert.pem"), fingerprint) << "D-Bus shows another certificate";
        EXPECT_TRUE(keyMatchesCertificate(directory / "key.pem", directory / "cert.pem"))
            << "the key on disk is not the certificate's";
        EXPECT_TRUE(readTextFile(directory / "chain.pem").starts_with(readTextFile(directory / "cert.pem")));
        const auto current = std::filesystem::read_symlink(directory / "current").string();
        const auto version = current.substr(2);
        EXPECT_THAT(entriesOf(state() / "private" / service), ::testing::ElementsAre(version + ".json"));
        for (const auto& name : entriesOf(directory))
            EXPECT_TRUE(name == current || name.starts_with(current + "/") || name == "cert.pem" ||
                        name == "chain.pem" || name == "key.pem" || name == "current")
                << "left over: " << name;
        return fingerprint;
    }

    FaultShim shimFor(const std::vector<std::filesystem::path>& watch) const { return {watch, trace(), {}, "kill"}; }

    // Restarts certd with the shim set to kill it at operation (counting
    // those on watch), makes call (which must fail), and starts it again.
    void killAt(const std::vector<std::filesystem::path>& watch, std::size_t operation,
                const std::function<std::string()>& call)
    {
        auto shim = shimFor(watch);
        shim.breakAt = static_cast<long>(operation);
        restartWith(shim);
        EXPECT_NE(call(), "");
        ASSERT_TRUE(certd_->waitForExit(30s)) << "certd was not killed";
        certd_.reset();
        manager_.reset();
        connection_.reset();
        shim_.reset();
        start();
    }

    std::optional<FaultShim> shim_;
};

// ---------------------------------------------------------------- host certificates

class HostFaultTest : public FaultInjectionTest {
protected:
    std::vector<std::filesystem::path> hostPaths() const { return {state() / "https", state() / "private" / "https"}; }

    // Generate or Upload on https; returns certd's error name or "".
    std::string change(bool upload)
    {
        if (!upload)
            return callDying(bus::hostObjectPath("https"), bus::hostInterface, "Generate",
                             [](sdbus::MethodCall& call) { call << std::map<std::string, sdbus::Variant>{}; });
        // A new certificate every time, so that before and after always differ.
        const auto leaf = makeCertificate(serverSpec("fault.example.com", root_));
        const auto certificate = bytesOf(leaf.pem());
        const auto key = bytesOf(leaf.keyPem());
        return callDying(bus::hostObjectPath("https"), bus::hostInterface, "Upload",
                         [&](sdbus::MethodCall& call) { call << certificate << key; });
    }

    // How many watched operations a start and a change take, from a clean trace.
    std::pair<std::size_t, std::size_t> countOperations(bool upload)
    {
        restartWith(shimFor(hostPaths()));
        const auto atStart = readTrace(trace()).size();
        EXPECT_EQ(change(upload), "");
        const auto all = readTrace(trace()).size();
        EXPECT_THAT(durabilityViolations(readTrace(trace())), IsEmpty());
        return {atStart, all - atStart};
    }

    void killAtEveryOperation(bool upload)
    {
        const auto [atStart, operations] = countOperations(upload);
        ASSERT_GT(operations, 20u) << "the trace saw too little to prove anything";
        std::size_t commit = 0; // the operation after which the change is in force
        const auto clean = readTrace(trace());
        for (std::size_t i = atStart; i < clean.size(); ++i)
            if (clean[i].op == "rename" && clean[i].target.ends_with("/https/current"))
                commit = i - atStart + 1;
        ASSERT_GT(commit, 0u);

        for (std::size_t n = 1; n <= operations; ++n) {
            if (!probed(n, operations, commit))
                continue;
            SCOPED_TRACE("killed before operation " + std::to_string(n) + " of " + std::to_string(operations));
            restartWith(std::nullopt);
            const auto before = expectWholeService("https");
            killAt(hostPaths(), atStart + n, [&] { return change(upload); });
            ASSERT_FALSE(HasFatalFailure());
            const auto after = expectWholeService("https");
            if (n <= commit)
                EXPECT_EQ(after, before) << "the change is in force although killed before its commit";
            else
                EXPECT_NE(after, before) << "the committed change was lost";
        }
    }

    void failAtEveryOperation(bool upload, const std::string& error)
    {
        const auto [atStart, operations] = countOperations(upload);
        const auto clean = readTrace(trace());
        std::size_t commit = 0;
        for (std::size_t i = atStart; i < clean.size(); ++i)
            if (clean[i].op == "rename" && clean[i].target.ends_with("/https/current"))
                commit = i - atStart + 1;
        for (std::size_t n = 1; n <= operations; ++n) {
            if (!probed(n, operations, commit))
                continue;
            SCOPED_TRACE(error + " at operation " + std::to_string(n) + ": " + clean[atStart + n - 1].op + " " +
                         clean[atStart + n - 1].path);
            restartWith(std::nullopt);
            const auto before = expectWholeService("https");
            auto shim = shimFor(hostPaths());
            shim.breakAt = static_cast<long>(atStart + n);
            shim.action = error;
            restartWith(shim);
            const auto result = change(upload);
            const auto shown = HostProxy(*connection_, "https").Fingerprint();
            if (n < commit) {
                EXPECT_EQ(result, "org.certd.Certd1.Error.Internal") << "a failed write must fail the call";
                EXPECT_EQ(shown, before) << "a failed call changed the certificate";
            } else {
                // At or after the commit: in force (a failed swap leaves the old).
                EXPECT_EQ(result == "", shown != before);
            }
            restartWith(std::nullopt); // and what a restart finds is whole too
            expectWholeService("https");
        }
    }

    TestCertificate root_ = makeCa("Fault Root");
};

TEST_F(HostFaultTest, GenerateKilledAtAnyOperationLeavesTheOldPairOrTheNewOne)
{
    killAtEveryOperation(false);
}

TEST_F(HostFaultTest, UploadKilledAtAnyOperationLeavesTheOldPairOrTheNewOne)
{
    killAtEveryOperation(true);
}

TEST_F(HostFaultTest, GenerateFailingWithEnospcAtAnyOperationChangesNothingAndSaysSo)
{
    failAtEveryOperation(false, "ENOSPC");
}

TEST_F(HostFaultTest, UploadFailingWithEpermAtAnyOperationChangesNothingAndSaysSo)
{
    failAtEveryOperation(true, "EPERM");
}

// ---------------------------------------------------------------- certificate requests

class RequestFaultTest : public HostFaultTest {
protected:
    std::filesystem::path requestFile() const { return state() / "private" / "requests" / "https.json"; }

    std::vector<std::filesystem::path> requestPaths() const
    {
        auto paths = hostPaths();
        paths.push_back(requestFile().parent_path());
        return paths;
    }

    // The pending request as D-Bus shows it ("" for none); fails the test
    // where the file and D-Bus disagree or the file holds a part.
    std::string expectWholeRequest()
    {
        HostProxy https(*connection_, "https");
        const bool pending = https.PendingRequest();
        EXPECT_EQ(std::filesystem::exists(requestFile()), pending);
        for (const auto& name : entriesOf(requestFile().parent_path()))
            EXPECT_EQ(name, "https.json") << "left over";
        if (!pending)
            return "";
        const auto request = https.ExportRequest();
        const std::string pem(request.begin(), request.end());
        EXPECT_EQ(parsePendingRequestRecord(readTextFile(requestFile()))->requestPem, pem);
        return pem;
    }

    std::string createRequest()
    {
        return callDying(bus::hostObjectPath("https"), bus::hostInterface, "CreateRequest",
                         [](sdbus::MethodCall& call) { call << std::map<std::string, sdbus::Variant>{}; });
    }

    std::string install(const std::string& certificatePem)
    {
        return callDying(bus::hostObjectPath("https"), bus::hostInterface, "InstallCertificate",
                         [&](sdbus::MethodCall& call) { call << bytesOf(certificatePem); });
    }

    // The operations a start and a call take under the shim, and the one after
    // which the call is in force (the rename whose target ends with commitTarget).
    struct Count {
        std::size_t atStart = 0, operations = 0, commit = 0;
    };
    Count count(const std::function<std::string()>& call, const std::string& commitTarget)
    {
        restartWith(shimFor(requestPaths()));
        Count counted;
        counted.atStart = readTrace(trace()).size();
        EXPECT_EQ(call(), "");
        const auto clean = readTrace(trace());
        counted.operations = clean.size() - counted.atStart;
        EXPECT_THAT(durabilityViolations(clean), IsEmpty());
        for (std::size_t i = counted.atStart; i < clean.size(); ++i)
            if (clean[i].op == "rename" && clean[i].target.ends_with(commitTarget))
                counted.commit = i - counted.atStart + 1;
        EXPECT_GT(counted.commit, 0u);
        return counted;
    }

};

TEST_F(RequestFaultTest, CreateRequestKilledAtAnyOperationLeavesTheOldRequestOrTheNewOne)
{
    restartWith(std::nullopt);
    ASSERT_EQ(createRequest(), "");
    const auto counted = count([this] { return createRequest(); }, "/requests/https.json");
    ASSERT_GT(counted.operations, 3u);
    for (std::size_t n = 1; n <= counted.operations; ++n) {
        if (!probed(n, counted.operations, counted.commit))
            continue;
        SCOPED_TRACE("killed before operation " + std::to_string(n) + " of " + std::to_string(counted.operations));
        restartWith(std::nullopt);
        const auto before = expectWholeRequest();
        ASSERT_NE(before, "");
        const auto certificate = expectWholeService("https");
        killAt(requestPaths(), counted.atStart + n, [this] { return createRequest(); });
        ASSERT_FALSE(HasFatalFailure());
        const auto after = expectWholeRequest();
        ASSERT_NE(after, "") << "the pending request was lost";
        if (n <= counted.commit)
            EXPECT_EQ(after, before) << "the new request is in force although killed before its commit";
        else
            EXPECT_NE(after, before) << "the committed request was lost";
        EXPECT_EQ(expectWholeService("https"), certificate) << "a request changed the certificate";
    }
}

TEST_F(RequestFaultTest, InstallCertificateKilledAtAnyOperationLeavesTheRequestOrItsCertificate)
{
    // Each round installs the certificate of a new request.
    const auto prepare = [this] {
        restartWith(std::nullopt);
        EXPECT_EQ(createRequest(), "");
        const auto request = expectWholeRequest();
        return issueForRequest(request, root_).pem();
    };
    const auto first = prepare();
    const auto counted = count([&] { return install(first); }, "/https/current");
    ASSERT_GT(counted.operations, 20u);
    for (std::size_t n = 1; n <= counted.operations; ++n) {
        if (!probed(n, counted.operations, counted.commit))
            continue;
        SCOPED_TRACE("killed before operation " + std::to_string(n) + " of " + std::to_string(counted.operations));
        const auto issued = prepare();
        const auto request = expectWholeRequest();
        const auto before = expectWholeService("https");
        killAt(requestPaths(), counted.atStart + n, [&] { return install(issued); });
        ASSERT_FALSE(HasFatalFailure());
        const auto after = expectWholeService("https");
        if (n <= counted.commit) {
            EXPECT_EQ(after, before) << "installed although killed before its commit";
            EXPECT_EQ(expectWholeRequest(), request) << "the request was lost with nothing installed";
        } else {
            EXPECT_EQ(after, sha256Fingerprint(*readFirstCertificate(bytesOf(issued)).certificate)) << "the committed certificate was lost";
            EXPECT_EQ(HostProxy(*connection_, "https").Origin(), "requested");
            EXPECT_EQ(expectWholeRequest(), "") << "the installed request is still pending";
        }
    }
}

// ---------------------------------------------------------------- appliance CA rotation

class RotationFaultTest : public RequestFaultTest {
protected:
    std::vector<std::filesystem::path> rotationPaths() const
    {
        return {state() / "private", state() / "https", state() / "postgresql"};
    }

    std::string rotate()
    {
        return callDying(managerPath, bus::managerInterface, "RotateApplianceCA",
                         [](sdbus::MethodCall& call) { call << std::map<std::string, sdbus::Variant>{}; });
    }

    // The appliance CA in force, as D-Bus exports it.
    X509Ptr currentCa()
    {
        const auto der = manager_->ExportApplianceCA("der");
        return certificateFromDer(Bytes(der.begin(), der.end()));
    }
};

TEST_F(RotationFaultTest, ARotationKilledAtAnyOperationLeavesTheOldCaOrTheNewOneInForce)
{
    restartWith(shimFor(rotationPaths()));
    const auto atStart = readTrace(trace()).size();
    ASSERT_EQ(rotate(), "");
    const auto clean = readTrace(trace());
    EXPECT_THAT(durabilityViolations(clean), IsEmpty());
    const auto operations = clean.size() - atStart;
    std::size_t commit = 0;
    for (std::size_t i = atStart; i < clean.size(); ++i)
        if (clean[i].op == "rename" && clean[i].target.ends_with("/private/appliance-ca.pem"))
            commit = i - atStart + 1;
    ASSERT_GT(commit, 0u);
    ASSERT_GT(operations, commit + 20) << "the re-issue after the commit was not traced";

    for (std::size_t n = 1; n <= operations; ++n) {
        if (!probed(n, operations, commit))
            continue;
        SCOPED_TRACE("killed before operation " + std::to_string(n) + " of " + std::to_string(operations));
        restartWith(std::nullopt);
        const auto oldCa = sha256Fingerprint(*currentCa());
        const auto before = expectWholeService("https");
        killAt(rotationPaths(), atStart + n, [this] { return rotate(); });
        ASSERT_FALSE(HasFatalFailure());
        const auto ca = currentCa();
        const auto after = expectWholeService("https");
        const auto served = readFirstCertificate(bytesOf(readTextFile(state() / "https" / "cert.pem")));
        if (n <= commit) {
            EXPECT_EQ(sha256Fingerprint(*ca), oldCa) << "the new CA is in force although killed before its commit";
            EXPECT_EQ(after, before) << "a rotation that did not commit changed the certificate";
        } else {
            EXPECT_NE(sha256Fingerprint(*ca), oldCa) << "the committed CA was lost";
            EXPECT_EQ(X509_verify(served.certificate.get(), X509_get0_pubkey(ca.get())), 1)
                << "the https certificate is not the new CA's after the restart";
        }
    }
}

// ---------------------------------------------------------------- the CA store

class StoreFaultTest : public FaultInjectionTest {
protected:
    std::vector<std::filesystem::path> storePaths() const
    {
        return {caStore(), state() / "trust" / "certs", state() / "system-trust"};
    }

    std::string importCa() { return callDying(managerPath, bus::managerInterface, "ImportCACertificate",
                                              [this](sdbus::MethodCall& call) { call << bytesOf(ca_.pem()); }); }
    std::string deleteCa() { return callDying(caPath(ca_), bus::caInterface, "Delete",
                                              [](sdbus::MethodCall&) {}); }

    // Whether the CA is stored, trusted and published; fails the test when only some of that is true.
    bool wholeCa()
    {
        const bool stored = std::filesystem::exists(caStore() / (ca_.fingerprint() + ".pem"));
        const auto verify = runCommand({"openssl", "verify", "-CApath", (state() / "trust" / "certs").string(),
                                        (dir_ / "leaf.pem").string()});
        const bool trusted = verify.exitCode == 0;
        const bool systemTrusted = std::filesystem::exists(state() / "system-trust" / (ca_.fingerprint() + ".crt"));
        EXPECT_EQ(stored, systemTrusted) << "stored " << stored << ", in the system trust " << systemTrusted;
        const auto paths = caPaths();
        const bool published = std::find(paths.begin(), paths.end(), caPath(ca_)) != paths.end();
        EXPECT_EQ(stored, trusted) << "stored " << stored << ", trusted " << trusted;
        EXPECT_EQ(stored, published) << "stored " << stored << ", published " << published;
        for (const auto& name : entriesOf(caStore()))
            EXPECT_FALSE(name.starts_with('.')) << "left over: " << name;
        return stored;
    }

    void SetUp() override
    {
        FaultInjectionTest::SetUp();
        writeTextFile(dir_ / "leaf.pem", makeCertificate(serverSpec("leaf.example", ca_)).pem());
    }

    // The number of watched operations of a start and of action, from a clean trace.
    std::pair<std::size_t, std::size_t> countOperations(const std::function<std::string()>& action)
    {
        restartWith(shimFor(storePaths()));
        const auto atStart = readTrace(trace()).size();
        EXPECT_EQ(action(), "");
        return {atStart, readTrace(trace()).size() - atStart};
    }

    void breakEveryOperationOf(bool importing, const std::string& how)
    {
        const auto action = [&] { return importing ? importCa() : deleteCa(); };
        if (!importing)
            import(ca_);
        const auto [atStart, operations] = countOperations(action);
        ASSERT_GT(operations, 0u);
        for (std::size_t n = 1; n <= operations; ++n) {
            if (!probed(n, operations))
                continue;
            SCOPED_TRACE(how + " at operation " + std::to_string(n) + " of " + std::to_string(operations));
            restartWith(std::nullopt);
            if (importing && wholeCa())
                deleteCa();
            if (!importing && !wholeCa())
                import(ca_);
            auto shim = shimFor(storePaths());
            shim.breakAt = static_cast<long>(atStart + n);
            shim.action = how;
            restartWith(shim);
            const auto result = action();
            if (how == "kill") {
                ASSERT_TRUE(certd_->waitForExit(30s));
                certd_.reset();
                manager_.reset();
                connection_.reset();
            } else {
                // A failed call changed nothing; a call that succeeded did all of it.
                EXPECT_EQ(wholeCa(), importing == (result == "")) << result;
            }
            restartWith(std::nullopt);
            wholeCa();
        }
    }

    TestCertificate ca_ = makeCa("Faulty Proxy CA");
};

TEST_F(StoreFaultTest, ImportKilledAtAnyOperationLeavesTheCaWholeOrAbsent)
{
    breakEveryOperationOf(true, "kill");
}

TEST_F(StoreFaultTest, ImportFailingWithEnospcAtAnyOperationLeavesNoPhantom)
{
    breakEveryOperationOf(true, "ENOSPC");
}

TEST_F(StoreFaultTest, DeleteKilledAtAnyOperationLeavesTheCaWholeOrAbsent)
{
    breakEveryOperationOf(false, "kill");
}

TEST_F(StoreFaultTest, DeleteFailingWithEpermAtAnyOperationNeverTrustsWhatIsUnlisted)
{
    breakEveryOperationOf(false, "EPERM");
}

TEST_F(StoreFaultTest, ImportAndDeleteWriteDurablyInTheRightOrder)
{
    restartWith(FaultShim{{caStore()}, trace(), {}, "kill"});
    EXPECT_EQ(importCa(), "");
    EXPECT_EQ(deleteCa(), "");
    const auto operations = readTrace(trace());
    EXPECT_GE(operations.size(), 6u);
    EXPECT_THAT(durabilityViolations(operations), IsEmpty());
}

// ---------------------------------------------------------------- start-up

class StartFaultTest : public FaultInjectionTest {};

TEST_F(StartFaultTest, AnOutputThatCannotBeWrittenAtStartDegradesAndIsRetriedNeverStopsCertd) // ENOSPC and EPERM
{
    for (int i = 0; i < 3; ++i)
        import(makeCa("Start CA " + std::to_string(i)));
    const std::vector<std::filesystem::path> outputs{state() / "trust", state() / "appliance-ca.pem"};
    // How many operations a start takes that rewrites every output.
    restartWith(std::nullopt);
    manager_.reset();
    connection_.reset();
    certd_->stop();
    certd_.reset();
    std::filesystem::remove_all(state() / "trust");
    std::filesystem::remove(state() / "appliance-ca.pem");
    shim_ = shimFor(outputs);
    start();
    const auto operations = readTrace(trace()).size();
    ASSERT_GT(operations, 5u);

    for (std::size_t step = 0; step < 2 * operations; ++step) {
        const std::size_t n = step % operations + 1;
        const std::string error = step < operations ? "ENOSPC" : "EPERM";
        SCOPED_TRACE(error + " at start-up operation " + std::to_string(n));
        manager_.reset();
        connection_.reset();
        certd_->stop();
        certd_.reset();
        std::filesystem::remove_all(state() / "trust");
        std::filesystem::remove(state() / "appliance-ca.pem");
        auto shim = shimFor(outputs);
        shim.breakAt = static_cast<long>(n);
        shim.action = error;
        shim_ = shim;
        SignalRecorder signals(bus_);
        ASSERT_NO_THROW(start()) << "certd did not start with a failing write";
        EXPECT_EQ(caPaths().size(), 3u);
        // Degraded or not, it comes back whole: the failure was one write.
        if (manager_->Degraded()) {
            // Read apart from Degraded: the retry may have recovered in between.
            EXPECT_TRUE(!manager_->Problems().empty() || !manager_->Degraded());
            EXPECT_TRUE(signals.waitFor(
                [](const ReceivedSignal& s) {
                    return s.member == "PropertiesChanged" && s.path == managerPath &&
                           s.values.contains("Degraded") && s.values.at("Degraded") == "false";
                },
                20s))
                << "the retry did not recover";
            EXPECT_FALSE(manager_->Degraded());
            EXPECT_TRUE(manager_->Problems().empty());
        }
        EXPECT_TRUE(std::filesystem::exists(state() / "trust" / "ca-bundle.pem"));
    }
}

} // namespace
} // namespace certd::test
