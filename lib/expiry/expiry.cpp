#include "expiry/expiry.h"

#include "base/atomic_file.h"
#include "base/error.h"

#include "base/json_reading.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace certd {
namespace {

// Lower is more urgent: expired beats every window, 1 day beats 7.
bool moreUrgent(int level, int than)
{
    if (level == expiredLevel)
        return than != expiredLevel;
    return than != expiredLevel && level < than;
}

constexpr int stateVersion = 1;

} // namespace

int daysLeft(std::int64_t notAfter, std::int64_t now)
{
    const std::int64_t remaining = notAfter - now;
    const std::int64_t days = remaining >= 0 ? remaining / secondsPerDay : -((-remaining - 1) / secondsPerDay) - 1;
    return static_cast<int>(remaining <= 0 ? std::min<std::int64_t>(days, -1) : days);
}

Urgency urgencyOf(std::int64_t notAfter, std::int64_t now, const ExpiryPolicy& policy)
{
    const std::int64_t remaining = notAfter - now;
    if (remaining <= 0)
        return expiredLevel;
    Urgency urgency;
    for (const unsigned threshold : policy.warnDays)
        if (remaining <= static_cast<std::int64_t>(threshold) * secondsPerDay &&
            (!urgency || static_cast<int>(threshold) < *urgency))
            urgency = static_cast<int>(threshold);
    return urgency;
}

std::int64_t renewalStart(std::int64_t notBefore, std::int64_t notAfter, const ExpiryPolicy& policy)
{
    if (policy.renewDays == 0)
        return 0;
    const std::int64_t window =
        std::min<std::int64_t>(static_cast<std::int64_t>(policy.renewDays) * secondsPerDay, (notAfter - notBefore) / 2);
    return notAfter - window;
}

bool dueForRenewal(std::int64_t notBefore, std::int64_t notAfter, std::int64_t now, const ExpiryPolicy& policy)
{
    return policy.renewDays != 0 && now >= renewalStart(notBefore, notAfter, policy);
}

AnnouncementLog AnnouncementLog::load(const std::filesystem::path& file)
{
    try {
        return parse(readFile(file, 64 * 1024 * 1024));
    } catch (const std::exception&) {
        return {}; // missing
    }
}

AnnouncementLog AnnouncementLog::parse(std::string_view text)
{
    AnnouncementLog log;
    try {
        const auto document = json::parseText(text);
        if (json::integer<int>(json::member(document, "version")) != stateVersion)
            return log;
        const auto& announced = json::member(document, "announced");
        if (!announced.is_object())
            json::throwWrongValue("an object of announcements");
        for (const auto& [fingerprint, level] : announced.items())
            log.announced_[fingerprint] = json::integer<int>(level);
    } catch (const std::exception&) {
        log.announced_.clear(); // missing or damaged
    }
    return log;
}

std::optional<Announcement> AnnouncementLog::check(const std::string& fingerprint, std::int64_t notAfter,
                                                   std::int64_t now, const ExpiryPolicy& policy)
{
    const Urgency urgency = urgencyOf(notAfter, now, policy);
    if (!urgency)
        return std::nullopt;
    const auto previous = announced_.find(fingerprint);
    if (previous != announced_.end() && !moreUrgent(*urgency, previous->second))
        return std::nullopt;
    announced_[fingerprint] = *urgency;
    changed_ = true;
    return Announcement{*urgency == expiredLevel, *urgency == expiredLevel ? 0 : *urgency, daysLeft(notAfter, now)};
}

void AnnouncementLog::keepOnly(const std::vector<std::string>& fingerprints)
{
    std::erase_if(announced_, [&](const auto& entry) {
        const bool gone = std::find(fingerprints.begin(), fingerprints.end(), entry.first) == fingerprints.end();
        changed_ |= gone;
        return gone;
    });
}

void AnnouncementLog::save(const std::filesystem::path& file)
{
    if (!changed_)
        return;
    const nlohmann::json document{{"version", stateVersion}, {"announced", announced_}};
    writeFileAtomically(file, document.dump(1) + "\n", FileOptions::durableFile(0644));
    changed_ = false;
}

std::vector<unsigned> parseWarnDays(const std::string& text)
{
    std::vector<unsigned> days;
    std::istringstream words(text);
    std::string word;
    while (words >> word) {
        if (word.empty() || !std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
            word.size() > 5 || std::stoul(word) == 0 || std::stoul(word) > 3650)
            throw Error(ErrorCode::InvalidArgument, "\"" + word + "\" is not a number of days from 1 to 3650");
        const auto value = static_cast<unsigned>(std::stoul(word));
        if (std::find(days.begin(), days.end(), value) != days.end())
            throw Error(ErrorCode::InvalidArgument, word + " is listed twice");
        days.push_back(value);
    }
    std::sort(days.rbegin(), days.rend());
    return days;
}

} // namespace certd
