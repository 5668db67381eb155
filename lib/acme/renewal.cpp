#include "acme/renewal.h"

#include "acme/jose.h"
#include "base/error.h"
#include "x509/openssl_ptr.h"

#include <nlohmann/json.hpp>
#include <openssl/x509v3.h>

#include <charconv>
#include <ctime>

namespace certd::acme {
namespace {

bool digits(std::string_view text, std::size_t at, std::size_t count, int& value)
{
    if (at + count > text.size())
        return false;
    const auto [end, error] = std::from_chars(text.data() + at, text.data() + at + count, value);
    return error == std::errc() && end == text.data() + at + count;
}

} // namespace

std::string renewalCertificateId(const X509& certificate)
{
    const ASN1_OCTET_STRING* keyId = X509_get0_authority_key_id(const_cast<X509*>(&certificate));
    if (keyId == nullptr)
        throw Error(ErrorCode::InvalidArgument, "The certificate has no authority key identifier");
    const ASN1_INTEGER* serial = X509_get0_serialNumber(&certificate);
    // i2d gives tag, length, content; ARI wants the content octets.
    unsigned char* der = nullptr;
    const int length = i2d_ASN1_INTEGER(serial, &der);
    if (length < 2)
        throw Error(ErrorCode::Internal, "Cannot encode a serial number");
    const OpenSslBytes owned(der);
    std::size_t header = 2;
    if (der[1] & 0x80)
        header += der[1] & 0x7f;
    return base64Url(ByteView(ASN1_STRING_get0_data(keyId), static_cast<std::size_t>(ASN1_STRING_length(keyId)))) +
           "." + base64Url(ByteView(der + header, static_cast<std::size_t>(length) - header));
}

std::optional<std::int64_t> parseRfc3339(std::string_view text)
{
    std::tm tm{};
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(text, 0, 4, year) || text.size() < 20 || text[4] != '-' || !digits(text, 5, 2, month) ||
        text[7] != '-' || !digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't') ||
        !digits(text, 11, 2, hour) || text[13] != ':' || !digits(text, 14, 2, minute) || text[16] != ':' ||
        !digits(text, 17, 2, second))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    std::size_t at = 19;
    if (at < text.size() && text[at] == '.') {
        ++at;
        const std::size_t start = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9')
            ++at;
        if (at == start)
            return std::nullopt;
    }
    std::int64_t offset = 0;
    const std::string_view zone = text.substr(at);
    if (zone == "Z" || zone == "z") {
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
        int hours = 0, minutes = 0;
        if (!digits(zone, 1, 2, hours) || !digits(zone, 4, 2, minutes) || hours > 23 || minutes > 59)
            return std::nullopt;
        offset = (zone[0] == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
    } else {
        return std::nullopt;
    }
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    return static_cast<std::int64_t>(timegm(&tm)) - offset;
}

RenewalWindow parseRenewalInfo(std::string_view json)
{
    const auto fail = [](const std::string& why) -> RenewalWindow {
        throw Error(ErrorCode::ACMEFailed, "Reading renewal information: " + why);
    };
    const auto parsed = nlohmann::json::parse(json, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        return fail("it is not a JSON object");
    const auto window = parsed.find("suggestedWindow");
    if (window == parsed.end() || !window->is_object())
        return fail("it has no suggestedWindow");
    const auto time = [&](const char* name) -> std::optional<std::int64_t> {
        const auto value = window->find(name);
        return value != window->end() && value->is_string() ? parseRfc3339(value->get<std::string>()) : std::nullopt;
    };
    const auto start = time("start");
    const auto end = time("end");
    if (!start || !end)
        return fail("its suggestedWindow needs start and end as RFC 3339 times");
    if (*end <= *start)
        return fail("its suggestedWindow ends before it starts");
    return {*start, *end};
}

std::int64_t renewalTime(std::int64_t notBefore, std::int64_t notAfter, const std::optional<RenewalWindow>& window)
{
    if (window)
        return window->start;
    return notAfter - (notAfter - notBefore) / 3;
}

} // namespace certd::acme
