// The host lifecycle without D-Bus: first start, checks before queueing,
// changes on the worker handed back to the owner's thread, renewal rules.
#include "base/error.h"
#include "host/host_certificates.h"
#include "owner_thread.h"
#include "temp_dir.h"
#include "test_certificates.h"
#include "refusal.h"

#include <sys/stat.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using test::OwnerThread;

std::string errorMessageOf(const std::function<void()>& call, ErrorCode expected)
{
    const auto refusal = test::refusalOf(call);
    EXPECT_EQ(refusal.code, expected) << refusal;
    return refusal.message;
}

class HostLifecycleTest : public ::testing::Test {
protected:
    HostCertificates& start(const std::string& hostname = "probe.example.com")
    {
        hostname_ = hostname;
        HostCertificates::Settings settings{StateLayout{dir / "state"}, {"Test Appliance CA", KeyType::EcP256},
                                            {{"https", {}}, {"postgresql", {}}}};
        prepareStateDirectory(settings.layout);
        hosts_ = std::make_unique<HostCertificates>(settings, owner_.post(), [this] { return hostname_; });
        health_ = hosts_->start();
        return *hosts_;
    }

    // Runs a change to its end on the owner's thread; returns what it reported.
    HostChange finish(const std::function<void(HostCertificates::Completion)>& begin)
    {
        std::optional<HostChange> outcome;
        begin([&](const HostChange& change) { outcome = change; });
        EXPECT_TRUE(owner_.runNext());
        EXPECT_TRUE(outcome);
        return outcome.value_or(HostChange{});
    }

    test::TempDir dir;
    OwnerThread owner_;
    std::string hostname_;
    std::unique_ptr<HostCertificates> hosts_;
    HostHealth health_;
    test::TestCertificate root_ = test::makeCa("Lifecycle Root");
};

TEST_F(HostLifecycleTest, AFreshApplianceGetsACertificateForItsHostNameBeforeAnythingIsPublished)
{
    auto& hosts = start("Probe.Example.com");
    EXPECT_THAT(health_.problems, IsEmpty());
    EXPECT_THAT(hosts.services(), ElementsAre("https", "postgresql"));
    for (const auto& service : hosts.services()) {
        const auto host = hosts.current(service);
        ASSERT_TRUE(host) << service;
        EXPECT_EQ(host->origin, HostOrigin::Generated);
        EXPECT_EQ(host->details.commonName, "probe.example.com");
        EXPECT_TRUE(hosts.matchesHostname(service));
        EXPECT_TRUE(std::filesystem::exists(hosts.settings(service).privateKeyPath()));
    }
    EXPECT_THAT(hosts.applianceCaPem(), HasSubstr("BEGIN CERTIFICATE"));
}

TEST_F(HostLifecycleTest, AHostNameThatIsNoDnsNameGivesLocalhostAndSaysWhy)
{
    auto& hosts = start("bad_host");
    EXPECT_EQ(hosts.current("https")->details.commonName, "localhost");
    EXPECT_THAT(health_.problems, IsEmpty());
    ASSERT_FALSE(health_.notes.empty());
    EXPECT_THAT(health_.notes.front(), HasSubstr("\"bad_host\" is not a valid DNS name"));
    EXPECT_FALSE(hosts.matchesHostname("https"));
}

TEST_F(HostLifecycleTest, ARestartFindsTheCertificatesItMade)
{
    const auto first = start().current("https")->details.fingerprint;
    hosts_.reset();
    EXPECT_EQ(start().current("https")->details.fingerprint, first);
    EXPECT_THAT(health_.problems, IsEmpty());
    EXPECT_THAT(health_.notes, IsEmpty());
}

