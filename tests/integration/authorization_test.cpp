// Who may change certd's state: root and AdminGroup members without asking
// anyone, everybody else as polkit says for the call's action, with the
// caller's bus name as subject and the interactive-authorization flag the
// caller set. A fake polkit authority on a system-like bus answers allow,
// deny or challenge and records what certd asked.
#include "certd_fixture.h"
#include "fake_polkit.h"
#include "process.h"
#include "test_paths.h"

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

namespace certd::test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

const std::vector<std::string> asNobody = {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"};

std::vector<std::string> byteArguments(const std::string& data)
{
    std::vector<std::string> arguments{"ay", std::to_string(data.size())};
    for (const unsigned char byte : data)
        arguments.push_back(std::to_string(byte));
    return arguments;
}

class AuthorizationTest : public CertdFixture {
protected:
    AuthorizationTest()
        : CertdFixture(TestBus::Policy::System, FakePolkit::policy())
        , polkit_(bus_)
    {
    }

    // busctl as nobody; interactive authorization allowed unless said otherwise.
    CommandResult callAsNobody(const std::string& path, const std::string& interface, const std::string& method,
                               const std::vector<std::string>& arguments = {}, bool interactive = true)
    {
        std::vector<std::string> argv = asNobody;
        argv.insert(argv.end(), {"busctl", "--address=" + bus_.address(), "--json=short",
                                 std::string("--allow-interactive-authorization=") + (interactive ? "yes" : "no"),
                                 "call", certdName, path, interface, method});
        argv.insert(argv.end(), arguments.begin(), arguments.end());
        return runCommand(argv);
    }

    CommandResult importAsNobody(const TestCertificate& ca, bool interactive = true)
    {
        return callAsNobody(managerPath, bus::managerInterface, "ImportCACertificate", byteArguments(ca.pem()),
                            interactive);
    }

    FakePolkit polkit_;
};

TEST_F(AuthorizationTest, PolkitDecidesForOthersWithTheCallersBusNameAndTheCallsAction)
{
    const auto ca = makeCa("Allowed by polkit");
    const auto imported = importAsNobody(ca);
    ASSERT_EQ(imported.exitCode, 0) << imported.err;
    const auto check = polkit_.lastCheck();
    ASSERT_TRUE(check);
    EXPECT_EQ(check->actionId, "org.certd.Certd1.manage-trust-store");
    EXPECT_EQ(check->subjectKind, "system-bus-name");
    EXPECT_THAT(check->subjectName, StartsWith(":"));
    EXPECT_EQ(check->flags, 1u) << "the caller allowed interactive authorization";
    EXPECT_EQ(caPaths().size(), 1u);

    const auto generated = callAsNobody(bus::hostObjectPath("https"), bus::hostInterface, "Generate",
                                        {"a{sv}", "1", "Hostname", "s", "nobody.example"}, false);
    EXPECT_EQ(generated.exitCode, 0) << generated.err;
    EXPECT_EQ(polkit_.lastCheck()->actionId, "org.certd.Certd1.manage-host-certificates");
    EXPECT_EQ(polkit_.lastCheck()->flags, 0u) << "the caller did not allow interactive authorization";

    EXPECT_EQ(callAsNobody(managerPath, bus::managerInterface, "CheckExpiry").exitCode, 0);
    EXPECT_EQ(polkit_.lastCheck()->actionId, "org.certd.Certd1.check-expiry");

    EXPECT_EQ(callAsNobody(caPath(ca), bus::caInterface, "Delete").exitCode, 0);
    EXPECT_EQ(polkit_.lastCheck()->actionId, "org.certd.Certd1.manage-trust-store");
    EXPECT_TRUE(caPaths().empty());
}

TEST_F(AuthorizationTest, DenyAndChallengeAreAccessDeniedSayingWhy)
{
    polkit_.answer(FakePolkit::Answer::Deny);
    const auto denied = importAsNobody(makeCa("Denied"));
    EXPECT_NE(denied.exitCode, 0);
    EXPECT_THAT(denied.err, HasSubstr("Only root may import CA certificates; the caller runs as uid 65534"));
    EXPECT_THAT(denied.err, HasSubstr("polkit says no"));

    polkit_.answer(FakePolkit::Answer::Challenge);
    const auto challenged = importAsNobody(makeCa("Challenged"));
    EXPECT_NE(challenged.exitCode, 0);
    EXPECT_THAT(challenged.err, HasSubstr("polkit wants authentication"));
    EXPECT_TRUE(caPaths().empty());
}

// A PKCS#12 file's key derivation costs what the file says: nobody gets
// that far without authorization, so a refused caller hears AccessDenied
// whatever the file holds.
TEST_F(AuthorizationTest, APkcs12FileIsOpenedOnlyAfterAuthorization)
{
    polkit_.answer(FakePolkit::Answer::Deny);
    const auto refused = callAsNobody(bus::hostObjectPath("https"), bus::hostInterface, "UploadPKCS12",
                                      {"ays", "3", "1", "2", "3", "secret"}, false);
    EXPECT_NE(refused.exitCode, 0);
    EXPECT_THAT(refused.err, HasSubstr("polkit says no"));
    EXPECT_EQ(polkit_.lastCheck()->actionId, "org.certd.Certd1.manage-host-certificates");
}

// A request's key is the appliance's identity-to-be: making, replacing,
// installing and forgetting it are host certificate changes; reading the
// request back is not.
TEST_F(AuthorizationTest, CertificateRequestsAreChangesOfTheHostCertificate)
{
    auto https = HostProxy(*connection_, "https");
    const auto request = https.CreateRequest({});
    const auto issued = issueForRequest(std::string(request.begin(), request.end()), makeCa("Corporate"));
    polkit_.answer(FakePolkit::Answer::Deny);
    const auto path = bus::hostObjectPath("https");
    for (const auto& [method, arguments] : std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"CreateRequest", {"a{sv}", "0"}},
             {"CancelRequest", {}},
             {"InstallCertificate", byteArguments(issued.pem())}}) {
        SCOPED_TRACE(method);
        const auto refused = callAsNobody(path, bus::hostInterface, method, arguments, false);
        EXPECT_NE(refused.exitCode, 0);
        EXPECT_THAT(refused.err, HasSubstr("polkit says no"));
    }
    EXPECT_EQ(https.ExportRequest(), request);
    EXPECT_EQ(https.Origin(), "generated");
    const auto exported = callAsNobody(path, bus::hostInterface, "ExportRequest");
    EXPECT_EQ(exported.exitCode, 0) << exported.err;
}

