// The names certd is reached by. One versioned name for bus, path and
// interface prefix, like org.freedesktop.hostname1.
#pragma once

#include <string>
#include <string_view>

namespace certd::bus {

inline constexpr const char* serviceName = "org.certd.Certd1";
inline constexpr const char* managerPath = "/org/certd/Certd1";
inline constexpr std::string_view caPathPrefix = "/org/certd/Certd1/ca/";
inline constexpr std::string_view errorPrefix = "org.certd.Certd1.Error.";

inline std::string caObjectPath(std::string_view fingerprint)
{
    return std::string(caPathPrefix) + std::string(fingerprint);
}

} // namespace certd::bus
