// The names certd is reached by. One versioned name for bus, path and
// interface prefix, like org.freedesktop.hostname1. Everything that talks to
// certd (tests, benchmark, clients) uses these too.
#pragma once

#include <string>
#include <string_view>

namespace certd::bus {

inline constexpr const char* serviceName = "org.certd.Certd1";
inline constexpr const char* managerPath = "/org/certd/Certd1";
inline constexpr std::string_view caPathPrefix = "/org/certd/Certd1/ca/";
inline constexpr std::string_view hostPathPrefix = "/org/certd/Certd1/host/";
inline constexpr std::string_view errorPrefix = "org.certd.Certd1.Error.";

inline constexpr const char* managerInterface = "org.certd.Certd1.Manager";
inline constexpr const char* caInterface = "org.certd.Certd1.CACertificate";
inline constexpr const char* hostInterface = "org.certd.Certd1.HostCertificate";

inline std::string caObjectPath(std::string_view fingerprint)
{
    return std::string(caPathPrefix) + std::string(fingerprint);
}

// "https" -> /org/certd/Certd1/host/https
inline std::string hostObjectPath(std::string_view service)
{
    return std::string(hostPathPrefix) + std::string(service);
}

} // namespace certd::bus
