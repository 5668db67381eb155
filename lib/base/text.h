// Text helpers for values that leave certd as D-Bus strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace certd {

// D-Bus refuses strings that are not UTF-8, and certificates may carry any
// bytes: invalid sequences and NULs become U+FFFD instead of failing a call.
std::string toValidUtf8(std::string_view text);

// Lowercase hex of bytes.
std::string toHex(const unsigned char* data, std::size_t size);

} // namespace certd
