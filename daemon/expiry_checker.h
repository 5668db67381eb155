// CheckExpiry: every certificate certd owns against the [Expiry]
// thresholds. Announces each newly crossed threshold once (D-Bus signal and
// journal entry), renews generated host certificates that are due, and
// reports what is expired or expiring. Runs on the bus thread: it only
// compares numbers and looks up a map, which takes milliseconds even for
// thousands of certificates.
#pragma once

#include "expiry/expiry.h"

#include <functional>
#include <string>
#include <vector>

namespace certd {

class HostCertificates;
class TrustStore;

struct ExpiryReportEntry {
    std::string object;
    std::string kind; // "ca" or "host"
    std::string commonName;
    std::int64_t notAfter = 0;
    int daysLeft = 0;
};

class ExpiryChecker {
public:
    struct Announcer {
        std::function<void(const std::string& object, const std::string& commonName, std::int64_t notAfter)> expired;
        std::function<void(const std::string& object, const std::string& commonName, std::int64_t notAfter,
                           unsigned daysLeft)>
            expiring;
    };

    ExpiryChecker(const TrustStore& store, HostCertificates& hosts, ExpiryPolicy policy,
                  std::filesystem::path stateFile, Announcer announcer);

    std::vector<ExpiryReportEntry> check(std::int64_t now);

private:
    struct Candidate {
        ExpiryReportEntry entry;
        std::string fingerprint;
        std::int64_t notBefore = 0;
        std::string service; // host certificates only
    };

    std::vector<Candidate> candidates() const;
    // True when the certificate is being renewed instead of announced.
    bool renewInstead(const Candidate& candidate, std::int64_t now);
    void announce(const Candidate& candidate, const Announcement& announcement);

    const TrustStore& store_;
    HostCertificates& hosts_;
    ExpiryPolicy policy_;
    std::filesystem::path stateFile_;
    Announcer announcer_;
    AnnouncementLog log_;
};

} // namespace certd
