// The ACME protocol against a scripted server: a whole order, the nonce
// dance (badNonce retried, then given up), the server's problems reaching
// the caller by type (rate limits with their Retry-After), refusals made
// before any request (a directory that is not https), answers that are no
// JSON, and the deadline over every wait.
#include "acme/client.h"
#include "acme/jose.h"
#include "base/error.h"
#include "refusal.h"
#include "test_certificates.h"

#include <deque>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd::acme {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string directoryUrl = "https://ca.example/dir";

// Answers by "METHOD url" from a queue per request; the last answer repeats.
class ScriptedServer final : public HttpClient {
public:
    std::map<std::string, std::deque<HttpResponse>> script;
    std::vector<std::string> calls;
    std::vector<nlohmann::json> posted; // each POST's payload, decoded

    HttpResponse get(const std::string& url) override { return next("GET " + url); }
    HttpResponse head(const std::string& url) override { return next("HEAD " + url); }
    HttpResponse postJose(const std::string& url, const std::string& body) override
    {
        const auto jws = nlohmann::json::parse(body);
        const Bytes payload = fromBase64Url(jws["payload"].get<std::string>());
        posted.push_back(payload.empty() ? nlohmann::json() : nlohmann::json::parse(payload));
        return next("POST " + url);
    }
    int count(const std::string& call) const { return static_cast<int>(std::count(calls.begin(), calls.end(), call)); }

private:
    HttpResponse next(const std::string& call)
    {
        calls.push_back(call);
        auto& queue = script[call];
        if (queue.empty())
            return {404, {{"content-type", "application/problem+json"}}, R"({"type":"about:blank"})"};
        auto response = queue.front();
        if (queue.size() > 1)
            queue.pop_front();
        response.headers["replay-nonce"] = "nonce-" + std::to_string(calls.size());
        return response;
    }
};

HttpResponse json(long status, const nlohmann::json& body, std::map<std::string, std::string> headers = {})
{
    headers["content-type"] = "application/json";
    return {status, headers, body.dump()};
}

HttpResponse problem(long status, const std::string& type, const std::string& detail,
                     std::map<std::string, std::string> headers = {})
{
    headers["content-type"] = "application/problem+json";
    return {status, headers, nlohmann::json{{"type", "urn:ietf:params:acme:error:" + type}, {"detail", detail}}.dump()};
}

class FakeSolver final : public ChallengeSolver {
public:
    std::vector<std::string> events;
    std::string type() const override { return "http-01"; }
    void present(const std::string& identifier, const std::string& token, const std::string& keyAuthorization) override
    {
        events.push_back("present " + identifier + " " + token + " " + keyAuthorization);
    }
    void cleanUp(const std::string& identifier, const std::string& token, const std::string&) noexcept override
    {
        events.push_back("cleanUp " + identifier + " " + token);
    }
};

class AcmeClientTest : public ::testing::Test {
protected:
    AcmeClientTest()
    {
        server.script["GET " + directoryUrl] = {json(200, {{"newNonce", "https://ca.example/nonce"},
                                                           {"newAccount", "https://ca.example/account"},
                                                           {"newOrder", "https://ca.example/order"},
                                                           {"meta", {{"termsOfService", "https://ca.example/tos"}}}})};
        server.script["HEAD https://ca.example/nonce"] = {{200, {}, ""}};
        timing.sleep = [this](std::chrono::milliseconds pause) { clock += pause; slept.push_back(pause); };
        timing.now = [this] { return clock; };
    }

    Client client() { return Client(server, directoryUrl, *key, timing); }

    // An account the server knows: later requests are signed with its kid.
    void knownAccount()
    {
        server.script["POST https://ca.example/account"] = {json(200, {{"status", "valid"}},
                                                                 {{"location", "https://ca.example/acct/1"}})};
    }