TEST_F(HostLifecycleTest, GenerationOptionsDefaultToTheSystemsHostName)
{
    auto& hosts = start("probe.example.com");
    const auto settings = hosts.generationSettings({});
    EXPECT_EQ(settings.hostname, "probe.example.com");
    EXPECT_EQ(settings.keyType, KeyType::EcP256);
    EXPECT_EQ(settings.validityDays, defaultValidityDays);
    hostname_ = "not_dns";
    EXPECT_THAT(errorMessageOf([&] { hosts.generationSettings({}); }, ErrorCode::InvalidArgument),
                HasSubstr("pass the Hostname option"));
    hostname_ = "probe.example.com";
    EXPECT_THAT(errorMessageOf([&] { hosts.generationSettings({.keyType = "dsa"}); }, ErrorCode::InvalidArgument),
                HasSubstr("\"dsa\""));
    EXPECT_EQ(hosts.generationSettings({.hostname = "Other.Example"}).hostname, "other.example");
}

TEST_F(HostLifecycleTest, HttpsNeedsASubjectAlternativeNamePostgresqlDoesNot)
{
    auto& hosts = start();
    auto spec = test::serverSpec("db.example.com", root_);
    spec.subjectAltName.clear();
    const auto leaf = test::makeCertificate(spec);
    const auto certificate = test::bytesOf(leaf.pem());
    const auto key = test::bytesOf(leaf.keyPem());
    EXPECT_THAT(errorMessageOf([&] { hosts.prepareUpload("https", certificate, key); }, ErrorCode::InvalidCertificate),
                HasSubstr("Subject Alternative Name"));
    EXPECT_EQ(hosts.prepareUpload("postgresql", certificate, key).host->details.commonName, "db.example.com");
}

TEST_F(HostLifecycleTest, AnUnknownServiceIsNotFound)
{
    auto& hosts = start();
    errorMessageOf([&] { hosts.current("ftp"); }, ErrorCode::NotFound);
    errorMessageOf([&] { hosts.generate("ftp", hosts.generationSettings({}), [](const HostChange&) {}); },
                   ErrorCode::NotFound);
}

TEST_F(HostLifecycleTest, AChangeBecomesCurrentOnlyOnTheOwnersThread)
{
    auto& hosts = start();
    const auto before = hosts.current("https");
    std::optional<HostChange> outcome;
    hosts.generate("https", hosts.generationSettings({.hostname = "new.example.com"}),
                   [&](const HostChange& change) { outcome = change; });
    EXPECT_EQ(hosts.current("https"), before); // the worker has not reported back here yet
    ASSERT_TRUE(owner_.runNext());
    ASSERT_TRUE(outcome && outcome->host);
    EXPECT_EQ(outcome->kind, HostChangeKind::Generate);
    EXPECT_EQ(hosts.current("https"), outcome->host);
    EXPECT_EQ(hosts.current("https")->details.commonName, "new.example.com");
}

TEST_F(HostLifecycleTest, AnUploadIsInstalledAsTheServicesCertificate)
{
    auto& hosts = start();
    const auto leaf = test::makeCertificate(test::serverSpec("upload.example.com", root_));
    const auto prepared = hosts.prepareUpload("https", test::bytesOf(leaf.pem()), test::bytesOf(leaf.keyPem()));
    const auto change = finish([&](auto done) { hosts.upload("https", prepared, done); });
    ASSERT_TRUE(change.host);
    EXPECT_EQ(hosts.current("https")->origin, HostOrigin::Uploaded);
    EXPECT_EQ(test::readTextFile(hosts.settings("https").privateKeyPath()), leaf.keyPem());
}

TEST_F(HostLifecycleTest, AFailedChangeKeepsTheCertificateAndSaysWhy)
{
    auto& hosts = start();
    const auto before = hosts.current("https");
    // The service directory is swapped for a link: certd refuses to write through it.
    const auto directory = hosts.settings("https").directory;
    std::filesystem::rename(directory, dir / "moved");
    std::filesystem::create_directory_symlink(dir / "moved", directory);
    const auto change = finish([&](auto done) { hosts.generate("https", hosts.generationSettings({}), done); });
    EXPECT_FALSE(change.host);
    ASSERT_TRUE(change.failure);
    EXPECT_EQ(hosts.current("https"), before);
}

