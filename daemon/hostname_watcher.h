// Notices when the system's host name changes (the kernel signals POLLPRI
// on /proc/sys/kernel/hostname), so that HostnameMatches stays true to its
// name after an administrator renames the appliance.
#pragma once

#include <functional>
#include <string>

namespace certd {

class EventLoop;

class HostnameWatcher {
public:
    HostnameWatcher(EventLoop& loop, std::function<void(const std::string& hostname)> onChange);
    ~HostnameWatcher();
    HostnameWatcher(const HostnameWatcher&) = delete;
    HostnameWatcher& operator=(const HostnameWatcher&) = delete;

private:
    std::string read();

    int fd_;
    std::string hostname_;
    std::function<void(const std::string&)> onChange_;
};

} // namespace certd
