#include "hostname_watcher.h"

#include "event_loop.h"
#include "host/hostname.h"

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace certd {

HostnameWatcher::HostnameWatcher(EventLoop& loop, std::function<void(const std::string& hostname)> onChange)
    : fd_(::open("/proc/sys/kernel/hostname", O_RDONLY | O_CLOEXEC))
    , onChange_(std::move(onChange))
{
    if (fd_ < 0) {
        spdlog::warn("Cannot watch the host name: /proc/sys/kernel/hostname cannot be opened");
        return;
    }
    hostname_ = read(); // reading arms the next notification
    loop.watch(fd_, POLLPRI | POLLERR, [this] {
        const auto hostname = read();
        if (hostname == hostname_)
            return;
        spdlog::info("The host name changed from \"{}\" to \"{}\"", hostname_, hostname);
        hostname_ = hostname;
        onChange_(hostname);
    });
}

HostnameWatcher::~HostnameWatcher()
{
    if (fd_ >= 0)
        ::close(fd_);
}

std::string HostnameWatcher::read()
{
    char buffer[256] = {};
    const ssize_t got = ::pread(fd_, buffer, sizeof buffer - 1, 0);
    std::string name(buffer, got > 0 ? static_cast<std::size_t>(got) : 0);
    while (!name.empty() && (name.back() == '\n' || name.back() == ' '))
        name.pop_back();
    return toLower(name);
}

} // namespace certd
