#include "properties.h"

#include <vector>

namespace certd::cli {
namespace {

constexpr PropertyView caViews[] = {
    {"CommonName", "Common Name"},
    {"Subject", "Subject"},
    {"Issuer", "Issuer"},
    {"Fingerprint", "Fingerprint"},
    {"SerialNumber", "Serial Number"},
    {"NotBefore", "Valid From"},
    {"NotAfter", "Expires"},
    {"SelfSigned", "Self-Signed"},
    {"PathLength", "Path Length"},
    {"KeyType", "Key Type"},
    {"SignatureAlgorithm", "Signature"},
    {"SubjectAlternativeNames", "Alt. Names"},
};

constexpr PropertyView hostViews[] = {
    {"Service", "Service"},
    {"Origin", "Origin"},
    {"CommonName", "Common Name"},
    {"SubjectAlternativeNames", "Alt. Names"},
    {"HostnameMatches", "Matches Host"},
    {"Issuer", "Issuer"},
    {"NotBefore", "Valid From"},
    {"NotAfter", "Expires"},
    {"KeyType", "Key Type"},
    {"SignatureAlgorithm", "Signature"},
    {"SerialNumber", "Serial Number"},
    {"Fingerprint", "Fingerprint"},
    {"CertificatePath", "Certificate"},
    {"ChainPath", "Chain"},
    {"PrivateKeyPath", "Private Key"},
    {"PendingRequestSubject", "Pending Request"},
    {"RenewalDue", "Renewal Due"},
    {"ACMEStatus", "ACME"},
    {"ACMELastError", "ACME Error"},
};

bool isDate(const std::string& name)
{
    return name == "NotBefore" || name == "NotAfter" || name == "RenewalDue";
}

std::string joined(const std::vector<std::string>& items)
{
    std::string text;
    for (const auto& item : items)
        text += (text.empty() ? "" : ", ") + item;
    return text;
}

void describeOne(const std::string& name, const char* label, const sdbus::Variant& value, std::int64_t now,
                 Fields& fields, nlohmann::json& json)
{
    const std::string type = value.peekValueType();
    if (type == "x" && isDate(name)) {
        const auto when = value.get<std::int64_t>();
        fields.add(label, humanDate(when, now));
        putDate(json, name, when);
    } else if (type == "b") {
        const bool flag = value.get<bool>();
        fields.add(label, flag ? "yes" : "no");
        json[name] = flag;
    } else if (type == "as") {
        const auto items = value.get<std::vector<std::string>>();
        fields.add(label, items.empty() ? "-" : joined(items));
        json[name] = items;
    } else if (type == "i") {
        const auto number = value.get<std::int32_t>();
        // PathLength is the only integer shown; -1 means no constraint.
        fields.add(label, number < 0 ? "unlimited" : std::to_string(number));
        json[name] = number;
    } else if (type == "s") {
        const auto text = value.get<std::string>();
        fields.add(label, text.empty() ? "-" : text);
        json[name] = text;
    }
}

template <typename T>
T valueOf(const Properties& properties, const std::string& name, const char* type, T otherwise)
{
    const auto found = properties.find(name);
    if (found == properties.end() || found->second.peekValueType() != type)
        return otherwise;
    return found->second.get<T>();
}

} // namespace

std::span<const PropertyView> caPropertyViews()
{
    return caViews;
}

std::span<const PropertyView> hostPropertyViews()
{
    return hostViews;
}

void describe(const Properties& properties, std::span<const PropertyView> views, std::int64_t now, Fields& fields,
              nlohmann::json& json)
{
    for (const auto& view : views)
        if (const auto found = properties.find(view.name); found != properties.end())
            describeOne(view.name, view.label, found->second, now, fields, json);
}

std::string textOf(const Properties& properties, const std::string& name)
{
    return valueOf<std::string>(properties, name, "s", {});
}

std::int64_t numberOf(const Properties& properties, const std::string& name)
{
    return valueOf<std::int64_t>(properties, name, "x", 0);
}

bool flagOf(const Properties& properties, const std::string& name)
{
    return valueOf<bool>(properties, name, "b", false);
}

} // namespace certd::cli
