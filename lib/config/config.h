// certd's configuration: a systemd-style INI file (default
// /etc/certd/certd.conf; a missing file means all defaults). Parsing is
// strict: an unknown section or key, or an invalid value, is an
// Error(InvalidConfiguration) naming the file, the line and the key, and
// certd refuses to start.
#pragma once

#include "acme/settings.h"
#include "host/appliance_ca.h"
#include "host/service.h"
#include "expiry/expiry.h"

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace certd {

struct AccessConfig {
    std::string adminGroup;           // [Access] AdminGroup=; empty: root only
    std::optional<gid_t> adminGroupId; // resolved when the file is read
};

// [Trust]
struct TrustConfig {
    bool systemTrust = true; // SystemTrust=: keep the system-trust directory for update-ca-certificates
};

// [Metrics]
struct MetricsConfig {
    std::filesystem::path textfileDirectory; // TextfileDirectory=: where certd.prom goes; empty: none
};

struct Config {
    AccessConfig access;
    TrustConfig trust;
    ApplianceCaSettings applianceCa;             // [ApplianceCA]
    std::map<std::string, ServiceConfig> services; // every name of serviceNames
    ExpiryPolicy expiry;                           // [Expiry]
    MetricsConfig metrics;
    AcmeConfig acme;                               // [ACME]
};

// required: a missing file is an error (an explicit --config), otherwise
// the defaults apply.
Config loadConfig(const std::filesystem::path& file, bool required);

// For tests: parse text as if read from fileName.
Config parseConfig(const std::string& text, const std::string& fileName);

} // namespace certd
