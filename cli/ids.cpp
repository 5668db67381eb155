#include "ids.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace certd::cli {
namespace {

bool isHex(const std::string& text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

std::string listed(const std::vector<const CaSummary*>& candidates)
{
    std::string text;
    for (const auto* ca : candidates)
        text += "\n  " + ca->fingerprint + "  " + ca->commonName;
    return text;
}

} // namespace

std::string resolveCaId(const std::string& id, const std::vector<CaSummary>& cas)
{
    std::vector<const CaSummary*> matches;
    const std::string hex = lower(id);
    if (isHex(hex) && hex.size() >= 8)
        for (const auto& ca : cas)
            if (ca.fingerprint.starts_with(hex))
                matches.push_back(&ca);
    if (matches.empty())
        for (const auto& ca : cas)
            if (ca.commonName == id)
                matches.push_back(&ca);
    if (matches.size() == 1)
        return matches.front()->fingerprint;
    if (matches.size() > 1)
        throw std::invalid_argument("\"" + id + "\" is ambiguous; it could be any of:" + listed(matches) +
                                    "\nGive more of the fingerprint.");
    std::string why = "No stored CA certificate is \"" + id + "\"";
    if (isHex(hex) && hex.size() < 8)
        why += " (a fingerprint prefix needs at least 8 hex digits)";
    std::vector<const CaSummary*> similar;
    for (const auto& ca : cas)
        if (lower(ca.commonName).find(lower(id)) != std::string::npos)
            similar.push_back(&ca);
    if (!similar.empty())
        why += "; did you mean:" + listed(similar);
    else
        why += "; `certctl list-cas` lists them";
    throw std::invalid_argument(why);
}

} // namespace certd::cli
