// Where a service's certificate lives. The record (one JSON file, readable
// by root only, written atomically and durably) is the source of truth: it
// holds origin, generation settings, certificate, chain and key. The files
// the service reads (cert.pem, chain.pem, key.pem in its directory) are
// delivered from it, and delivered again at every start, so a crash between
// record and delivery heals itself.
#pragma once

#include "host_certificate.h"

#include <sys/types.h>

#include <filesystem>
#include <optional>

namespace certd {

struct ServiceSettings {
    std::string name;                 // "https", "postgresql"
    std::filesystem::path directory;  // where cert.pem, chain.pem, key.pem go
    std::string keyGroupName;         // may read key.pem; empty: root only
    std::optional<gid_t> keyGroup;
    std::string reloadUnit;           // systemd unit to reload after a change
    bool requireSubjectAltName = false;

    std::filesystem::path certificatePath() const { return directory / "cert.pem"; }
    std::filesystem::path chainPath() const { return directory / "chain.pem"; }
    std::filesystem::path privateKeyPath() const { return directory / "key.pem"; }
};

class HostCertificateStore {
public:
    HostCertificateStore(std::filesystem::path recordFile, ServiceSettings settings);

    const ServiceSettings& settings() const { return settings_; }

    // The stored certificate, or null when there is none or it cannot be
    // read. A damaged record is moved aside (never deleted); what went
    // wrong is reported through problem.
    HostCertificatePtr load(std::string& problem) const;

    // Commits host durably as the service's certificate, then delivers it.
    void save(const HostCertificate& host) const;
    // The commit alone: once it returns, host is the service's certificate.
    void commit(const HostCertificate& host) const;

    // Writes the service's files (only those that differ) and sets the
    // permissions: key.pem 0600 root, or 0640 root:<KeyGroup>; the directory
    // 0700, or 0750 root:<KeyGroup>.
    void deliver(const HostCertificate& host) const;

private:
    std::filesystem::path recordFile_;
    ServiceSettings settings_;
};

} // namespace certd