TEST_F(HostLifecycleTest, RenewalAsksForWhatWasAskedBeforeAndRunsOnceAtATime)
{
    auto& hosts = start();
    finish([&](auto done) {
        hosts.generate("https", hosts.generationSettings({.hostname = "asked.example.com", .keyType = "ec-p384"}), done);
    });
    std::optional<HostChange> outcome;
    EXPECT_EQ(hosts.renew("https", [&](const HostChange& change) { outcome = change; }),
              HostCertificates::Renewal::Started);
    EXPECT_EQ(hosts.renew("https", [](const HostChange&) {}), HostCertificates::Renewal::InProgress);
    ASSERT_TRUE(owner_.runNext());
    ASSERT_TRUE(outcome && outcome->host);
    EXPECT_EQ(outcome->kind, HostChangeKind::Renewal);
    EXPECT_EQ(hosts.current("https")->details.commonName, "asked.example.com");
    EXPECT_EQ(hosts.current("https")->details.keyType, "EC P-384");
}

TEST_F(HostLifecycleTest, AnUploadedCertificateIsNeverRenewed)
{
    auto& hosts = start();
    const auto leaf = test::makeCertificate(test::serverSpec("upload.example.com", root_));
    const auto prepared = hosts.prepareUpload("https", test::bytesOf(leaf.pem()), test::bytesOf(leaf.keyPem()));
    finish([&](auto done) { hosts.upload("https", prepared, done); });
    EXPECT_EQ(hosts.renew("https", [](const HostChange&) {}), HostCertificates::Renewal::NotPossible);
    EXPECT_FALSE(hosts.renewsItself("https"));
}

TEST_F(HostLifecycleTest, AFailedRenewalIsRememberedAndTriedAgainUntilItWorks)
{
    auto& hosts = start();
    EXPECT_TRUE(hosts.renewsItself("https"));
    EXPECT_FALSE(hosts.renewalFailed("https"));
    const auto directory = hosts.settings("https").directory;
    std::filesystem::rename(directory, dir / "moved");
    std::filesystem::create_directory_symlink(dir / "moved", directory);
    const auto failed = finish([&](auto done) { EXPECT_EQ(hosts.renew("https", done), HostCertificates::Renewal::Started); });
    EXPECT_TRUE(failed.failure);
    EXPECT_TRUE(hosts.renewalFailed("https"));
    const auto again = finish([&](auto done) { EXPECT_EQ(hosts.renew("https", done), HostCertificates::Renewal::Started); });
    EXPECT_TRUE(again.failure);
    EXPECT_TRUE(hosts.renewalFailed("https"));

    std::filesystem::remove(directory);
    std::filesystem::rename(dir / "moved", directory);
    const auto renewed = finish([&](auto done) { EXPECT_EQ(hosts.renew("https", done), HostCertificates::Renewal::Started); });
    ASSERT_TRUE(renewed.host);
    EXPECT_FALSE(hosts.renewalFailed("https")) << "the new certificate carries no failure";
}

// ---------------------------------------------------------------- certificate requests

class HostRequestTest : public HostLifecycleTest {
protected:
    RequestChange finishRequest(const std::function<void(HostCertificates::RequestCompletion)>& begin)
    {
        std::optional<RequestChange> outcome;
        begin([&](const RequestChange& change) { outcome = change; });
        EXPECT_TRUE(owner_.runNext());
        EXPECT_TRUE(outcome);
        return outcome.value_or(RequestChange{});
    }

    PendingRequestPtr createRequest(HostCertificates& hosts)
    {
        const auto change = finishRequest([&](auto done) {
            hosts.createRequest("https", hosts.requestSettings({.subject = {.organization = "Example AG"}}), done);
        });
        EXPECT_FALSE(change.failure);
        return change.request;
    }

    std::filesystem::path requestFile() const { return StateLayout{dir / "state"}.pendingRequest("https"); }
};

TEST_F(HostRequestTest, ARequestIsPendingAcrossRestartsAndTheCertificateStays)
{
    auto& hosts = start();
    const auto before = hosts.current("https");
    EXPECT_FALSE(hosts.pendingRequest("https"));
    const auto request = createRequest(hosts);
    ASSERT_TRUE(request);
    EXPECT_EQ(hosts.pendingRequest("https"), request);
    EXPECT_EQ(request->subject, "CN=probe.example.com,O=Example AG");
    EXPECT_EQ(hosts.current("https"), before);
    EXPECT_FALSE(hosts.pendingRequest("postgresql"));

    hosts_.reset();
    auto& again = start();
    ASSERT_TRUE(again.pendingRequest("https"));
    EXPECT_EQ(again.pendingRequest("https")->requestPem, request->requestPem);
    EXPECT_THAT(health_.notes, IsEmpty());
}

