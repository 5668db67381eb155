// GenerationSettings in certd's records (host certificate records, pending
// requests): written as JSON, read back as untrusted bytes (Internal when
// damaged, see base/json_reading.h).
#pragma once

#include "host/generation.h"

#include <nlohmann/json_fwd.hpp>

namespace certd {

nlohmann::json generationSettingsToJson(const GenerationSettings& settings);
GenerationSettings generationSettingsFromJson(const nlohmann::json& object);

} // namespace certd