TEST_F(AuthorizationTest, RootIsNeverAsked)
{
    import(makeCa("Root's own"));
    HostProxy(*connection_, "https").Generate({});
    manager_->CheckExpiry();
    EXPECT_THAT(polkit_.checks(), IsEmpty());
}

TEST_F(AuthorizationTest, ReadingNeedsNobodysPermission)
{
    polkit_.answer(FakePolkit::Answer::Deny);
    const auto listed = callAsNobody(managerPath, bus::managerInterface, "ListExpiring", {"u", "0"});
    EXPECT_EQ(listed.exitCode, 0) << listed.err;
    const auto inspected = callAsNobody(managerPath, bus::managerInterface, "InspectCACertificate",
                                        byteArguments(makeCa("Inspected").pem()));
    EXPECT_EQ(inspected.exitCode, 0) << inspected.err;
    EXPECT_THAT(polkit_.checks(), IsEmpty());
}

TEST_F(AuthorizationTest, GetPermissionsSaysWhatTheCallerMayDoWithoutBeingAsked)
{
    const auto permissions = [&] {
        const auto result = callAsNobody(managerPath, bus::managerInterface, "GetPermissions");
        EXPECT_EQ(result.exitCode, 0) << result.err;
        return nlohmann::json::parse(result.out)["data"][0];
    };
    EXPECT_EQ(permissions()["org.certd.Certd1.manage-trust-store"], "yes");
    polkit_.answer(FakePolkit::Answer::Challenge);
    EXPECT_EQ(permissions()["org.certd.Certd1.manage-host-certificates"], "auth");
    EXPECT_EQ(polkit_.lastCheck()->flags, 0u) << "asking what is possible must never prompt";
    polkit_.answer(FakePolkit::Answer::Deny);
    EXPECT_EQ(permissions()["org.certd.Certd1.check-expiry"], "no");
    const auto asRoot = manager_->GetPermissions();
    EXPECT_EQ(asRoot.at("org.certd.Certd1.manage-trust-store"), "yes");
}

TEST(PolkitPolicy, DeclaresEveryActionCertdAsksFor)
{
    const auto policy = readTextFile(sourceDirectory() / "systemd" / "org.certd.Certd1.policy");
    for (const char* action : {"org.certd.Certd1.manage-trust-store", "org.certd.Certd1.manage-host-certificates",
                               "org.certd.Certd1.check-expiry"}) {
        EXPECT_THAT(policy, HasSubstr(std::string("<action id=\"") + action + "\">")) << action;
    }
    EXPECT_THAT(policy, HasSubstr("<allow_active>auth_admin_keep</allow_active>"));
}

} // namespace
} // namespace certd::test
