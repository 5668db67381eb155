// What an ACME server sends: directories, problem documents (as error
// responses and embedded in challenges), renewal information and its RFC
// 3339 times, base64url. Only certd::Error may come out.
#include "acme/client.h"
#include "acme/jose.h"
#include "acme/problem.h"
#include "acme/renewal.h"
#include "base/error.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

template <typename Call>
void tolerate(Call&& call)
{
    try {
        call();
    } catch (const certd::Error&) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    tolerate([&] { certd::acme::parseDirectory(text); });
    tolerate([&] { certd::acme::parseRenewalInfo(text); });
    tolerate([&] { certd::acme::fromBase64Url(text); });
    certd::acme::parseRfc3339(text);
    certd::acme::HttpResponse response{429, {{"content-type", "application/problem+json"}, {"retry-after", text}}, text};
    certd::acme::problemOf(response).text();
    tolerate([&] { certd::acme::jsonOf(response, "fuzz"); });
    const auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (!parsed.is_discarded())
        certd::acme::problemOf(parsed).text();
    return 0;
}
