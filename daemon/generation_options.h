// Generate's a{sv} options, checked and turned into lib's settings.
#pragma once

#include "host/host_certificate.h"

#include <sdbus-c++/Types.h>

#include <map>

namespace certd {

// InvalidArgument (as a certd::Error) for an unknown key, a value of the
// wrong D-Bus type, or an invalid value. Hostname defaults to the system's
// current host name.
GenerationSettings generationSettingsFrom(const std::map<std::string, sdbus::Variant>& options);

} // namespace certd
