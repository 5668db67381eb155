// Text helpers for values that leave certd as D-Bus strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace certd {

// D-Bus refuses strings that are not UTF-8, and certificates may carry any
// bytes: invalid sequences and NULs become U+FFFD instead of failing a call.
std::string toValidUtf8(std::string_view text);

// Length of the well-formed UTF-8 sequence at text[i] (1 for ASCII other
// than NUL; no overlongs, surrogates or code points past U+10FFFF), or 0.
std::size_t validUtf8SequenceLength(std::string_view text, std::size_t i);

// Lowercase hex of bytes.
std::string toHex(const unsigned char* data, std::size_t size);

} // namespace certd
