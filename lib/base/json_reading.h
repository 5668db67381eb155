// Reading the JSON and CBOR files certd keeps (host records, the expiry
// log, the details cache) as untrusted bytes: they may be damaged on disk.
// Nesting is limited before it can exhaust the stack, declared lengths must
// fit the input, and values are taken only with the exact type and range
// asked for (a double is never converted to an integer). Every failure is
// an Error(Internal) saying what was wrong, for the caller's "damaged" path.
#pragma once

#include <nlohmann/json.hpp>

#include <concepts>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace certd::json {

using Json = nlohmann::json;

inline constexpr int maxNesting = 16;

Json parseText(std::string_view text);
Json parseCbor(std::string_view bytes);

// The member key of object (which must be an object).
const Json& member(const Json& object, const char* key);
// Element index of array (which must be an array).
const Json& element(const Json& array, std::size_t index);

std::string text(const Json& value);
bool boolean(const Json& value);
std::vector<std::string> texts(const Json& value);

[[noreturn]] void throwWrongValue(const char* expected);

template <std::integral T>
T integer(const Json& value)
{
    if (value.is_number_unsigned()) {
        const auto number = value.get<Json::number_unsigned_t>();
        if (number <= static_cast<std::make_unsigned_t<T>>(std::numeric_limits<T>::max()))
            return static_cast<T>(number);
    } else if (value.is_number_integer()) {
        const auto number = value.get<Json::number_integer_t>();
        if (number >= static_cast<Json::number_integer_t>(std::numeric_limits<T>::min()) &&
            (number < 0 || static_cast<std::uint64_t>(number) <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())))
            return static_cast<T>(number);
    }
    throwWrongValue("an integer in range");
}

} // namespace certd::json
