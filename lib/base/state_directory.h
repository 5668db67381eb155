// Where certd keeps things under its state directory, and the lock that
// keeps a second certd off the same directory.
#pragma once

#include <filesystem>

namespace certd {

struct StateLayout {
    std::filesystem::path root;

    std::filesystem::path caStore() const { return root / "ca"; }
    std::filesystem::path trustDirectory() const { return root / "trust" / "certs"; }
    std::filesystem::path trustBundle() const { return root / "trust" / "ca-bundle.pem"; }
    std::filesystem::path detailsCache() const { return root / "ca-details.cache"; }
    // What the system's trust (update-ca-certificates) takes in: see trust/system_trust_directory.h.
    std::filesystem::path systemTrustDirectory() const { return root / "system-trust"; }
    std::filesystem::path expiryAnnouncements() const { return root / "expiry-announcements.json"; }

    // Readable by root only: the appliance CA's key, the host certificate records.
    std::filesystem::path privateDirectory() const { return root / "private"; }
    std::filesystem::path applianceCa() const { return privateDirectory() / "appliance-ca.pem"; }
    // The CAs rotations replaced (see host/retired_appliance_cas.h).
    std::filesystem::path retiredApplianceCas() const { return privateDirectory() / "appliance-ca-retired.json"; }
    // One record per delivered version: <service>/<version>.json.
    std::filesystem::path hostRecords(const std::string& service) const { return privateDirectory() / service; }
    // certd 0.1 kept a single record, <service>.json; migrated at start.
    std::filesystem::path legacyHostRecord(const std::string& service) const
    {
        return privateDirectory() / (service + ".json");
    }
    // A service's pending certificate request, key included (see host/pending_request_store.h).
    std::filesystem::path pendingRequest(const std::string& service) const
    {
        return privateDirectory() / "requests" / (service + ".json");
    }
    // Public: the appliance CA's certificate, and each service's default Directory=.
    std::filesystem::path applianceCaCertificate() const { return root / "appliance-ca.pem"; }
    std::filesystem::path serviceDirectory(const std::string& service) const { return root / service; }
};

// Creates the directories certd cannot work without (the store, private/),
// with their permissions, and removes interrupted writes. Call with the lock held.
void prepareStateDirectory(const StateLayout& layout);

// Holds an exclusive lock on "<root>/.lock" while alive. A second certd on
// the same directory fails here instead of racing the first one's writes.
class StateDirectoryLock {
public:
    explicit StateDirectoryLock(const std::filesystem::path& root);
    ~StateDirectoryLock();
    StateDirectoryLock(const StateDirectoryLock&) = delete;
    StateDirectoryLock& operator=(const StateDirectoryLock&) = delete;

private:
    int fd_;
};

} // namespace certd