TEST_F(HostRequestTest, InstallingTheIssuedCertificateEndsTheRequest)
{
    auto& hosts = start();
    const auto request = createRequest(hosts);
    const auto issued = test::issueForRequest(request->requestPem, root_);
    const auto chain = test::bytesOf(issued.pem() + root_.pem());
    EXPECT_EQ(hosts.prepareInstall("https", chain).host->origin, HostOrigin::Requested);
    const auto change = finish([&](auto done) { hosts.installCertificate("https", chain, done); });
    ASSERT_TRUE(change.host) << test::refusalOf([&] { std::rethrow_exception(change.failure); });
    EXPECT_EQ(change.kind, HostChangeKind::Install);
    EXPECT_THAT(change.warnings, IsEmpty());
    EXPECT_EQ(hosts.current("https")->details.fingerprint, issued.fingerprint());
    EXPECT_EQ(test::readTextFile(hosts.settings("https").privateKeyPath()), request->keyPem);
    EXPECT_FALSE(hosts.pendingRequest("https"));
    EXPECT_FALSE(std::filesystem::exists(requestFile()));
    EXPECT_EQ(errorMessageOf([&] { hosts.prepareInstall("https", chain); }, ErrorCode::NotFound),
              "The https service has no pending certificate request; make one with CreateRequest");
}

TEST_F(HostRequestTest, ARequestLeftBesideItsInstalledCertificateIsDroppedAtStart)
{
    auto& hosts = start();
    const auto request = createRequest(hosts);
    const auto saved = test::readTextFile(requestFile());
    const auto issued = test::issueForRequest(request->requestPem, root_);
    finish([&](auto done) { hosts.installCertificate("https", test::bytesOf(issued.pem()), done); });
    hosts_.reset();
    // As if certd had stopped between installing and removing the request.
    test::writeTextFile(requestFile(), saved);
    auto& again = start();
    EXPECT_FALSE(again.pendingRequest("https"));
    EXPECT_FALSE(std::filesystem::exists(requestFile()));
    EXPECT_THAT(health_.notes, ::testing::ElementsAre(HasSubstr("was installed before certd stopped")));
}

TEST_F(HostRequestTest, ANewRequestReplacesTheOldOneWhoseCertificateIsThenRefused)
{
    auto& hosts = start();
    const auto first = createRequest(hosts);
    const auto second = createRequest(hosts);
    EXPECT_NE(first->keyPem, second->keyPem);
    const auto forFirst = test::bytesOf(test::issueForRequest(first->requestPem, root_).pem());
    errorMessageOf([&] { hosts.prepareInstall("https", forFirst); }, ErrorCode::KeyMismatch);
    const auto change = finish([&](auto done) { hosts.installCertificate("https", forFirst, done); });
    EXPECT_FALSE(change.host);
    EXPECT_EQ(test::refusalOf([&] { std::rethrow_exception(change.failure); }).code, ErrorCode::KeyMismatch);
    EXPECT_EQ(hosts.pendingRequest("https"), second);
}

TEST_F(HostRequestTest, CancellingForgetsTheRequestAndItsKey)
{
    auto& hosts = start();
    const auto before = hosts.current("https");
    createRequest(hosts);
    const auto cancelled = finishRequest([&](auto done) { hosts.cancelRequest("https", done); });
    EXPECT_FALSE(cancelled.failure);
    EXPECT_FALSE(cancelled.request);
    EXPECT_FALSE(hosts.pendingRequest("https"));
    EXPECT_FALSE(std::filesystem::exists(requestFile()));
    EXPECT_EQ(hosts.current("https"), before);
    const auto again = finishRequest([&](auto done) { hosts.cancelRequest("https", done); });
    EXPECT_EQ(test::refusalOf([&] { std::rethrow_exception(again.failure); }).code, ErrorCode::NotFound);
}

} // namespace
} // namespace certd
