// A test's view of certd over D-Bus: the client proxies (dbus/proxies.h)
// for calls, and a recorder on a connection of its own for the signals certd emits.
#pragma once

#include "bus_names.h"
#include "proxies.h"
#include "test_bus.h"

#include <condition_variable>
#include <functional>
#include <mutex>

namespace certd::test {

inline constexpr const char* certdName = bus::serviceName;
inline constexpr const char* managerPath = bus::managerPath;

using client::CaProxy;
using client::HostProxy;
using client::ManagerProxy;

// A signal as received: member, path, and its arguments rendered as text
// (object paths and strings as is, numbers in decimal).
struct ReceivedSignal {
    std::string interface;
    std::string member;
    std::string path;
    std::vector<std::string> arguments;
    // PropertiesChanged: each changed property's value as text (booleans
    // "true"/"false", strings as they are; other types are left out).
    std::map<std::string, std::string> values;
};

class SignalRecorder {
public:
    // Records every signal certd sends from the moment the constructor returns.
    explicit SignalRecorder(const TestBus& bus);
    ~SignalRecorder();

    // Waits for the first signal matching predicate that no earlier wait returned.
    std::optional<ReceivedSignal> waitFor(const std::function<bool(const ReceivedSignal&)>& predicate,
                                          std::chrono::milliseconds timeout = 10s);
    std::optional<ReceivedSignal> waitFor(const std::string& member, std::chrono::milliseconds timeout = 10s);

    std::vector<ReceivedSignal> all() const;
    std::size_t count(const std::string& member) const;

private:
    void record(sdbus::Message& message);

    std::unique_ptr<sdbus::IConnection> connection_;
    sdbus::Slot match_;
    mutable std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<ReceivedSignal> signals_;
    std::vector<bool> returned_; // per signal: handed out by a waitFor already
};

// The D-Bus error name a call fails with, or "" when it succeeds.
std::string errorNameOf(const std::function<void()>& call);
// The error message, or "" on success.
std::string errorMessageOf(const std::function<void()>& call);


} // namespace certd::test
