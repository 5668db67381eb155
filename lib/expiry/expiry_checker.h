// CheckExpiry's rules: every certificate certd owns against the [Expiry]
// thresholds. A certificate certd renews by itself (a generated or ACME host
// certificate) is not announced: inside its renewal window it is renewed.
// Only when that is not possible, or its last renewal failed (certd then
// tries again at every check), is it announced like every other
// certificate: once per threshold it crosses and once when it expires,
// remembered across restarts. Announcements are for what needs a person.
// It only compares numbers and looks up a map, and copies nothing per
// certificate unless it is reported: it runs on the bus thread after every
// Reload, and 10,000 CAs take about a millisecond.
//
// What it looks at and how a renewal starts come in through Sources, so it
// knows neither the trust store nor the host certificates; what to
// announce goes out in the result, for the daemon's signals and journal.
#pragma once

#include "expiry/expiry.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace certd {

// "ca", "host", "appliance-ca": as CheckExpiry's report and the metrics name them.
struct WatchedCertificate;
const char* kindName(const WatchedCertificate& certificate);

struct WatchedCertificate {
    // Ca: in the trust store; Host: a service's; ApplianceCa: the CA that
    // signs generated host certificates (they cannot outlive it).
    enum class Kind { Ca, Host, ApplianceCa } kind = Kind::Ca;
    std::string service; // for Host: "https", "postgresql"
    std::string commonName;
    std::string fingerprint;
    std::int64_t notBefore = 0;
    std::int64_t notAfter = 0;
    bool renewsItself = false;  // a generated or ACME host certificate
    bool renewalFailed = false; // its last renewal failed
    std::int64_t renewAt = 0;   // ACME's rule (see acme/renewal.h); 0: RenewDays= decides
};

class ExpiryChecker {
public:
    struct Sources {
        // Calls visit once per certificate certd owns, holding no lock; what
        // visit is given lives only for the call.
        using Visit = std::function<void(const WatchedCertificate&)>;
        std::function<void(const Visit&)> forEachCertificate;
        // Starts (or finds under way) the renewal of a host certificate;
        // false when it cannot be renewed now, and is announced instead.
        std::function<bool(const std::string& service)> renew;
    };

    struct Expiring {
        WatchedCertificate certificate;
        int daysLeft = 0; // rounded down; negative once expired
    };
    struct Announced {
        WatchedCertificate certificate;
        Announcement announcement;
    };
    struct Result {
        std::vector<Expiring> report;        // expired or in a window, announced now or before
        std::vector<Announced> announcements; // newly crossed thresholds
        std::vector<std::string> renewing;    // services whose renewal runs
        std::string problem;                  // the record could not be saved
    };

    ExpiryChecker(ExpiryPolicy policy, std::filesystem::path stateFile, Sources sources);

    Result check(std::int64_t now);

    // Read-only: every certificate expired or expiring within days (0: the
    // widest WarnDays= window), soonest first. Announces and renews nothing.
    std::vector<Expiring> expiring(std::int64_t now, unsigned days) const;

private:
    ExpiryPolicy policy_;
    std::filesystem::path stateFile_;
    Sources sources_;
    AnnouncementLog log_;
};

} // namespace certd