    void scriptOrder(std::deque<HttpResponse> authorization)
    {
        server.script["POST https://ca.example/order"] = {
            json(201,
                 {{"status", "pending"},
                  {"authorizations", {"https://ca.example/authz/1"}},
                  {"finalize", "https://ca.example/order/1/finalize"}},
                 {{"location", "https://ca.example/order/1"}})};
        server.script["POST https://ca.example/authz/1"] = std::move(authorization);
        server.script["POST https://ca.example/chall/1"] = {json(200, {{"status", "processing"}})};
        server.script["POST https://ca.example/order/1"] = {
            json(200, {{"status", "ready"}, {"finalize", "https://ca.example/order/1/finalize"}}),
            json(200, {{"status", "valid"}, {"certificate", "https://ca.example/cert/1"}})};
        server.script["POST https://ca.example/order/1/finalize"] = {json(200, {{"status", "processing"}})};
        server.script["POST https://ca.example/cert/1"] = {
            {200, {{"content-type", "application/pem-certificate-chain"}}, "-----BEGIN CERTIFICATE-----\n..."}};
    }

    static nlohmann::json authorization(const std::string& status, nlohmann::json challenge = {})
    {
        if (challenge.is_null())
            challenge = {{"type", "http-01"}, {"url", "https://ca.example/chall/1"}, {"token", "tok_en-1"}};
        return {{"status", status}, {"identifier", {{"type", "dns"}, {"value", "probe.example.com"}}},
                {"challenges", {{{"type", "dns-01"}, {"url", "https://ca.example/chall/2"}, {"token", "t2"}}, challenge}}};
    }

    ScriptedServer server;
    EvpPkeyPtr key = test::makeKey("EC");
    Timing timing;
    std::chrono::steady_clock::time_point clock{};
    std::vector<std::chrono::milliseconds> slept;
};

TEST_F(AcmeClientTest, AnOrderGoesFromIdentifiersToTheIssuedChain)
{
    knownAccount();
    scriptOrder({json(200, authorization("pending")), json(200, authorization("valid"))});
    FakeSolver solver;
    auto acme = client();
    EXPECT_EQ(acme.account({}), "https://ca.example/acct/1");
    const Bytes csr{0x30, 0x01, 0x02};
    const std::string chain = acme.issue({"probe.example.com", "10.0.0.1"}, csr, solver);
    EXPECT_THAT(chain, HasSubstr("BEGIN CERTIFICATE"));
    const std::string keyAuthorization = "tok_en-1." + jwkThumbprint(*key);
    EXPECT_THAT(solver.events, ElementsAre("present probe.example.com tok_en-1 " + keyAuthorization,
                                           "cleanUp probe.example.com tok_en-1"));
    // The order named both identifiers, an IP address as RFC 8738's "ip".
    const auto order = std::find_if(server.posted.begin(), server.posted.end(),
                                    [](const nlohmann::json& p) { return p.contains("identifiers"); });
    ASSERT_NE(order, server.posted.end());
    EXPECT_EQ((*order)["identifiers"][1], (nlohmann::json{{"type", "ip"}, {"value", "10.0.0.1"}}));
    const auto finalize = std::find_if(server.posted.begin(), server.posted.end(),
                                       [](const nlohmann::json& p) { return p.contains("csr"); });
    ASSERT_NE(finalize, server.posted.end());
    EXPECT_EQ((*finalize)["csr"], base64Url(csr));
    EXPECT_EQ(server.count("HEAD https://ca.example/nonce"), 1); // later nonces came with the answers
}

TEST_F(AcmeClientTest, BadNonceIsRetriedWithTheFreshNonce)
{
    server.script["POST https://ca.example/account"] = {
        problem(400, "badNonce", "stale"), problem(400, "badNonce", "stale"),
        json(200, {{"status", "valid"}}, {{"location", "https://ca.example/acct/1"}})};
    EXPECT_EQ(client().account({}), "https://ca.example/acct/1");
    EXPECT_EQ(server.count("POST https://ca.example/account"), 3);
}

