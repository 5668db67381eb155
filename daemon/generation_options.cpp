#include "generation_options.h"

#include "base/error.h"

namespace certd {
namespace {

[[noreturn]] void invalid(const std::string& message)
{
    throw Error(ErrorCode::InvalidArgument, message);
}

template <typename T>
T valueOf(const std::string& name, const sdbus::Variant& value, const char* signature)
{
    if (!value.containsValueOfType<T>())
        invalid("Option " + name + " must be of D-Bus type " + signature + ", not " + value.peekValueType());
    return value.get<T>();
}

} // namespace

GenerationRequest generationRequestFrom(const std::map<std::string, sdbus::Variant>& options)
{
    GenerationRequest request;
    for (const auto& [name, value] : options) {
        if (name == "Hostname")
            request.hostname = valueOf<std::string>(name, value, "s");
        else if (name == "KeyType")
            request.keyType = valueOf<std::string>(name, value, "s");
        else if (name == "ValidityDays")
            request.validityDays = valueOf<uint32_t>(name, value, "u");
        else if (name == "AdditionalNames")
            request.additionalNames = valueOf<std::vector<std::string>>(name, value, "as");
        else
            invalid("Unknown option \"" + name + "\"; the options are Hostname, KeyType, ValidityDays and "
                    "AdditionalNames");
    }
    return request;
}

} // namespace certd
