// Expiry monitoring, without clocks or D-Bus: where a certificate stands
// relative to the warning thresholds, and what has been announced about it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certd {

inline constexpr std::int64_t secondsPerDay = 86400;

struct ExpiryPolicy {
    std::vector<unsigned> warnDays{30, 7, 1}; // [Expiry] WarnDays=
    unsigned renewDays = 30;                  // [Expiry] RenewDays=; 0: no renewal
};

// Whole days until notAfter, rounded down; negative once expired (-1 during
// the first day after expiry).
int daysLeft(std::int64_t notAfter, std::int64_t now);

// How urgent a certificate is: nullopt when outside every window; else the
// smallest threshold (in days) whose window it is in, or expiredLevel.
using Urgency = std::optional<int>;
inline constexpr int expiredLevel = -1;
Urgency urgencyOf(std::int64_t notAfter, std::int64_t now, const ExpiryPolicy& policy);

// Whether a generated certificate is due for renewal: fewer than RenewDays
// left, or less than half its lifetime if that is shorter (so that short-lived
// certificates are not renewed at every check).
bool dueForRenewal(std::int64_t notBefore, std::int64_t notAfter, std::int64_t now, const ExpiryPolicy& policy);
// When that is; 0 with RenewDays=0 (never).
std::int64_t renewalStart(std::int64_t notBefore, std::int64_t notAfter, const ExpiryPolicy& policy);

struct Announcement {
    bool expired = false;
    int threshold = 0; // for a warning: the window entered, in days
    int daysLeft = 0;
};

// What has been announced, per certificate fingerprint: the most urgent
// level so far. A certificate is announced once per threshold it crosses
// and once when it expires; after several crossings at once (the appliance
// was off) only the most urgent is announced. The record never becomes less
// urgent, so a clock going backwards and forwards again repeats nothing. A
// replaced certificate has a new fingerprint and starts afresh.
class AnnouncementLog {
public:
    // Empty when file is missing or damaged (then announcements may repeat once).
    static AnnouncementLog load(const std::filesystem::path& file);
    // The same for the file's text.
    static AnnouncementLog parse(std::string_view text);

    // What to announce for this certificate at now, if anything, recording it.
    std::optional<Announcement> check(const std::string& fingerprint, std::int64_t notAfter, std::int64_t now,
                                      const ExpiryPolicy& policy);

    bool has(std::string_view fingerprint) const { return announced_.contains(fingerprint); }
    // Drops the records of certificates not among fingerprints.
    void keepOnly(const std::vector<std::string>& fingerprints);

    bool changed() const { return changed_; }
    // Durably, and only when something changed.
    void save(const std::filesystem::path& file);

private:
    // fingerprint -> level (threshold days, or expiredLevel)
    std::map<std::string, int, std::less<>> announced_;
    bool changed_ = false;
};

// Parses "30 7 1": positive day counts, any order, no duplicates; sorted
// most distant first. Error(InvalidArgument) with the reason otherwise.
std::vector<unsigned> parseWarnDays(const std::string& text);

} // namespace certd