TEST_F(AcmeClientTest, BadNonceIsGivenUpAfterFiveRetries)
{
    server.script["POST https://ca.example/account"] = {problem(400, "badNonce", "stale")};
    const auto refusal = test::refusalOf([&] { client().account({}); });
    EXPECT_EQ(refusal.code, ErrorCode::ACMEFailed);
    EXPECT_THAT(refusal.message, HasSubstr("urn:ietf:params:acme:error:badNonce: stale"));
    EXPECT_EQ(server.count("POST https://ca.example/account"), 6);
}

TEST_F(AcmeClientTest, ARateLimitNamesItsTypeAndRetryAfter)
{
    knownAccount();
    server.script["POST https://ca.example/order"] = {
        problem(429, "rateLimited", "too many certificates for probe.example.com", {{"retry-after", "3600"}})};
    FakeSolver solver;
    auto acme = client();
    acme.account({});
    const auto refusal = test::refusalOf([&] { acme.issue({"probe.example.com"}, Bytes{1}, solver); });
    EXPECT_EQ(refusal.code, ErrorCode::ACMEFailed);
    EXPECT_THAT(refusal.message,
                HasSubstr("urn:ietf:params:acme:error:rateLimited: too many certificates for probe.example.com"));
    EXPECT_THAT(refusal.message, HasSubstr("retry after 3600 s"));
}

TEST_F(AcmeClientTest, AFailedChallengeGivesTheCasProblemAndIsCleanedUp)
{
    knownAccount();
    auto failed = authorization("invalid", {{"type", "http-01"},
                                            {"url", "https://ca.example/chall/1"},
                                            {"token", "tok"},
                                            {"status", "invalid"},
                                            {"error",
                                             {{"type", "urn:ietf:params:acme:error:connection"},
                                              {"detail", "127.0.0.1: Connection refused"}}}});
    scriptOrder({json(200, authorization("pending", {{"type", "http-01"}, {"url", "https://ca.example/chall/1"},
                                                     {"token", "tok"}})),
                 json(200, failed)});
    FakeSolver solver;
    auto acme = client();
    acme.account({});
    const auto refusal = test::refusalOf([&] { acme.issue({"probe.example.com"}, Bytes{1}, solver); });
    EXPECT_EQ(refusal.code, ErrorCode::ACMEFailed);
    EXPECT_THAT(refusal.message, HasSubstr("Validating probe.example.com with http-01: "
                                           "urn:ietf:params:acme:error:connection: 127.0.0.1: Connection refused"));
    EXPECT_EQ(solver.events.back(), "cleanUp probe.example.com tok");
}

TEST_F(AcmeClientTest, EveryWaitEndsAtTheDeadline)
{
    knownAccount();
    scriptOrder({json(200, authorization("pending"))}); // never decided
    timing.deadline = std::chrono::seconds(30);
    FakeSolver solver;
    auto acme = client();
    acme.account({});
    const auto refusal = test::refusalOf([&] { acme.issue({"probe.example.com"}, Bytes{1}, solver); });
    EXPECT_EQ(refusal.code, ErrorCode::ACMEFailed);
    EXPECT_THAT(refusal.message, HasSubstr("no result within 30 s"));
    EXPECT_LE(clock - std::chrono::steady_clock::time_point{}, std::chrono::seconds(30));
    EXPECT_EQ(solver.events.size(), 2u); // presented, and cleaned up
}

TEST_F(AcmeClientTest, AnAuthorizationForANameNotOrderedIsRefusedBeforeAnyAnswer)
{
    knownAccount();
    auto smuggled = authorization("pending");
    smuggled["identifier"]["value"] = "x.example\nupdate add www.example 60 IN A 203.0.113.9";
    scriptOrder({json(200, smuggled)});
    FakeSolver solver;
    auto acme = client();
    acme.account({});
    const auto refusal = test::refusalOf([&] { acme.issue({"probe.example.com"}, Bytes{1}, solver); });
    EXPECT_EQ(refusal.code, ErrorCode::ACMEFailed);
    EXPECT_THAT(refusal.message, HasSubstr("which was not ordered"));
    EXPECT_TRUE(solver.events.empty());
}

