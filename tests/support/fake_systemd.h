// A stand-in for systemd on a test bus: owns org.freedesktop.systemd1 and
// records the ReloadOrRestartUnit calls certd makes.
#pragma once

#include "test_bus.h"

#include <condition_variable>
#include <mutex>
#include <optional>

namespace sdbus {
class IObject;
}

namespace certd::test {

class FakeSystemd {
public:
    struct Call {
        std::string unit;
        std::string mode;
    };

    explicit FakeSystemd(const TestBus& bus);
    ~FakeSystemd();

    // The next call not returned before, waiting up to timeout.
    std::optional<Call> waitForCall(std::chrono::milliseconds timeout = 10s);
    std::size_t callCount() const;

private:
    std::unique_ptr<sdbus::IConnection> connection_;
    std::unique_ptr<sdbus::IObject> object_;
    mutable std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<Call> calls_;
    std::size_t returned_ = 0;
};

} // namespace certd::test
