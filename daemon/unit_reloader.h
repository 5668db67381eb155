// The seam between certd and systemd: after a service's certificate
// changed, its unit is asked to reload. Tests replace systemd by a fake
// org.freedesktop.systemd1 on their private bus.
#pragma once

#include <memory>
#include <string>

namespace sdbus {
class IConnection;
class IProxy;
} // namespace sdbus

namespace certd {

class UnitReloader {
public:
    virtual ~UnitReloader() = default;
    // Returns at once; a failure is logged, never reported to the caller.
    virtual void reloadOrRestart(const std::string& unit) = 0;
};

// ReloadOrRestartUnit(unit, "replace") on org.freedesktop.systemd1, over
// certd's own bus connection, answered asynchronously on the bus loop.
class SystemdUnitReloader final : public UnitReloader {
public:
    explicit SystemdUnitReloader(sdbus::IConnection& connection);
    ~SystemdUnitReloader() override;
    void reloadOrRestart(const std::string& unit) override;

private:
    std::unique_ptr<sdbus::IProxy> systemd_;
};

} // namespace certd
