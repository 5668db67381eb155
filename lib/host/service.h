// The services certd delivers TLS certificates for (https, postgresql),
// what the configuration may say of each, and the rules that follow from
// the service: where its files go by default and what its certificate must
// carry (browsers ignore the Common Name, so https needs Subject
// Alternative Names; PostgreSQL clients do not).
#pragma once

#include "base/state_directory.h"
#include "x509/server_certificate_validation.h"

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

namespace certd {

inline constexpr const char* serviceNames[] = {"https", "postgresql"};

// [https], [postgresql] in certd.conf.
struct ServiceConfig {
    std::filesystem::path directory;   // Directory=; empty: <state>/<service>
    std::string keyGroupName;          // KeyGroup=; empty: key.pem for root only
    std::optional<gid_t> keyGroup;
    std::string reloadUnit;            // ReloadUnit=; empty: none
};

struct ServiceSettings {
    std::string name;                 // "https", "postgresql"
    std::filesystem::path directory;  // where cert.pem, chain.pem, key.pem go
    std::string keyGroupName;         // may read key.pem; empty: root only
    std::optional<gid_t> keyGroup;
    std::string reloadUnit;           // systemd unit to reload after a change
    ServerCertificateRules rules;     // what an uploaded certificate must satisfy

    std::filesystem::path certificatePath() const { return directory / "cert.pem"; }
    std::filesystem::path chainPath() const { return directory / "chain.pem"; }
    std::filesystem::path privateKeyPath() const { return directory / "key.pem"; }
};

ServiceSettings serviceSettings(const std::string& name, const ServiceConfig& config, const StateLayout& layout);

} // namespace certd
