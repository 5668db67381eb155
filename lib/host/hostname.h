// Host names and the names a host certificate is valid for.
#pragma once

#include <string>
#include <string_view>

namespace certd {

// The system's current host name (gethostname), lowercased.
std::string currentHostname();

// A DNS host name: labels of letters, digits and hyphens (not first or last
// in a label), 1-63 characters each, 253 in all. Empty when valid, else why not.
std::string whyNotAHostname(std::string_view name);

// An IPv4 or IPv6 address in text form.
bool isIpAddress(std::string_view text);

// The address as inet_ntop writes it ("2001:DB8:0::1" -> "2001:db8::1");
// text unchanged when it is no address.
std::string canonicalIpAddress(std::string_view text);

// A name a certificate may list: a host name, optionally with a leading
// "*." wildcard label, or an IP address. Empty when valid, else why not.
std::string whyNotACertificateName(std::string_view name);

// "probe.example.com" -> "probe"; empty for a name without a dot.
std::string shortName(std::string_view hostname);

std::string toLower(std::string_view text);

} // namespace certd
