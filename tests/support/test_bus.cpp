#include "test_bus.h"

#include "test_paths.h"

#include <sdbus-c++/sdbus-c++.h>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <csignal>
#include <stdexcept>

namespace certd::test {
namespace {

// The <policy context="default"> of Debian's /usr/share/dbus-1/system.conf.
constexpr const char* systemDefaultPolicy = R"(
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
    <deny send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus" send_member="UpdateActivationEnvironment"/>
  </policy>
)";

constexpr const char* openPolicy = R"(
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
)";

std::string configuration(TestBus::Policy policy, const std::string& extraPolicy)
{
    std::string config = "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN\"\n"
                         " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                         "<busconfig>\n  <type>system</type>\n"
                         "  <listen>unix:tmpdir=/tmp</listen>\n  <auth>EXTERNAL</auth>\n";
    if (policy == TestBus::Policy::System) {
        config += systemDefaultPolicy;
        config += "  <include>" + (sourceDirectory() / "systemd" / "org.certd.Certd1.conf").string() +
                  "</include>\n";
    } else {
        config += openPolicy;
    }
    return config + extraPolicy + "\n</busconfig>\n";
}

std::string readLine(int fd, std::chrono::milliseconds timeout)
{
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (line.find('\n') == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd pfd{fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) <= 0)
            throw std::runtime_error("dbus-daemon did not print its address in time");
        char buffer[256];
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got <= 0)
            throw std::runtime_error("dbus-daemon exited before printing its address");
        line.append(buffer, static_cast<std::size_t>(got));
    }
    return line.substr(0, line.find('\n'));
}

} // namespace

TestBus::TestBus(Policy policy, const std::string& extraPolicy)
{
    const auto configFile = dir_ / "bus.conf";
    writeTextFile(configFile, configuration(policy, extraPolicy));
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe2 failed");
    // The daemon writes its address to fd 3. pipe() may itself return 3, so
    // the write end is mapped explicitly.
    daemon_ = std::make_unique<ChildProcess>(ChildProcess::Options{
        {"dbus-daemon", "--config-file=" + configFile.string(), "--nofork", "--print-address=3"},
        {},
        dir_ / "dbus-daemon.log",
        {{fds[1], 3}},
        {}});
    ::close(fds[1]);
    try {
        address_ = readLine(fds[0], 10s);
    } catch (...) {
        ::close(fds[0]);
        throw;
    }
    ::close(fds[0]);
}

TestBus::~TestBus()
{
    daemon_->stop(SIGTERM, 5s);
}

std::unique_ptr<sdbus::IConnection> TestBus::connect() const
{
    return sdbus::createSessionBusConnectionWithAddress(address_);
}

} // namespace certd::test
