#include "config/config.h"

#include "base/atomic_file.h"
#include "base/error.h"
#include "host/service_directory.h"

#include <ini.h>
#include <grp.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <system_error>

namespace certd {
namespace {

// Thrown by a value parser; the caller adds file, line and key.
struct InvalidValue {
    std::string reason;
};

using ValueParser = std::function<void(Config&, const std::string& value)>;
using Section = std::map<std::string, ValueParser, std::less<>>;

gid_t resolveGroup(const std::string& name)
{
    errno = 0;
    if (const group* entry = ::getgrnam(name.c_str()))
        return entry->gr_gid;
    throw InvalidValue{"no group named \"" + name + "\" exists"};
}

std::optional<gid_t> optionalGroup(const std::string& name)
{
    return name.empty() ? std::nullopt : std::optional(resolveGroup(name));
}

void requireUnitName(const std::string& unit)
{
    const auto allowed = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || std::strchr(":_.\\@-", c); };
    if (!unit.empty() && (!unit.ends_with(".service") || unit.size() == 8 ||
                          !std::all_of(unit.begin(), unit.end(), allowed)))
        throw InvalidValue{"not a systemd service unit name such as nginx.service"};
}

// systemd's spellings of a boolean.
bool parseBoolean(const std::string& value)
{
    std::string lower;
    for (const char c : value)
        lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lower == "yes" || lower == "true" || lower == "on" || lower == "1")
        return true;
    if (lower == "no" || lower == "false" || lower == "off" || lower == "0")
        return false;
    throw InvalidValue{"must be yes or no"};
}

void requireAbsolutePath(const std::string& value, const char* what)
{
    if (!value.empty() && !std::filesystem::path(value).is_absolute())
        throw InvalidValue{std::string("must be an absolute path (") + what + ")"};
}

bool hasSpaceOrControl(const std::string& value)
{
    return std::any_of(value.begin(), value.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; });
}

Section acmeSection()
{
    return {
        {"DirectoryURL",
         [](Config& config, const std::string& value) {
             if (!value.empty() && (!value.starts_with("https://") || value.size() == 8 || hasSpaceOrControl(value)))
                 throw InvalidValue{"must be the https:// URL of an ACME directory (certd speaks verified HTTPS only), "
                                    "or empty for no ACME"};
             config.acme.directoryUrl = value;
         }},
        {"Email",
         [](Config& config, const std::string& value) {
             const auto at = value.find('@');
             if (!value.empty() && (at == 0 || at == std::string::npos || at + 1 == value.size() ||
                                    hasSpaceOrControl(value) || value.size() > 254))
                 throw InvalidValue{"must be an e-mail address such as admin@example.com"};
             config.acme.email = value;
         }},
        {"AgreeToTermsOfService",
         [](Config& config, const std::string& value) { config.acme.agreeToTermsOfService = parseBoolean(value); }},
        {"ExternalAccountKeyID",
         [](Config& config, const std::string& value) {
             if (hasSpaceOrControl(value))
                 throw InvalidValue{"must be the key identifier the CA gave, without spaces"};
             config.acme.eabKeyId = value;
         }},
        {"ExternalAccountHMACKey",
         [](Config& config, const std::string& value) {
             const bool base64Url = std::all_of(value.begin(), value.end(), [](unsigned char c) {
                 return std::isalnum(c) || c == '-' || c == '_';
             });
             if (!base64Url)
                 throw InvalidValue{"must be the MAC key the CA gave, in base64url (letters, digits, - and _)"};
             config.acme.eabHmacKey = value;
         }},
        {"Proxy",
         [](Config& config, const std::string& value) {
             const bool known = value.starts_with("http://") || value.starts_with("https://") ||
                                value.starts_with("socks5://") || value.starts_with("socks5h://");
             if (!value.empty() && (!known || hasSpaceOrControl(value)))
                 throw InvalidValue{"must be a proxy URL such as http://proxy.example.com:3128 (http, https, "
                                    "socks5, socks5h), or empty for none"};
             config.acme.proxy = value;
         }},
        {"Challenge",
         [](Config& config, const std::string& value) {
             if (value != "http-01" && value != "dns-01")
                 throw InvalidValue{"must be http-01 or dns-01"};
             config.acme.challenge = value;
         }},
        {"Webroot",
         [](Config& config, const std::string& value) {
             requireAbsolutePath(value, "the directory the web server serves on port 80");
             config.acme.webroot = value;
         }},
        {"DNSHook",
         [](Config& config, const std::string& value) {
             requireAbsolutePath(value, "an executable called as HOOK add|remove NAME VALUE");
             config.acme.dnsHook = value;
         }},
    };
}

Section serviceSection(const std::string& service)
{
    return {
        {"Directory",
         [service](Config& config, const std::string& value) {
             if (!value.empty() && !std::filesystem::path(value).is_absolute())
                 throw InvalidValue{"must be an absolute path (or empty for the default)"};
             if (value.empty())
                 return;
             if (auto why = whyNotAServiceDirectory(value); !why.empty())
                 throw InvalidValue{why};
             for (const auto& [other, settings] : config.services)
                 if (other != service && !settings.directory.empty())
                     if (auto why = whyNotApart(value, settings.directory); !why.empty())
                         throw InvalidValue{"each service needs a directory of its own, and [" + other +
                                            "] has Directory=" + settings.directory.string() + ": " + why};
             config.services[service].directory = value;
         }},
        {"KeyGroup",
         [service](Config& config, const std::string& value) {
             config.services[service].keyGroupName = value;
             config.services[service].keyGroup = optionalGroup(value);
         }},
        {"ReloadUnit",
         [service](Config& config, const std::string& value) {
             requireUnitName(value);
             config.services[service].reloadUnit = value;
         }},
    };
}

