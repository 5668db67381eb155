#include "host/service.h"

namespace certd {

ServiceSettings serviceSettings(const std::string& name, const ServiceConfig& config, const StateLayout& layout)
{
    ServiceSettings settings;
    settings.name = name;
    settings.directory = config.directory.empty() ? layout.serviceDirectory(name) : config.directory;
    settings.keyGroupName = config.keyGroupName;
    settings.keyGroup = config.keyGroup;
    settings.reloadUnit = config.reloadUnit;
    // Browsers match only Subject Alternative Names; PostgreSQL clients
    // (verify-full) still accept a Common Name alone.
    settings.rules.requireSubjectAltName = name == "https";
    return settings;
}

} // namespace certd
