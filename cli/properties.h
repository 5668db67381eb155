// Certificate properties as certctl shows them: which ones, under which
// label, in which words ("yes", dates with their distance from now), and
// the same values for --json under their D-Bus names.
#pragma once

#include "certd_bus.h"
#include "output.h"

#include <cstdint>
#include <span>
#include <string>

namespace certd::cli {

struct PropertyView {
    const char* name;  // D-Bus property name, also the JSON key
    const char* label; // what hostnamectl-style output calls it
};

// The views of show-ca, inspect-ca and show-host.
std::span<const PropertyView> caPropertyViews();
std::span<const PropertyView> hostPropertyViews();

// Adds each listed property present in properties to fields and json.
void describe(const Properties& properties, std::span<const PropertyView> views, std::int64_t now, Fields& fields,
              nlohmann::json& json);

// Typed reads that tolerate a missing property (older certd, other types).
std::string textOf(const Properties& properties, const std::string& name);
std::int64_t numberOf(const Properties& properties, const std::string& name);
bool flagOf(const Properties& properties, const std::string& name);

} // namespace certd::cli