TEST_F(AcmeClientTest, JsonOfTheWrongShapeIsAcmeFailedNotACrash)
{
    knownAccount();
    scriptOrder({json(200, {{"status", "pending"}, {"identifier", "probe.example.com"}, {"challenges", 7}})});
    FakeSolver solver;
    auto acme = client();
    acme.account({});
    const auto refusal = test::refusalOf([&] { acme.issue({"probe.example.com"}, Bytes{1}, solver); });
    EXPECT_EQ(refusal.code, ErrorCode::ACMEFailed);
    EXPECT_THAT(refusal.message, HasSubstr("not shaped as RFC 8555 says"));
}

TEST_F(AcmeClientTest, RegisteringNeedsTheTermsAgreedAndTheBindingWhenRequired)
{
    server.script["POST https://ca.example/account"] = {problem(400, "accountDoesNotExist", "no account for this key")};
    auto refusal = test::refusalOf([&] { client().account({}); });
    EXPECT_EQ(refusal.code, ErrorCode::ACMEFailed);
    EXPECT_THAT(refusal.message, HasSubstr("AgreeToTermsOfService=yes"));
    EXPECT_THAT(refusal.message, HasSubstr("https://ca.example/tos"));

    server.script["GET " + directoryUrl] = {json(200, {{"newNonce", "https://ca.example/nonce"},
                                                       {"newAccount", "https://ca.example/account"},
                                                       {"newOrder", "https://ca.example/order"},
                                                       {"meta", {{"externalAccountRequired", true}}}})};
    refusal = test::refusalOf([&] { client().account({"", true, "", ""}); });
    EXPECT_THAT(refusal.message, HasSubstr("ExternalAccountKeyID="));
}

TEST_F(AcmeClientTest, ARegistrationCarriesContactTermsAndBinding)
{
    server.script["POST https://ca.example/account"] = {
        problem(400, "accountDoesNotExist", "none"),
        json(201, {{"status", "valid"}}, {{"location", "https://ca.example/acct/9"}})};
    EXPECT_EQ(client().account({"admin@example.com", true, "kid-7", base64Url(std::string_view("mac key"))}),
              "https://ca.example/acct/9");
    const auto& request = server.posted.back();
    EXPECT_EQ(request["termsOfServiceAgreed"], true);
    EXPECT_EQ(request["contact"], nlohmann::json::array({"mailto:admin@example.com"}));
    EXPECT_TRUE(request["externalAccountBinding"].contains("signature"));
}

TEST_F(AcmeClientTest, ADirectoryThatIsNotHttpsIsRefusedBeforeAnyRequest)
{
    Client acme(server, "http://ca.example/dir", *key, timing);
    const auto refusal = test::refusalOf([&] { acme.directory(); });
    EXPECT_EQ(refusal.code, ErrorCode::ACMEFailed);
    EXPECT_THAT(refusal.message, HasSubstr("not https://"));
    EXPECT_TRUE(server.calls.empty());
}

TEST_F(AcmeClientTest, AnswersThatAreNoAcmeJsonAreNamed)
{
    const std::pair<HttpResponse, const char*> rows[] = {
        {{200, {{"content-type", "text/html"}}, "<html>login</html>"}, "content type \"text/html\""},
        {{200, {{"content-type", "application/json"}}, "{not json"}, "not a JSON object"},
        {json(200, {{"newNonce", "https://ca.example/nonce"}}), "no https URL \"newAccount\""},
        {json(200, {{"newNonce", "http://ca.example/nonce"}, {"newAccount", "x"}, {"newOrder", "y"}}),
         "no https URL \"newNonce\""},
        {{503, {{"content-type", "text/plain"}}, "maintenance"}, "HTTP 503 with content type text/plain"},
    };
    for (const auto& [response, why] : rows) {
        server.script["GET " + directoryUrl] = {response};
        const auto refusal = test::refusalOf([&] { client().directory(); });
        EXPECT_EQ(refusal.code, ErrorCode::ACMEFailed) << why;
        EXPECT_THAT(refusal.message, HasSubstr(why));
    }
}

} // namespace
} // namespace certd::acme
