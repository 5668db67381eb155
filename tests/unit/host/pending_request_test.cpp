// Certificate requests: the subject rules (a table), what a request holds,
// the checks on the certificate a CA issued for it, its file, and its life
// in HostCertificates (pending across restarts, ended by an install).
#include "base/error.h"
#include "host/host_certificates.h"
#include "host/pending_request.h"
#include "host/pending_request_store.h"
#include "x509/certificate_details.h"
#include "x509/certificate_request.h"
#include "x509/private_key_input.h"
#include "refusal.h"
#include "temp_dir.h"
#include "test_certificates.h"

#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct SubjectRow {
    const char* name;
    RequestSubject subject;
    const char* refusal; // nullptr: accepted
};

TEST(RequestSubjectRules, EachFieldIsCheckedAsX509BoundsIt)
{
    const std::string long64(64, 'o'), long65(65, 'o'), long128(128, 'l'), long129(129, 'l');
    const SubjectRow rows[] = {
        {"nothing", {}, nullptr},
        {"all fields", {"Example AG", "IT", "DE", "Bayern", "München", "pki@example.com"}, nullptr},
        {"64-character organization", {.organization = long64}, nullptr},
        {"65-character organization", {.organization = long65}, "Organization has 65 characters"},
        {"65-character unit", {.organizationalUnit = long65}, "OrganizationalUnit has 65 characters"},
        {"128-character locality", {.locality = long128}, nullptr},
        {"129-character locality", {.locality = long129}, "Locality has 129 characters"},
        {"129-character state", {.state = long129}, "State has 129 characters"},
        {"umlauts count as one character", {.organization = std::string(32, 'a') + std::string(16, 'x') +
                                                            "\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC"
                                                            "\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC"
                                                            "\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC"},
         nullptr},
        {"empty", {.organization = ""}, "Organization is empty"},
        {"control character", {.locality = "a\nb"}, "Locality holds control characters"},
        {"not UTF-8", {.organization = "\xff"}, "not UTF-8"},
        {"lowercase country", {.country = "de"}, "two-letter ISO 3166 code"},
        {"three-letter country", {.country = "DEU"}, "two-letter ISO 3166 code"},
        {"no address", {.email = "pki.example.com"}, "not an e-mail address"},
        {"two @", {.email = "a@b@example.com"}, "not an e-mail address"},
        {"space in address", {.email = "p ki@example.com"}, "not an e-mail address"},
        {"non-ASCII address", {.email = "m\xC3\xBC@example.com"}, "not an e-mail address"},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.name);
        const auto refusal = test::refusalOf([&] { validateRequestSubject(row.subject); });
        if (!row.refusal) {
            EXPECT_EQ(refusal.message, "");
            continue;
        }
        EXPECT_EQ(refusal.code, ErrorCode::InvalidArgument);
        EXPECT_THAT(refusal.message, HasSubstr(row.refusal));
    }
}

TEST(RequestSettings, NamesAreGeneratesAndAValidityIsTheCasToChoose)
{
    const auto settings = resolveRequest({}, "Probe.Example.com");
    EXPECT_EQ(settings.names.hostname, "probe.example.com");
    EXPECT_EQ(settings.names.keyType, KeyType::EcP256);
    EXPECT_THAT(test::refusalOf([] { resolveRequest({.names = {.validityDays = 30u}}, "probe.example.com"); })
                    .message,
                HasSubstr("the CA that signs it decides"));
    EXPECT_THAT(test::refusalOf([] { resolveRequest({.names = {.keyType = "dsa"}}, "probe.example.com"); }).message,
                HasSubstr("\"dsa\""));
}

std::vector<std::string> requestedNames(const PendingRequest& request)
{
    const auto parsed = readCertificateRequest(asBytes(request.requestPem));
    std::unique_ptr<STACK_OF(X509_EXTENSION), decltype([](STACK_OF(X509_EXTENSION) * s) {
                        sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free);
                    })>
        extensions(X509_REQ_get_extensions(parsed.get()));
    std::vector<std::string> names;
    GeneralNamesPtr san(static_cast<GENERAL_NAMES*>(X509V3_get_d2i(extensions.get(), NID_subject_alt_name, nullptr,
                                                                   nullptr)));
    for (int i = 0; san && i < sk_GENERAL_NAME_num(san.get()); ++i) {
        const auto* name = sk_GENERAL_NAME_value(san.get(), i);
        if (name->type == GEN_DNS)
            names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName)));
    }
    return names;
}

