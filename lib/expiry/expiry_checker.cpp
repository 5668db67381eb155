#include "expiry/expiry_checker.h"

#include <algorithm>

namespace certd {

const char* kindName(const WatchedCertificate& certificate)
{
    switch (certificate.kind) {
    case WatchedCertificate::Kind::Ca: return "ca";
    case WatchedCertificate::Kind::Host: return "host";
    case WatchedCertificate::Kind::ApplianceCa: return "appliance-ca";
    }
    return "ca";
}

ExpiryChecker::ExpiryChecker(ExpiryPolicy policy, std::filesystem::path stateFile, Sources sources)
    : policy_(std::move(policy))
    , stateFile_(std::move(stateFile))
    , sources_(std::move(sources))
    , log_(AnnouncementLog::load(stateFile_))
{
}

std::vector<ExpiryChecker::Expiring> ExpiryChecker::expiring(std::int64_t now, unsigned days) const
{
    if (days == 0)
        for (const unsigned threshold : policy_.warnDays)
            days = std::max(days, threshold);
    std::vector<Expiring> found;
    sources_.forEachCertificate([&](const WatchedCertificate& certificate) {
        if (certificate.notAfter - now <= static_cast<std::int64_t>(days) * secondsPerDay)
            found.push_back({certificate, daysLeft(certificate.notAfter, now)});
    });
    std::sort(found.begin(), found.end(),
              [](const Expiring& a, const Expiring& b) { return a.certificate.notAfter < b.certificate.notAfter; });
    return found;
}

ExpiryChecker::Result ExpiryChecker::check(std::int64_t now)
{
    Result result;
    std::vector<std::string> recordedAndPresent; // what keepOnly needs: the log holds few
    sources_.forEachCertificate([&](const WatchedCertificate& certificate) {
        if (urgencyOf(certificate.notAfter, now, policy_))
            result.report.push_back({certificate, daysLeft(certificate.notAfter, now)});
        const bool renews = certificate.renewsItself && policy_.renewDays > 0; // RenewDays=0: never
        const bool due = renews && (certificate.renewAt != 0 ? now >= certificate.renewAt
                                                             : dueForRenewal(certificate.notBefore, certificate.notAfter,
                                                                             now, policy_));
        const bool renewing = due && sources_.renew(certificate.service);
        if (renewing)
            result.renewing.push_back(certificate.service);
        const bool leftToCertd = renews && !certificate.renewalFailed && (renewing || !due);
        if (!leftToCertd)
            if (const auto announcement = log_.check(certificate.fingerprint, certificate.notAfter, now, policy_))
                result.announcements.push_back({certificate, *announcement});
        if (log_.has(certificate.fingerprint))
            recordedAndPresent.push_back(certificate.fingerprint);
    });
    log_.keepOnly(recordedAndPresent);
    try {
        log_.save(stateFile_);
    } catch (const std::exception& failure) {
        // Announced already; at worst the next check announces again.
        result.problem = std::string("Could not remember what was announced: ") + failure.what();
    }
    return result;
}

} // namespace certd
