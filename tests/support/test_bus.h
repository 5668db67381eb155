// A private dbus-daemon for one test, standing in for the system bus that
// these machines do not have.
#pragma once

#include "process.h"
#include "temp_dir.h"

#include <memory>
#include <string>

namespace sdbus {
class IConnection;
}

namespace certd::test {

class TestBus {
public:
    enum class Policy {
        Open,   // anyone may own and call anything
        System, // Debian's system bus defaults plus certd's shipped policy file
    };

    // extraPolicy: busconfig XML added to the configuration (e.g. to let the
    // test own org.freedesktop.systemd1).
    explicit TestBus(Policy policy = Policy::Open, const std::string& extraPolicy = {});
    ~TestBus();

    const std::string& address() const { return address_; }
    // "DBUS_SYSTEM_BUS_ADDRESS=...": what makes a child use this bus.
    std::string systemBusEnvironment() const { return "DBUS_SYSTEM_BUS_ADDRESS=" + address_; }

    std::unique_ptr<sdbus::IConnection> connect() const;

private:
    TempDir dir_;
    std::unique_ptr<ChildProcess> daemon_;
    std::string address_;
};

} // namespace certd::test
