#include "generation_options.h"

#include "base/error.h"
#include "host/hostname.h"

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

GenerationSettings generationSettingsFrom(const std::map<std::string, sdbus::Variant>& options)
{
    GenerationSettings settings;
    settings.hostname = currentHostname();
    for (const auto& [name, value] : options) {
        if (name == "Hostname") {
            settings.hostname = toLower(valueOf<std::string>(name, value, "s"));
        } else if (name == "KeyType") {
            const auto text = valueOf<std::string>(name, value, "s");
            const auto type = parseKeyType(text);
            if (!type)
                invalid("KeyType \"" + text + "\" is not one of " + keyTypeNames());
            settings.keyType = *type;
        } else if (name == "ValidityDays") {
            settings.validityDays = valueOf<uint32_t>(name, value, "u");
        } else if (name == "AdditionalNames") {
            settings.additionalNames = valueOf<std::vector<std::string>>(name, value, "as");
        } else {
            invalid("Unknown option \"" + name + "\"; the options are Hostname, KeyType, ValidityDays and "
                    "AdditionalNames");
        }
    }
    if (!options.contains("Hostname") && !whyNotAHostname(settings.hostname).empty())
        invalid("The system's host name \"" + settings.hostname +
                "\" is not a valid DNS name (" + whyNotAHostname(settings.hostname) + "); pass the Hostname option");
    validateGenerationSettings(settings);
    return settings;
}

} // namespace certd
