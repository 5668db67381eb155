#include "event_loop.h"

#include <sdbus-c++/IConnection.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <vector>

namespace certd {
namespace {

sigset_t terminationSignals()
{
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    return signals;
}

std::uint64_t monotonicMicroseconds()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000 +
           static_cast<std::uint64_t>(now.tv_nsec) / 1'000;
}

int checked(int result, const char* what)
{
    if (result < 0)
        throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
    return result;
}

void drain(int fd)
{
    std::uint64_t counter = 0;
    while (::read(fd, &counter, sizeof counter) > 0) {
    }
}

} // namespace

void blockTerminationSignals()
{
    const sigset_t signals = terminationSignals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

EventLoop::EventLoop(sdbus::IConnection& connection)
    : connection_(connection)
    , wakeFd_(checked(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd"))
{
    const sigset_t signals = terminationSignals();
    signalFd_ = ::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signalFd_ < 0) {
        ::close(wakeFd_);
        checked(-1, "signalfd");
    }
    std::uint64_t watchdogUsec = 0;
    if (sd_watchdog_enabled(0, &watchdogUsec) > 0 && watchdogUsec > 0) {
        watchdogIntervalUsec_ = watchdogUsec / 2;
        spdlog::debug("Watchdog: pinging systemd every {} ms", watchdogIntervalUsec_ / 1000);
    }
}

EventLoop::~EventLoop()
{
    ::close(signalFd_);
    ::close(wakeFd_);
}

void EventLoop::post(Task task)
{
    {
        std::lock_guard lock(mutex_);
        posted_.push_back(std::move(task));
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wakeFd_, &one, sizeof one);
}

void EventLoop::runAfter(std::chrono::milliseconds delay, Task task)
{
    timers_.push_back({monotonicMicroseconds() + static_cast<std::uint64_t>(delay.count()) * 1000, std::move(task)});
}

bool EventLoop::runDueTimers()
{
    const auto now = monotonicMicroseconds();
    std::vector<Task> due;
    for (auto timer = timers_.begin(); timer != timers_.end();) {
        if (timer->dueUsec <= now) {
            due.push_back(std::move(timer->task));
            timer = timers_.erase(timer);
        } else {
            ++timer;
        }
    }
    for (auto& task : due)
        task();
    return !due.empty();
}

void EventLoop::watch(int fd, short events, Task onReady)
{
    watches_.push_back({fd, events, std::move(onReady)});
}

bool EventLoop::runPostedTasks()
{
    std::vector<Task> tasks;
    {
        std::lock_guard lock(mutex_);
        tasks.swap(posted_);
    }
    for (auto& task : tasks)
        task();
    return !tasks.empty();
}

int EventLoop::waitTimeoutMs() const
{
    auto deadline = connection_.getEventLoopPollData().timeout_usec;
    if (watchdogIntervalUsec_ > 0)
        deadline = std::min<std::uint64_t>(deadline, nextWatchdogPingUsec_);
    for (const auto& timer : timers_)
        deadline = std::min<std::uint64_t>(deadline, timer.dueUsec);
    if (deadline == UINT64_MAX)
        return -1;
    const auto now = monotonicMicroseconds();
    return deadline <= now ? 0 : static_cast<int>((deadline - now + 999) / 1000);
}

void EventLoop::pingWatchdogIfDue()
{
    if (watchdogIntervalUsec_ == 0)
        return;
    const auto now = monotonicMicroseconds();
    if (now < nextWatchdogPingUsec_)
        return;
    sd_notify(0, "WATCHDOG=1");
    nextWatchdogPingUsec_ = now + watchdogIntervalUsec_;
}

int EventLoop::run()
{
    try {
        for (;;) {
            // Here the loop is turning: every handler and task before returned.
            pingWatchdogIfDue();
            // Tasks run between messages, never inside a handler.
            while (connection_.processPendingRequest()) {
                runPostedTasks();
                pingWatchdogIfDue(); // busy is not stuck
            }
            const bool ranTasks = runPostedTasks();
            if (runDueTimers() || ranTasks)
                continue;

            const auto pollData = connection_.getEventLoopPollData();
            std::vector<pollfd> fds{{pollData.fd, pollData.events, 0},
                                    {wakeFd_, POLLIN, 0},
                                    {signalFd_, POLLIN, 0}};
            for (const auto& watch : watches_)
                fds.push_back({watch.fd, watch.events, 0});
            const int ready = ::poll(fds.data(), fds.size(), waitTimeoutMs());
            if (ready < 0 && errno != EINTR)
                checked(ready, "poll");
            if (fds[1].revents & POLLIN)
                drain(wakeFd_);
            if (fds[2].revents & POLLIN) {
                signalfd_siginfo info{};
                [[maybe_unused]] const auto got = ::read(signalFd_, &info, sizeof info);
                spdlog::info("Received {}, shutting down", strsignal(static_cast<int>(info.ssi_signo)));
                return 0;
            }
            for (std::size_t i = 0; i < watches_.size(); ++i)
                if (fds[3 + i].revents & watches_[i].events)
                    watches_[i].onReady();
        }
    } catch (const std::exception& failure) {
        spdlog::error("Lost the D-Bus connection: {}", failure.what());
        return 1;
    }
}

} // namespace certd
