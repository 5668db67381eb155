#include "acme/problem.h"

#include "base/error.h"
#include "base/text.h"

#include <charconv>

namespace certd::acme {
namespace {

constexpr std::size_t maxDetail = 512;

std::string shown(std::string_view text)
{
    return toValidUtf8(text.substr(0, maxDetail));
}

} // namespace

bool Problem::is(std::string_view acmeError) const
{
    return type.size() == errorPrefix.size() + acmeError.size() && type.starts_with(errorPrefix) &&
           type.ends_with(acmeError);
}

std::string Problem::text() const
{
    if (type.empty())
        return detail;
    return detail.empty() ? type : type + ": " + detail;
}

std::optional<std::int64_t> retryAfterOf(const HttpResponse& response)
{
    const std::string value = response.header("retry-after");
    std::int64_t seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (value.empty() || error != std::errc() || end != value.data() + value.size() || seconds < 0)
        return std::nullopt;
    return seconds;
}

Problem problemOf(const nlohmann::json& object)
{
    Problem problem;
    if (!object.is_object())
        return problem;
    if (const auto type = object.find("type"); type != object.end() && type->is_string())
        problem.type = shown(type->get<std::string>());
    if (const auto detail = object.find("detail"); detail != object.end() && detail->is_string())
        problem.detail = shown(detail->get<std::string>());
    if (const auto status = object.find("status"); status != object.end() && status->is_number_integer())
        problem.status = status->get<long>();
    return problem;
}

Problem problemOf(const HttpResponse& response)
{
    Problem problem;
    const auto parsed = nlohmann::json::parse(response.body, nullptr, false);
    if (!parsed.is_discarded() && parsed.is_object())
        problem = problemOf(parsed);
    if (problem.type.empty() && problem.detail.empty())
        problem.detail = "HTTP " + std::to_string(response.status) + " with " +
                         (response.header("content-type").empty() ? std::string("no content type")
                                                                 : "content type " + shown(response.header("content-type"))) +
                         (response.body.empty() ? std::string() : ": \"" + shown(response.body.substr(0, 200)) + "\"");
    problem.status = response.status;
    problem.retryAfter = retryAfterOf(response);
    return problem;
}

void throwProblem(const Problem& problem, std::string_view during)
{
    std::string message = std::string(during) + ": " + problem.text();
    if (problem.retryAfter)
        message += " (the server asks to retry after " + std::to_string(*problem.retryAfter) + " s)";
    throw Error(ErrorCode::ACMEFailed, message);
}

} // namespace certd::acme
