// certctl status: the whole of certd on one screen, as hostnamectl shows a
// host.
#include "commands.h"
#include "expiry_report.h"
#include "properties.h"

namespace certd::cli {
namespace {

constexpr std::size_t nextToExpireShown = 5;

std::vector<std::string> problemsOf(const Properties& manager)
{
    const auto found = manager.find("Problems");
    return found != manager.end() && found->second.peekValueType() == "as"
               ? found->second.get<std::vector<std::string>>()
               : std::vector<std::string>{};
}

std::size_t caCount(const ManagedObjects& objects)
{
    std::size_t count = 0;
    for (const auto& [path, interfaces] : objects)
        count += path.starts_with(bus::caPathPrefix) ? 1 : 0;
    return count;
}

void printOverview(Session& session, const Properties& manager, std::size_t cas)
{
    Fields fields;
    fields.add("CA Certificates", std::to_string(cas));
    fields.add("Trust Directory", textOf(manager, "TrustDirectory"));
    fields.add("Trust Bundle", textOf(manager, "TrustBundle"));
    const auto system = textOf(manager, "SystemTrustDirectory");
    fields.add("System Trust", system.empty() ? "off" : system);
    const auto problems = problemsOf(manager);
    fields.add("State", flagOf(manager, "Degraded") ? "degraded" : "running");
    for (const auto& problem : problems)
        fields.add("Problem", problem);
    fields.add("Version", textOf(manager, "Version"));
    fields.print(session.out);
}

void printHosts(Session& session, const ManagedObjects& objects)
{
    Table table({"SERVICE", "ORIGIN", "COMMON NAME", "EXPIRES", "MATCHES HOST"});
    for (const auto& [path, interfaces] : objects) {
        const auto found = interfaces.find(bus::hostInterface);
        if (found == interfaces.end())
            continue;
        const auto& host = found->second;
        const bool none = textOf(host, "Origin") == "none";
        table.add({textOf(host, "Service"), textOf(host, "Origin"), none ? "-" : textOf(host, "CommonName"),
                   none ? "-" : humanDate(numberOf(host, "NotAfter"), session.now),
                   none ? "-" : (flagOf(host, "HostnameMatches") ? "yes" : "no")});
    }
    session.out << "\nHost certificates:\n";
    table.print(session.out, session.output.legend);
}

nlohmann::json statusJson(Session& session, const Properties& manager, const ManagedObjects& objects)
{
    nlohmann::json json{{"CACertificates", caCount(objects)},
                        {"TrustDirectory", textOf(manager, "TrustDirectory")},
                        {"TrustBundle", textOf(manager, "TrustBundle")},
                        {"SystemTrustDirectory", textOf(manager, "SystemTrustDirectory")},
                        {"Degraded", flagOf(manager, "Degraded")},
                        {"Problems", problemsOf(manager)},
                        {"Version", textOf(manager, "Version")}};
    auto hosts = nlohmann::json::array();
    for (const auto& [path, interfaces] : objects)
        if (const auto found = interfaces.find(bus::hostInterface); found != interfaces.end()) {
            Fields unused;
            nlohmann::json host;
            describe(found->second, hostPropertyViews(), session.now, unused, host);
            hosts.push_back(host);
        }
    json["HostCertificates"] = hosts;
    return json;
}

} // namespace

int showStatus(Session& session)
{
    const auto manager = session.bus.managerProperties();
    const auto objects = session.bus.objects();
    if (session.json()) {
        printJson(session.out, statusJson(session, manager, objects), session.output.json);
        return 0;
    }
    printOverview(session, manager, caCount(objects));
    printHosts(session, objects);
    auto next = expiryEntries(objects, session.now);
    if (next.size() > nextToExpireShown)
        next.resize(nextToExpireShown);
    session.out << "\nNext to expire:\n";
    printExpiry(session, next, "  (no certificates)");
    return 0;
}

} // namespace certd::cli
