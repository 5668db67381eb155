// Generate's and CreateRequest's a{sv} options as lib's requests: the D-Bus part only
// (known keys, D-Bus types). What the values must be is lib/host's rule.
#pragma once

#include "host/appliance_ca.h"
#include "host/generation.h"
#include "host/pending_request.h"

#include <sdbus-c++/Types.h>

#include <map>

namespace certd {

// InvalidArgument (as a certd::Error) for an unknown key or a value of the
// wrong D-Bus type.
GenerationRequest generationRequestFrom(const std::map<std::string, sdbus::Variant>& options);

// RotateApplianceCA's: CommonName, KeyType, ValidityDays over configured.
ApplianceCaSettings rotationSettingsFrom(const std::map<std::string, sdbus::Variant>& options,
                                         ApplianceCaSettings configured);

// CreateRequest's: Generate's names, no ValidityDays, and the subject fields.
RequestOptions requestOptionsFrom(const std::map<std::string, sdbus::Variant>& options);

} // namespace certd
