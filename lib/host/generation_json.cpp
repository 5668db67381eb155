#include "host/generation_json.h"

#include "base/error.h"
#include "base/json_reading.h"

namespace certd {

nlohmann::json generationSettingsToJson(const GenerationSettings& settings)
{
    return {{"hostname", settings.hostname},
            {"keyType", keyTypeName(settings.keyType)},
            {"validityDays", settings.validityDays},
            {"additionalNames", settings.additionalNames}};
}

GenerationSettings generationSettingsFromJson(const nlohmann::json& object)
{
    GenerationSettings settings;
    settings.hostname = json::text(json::member(object, "hostname"));
    const auto keyType = parseKeyType(json::text(json::member(object, "keyType")));
    if (!keyType)
        throw Error(ErrorCode::Internal, "unknown key type");
    settings.keyType = *keyType;
    settings.validityDays = json::integer<unsigned>(json::member(object, "validityDays"));
    settings.additionalNames = json::texts(json::member(object, "additionalNames"));
    return settings;
}

} // namespace certd
