#include "failure.h"

#include <sdbus-c++/Error.h>

#include <gtest/gtest.h>

namespace certd::cli {
namespace {

// The codes certctl(1) documents; a change here is a change of interface.
TEST(CliFailure, CertdErrorsHaveTheirDocumentedExitCodes)
{
    const struct {
        const char* name;
        int code;
    } cases[] = {
        {"InvalidCertificate", 10}, {"NotYetValid", 11}, {"Expired", 12},     {"NotCA", 13},
        {"AlreadyExists", 14},      {"NotFound", 15},    {"TooLarge", 16},    {"InvalidArgument", 17},
        {"AccessDenied", 18},       {"Internal", 19},    {"KeyEncrypted", 20}, {"KeyMismatch", 21},
        {"InvalidKey", 22},
        {"WrongPassphrase", 23},
        {"InvalidPKCS12", 24},
        {"NoPrivateKey", 25},
        {"SeveralPrivateKeys", 26},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(exitCodeForCertdError(c.name), c.code) << c.name;
        EXPECT_EQ(exitCodeFor(sdbus::Error(std::string("org.certd.Certd1.Error.") + c.name, "why")), c.code);
    }
    EXPECT_EQ(exitCodeForCertdError("SomethingNew"), exitFailure);
}

TEST(CliFailure, BusErrorsExplainThemselves)
{
    EXPECT_EQ(exitCodeFor(sdbus::Error("org.freedesktop.DBus.Error.AccessDenied", "policy")), 18);
    EXPECT_EQ(exitCodeFor(sdbus::Error("org.freedesktop.DBus.Error.ServiceUnknown", "x")), exitFailure);
    EXPECT_NE(messageFor(sdbus::Error("org.freedesktop.DBus.Error.ServiceUnknown", "x")).find("certd is not running"),
              std::string::npos);
    EXPECT_EQ(messageFor(sdbus::Error("org.certd.Certd1.Error.NotCA", "Not a CA: basicConstraints CA:FALSE")),
              "Not a CA: basicConstraints CA:FALSE");
}

} // namespace
} // namespace certd::cli
