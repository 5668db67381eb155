#include "unit_reloader.h"

#include <sdbus-c++/sdbus-c++.h>
#include <spdlog/spdlog.h>

namespace certd {

SystemdUnitReloader::SystemdUnitReloader(sdbus::IConnection& connection)
    : systemd_(sdbus::createProxy(connection, "org.freedesktop.systemd1", "/org/freedesktop/systemd1"))
{
}

SystemdUnitReloader::~SystemdUnitReloader() = default;

void SystemdUnitReloader::reloadOrRestart(const std::string& unit)
{
    spdlog::info("Asking systemd to reload or restart {}", unit);
    try {
        systemd_->callMethodAsync("ReloadOrRestartUnit")
            .onInterface("org.freedesktop.systemd1.Manager")
            .withArguments(unit, std::string("replace"))
            .uponReplyInvoke([unit](const sdbus::Error* error, const sdbus::ObjectPath& job) {
                if (error)
                    spdlog::warn("systemd could not reload or restart {}: {}: {}", unit, error->getName(),
                                 error->getMessage());
                else
                    spdlog::info("systemd is reloading or restarting {} (job {})", unit, std::string(job));
            });
    } catch (const sdbus::Error& error) {
        spdlog::warn("Could not ask systemd to reload or restart {}: {}", unit, error.getMessage());
    }
}

} // namespace certd
