// The ACME protocol (RFC 8555) from certd's side: the directory, nonces,
// the account, and one order from identifiers to the issued chain. It
// speaks through an HttpClient and answers challenges through a
// ChallengeSolver, so tests can drive it against a scripted server and the
// daemon against a real one; everything here blocks, so it runs on a
// worker, and every wait is bounded by Timing::deadline.
//
// Failures are ACMEFailed naming what was being done and the server's
// problem (type and detail). badNonce is retried (§6.5: the server may
// reject any nonce) up to 5 times; everything else fails the call.
#pragma once

#include "acme/http.h"
#include "acme/problem.h"
#include "base/bytes.h"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace certd::acme {

struct Directory {
    std::string newNonce;
    std::string newAccount;
    std::string newOrder;
    std::string renewalInfo; // RFC 9773; "" when not offered
    std::string termsOfService;
    bool externalAccountRequired = false;
};

// ACMEFailed when body is no directory (not JSON, or missing a URL ACME needs).
Directory parseDirectory(std::string_view body);

struct AccountSettings {
    std::string email;            // "" = no contact
    bool agreeToTermsOfService = false;
    std::string eabKeyId;         // both or neither
    std::string eabHmacKey;       // base64url
};

// How a challenge is answered; the solver's type() picks it.
class ChallengeSolver {
public:
    virtual ~ChallengeSolver() = default;
    virtual std::string type() const = 0; // "http-01", "dns-01"
    // Makes the answer visible to the server; throws when it cannot.
    virtual void present(const std::string& identifier, const std::string& token, const std::string& keyAuthorization) = 0;
    // Takes it away again; never throws (a leftover is only untidy).
    virtual void cleanUp(const std::string& identifier, const std::string& token,
                         const std::string& keyAuthorization) noexcept = 0;
};

struct Timing {
    std::chrono::seconds deadline{300};            // for a whole order
    std::chrono::milliseconds pollInterval{1000};  // when the server gives no Retry-After
    std::function<std::chrono::steady_clock::time_point()> now = std::chrono::steady_clock::now;
    std::function<void(std::chrono::milliseconds)> sleep; // default: std::this_thread::sleep_for
};

class Client {
public:
    using Progress = std::function<void(const std::string&)>;

    Client(HttpClient& http, std::string directoryUrl, EVP_PKEY& accountKey, Timing timing = {});

    const Directory& directory();
    // The account of this key: registered when the server does not know it
    // (onlyReturnExisting first, so that an existing account needs no
    // terms or binding). Its URL, used as the "kid" of later requests.
    std::string account(const AccountSettings& settings);

    // Orders a certificate for names (DNS names; IP addresses as RFC 8738
    // "ip"), answers every pending authorization with solver, finalizes
    // with csrDer and returns the chain the server issued (PEM).
    std::string issue(const std::vector<std::string>& names, ByteView csrDer, ChallengeSolver& solver,
                      const Progress& progress = {});

    // RFC 9773 renewal information for certId (see acme/renewal.h): the
    // raw JSON body; nullopt when the directory offers none.
    std::optional<std::string> renewalInfo(const std::string& certId);

private:
    std::string findOrRegister(const AccountSettings& settings);
    std::string runOrder(const std::vector<std::string>& names, ByteView csrDer, ChallengeSolver& solver,
                         const Progress& progress);
    // A signed POST (payload "" = POST-as-GET). With the account's kid once
    // known, with the key's JWK before. Retries badNonce; a response with an
    // error status throws its problem, naming during.
    HttpResponse post(const std::string& url, const std::string& payload, const std::string& during,
                      bool withJwk = false);
    nlohmann::json postForJson(const std::string& url, const std::string& payload, const std::string& during);
    std::string nonce();
    // Polls url (POST-as-GET) until its status is none of waiting.
    nlohmann::json pollWhile(const std::string& url, const std::vector<std::string>& waiting,
                             const std::string& during, std::optional<std::int64_t> retryAfter);
    // names: what was ordered; an authorization for anything else is refused.
    void authorize(const std::string& authorizationUrl, const std::vector<std::string>& names,
                   ChallengeSolver& solver, const Progress& progress);
    std::optional<std::string> readRenewalInfo(const std::string& certId);
    void waitABit(std::optional<std::int64_t> retryAfter, const std::string& during);

    HttpClient& http_;
    std::string directoryUrl_;
    EVP_PKEY& key_;
    Timing timing_;
    std::chrono::steady_clock::time_point deadline_;
    std::optional<Directory> directory_;
    std::string nonce_;
    std::string accountUrl_;
};

// The JSON body of a response that should hold one; ACMEFailed (naming
// during) when the content type is not JSON or the body does not parse.
nlohmann::json jsonOf(const HttpResponse& response, const std::string& during);
// The response's Location, which must be an https URL of printable ASCII;
// ACMEFailed (naming during) otherwise.
std::string locationOf(const HttpResponse& response, const std::string& during);

} // namespace certd::acme
