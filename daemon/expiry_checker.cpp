#include "expiry_checker.h"

#include "bus_names.h"
#include "expiry_journal.h"
#include "host_certificates.h"
#include "base/clock.h"
#include "base/text.h"
#include "trust/trust_store.h"

#include <spdlog/spdlog.h>

namespace certd {

ExpiryChecker::ExpiryChecker(const TrustStore& store, HostCertificates& hosts, ExpiryPolicy policy,
                             std::filesystem::path stateFile, Announcer announcer)
    : store_(store)
    , hosts_(hosts)
    , policy_(std::move(policy))
    , stateFile_(std::move(stateFile))
    , announcer_(std::move(announcer))
    , log_(AnnouncementLog::load(stateFile_))
{
}

std::vector<ExpiryChecker::Candidate> ExpiryChecker::candidates() const
{
    std::vector<Candidate> all;
    for (const auto& stored : store_.list()) {
        const auto& d = stored->details;
        all.push_back({{bus::caObjectPath(d.fingerprint), "ca", d.commonName, d.notAfter, 0}, d.fingerprint,
                       d.notBefore, {}});
    }
    for (const auto& current : hosts_.current()) {
        if (!current.host)
            continue;
        const auto& d = current.host->details;
        all.push_back({{current.path, "host", d.commonName, d.notAfter, 0}, d.fingerprint, d.notBefore,
                       current.service});
    }
    return all;
}

std::vector<ExpiryReportEntry> ExpiryChecker::check(std::int64_t now)
{
    std::vector<ExpiryReportEntry> report;
    std::vector<std::string> present;
    for (auto& candidate : candidates()) {
        present.push_back(candidate.fingerprint);
        candidate.entry.daysLeft = daysLeft(candidate.entry.notAfter, now);
        if (urgencyOf(candidate.entry.notAfter, now, policy_))
            report.push_back(candidate.entry);
        if (renewInstead(candidate, now))
            continue;
        if (const auto announcement = log_.check(candidate.fingerprint, candidate.entry.notAfter, now, policy_))
            announce(candidate, *announcement);
    }
    log_.keepOnly(present);
    try {
        log_.save(stateFile_);
    } catch (const std::exception& failure) {
        // Announced already; at worst the next check announces again.
        spdlog::error("Could not remember what was announced: {}", failure.what());
    }
    return report;
}

bool ExpiryChecker::renewInstead(const Candidate& candidate, std::int64_t now)
{
    if (candidate.service.empty() || !dueForRenewal(candidate.notBefore, candidate.entry.notAfter, now, policy_))
        return false;
    return hosts_.renew(candidate.service) != HostCertificates::Renewal::NotPossible;
}

void ExpiryChecker::announce(const Candidate& candidate, const Announcement& announcement)
{
    const auto& entry = candidate.entry;
    const std::string what = (entry.kind == "ca" ? "The CA certificate \"" : "The " + candidate.service +
                                                                             " certificate \"") +
                             entry.commonName + "\"";
    if (announcement.expired) {
        logExpiryEvent({messageIds::certificateExpired, 3, what + " expired on " + formatUtcTime(entry.notAfter),
                        entry.object, entry.commonName, candidate.fingerprint, entry.notAfter, announcement.daysLeft});
        announcer_.expired(entry.object, entry.commonName, entry.notAfter);
        return;
    }
    logExpiryEvent({messageIds::certificateExpiring, 4,
                    what + " expires on " + formatUtcTime(entry.notAfter) + ", in " +
                        std::to_string(announcement.daysLeft) + " days",
                    entry.object, entry.commonName, candidate.fingerprint, entry.notAfter, announcement.daysLeft});
    announcer_.expiring(entry.object, entry.commonName, entry.notAfter, static_cast<unsigned>(announcement.daysLeft));
}

} // namespace certd
