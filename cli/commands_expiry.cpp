// Expiry's verbs: list-expiring (read-only, for everyone) and check-expiry
// (certd's daily check: announcements and renewals).
#include "commands.h"
#include "expiry_report.h"
#include "failure.h"

namespace certd::cli {

int listExpiring(Session& session, std::uint32_t days)
{
    const auto rows = session.bus.manager().ListExpiring(days);
    printExpiry(session, expiryEntries(rows), days == 0 ? "No certificate is inside a warning window."
                                                        : "No certificate expires within that many days.");
    return exitSuccess;
}

int checkExpiry(Session& session)
{
    auto call = session.bus.changeCall(bus::managerPath, bus::managerInterface, "CheckExpiry");
    auto reply = session.bus.call(call);
    ExpiryRows rows;
    reply >> rows;
    const auto entries = expiryEntries(rows);
    printExpiry(session, entries, "Checked: no certificate is expired or inside a warning window.");
    if (!session.json() && session.output.legend && !entries.empty())
        session.out << "\nChecked: " << entries.size() << " certificate" << (entries.size() == 1 ? " needs" : "s need")
                    << " attention. certd announced each threshold newly crossed and renewed the generated certificates inside their renewal window.\n";
    return exitSuccess;
}

} // namespace certd::cli
