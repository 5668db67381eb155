#include "host/hostname.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <climits>

namespace certd {
namespace {

std::string whyNotALabel(std::string_view label)
{
    if (label.empty())
        return "it has an empty label";
    if (label.size() > 63)
        return "the label \"" + std::string(label) + "\" is longer than 63 characters";
    const auto allowed = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    };
    if (!std::all_of(label.begin(), label.end(), allowed))
        return "the label \"" + std::string(label) + "\" has characters other than letters, digits and '-'";
    if (label.front() == '-' || label.back() == '-')
        return "the label \"" + std::string(label) + "\" starts or ends with '-'";
    return {};
}

} // namespace

std::string toLower(std::string_view text)
{
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower;
}

std::string currentHostname()
{
    char name[HOST_NAME_MAX + 1] = {};
    if (::gethostname(name, sizeof name - 1) != 0)
        return {};
    return toLower(name);
}

std::string whyNotAHostname(std::string_view name)
{
    if (name.empty())
        return "it is empty";
    if (name.size() > 253)
        return "it is longer than 253 characters";
    if (isIpAddress(name))
        return "it is an IP address, not a host name";
    std::size_t start = 0;
    for (;;) {
        const auto dot = name.find('.', start);
        if (auto why = whyNotALabel(name.substr(start, dot - start)); !why.empty())
            return why;
        if (dot == std::string_view::npos)
            break;
        start = dot + 1;
    }
    const auto lastLabel = name.substr(name.rfind('.') + 1);
    if (std::all_of(lastLabel.begin(), lastLabel.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return "its last label is all digits";
    return {};
}

bool isIpAddress(std::string_view text)
{
    const std::string address(text);
    unsigned char buffer[16];
    return ::inet_pton(AF_INET, address.c_str(), buffer) == 1 ||
           ::inet_pton(AF_INET6, address.c_str(), buffer) == 1;
}

std::string canonicalIpAddress(std::string_view text)
{
    const std::string address(text);
    unsigned char buffer[16];
    char canonical[INET6_ADDRSTRLEN] = {};
    for (const int family : {AF_INET, AF_INET6})
        if (::inet_pton(family, address.c_str(), buffer) == 1 &&
            ::inet_ntop(family, buffer, canonical, sizeof canonical))
            return canonical;
    return address;
}

std::string whyNotACertificateName(std::string_view name)
{
    if (isIpAddress(name))
        return {};
    if (!name.starts_with("*."))
        return whyNotAHostname(name);
    name.remove_prefix(2);
    if (auto why = whyNotAHostname(name); !why.empty())
        return why;
    // Browsers refuse "*.com": a wildcard needs at least two labels under it.
    if (name.find('.') == std::string_view::npos)
        return "a wildcard must stand for a label under a domain of two labels or more, not \"*." +
               std::string(name) + "\"";
    return {};
}

std::string shortName(std::string_view hostname)
{
    const auto dot = hostname.find('.');
    return dot == std::string_view::npos ? std::string() : std::string(hostname.substr(0, dot));
}

} // namespace certd
