// One background thread that runs jobs in the order they were posted: slow
// work (key generation, writing host certificates) happens there instead of
// on the D-Bus thread, and jobs for the same thing never overlap.
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
    // Finishes the running job; jobs still queued are dropped.
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