TEST(PendingRequestMaking, TheRequestIsSignedByTheKeptKeyAndAsksForTheNamesAndSubject)
{
    RequestSettings settings{{"probe.example.com", KeyType::Rsa2048, 0, {"alias.example.com"}},
                             {.organization = "Example AG", .country = "DE", .email = "pki@example.com"}};
    const auto request = makePendingRequest(settings, 1000);
    const auto parsed = readCertificateRequest(asBytes(request->requestPem));
    EVP_PKEY* publicKey = X509_REQ_get0_pubkey(parsed.get());
    EXPECT_EQ(X509_REQ_verify(parsed.get(), publicKey), 1) << "no proof of possession";
    const EvpPkeyPtr kept = readPrivateKey(asBytes(request->keyPem));
    EXPECT_EQ(EVP_PKEY_eq(kept.get(), publicKey), 1) << "the request is not for the kept key";
    EXPECT_EQ(describeKeyType(*kept), "RSA 2048");
    EXPECT_EQ(request->subject, "emailAddress=pki@example.com,CN=probe.example.com,O=Example AG,C=DE");
    EXPECT_THAT(requestedNames(*request), ::testing::ElementsAre("probe.example.com", "probe", "alias.example.com"));
    EXPECT_EQ(request->created, 1000);
}

class RequestedCertificateTest : public ::testing::Test {
protected:
    ServiceSettings service_ = serviceSettings("https", {}, StateLayout{"/nonexistent"});
    UploadContext context(std::int64_t now = test::now()) const { return {service_, now, "probe.example.com", {}}; }
    test::TestCertificate ca_ = test::makeCa("Corporate CA");
    PendingRequestPtr request_ = makePendingRequest(resolveRequest({}, "probe.example.com"), test::now());
};

TEST_F(RequestedCertificateTest, TheCasCertificateIsInstalledWithThePendingKey)
{
    const auto issued = test::issueForRequest(request_->requestPem, ca_);
    const auto prepared = prepareRequestedCertificate(test::bytesOf(issued.pem() + ca_.pem()), *request_, context());
    const auto& host = prepared.host;
    EXPECT_THAT(prepared.warnings, IsEmpty());
    EXPECT_EQ(host->origin, HostOrigin::Requested);
    EXPECT_EQ(host->keyPem, request_->keyPem);
    EXPECT_EQ(host->details.fingerprint, issued.fingerprint());
    ASSERT_EQ(host->chainPems.size(), 1u);
    EXPECT_EQ(host->chainPems.front(), ca_.pem());
}

TEST_F(RequestedCertificateTest, ACertificateForAnotherKeyIsAKeyMismatchNamingTheRequest)
{
    const auto other = makePendingRequest(resolveRequest({}, "probe.example.com"), test::now());
    const auto issued = test::issueForRequest(other->requestPem, ca_);
    const auto refusal = test::refusalOf(
        [&] { prepareRequestedCertificate(test::bytesOf(issued.pem()), *request_, context()); });
    EXPECT_EQ(refusal.code, ErrorCode::KeyMismatch);
    EXPECT_THAT(refusal.message, HasSubstr("is not for the pending request's key (CN=probe.example.com)"));
}

TEST_F(RequestedCertificateTest, UploadsChecksApplyToo)
{
    const auto expired = test::issueForRequest(request_->requestPem, ca_, "DNS:probe.example.com", -1);
    EXPECT_EQ(test::refusalOf([&] {
                  prepareRequestedCertificate(test::bytesOf(expired.pem()), *request_, context());
              }).code,
              ErrorCode::Expired);
    const auto noName = test::issueForRequest(request_->requestPem, ca_, "email:a@example.com");
    EXPECT_THAT(test::refusalOf([&] {
                    prepareRequestedCertificate(test::bytesOf(noName.pem()), *request_, context());
                }).message,
                HasSubstr("Subject Alternative Name"));
}

TEST(PendingRequestFile, ItIsKeptWholeForRootAndADamagedOneIsMovedAside)
{
    test::TempDir dir;
    const auto file = dir / "private" / "requests" / "https.json";
    PendingRequestStore store(file);
    EXPECT_FALSE(store.load().request);
    RequestSettings settings{{"probe.example.com", KeyType::EcP384, 0, {"192.0.2.7"}},
                             {.organizationalUnit = "Ops", .locality = "Köln"}};
    const auto request = makePendingRequest(settings, 42);
    store.save(*request);
    struct stat info {};
    ASSERT_EQ(stat(file.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 07777, 0600u);
    ASSERT_EQ(stat(file.parent_path().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 07777, 0700u);

    const auto loaded = store.load();
    ASSERT_TRUE(loaded.request);
    EXPECT_EQ(pendingRequestRecord(*loaded.request), pendingRequestRecord(*request));
    EXPECT_EQ(loaded.request->settings.subject.locality, "Köln");
    EXPECT_FALSE(loaded.request->settings.subject.country);

    test::writeTextFile(file, "{\"version\": 1, \"names\": ");
    const auto damaged = store.load();
    EXPECT_FALSE(damaged.request);
    ASSERT_EQ(damaged.notes.size(), 1u);
    EXPECT_THAT(damaged.notes.front(), HasSubstr("is damaged"));
    EXPECT_TRUE(std::filesystem::exists(file.string() + ".damaged"));
    EXPECT_FALSE(std::filesystem::exists(file));
    store.remove(); // none: nothing to do
}

} // namespace
} // namespace certd
