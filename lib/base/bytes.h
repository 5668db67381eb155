// Byte buffers as they cross lib's API (D-Bus "ay" maps onto these).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace certd {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView asBytes(std::string_view text)
{
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

inline Bytes toBytes(std::string_view text)
{
    const auto view = asBytes(text);
    return {view.begin(), view.end()};
}

} // namespace certd
