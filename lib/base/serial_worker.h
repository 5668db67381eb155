// One background thread that runs jobs in the order they were posted: slow
// work (key generation, writing host certificates) happens there instead of
// on the D-Bus thread, and jobs for the same thing never overlap.
//
// Lock order: mutex_ guards only the queue. A job runs, and is destroyed,
// with mutex_ released: a job's captures may take other locks when they go
// (a D-Bus message takes the connection's), and the thread that posts may
// hold exactly those locks while it waits for mutex_.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace certd {

class SerialWorker {
public:
    using Job = std::function<void()>;

    SerialWorker();
    // Finishes the running job; jobs still queued are dropped (destroyed on
    // the destroying thread, outside the lock).
    ~SerialWorker();
    SerialWorker(const SerialWorker&) = delete;
    SerialWorker& operator=(const SerialWorker&) = delete;

    void post(Job job);

private:
    void run();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> jobs_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace certd
