#include "acme/client.h"

#include "acme/jose.h"
#include "base/error.h"
#include "base/text.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <thread>

namespace certd::acme {
namespace {

constexpr int maxNonceRetries = 5;

// Messages carry what the server sent (URLs, content types): D-Bus takes
// only UTF-8, so they are made valid here, where every failure passes.
[[noreturn]] void fail(const std::string& message)
{
    throw Error(ErrorCode::ACMEFailed, toValidUtf8(message.substr(0, 2048)));
}

bool isBase64Url(std::string_view text)
{
    return !text.empty() && text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
                                std::string_view::npos;
}

// A URL the server hands over in a header (Location): https, printable ASCII.
bool isHttpsUrl(std::string_view url)
{
    return url.starts_with("https://") && url.size() > 8 &&
           std::all_of(url.begin(), url.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

std::string urlMember(const nlohmann::json& object, const char* name, const std::string& during)
{
    const auto found = object.find(name);
    if (found == object.end() || !found->is_string() || !found->get<std::string>().starts_with("https://"))
        fail(during + ": the server's answer has no https URL \"" + name + "\"");
    return found->get<std::string>();
}

std::string textMember(const nlohmann::json& object, const char* name, const std::string& during)
{
    const auto found = object.find(name);
    if (found == object.end() || !found->is_string())
        fail(during + ": the server's answer has no \"" + name + "\"");
    return found->get<std::string>();
}

bool isIpAddress(const std::string& name)
{
    unsigned char address[16];
    return inet_pton(AF_INET, name.c_str(), address) == 1 || inet_pton(AF_INET6, name.c_str(), address) == 1;
}

nlohmann::json identifierOf(const std::string& name)
{
    return {{"type", isIpAddress(name) ? "ip" : "dns"}, {"value", name}};
}

// A server's JSON of an unexpected shape (a string where an object belongs)
// makes nlohmann throw its own exceptions: they become ACMEFailed here.
template <typename Call>
auto guarded(const char* during, Call&& call)
{
    try {
        return call();
    } catch (const nlohmann::json::exception& error) {
        fail(std::string(during) + ": the server's answer is not shaped as RFC 8555 says (" + error.what() + ")");
    }
}

bool contentTypeIs(const HttpResponse& response, std::string_view type)
{
    const std::string value = response.header("content-type");
    return value == type || value.starts_with(std::string(type) + ";");
}

} // namespace

std::string locationOf(const HttpResponse& response, const std::string& during)
{
    const std::string location = response.header("location");
    if (!isHttpsUrl(location))
        fail(during + ": the server's answer (HTTP " + std::to_string(response.status) + ") has no https Location");
    return location;
}

nlohmann::json jsonOf(const HttpResponse& response, const std::string& during)
{
    if (!contentTypeIs(response, "application/json"))
        fail(during + ": the server answered with content type \"" + response.header("content-type") +
             "\", not application/json");
    auto parsed = nlohmann::json::parse(response.body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        fail(during + ": the server's answer is not a JSON object");
    return parsed;
}

Directory parseDirectory(std::string_view body)
{
    const std::string during = "Reading the ACME directory";
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        fail(during + ": it is not a JSON object");
    Directory directory;
    directory.newNonce = urlMember(json, "newNonce", during);
    directory.newAccount = urlMember(json, "newAccount", during);
    directory.newOrder = urlMember(json, "newOrder", during);
    if (json.contains("renewalInfo"))
        directory.renewalInfo = urlMember(json, "renewalInfo", during);
    if (const auto meta = json.find("meta"); meta != json.end() && meta->is_object()) {
        if (const auto terms = meta->find("termsOfService"); terms != meta->end() && terms->is_string())
            directory.termsOfService = terms->get<std::string>();
        if (const auto eab = meta->find("externalAccountRequired"); eab != meta->end() && eab->is_boolean())
            directory.externalAccountRequired = eab->get<bool>();
    }
    return directory;
}

Client::Client(HttpClient& http, std::string directoryUrl, EVP_PKEY& accountKey, Timing timing)
    : http_(http)
    , directoryUrl_(std::move(directoryUrl))
    , key_(accountKey)
    , timing_(std::move(timing))
    , deadline_(timing_.now() + timing_.deadline)
{
    if (!timing_.sleep)
        timing_.sleep = [](std::chrono::milliseconds pause) { std::this_thread::sleep_for(pause); };
}

const Directory& Client::directory()
{
    if (!directory_) {
        if (!directoryUrl_.starts_with("https://"))
            fail("The ACME directory URL \"" + directoryUrl_ + "\" is not https://: certd talks to ACME servers "
                 "over verified HTTPS only");
        const auto response = http_.get(directoryUrl_);
        if (response.status != 200)
            throwProblem(problemOf(response), "Reading the ACME directory " + directoryUrl_);
        if (!contentTypeIs(response, "application/json"))
            fail("Reading the ACME directory " + directoryUrl_ + ": the server answered with content type \"" +
                 response.header("content-type") + "\", not application/json; is this an ACME directory URL?");
        directory_ = parseDirectory(response.body);
    }
    return *directory_;
}

std::string Client::nonce()
{
    if (!nonce_.empty())
        return std::exchange(nonce_, {});
    const auto response = http_.head(directory().newNonce);
    std::string fresh = response.header("replay-nonce");
    if (!isBase64Url(fresh))
        fail("Getting a nonce from " + directory().newNonce + ": the answer (HTTP " +
             std::to_string(response.status) + ") has no Replay-Nonce");
    return fresh;
}

HttpResponse Client::post(const std::string& url, const std::string& payload, const std::string& during, bool withJwk)
{
    for (int attempt = 0;; ++attempt) {
        if (timing_.now() > deadline_)
            fail(during + ": no result within " + std::to_string(timing_.deadline.count()) + " s");
        nlohmann::json header = {{"alg", jwsAlgorithm(key_)}, {"nonce", nonce()}, {"url", url}};
        if (withJwk || accountUrl_.empty())
            header["jwk"] = publicJwk(key_);
        else
            header["kid"] = accountUrl_;
        auto response = http_.postJose(url, signJws(key_, header, payload).dump());
        // RFC 8555 §6.5.1: a nonce that is no base64url is ignored.
        nonce_ = isBase64Url(response.header("replay-nonce")) ? response.header("replay-nonce") : std::string();
        if (response.status < 400)
            return response;
        const Problem problem = problemOf(response);
        if (problem.is("badNonce") && attempt < maxNonceRetries)
            continue; // the server just gave a fresh one
        throwProblem(problem, during);
    }
}

nlohmann::json Client::postForJson(const std::string& url, const std::string& payload, const std::string& during)
{
    return jsonOf(post(url, payload, during), during);
}

std::string Client::findOrRegister(const AccountSettings& settings)
{
    const auto& dir = directory();
    if (!accountUrl_.empty())
        return accountUrl_;
    // An account the server knows needs neither terms nor binding again.
    try {
        auto response = post(dir.newAccount, R"({"onlyReturnExisting":true})", "Looking up the ACME account", true);
        accountUrl_ = locationOf(response, "Looking up the ACME account");
    } catch (const Error& error) {
        if (std::string_view(error.what()).find("accountDoesNotExist") == std::string_view::npos)
            throw;
    }
    if (!accountUrl_.empty())
        return accountUrl_;
    if (!settings.agreeToTermsOfService)
        fail("Registering an ACME account: set AgreeToTermsOfService=yes in [ACME] of certd.conf after reading " +
             (dir.termsOfService.empty() ? std::string("the CA's terms of service") : dir.termsOfService));
    if (dir.externalAccountRequired && settings.eabKeyId.empty())
        fail("Registering an ACME account: this CA requires external account binding; set "
             "ExternalAccountKeyID= and ExternalAccountHMACKey= in [ACME] of certd.conf to what the CA gave you");
    nlohmann::json request = {{"termsOfServiceAgreed", true}};
    if (!settings.email.empty())
        request["contact"] = nlohmann::json::array({"mailto:" + settings.email});
    if (!settings.eabKeyId.empty())
        request["externalAccountBinding"] =
            externalAccountBinding(settings.eabKeyId, settings.eabHmacKey, key_, dir.newAccount);
    auto response = post(dir.newAccount, request.dump(), "Registering an ACME account", true);
    accountUrl_ = locationOf(response, "Registering an ACME account");
    return accountUrl_;
}

void Client::waitABit(std::optional<std::int64_t> retryAfter, const std::string& during)
{
    auto pause = retryAfter ? std::chrono::milliseconds(std::clamp<std::int64_t>(*retryAfter, 1, 60) * 1000)
                            : timing_.pollInterval;
    if (timing_.now() + pause > deadline_)
        fail(during + ": no result within " + std::to_string(timing_.deadline.count()) + " s");
    timing_.sleep(pause);
}

nlohmann::json Client::pollWhile(const std::string& url, const std::vector<std::string>& waiting,
                                 const std::string& during, std::optional<std::int64_t> retryAfter)
{
    for (;;) {
        const auto response = post(url, "", during);
        auto object = jsonOf(response, during);
        const std::string status = textMember(object, "status", during);
        if (std::find(waiting.begin(), waiting.end(), status) == waiting.end())
            return object;
        waitABit(retryAfterOf(response) ? retryAfterOf(response) : retryAfter, during + " (status " + status + ")");
        retryAfter.reset();
    }
}

void Client::authorize(const std::string& url, const std::vector<std::string>& names, ChallengeSolver& solver,
                       const Progress& progress)
{
    auto authorization = postForJson(url, "", "Reading an ACME authorization");
    const auto identifier = authorization.value("identifier", nlohmann::json::object()).value("value", "");
    // Only what was ordered: the name goes to a solver (a DNS hook) as is.
    // A wildcard's authorization names the domain below the "*." (§7.1.3).
    std::string ordered = (authorization.value("wildcard", false) ? "*." : "") + identifier;
    std::transform(ordered.begin(), ordered.end(), ordered.begin(), [](unsigned char c) { return std::tolower(c); });
    if (std::find(names.begin(), names.end(), ordered) == names.end())
        fail("Reading an ACME authorization: it is for \"" + identifier.substr(0, 256) + "\", which was not ordered");
    const std::string during = "Validating " + identifier;
    if (textMember(authorization, "status", during) == "valid")
        return;
    const auto& challenges = authorization.value("challenges", nlohmann::json::array());
    const auto challenge = std::find_if(challenges.begin(), challenges.end(), [&](const nlohmann::json& c) {
        return c.is_object() && c.value("type", "") == solver.type();
    });
    if (challenge == challenges.end())
        fail(during + ": the server offers no " + solver.type() + " challenge for it; choose another Challenge= in "
             "[ACME] of certd.conf");
    const std::string token = textMember(*challenge, "token", during);
    if (token.empty() || token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
                             std::string::npos)
        fail(during + ": the challenge's token is not base64url");
    const std::string keyAuthorization = token + "." + jwkThumbprint(key_);
    if (progress)
        progress("answering the " + solver.type() + " challenge for " + identifier);
    solver.present(identifier, token, keyAuthorization);
    struct CleanUp {
        ChallengeSolver& solver;
        const std::string &identifier, &token, &keyAuthorization;
        ~CleanUp() { solver.cleanUp(identifier, token, keyAuthorization); }
    } cleanUp{solver, identifier, token, keyAuthorization};
    const auto response = post(urlMember(*challenge, "url", during), "{}", during);
    const auto result = pollWhile(url, {"pending", "processing"}, during, retryAfterOf(response));
    if (result.value("status", "") != "valid") {
        for (const auto& c : result.value("challenges", nlohmann::json::array()))
            if (c.is_object() && c.contains("error"))
                throwProblem(problemOf(c["error"]), during + " with " + solver.type());
        fail(during + ": the authorization is " + result.value("status", "?"));
    }
}

std::string Client::runOrder(const std::vector<std::string>& names, ByteView csrDer, ChallengeSolver& solver,
                             const Progress& progress)
{
    deadline_ = timing_.now() + timing_.deadline;
    nlohmann::json identifiers = nlohmann::json::array();
    for (const auto& name : names)
        identifiers.push_back(identifierOf(name));
    const std::string during = "Ordering a certificate";
    auto response = post(directory().newOrder, nlohmann::json{{"identifiers", identifiers}}.dump(), during);
    const std::string orderUrl = locationOf(response, during);
    auto order = jsonOf(response, during);
    for (const auto& authorization : order.value("authorizations", nlohmann::json::array()))
        if (authorization.is_string())
            authorize(authorization.get<std::string>(), names, solver, progress);
    order = pollWhile(orderUrl, {"pending", "processing"}, during, std::nullopt);
    if (order.value("status", "") != "ready" && order.value("status", "") != "valid")
        throwProblem(problemOf(order.value("error", nlohmann::json::object())),
                     during + ": the order is " + order.value("status", "?"));
    if (progress)
        progress("finalizing the order");
    if (order.value("status", "") == "ready") {
        response = post(urlMember(order, "finalize", during), nlohmann::json{{"csr", base64Url(csrDer)}}.dump(),
                        "Finalizing the order");
        order = pollWhile(orderUrl, {"ready", "processing"}, "Finalizing the order", retryAfterOf(response));
    }
    if (order.value("status", "") != "valid")
        throwProblem(problemOf(order.value("error", nlohmann::json::object())),
                     "Finalizing the order: it is " + order.value("status", "?"));
    if (progress)
        progress("downloading the certificate");
    response = post(urlMember(order, "certificate", during), "", "Downloading the certificate");
    if (!contentTypeIs(response, "application/pem-certificate-chain"))
        fail("Downloading the certificate: the server answered with content type \"" +
             response.header("content-type") + "\", not application/pem-certificate-chain");
    return response.body;
}

std::string Client::account(const AccountSettings& settings)
{
    return guarded("Registering an ACME account", [&] { return findOrRegister(settings); });
}

std::string Client::issue(const std::vector<std::string>& names, ByteView csrDer, ChallengeSolver& solver,
                          const Progress& progress)
{
    return guarded("Ordering a certificate", [&] { return runOrder(names, csrDer, solver, progress); });
}

std::optional<std::string> Client::renewalInfo(const std::string& certId)
{
    return guarded("Reading renewal information", [&] { return readRenewalInfo(certId); });
}

std::optional<std::string> Client::readRenewalInfo(const std::string& certId)
{
    if (directory().renewalInfo.empty())
        return std::nullopt;
    const std::string url = directory().renewalInfo + (directory().renewalInfo.ends_with("/") ? "" : "/") + certId;
    const auto response = http_.get(url);
    if (response.status != 200)
        throwProblem(problemOf(response), "Reading renewal information");
    return jsonOf(response, "Reading renewal information").dump();
}

} // namespace certd::acme
