// The issuer between the protocol and the host certificates: an order that
// fails leaves the certificate and says why (status, last error, the
// change's failure), and a renewal window the CA suggests (RFC 9773) moves
// RenewalDue. The network is a scripted server behind the HttpFactory seam.
#include "acme/acme_issuer.h"
#include "acme/account_store.h"
#include "acme/renewal.h"
#include "base/error.h"
#include "owner_thread.h"
#include "refusal.h"
#include "temp_dir.h"
#include "test_certificates.h"
#include "x509/certificate_details.h"

#include <openssl/x509v3.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

const GenerationSettings probe{"probe.example.com", KeyType::EcP256, defaultValidityDays, {}};

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Answers GETs by URL; anything else is a 404 problem.
class MapServer final : public acme::HttpClient {
public:
    explicit MapServer(std::map<std::string, std::string> bodies)
        : bodies_(std::move(bodies))
    {
    }
    acme::HttpResponse get(const std::string& url) override
    {
        const auto found = bodies_.find(url);
        if (found == bodies_.end())
            return {404, {{"content-type", "application/problem+json"}},
                    R"({"type":"urn:ietf:params:acme:error:malformed","detail":"no such thing"})"};
        return {200, {{"content-type", "application/json"}}, found->second};
    }
    acme::HttpResponse head(const std::string& url) override { return get(url); }
    acme::HttpResponse postJose(const std::string& url, const std::string&) override { return get(url); }

private:
    std::map<std::string, std::string> bodies_;
};

class AcmeIssuerTest : public ::testing::Test {
protected:
    AcmeIssuerTest()
    {
        const HostCertificates::Settings settings{StateLayout{dir_ / "state"}, {"Test Appliance CA", KeyType::EcP256},
                                                  {{"https", {}}, {"postgresql", {}}}};
        prepareStateDirectory(settings.layout);
        hosts_ = std::make_unique<HostCertificates>(settings, owner_.post(), [] { return std::string("probe.example.com"); });
        hosts_->start();
        AcmeConfig config;
        config.directoryUrl = "https://ca.example/dir";
        config.agreeToTermsOfService = true;
        config.webroot = dir_ / "webroot";
        issuer_ = std::make_unique<AcmeIssuer>(
            AcmeIssuer::Settings{config, settings.layout}, *hosts_, owner_.post(),
            [this](const std::atomic<bool>&) { return std::make_unique<MapServer>(bodies_); },
            [this](const std::string& service) { statuses_.push_back(service + " " + issuer_->status(service).state); });
    }

    // An ACME certificate for https as if an order had delivered it: issued
    // by a CA under an authority key identifier, so that ARI can name it.
    void plantAcmeCertificate()
    {
        auto spec = test::serverSpec("probe.example.com", ca_);
        auto leaf = test::makeCertificate(spec);
        AUTHORITY_KEYID* akid = AUTHORITY_KEYID_new();
        akid->keyid = ASN1_OCTET_STRING_new();
        const unsigned char keyId[] = {1, 2, 3, 4, 5, 6, 7, 8};
        ASN1_OCTET_STRING_set(akid->keyid, keyId, sizeof keyId);
        X509_add1_ext_i2d(leaf.cert.get(), NID_authority_key_identifier, akid, 0, X509V3_ADD_REPLACE);
        AUTHORITY_KEYID_free(akid);
        X509_sign(leaf.cert.get(), ca_.key.get(), EVP_sha256());
        std::vector<X509Ptr> chain;
        chain.push_back(X509Ptr(X509_dup(leaf.cert.get())));
        auto prepared = prepareServerCertificate(HostOrigin::Acme, std::move(chain), *leaf.key,
                                                 hosts_->uploadContext("https"));
        auto host = std::make_shared<HostCertificate>(*prepared.host);
        host->generation = probe;
        prepared.host = host;
        certificateId_ = acme::renewalCertificateId(*leaf.cert);
        hosts_->deliver("https", HostChangeKind::Acme, [prepared] { return prepared; }, [](const HostChange&) {});
        ASSERT_TRUE(owner_.runNext());
        ASSERT_EQ(hosts_->current("https")->origin, HostOrigin::Acme);
    }

