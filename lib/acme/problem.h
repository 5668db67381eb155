// ACME's errors (RFC 8555 §6.7, RFC 7807 problem documents) and how certd
// reports them: ACMEFailed with the problem's type and detail, so that an
// administrator reads the server's own words ("urn:ietf:params:acme:error:
// rejectedIdentifier: ...") and a program can match the type.
#pragma once

#include "acme/http.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace certd::acme {

inline constexpr std::string_view errorPrefix = "urn:ietf:params:acme:error:";

struct Problem {
    std::string type;   // e.g. "urn:ietf:params:acme:error:badNonce"; "" when the server gave none
    std::string detail; // the server's words, made valid UTF-8 and cut at 512 bytes
    long status = 0;    // HTTP status
    std::optional<std::int64_t> retryAfter = {}; // seconds, from Retry-After

    bool is(std::string_view acmeError) const; // is("badNonce")
    // "type: detail" (what ACMELastError and the D-Bus error say).
    std::string text() const;
};

// The problem an error response carries. Never throws: a response that is
// no problem document still gives one, of type "" and a detail saying what
// came back (status, content type, the body's start).
Problem problemOf(const HttpResponse& response);

// A challenge's or authorization's embedded "error" object.
Problem problemOf(const nlohmann::json& object);

// Retry-After in seconds (delta-seconds only; an HTTP date counts as absent).
std::optional<std::int64_t> retryAfterOf(const HttpResponse& response);

// ACMEFailed: "<during>: <type>: <detail>", with when to retry for rateLimited.
[[noreturn]] void throwProblem(const Problem& problem, std::string_view during);

} // namespace certd::acme
