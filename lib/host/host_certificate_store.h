// Where a service's certificate lives, and how it changes in one step.
//
// The service reads cert.pem, chain.pem and key.pem in its directory, which
// is a VersionedDirectory: every change writes a complete new version and
// swaps the directory's `current` link to it with one rename, the commit
// point. Each version has its record (origin, generation settings,
// certificate, chain, key and details) in <records>/<version>.json, readable
// by root only and written, durably, before the swap. So at every instant
// the record of the version `current` names is the service's certificate,
// and the key beside a certificate is always that certificate's key.
//
// load() (at start) makes disk and records agree again: an interrupted
// change is rolled back (its version and record are removed), a delivery
// that was damaged or changed by hand is written afresh from its record, and
// a record of certd 0.1 (<state>/private/<service>.json) is migrated.
#pragma once

#include "host/host_certificate.h"
#include "host/service.h"
#include "base/versioned_directory.h"

#include <sys/types.h>

#include <filesystem>
#include <optional>

namespace certd {

// A record as the store writes it, read back without parsing any
// certificate; Error(Internal) saying what is wrong when it is damaged.
HostCertificatePtr parseHostRecord(std::string_view text);

class HostCertificateStore {
public:
    // records: the directory of the per-version records (created 0700);
    // legacyRecord: certd 0.1's single record, migrated by load().
    HostCertificateStore(std::filesystem::path records, std::filesystem::path legacyRecord,
                         ServiceSettings settings);

    const ServiceSettings& settings() const { return settings_; }

    struct Loaded {
        HostCertificatePtr host; // null: the service has no certificate
        // What was wrong and has been dealt with, one line each: damaged
        // records (moved aside, never deleted), cleaning that failed.
        std::vector<std::string> notes;
        // Why the files on disk are not (or not only) host's, when they
        // could not be written afresh; empty when they are. Call load() again.
        std::string deliveryProblem;
    };
    Loaded load() const;

    // Makes host the service's certificate: files and record together, or,
    // when anything fails (Internal error naming the path and the reason),
    // nothing changed at all. Returns what could not be cleaned up after
    // the commit (old versions are removed again at the next start).
    std::vector<std::string> install(const HostCertificate& host) const;

private:
    VersionedDirectory openDirectory() const;
    std::vector<DeliveredFile> filesOf(const HostCertificate& host) const;
    std::filesystem::path recordFile(Version version) const;
    std::vector<Version> recordVersions() const;
    // The record of version, or null when it is damaged (then moved aside).
    HostCertificatePtr readRecord(Version version, std::vector<std::string>& notes) const;
    void migrateLegacyRecord() const;
    void removeRecordsBut(Version keep) const;

    std::filesystem::path records_;
    std::filesystem::path legacyRecord_;
    ServiceSettings settings_;
};

} // namespace certd
