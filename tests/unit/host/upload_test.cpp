// What an administrator is warned of before an upload is installed: a
// table of certificate details and the warnings they give.
#include "host/upload.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr std::int64_t now = 1'800'000'000;
constexpr std::int64_t day = 86400;

CertificateDetails good()
{
    CertificateDetails details;
    details.commonName = "probe.example.com";
    details.subjectAlternativeNames = {"DNS:probe.example.com"};
    details.notBefore = now - day;
    details.notAfter = now + 90 * day;
    details.keyType = "EC P-256";
    return details;
}

TEST(UploadWarnings, EachRowWarnsOfExactlyWhatIsWrong)
{
    const ServiceSettings https = serviceSettings("https", {}, StateLayout{"/nonexistent"});
    const ServiceSettings postgresql = serviceSettings("postgresql", {}, StateLayout{"/nonexistent"});
    struct Row {
        const char* name;
        std::function<void(CertificateDetails&)> change;
        const ServiceSettings* service;
        const char* warning; // nullptr: none
    };
    const Row rows[] = {
        {"nothing to say", [](auto&) {}, &https, nullptr},
        {"another host", [](auto& d) { d.subjectAlternativeNames = {"DNS:other.example.com"}; }, &https,
         "not valid for this appliance's host name \"probe.example.com\""},
        {"a wildcard covers it", [](auto& d) { d.subjectAlternativeNames = {"DNS:*.example.com"}; }, &https, nullptr},
        {"29 days left", [](auto& d) { d.notAfter = now + 29 * day + 3600; }, &https, "expires in 29 days"},
        {"30 days left", [](auto& d) { d.notAfter = now + 30 * day; }, &https, nullptr},
        {"Ed25519 for https", [](auto& d) { d.keyType = "Ed25519"; }, &https,
         "Browsers do not accept Ed25519 certificates; use an EC P-256 or RSA key for https"},
        {"Ed448 for postgresql", [](auto& d) { d.keyType = "Ed448"; }, &postgresql,
         "Browsers do not accept Ed448 certificates"},
        {"P-521", [](auto& d) { d.keyType = "EC P-521"; }, &https, "Chrome does not support EC P-521"},
        {"RSA 4096", [](auto& d) { d.keyType = "RSA 4096"; }, &https, nullptr},
        {"self-signed", [](auto& d) { d.selfSigned = true; }, &https, "self-signed"},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.name);
        auto details = good();
        row.change(details);
        const auto warnings = serverCertificateWarnings(details, *row.service, "probe.example.com", now);
        if (!row.warning)
            EXPECT_THAT(warnings, IsEmpty());
        else
            EXPECT_THAT(warnings, ElementsAre(HasSubstr(row.warning)));
    }
}

} // namespace
} // namespace certd
