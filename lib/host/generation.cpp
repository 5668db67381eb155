#include "host/generation.h"

#include "base/error.h"
#include "host/hostname.h"

namespace certd {
namespace {

[[noreturn]] void invalid(const std::string& message)
{
    throw Error(ErrorCode::InvalidArgument, message);
}

} // namespace

GenerationSettings resolveGeneration(const GenerationRequest& request, const std::string& systemHostname)
{
    GenerationSettings settings;
    if (request.hostname) {
        settings.hostname = toLower(*request.hostname);
    } else {
        settings.hostname = toLower(systemHostname);
        if (const auto why = whyNotAHostname(settings.hostname); !why.empty())
            invalid("The system's host name \"" + settings.hostname + "\" is not a valid DNS name (" + why +
                    "); pass the Hostname option");
    }
    if (request.keyType) {
        const auto type = parseKeyType(*request.keyType);
        if (!type)
            invalid("KeyType \"" + *request.keyType + "\" is not one of " + keyTypeNames());
        settings.keyType = *type;
    }
    if (request.validityDays)
        settings.validityDays = *request.validityDays;
    if (request.additionalNames)
        settings.additionalNames = *request.additionalNames;
    validateGenerationSettings(settings);
    return settings;
}

void validateGenerationSettings(const GenerationSettings& settings)
{
    if (auto why = whyNotAHostname(settings.hostname); !why.empty())
        invalid("Hostname \"" + settings.hostname + "\" is not a valid host name: " + why);
    if (settings.validityDays < 1 || settings.validityDays > maxValidityDays)
        invalid("ValidityDays " + std::to_string(settings.validityDays) + " is out of range: 1 to " +
                std::to_string(maxValidityDays) + " days (browsers refuse longer-lived certificates from a local CA)");
    for (const auto& name : settings.additionalNames)
        if (auto why = whyNotACertificateName(name); !why.empty())
            invalid("AdditionalNames entry \"" + name + "\" is neither a valid DNS name nor an IP address: " + why);
}

FirstStart firstStartSettings(const std::string& systemHostname)
{
    FirstStart first;
    first.settings.hostname = toLower(systemHostname);
    if (const auto why = whyNotAHostname(first.settings.hostname); !why.empty()) {
        first.note = "The host name \"" + first.settings.hostname + "\" is not a valid DNS name (" + why +
                     "); the first certificates are for \"localhost\" until one is generated for a valid name";
        first.settings.hostname = "localhost";
    }
    return first;
}

} // namespace certd
