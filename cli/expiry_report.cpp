#include "expiry_report.h"

#include "properties.h"

#include <algorithm>

namespace certd::cli {
namespace {

std::string daysLeftText(std::int32_t days)
{
    if (days < 0)
        return "expired";
    return std::to_string(days);
}

} // namespace

std::vector<ExpiryEntry> expiryEntries(const ExpiryRows& rows)
{
    std::vector<ExpiryEntry> entries;
    for (const auto& row : rows)
        entries.push_back({std::get<0>(row), std::get<1>(row), std::get<2>(row), std::get<3>(row), std::get<4>(row)});
    return entries;
}

std::vector<ExpiryEntry> expiryEntries(const ManagedObjects& objects, std::int64_t now)
{
    std::vector<ExpiryEntry> entries;
    for (const auto& [path, interfaces] : objects) {
        const bool ca = path.starts_with(bus::caPathPrefix);
        const auto found = interfaces.find(ca ? bus::caInterface : bus::hostInterface);
        if (found == interfaces.end() || (!ca && textOf(found->second, "Origin") == "none"))
            continue;
        const auto notAfter = numberOf(found->second, "NotAfter");
        const auto seconds = notAfter - now;
        const auto days = static_cast<std::int32_t>(seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400));
        entries.push_back({path, ca ? "ca" : "host", textOf(found->second, "CommonName"), notAfter, days});
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const ExpiryEntry& a, const ExpiryEntry& b) { return a.notAfter < b.notAfter; });
    return entries;
}

std::string idOf(const ExpiryEntry& entry)
{
    const auto slash = entry.path.rfind('/');
    const std::string last = entry.path.substr(slash + 1);
    if (entry.kind == "appliance-ca")
        return "appliance-ca";
    return entry.kind == "ca" ? shortFingerprint(last) : last;
}

void printExpiry(Session& session, const std::vector<ExpiryEntry>& entries, const char* emptyText)
{
    if (session.json()) {
        auto list = nlohmann::json::array();
        for (const auto& entry : entries) {
            nlohmann::json json{{"Object", entry.path}, {"Kind", entry.kind}, {"Id", idOf(entry)},
                                {"CommonName", entry.commonName}, {"DaysLeft", entry.daysLeft}};
            putDate(json, "NotAfter", entry.notAfter);
            list.push_back(json);
        }
        printJson(session.out, list, session.output.json);
        return;
    }
    if (entries.empty()) {
        if (session.output.legend) // with --no-legend, nothing is nothing
            session.out << emptyText << "\n";
        return;
    }
    Table table({"KIND", "ID", "COMMON NAME", "EXPIRES", "DAYS LEFT"});
    for (const auto& entry : entries)
        table.add({entry.kind, idOf(entry), entry.commonName, humanDate(entry.notAfter, session.now),
                   daysLeftText(entry.daysLeft)});
    table.print(session.out, session.output.legend);
}

} // namespace certd::cli
