// certd's main loop: the D-Bus connection, tasks posted from worker
// threads, and SIGTERM/SIGINT, all on one thread. Only this thread touches
// the connection and the published objects, so they need no locks; workers
// hand results back with post().
//
// Lock order: mutex_ guards only the queue of posted tasks. Tasks are taken
// out under it and run, and destroyed, without it: a task may hold a D-Bus
// message, whose destruction takes the connection's lock.
//
// Under systemd's WatchdogSec= the loop tells systemd WATCHDOG=1 at half the
// interval, from the loop itself: a loop stuck in a handler (or a deadlock)
// stops the pings, and systemd restarts certd.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace sdbus {
class IConnection;
}

namespace certd {

// Blocks SIGTERM and SIGINT for the calling thread and every thread it
// starts later; the loop receives them through a signalfd instead. Call
// first thing in main.
void blockTerminationSignals();

class EventLoop {
public:
    using Task = std::function<void()>;

    explicit EventLoop(sdbus::IConnection& connection);
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // Runs task on the loop thread, after the message being handled (if
    // any) is finished. Safe from any thread.
    void post(Task task);

    // Runs task on the loop thread once delay has passed. Only from the loop thread.
    void runAfter(std::chrono::milliseconds delay, Task task);

    // Calls onReady on the loop thread whenever fd reports one of events.
    // Only from the loop thread; fd must outlive the loop's run.
    void watch(int fd, short events, Task onReady);

    // Returns 0 after SIGTERM/SIGINT, 1 when the bus connection is lost.
    int run();

private:
    bool runPostedTasks();
    bool runDueTimers();
    int waitTimeoutMs() const;
    void pingWatchdogIfDue();

    sdbus::IConnection& connection_;
    int wakeFd_;
    int signalFd_;
    std::mutex mutex_;
    std::vector<Task> posted_;

    struct Watch {
        int fd;
        short events;
        Task onReady;
    };
    std::vector<Watch> watches_;

    struct Timer {
        std::uint64_t dueUsec; // CLOCK_MONOTONIC
        Task task;
    };
    std::vector<Timer> timers_;

    std::uint64_t watchdogIntervalUsec_ = 0; // half of WatchdogSec=; 0: no watchdog
    std::uint64_t nextWatchdogPingUsec_ = 0;  // CLOCK_MONOTONIC
};

} // namespace certd
