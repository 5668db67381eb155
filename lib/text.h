// Text helpers for values that leave certd as D-Bus strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace certd {

// D-Bus refuses strings that are not UTF-8, and certificates may carry any
// bytes: invalid sequences and NULs become U+FFFD instead of failing a call.
std::string toValidUtf8(std::string_view text);

// The current time in seconds since the Unix epoch (the one clock certd
// reads, so that tests can move it with libfaketime).
std::int64_t unixNow();

// Seconds since the Unix epoch as "2025-05-30 10:48:38 UTC", for messages.
std::string formatUtcTime(std::int64_t unixTime);

// Lowercase hex of bytes.
std::string toHex(const unsigned char* data, std::size_t size);

} // namespace certd