const std::map<std::string, Section, std::less<>>& schema()
{
    static const std::map<std::string, Section, std::less<>> sections = [] {
        std::map<std::string, Section, std::less<>> all{
            {"Access",
             {{"AdminGroup",
               [](Config& config, const std::string& value) {
                   config.access.adminGroup = value;
                   config.access.adminGroupId = optionalGroup(value);
               }}}},
            {"ApplianceCA",
             {{"CommonName",
               [](Config& config, const std::string& value) {
                   if (value.empty() || value.size() > 64)
                       throw InvalidValue{"must be 1 to 64 characters"};
                   config.applianceCa.commonName = value;
               }},
              {"KeyType",
               [](Config& config, const std::string& value) {
                   const auto type = parseKeyType(value);
                   if (!type)
                       throw InvalidValue{"must be one of " + keyTypeNames()};
                   config.applianceCa.keyType = *type;
               }},
              {"OverlapDays",
               [](Config& config, const std::string& value) {
                   const bool digits = !value.empty() && value.size() <= 4 &&
                                       std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
                   if (!digits || std::stoul(value) > 3650)
                       throw InvalidValue{"must be a number of days from 0 (hand out the new CA alone) to 3650"};
                   config.applianceCa.overlapDays = static_cast<unsigned>(std::stoul(value));
               }}}},
            {"Trust",
             {{"SystemTrust",
               [](Config& config, const std::string& value) {
                   config.trust.systemTrust = parseBoolean(value);
               }}}},
            {"Metrics",
             {{"TextfileDirectory",
               [](Config& config, const std::string& value) {
                   if (!value.empty() && !std::filesystem::path(value).is_absolute())
                       throw InvalidValue{"must be an absolute path (node_exporter's --collector.textfile.directory), "
                                          "or empty for no metrics"};
                   config.metrics.textfileDirectory = value;
               }}}},
            {"Expiry",
             {{"WarnDays",
               [](Config& config, const std::string& value) {
                   try {
                       config.expiry.warnDays = parseWarnDays(value);
                   } catch (const Error& invalid) {
                       throw InvalidValue{invalid.what()};
                   }
               }},
              {"RenewDays",
               [](Config& config, const std::string& value) {
                   const bool digits = !value.empty() && value.size() <= 3 &&
                                       std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
                   if (!digits || std::stoul(value) > maxValidityDays)
                       throw InvalidValue{"must be a number of days from 0 (no renewal) to " +
                                          std::to_string(maxValidityDays)};
                   config.expiry.renewDays = static_cast<unsigned>(std::stoul(value));
               }}}},
        };
        all.emplace("ACME", acmeSection());
        for (const char* service : serviceNames)
            all.emplace(service, serviceSection(service));
        return all;
    }();
    return sections;
}

Config defaults()
{
    Config config;
    for (const char* service : serviceNames)
        config.services[service];
    return config;
}

struct ParseState {
    Config config = defaults();
    std::string firstError; // without the line, which ini_parse reports
    std::set<std::string> seen;
};

int handleEntry(void* user, const char* section, const char* key, const char* value)
{
    auto& state = *static_cast<ParseState*>(user);
    const auto fail = [&](const std::string& message) {
        if (state.firstError.empty())
            state.firstError = message;
        return 0;
    };
    const auto foundSection = schema().find(section);
    if (foundSection == schema().end())
        return fail("unknown section [" + std::string(section) + "] (key " + key + "=)");
    const auto foundKey = foundSection->second.find(key);
    if (foundKey == foundSection->second.end())
        return fail("unknown key " + std::string(key) + "= in section [" + section + "]");
    if (!state.seen.insert(std::string(section) + "/" + key).second)
        return fail("key " + std::string(key) + "= in section [" + section +
                    "] is set twice (lines starting with whitespace continue the previous value)");
    try {
        foundKey->second(state.config, value);
    } catch (const InvalidValue& invalid) {
        return fail("invalid value \"" + std::string(value) + "\" for " + key + "= in section [" +
                    section + "]: " + invalid.reason);
    }
    return 1;
}

Config finish(const ParseState& state, int result, const std::string& fileName)
{
    if (result == 0)
        return state.config;
    if (result < 0)
        throw Error(ErrorCode::InvalidConfiguration, fileName + ": could not be read");
    const std::string where = fileName + ":" + std::to_string(result) + ": ";
    if (state.firstError.empty())
        throw Error(ErrorCode::InvalidConfiguration, where + "not a section header, key=value line or comment");
    throw Error(ErrorCode::InvalidConfiguration, where + state.firstError);
}

} // namespace

Config parseConfig(const std::string& text, const std::string& fileName)
{
    ParseState state;
    return finish(state, ini_parse_string(text.c_str(), handleEntry, &state), fileName);
}

Config loadConfig(const std::filesystem::path& file, bool required)
{
    std::error_code error;
    if (!std::filesystem::exists(file, error)) {
        if (required)
            throw Error(ErrorCode::InvalidConfiguration, file.string() + ": no such file");
        return defaults();
    }
    std::string text;
    try {
        text = readFile(file, 1024 * 1024);
    } catch (const std::exception& failure) {
        throw Error(ErrorCode::InvalidConfiguration, failure.what());
    }
    return parseConfig(text, file.string());
}

} // namespace certd