    test::TempDir dir_;
    test::OwnerThread owner_;
    std::map<std::string, std::string> bodies_;
    std::vector<std::string> statuses_;
    test::TestCertificate ca_ = test::makeCa("ACME Test CA");
    std::string certificateId_;
    std::unique_ptr<HostCertificates> hosts_;
    std::unique_ptr<AcmeIssuer> issuer_;
};

TEST_F(AcmeIssuerTest, AFailedOrderKeepsTheCertificateAndSaysWhy)
{
    const auto before = hosts_->current("https")->details.fingerprint;
    std::optional<HostChange> outcome;
    issuer_->request("https", probe, [&](const HostChange& change) { outcome = change; });
    EXPECT_EQ(issuer_->status("https").state, "ordering");
    ASSERT_TRUE(owner_.runNext()); // the order's end, handed to HostCertificates
    ASSERT_TRUE(owner_.runNext()); // its delivery (of nothing)
    ASSERT_TRUE(outcome);
    EXPECT_FALSE(outcome->host);
    EXPECT_TRUE(outcome->failure);
    EXPECT_EQ(outcome->kind, HostChangeKind::Acme);
    EXPECT_EQ(issuer_->status("https").state, "failed");
    EXPECT_THAT(issuer_->status("https").lastError,
                HasSubstr("Reading the ACME directory https://ca.example/dir: urn:ietf:params:acme:error:malformed"));
    EXPECT_EQ(hosts_->current("https")->details.fingerprint, before);
    EXPECT_THAT(statuses_, ElementsAre("https ordering", "https failed"));
}

TEST_F(AcmeIssuerTest, AnOrderUnderWayRefusesASecondOneBeforeAuthorization)
{
    issuer_->request("https", probe, [](const HostChange&) {});
    const auto refusal = test::refusalOf([&] { issuer_->orderSettings("https", {}); });
    EXPECT_EQ(refusal.code, ErrorCode::ACMEFailed);
    EXPECT_THAT(refusal.message, HasSubstr("under way"));
    ASSERT_TRUE(owner_.runNext());
    ASSERT_TRUE(owner_.runNext());
    EXPECT_EQ(test::refusalOf([&] { issuer_->orderSettings("https", {.validityDays = 90}); }).code,
              ErrorCode::InvalidArgument); // the CA decides
}

TEST_F(AcmeIssuerTest, TheCasRenewalWindowDecidesWhenTheCertificateIsRenewed)
{
    plantAcmeCertificate();
    const auto& details = hosts_->current("https")->details;
    EXPECT_TRUE(issuer_->renewsItself("https"));
    EXPECT_FALSE(issuer_->renewsItself("postgresql")); // generated: HostCertificates renews it
    EXPECT_EQ(issuer_->renewalDue("https"), details.notAfter - (details.notAfter - details.notBefore) / 3);

    bodies_["https://ca.example/dir"] = R"({"newNonce":"https://ca.example/nonce","newAccount":"https://ca.example/acct",
        "newOrder":"https://ca.example/order","renewalInfo":"https://ca.example/ari"})";
    bodies_["https://ca.example/ari/" + certificateId_] =
        R"({"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-03T04:00:00Z"}})";
    std::filesystem::create_directories(dir_ / "state" / "private" / "acme");
    acme::AccountStore(dir_ / "state" / "private" / "acme" / "account.json").loadOrCreate();
    issuer_->refreshRenewalInfo();
    ASSERT_TRUE(owner_.runNext());
    // RFC 9773 §4.2: a moment inside the window, chosen once.
    const auto due = issuer_->renewalDue("https");
    EXPECT_GE(due, 1735790400);
    EXPECT_LT(due, 1735790400 + 86400);
    EXPECT_EQ(issuer_->renewalDue("https"), due);
    EXPECT_THAT(statuses_, ElementsAre("https idle")); // the listener heard of the new RenewalDue
}

} // namespace
} // namespace certd
