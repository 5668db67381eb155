#include "base/serial_worker.h"

namespace certd {

SerialWorker::SerialWorker()
    : thread_([this] { run(); })
{
}

SerialWorker::~SerialWorker()
{
    std::deque<Job> dropped;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        dropped.swap(jobs_);
    }
    wake_.notify_all();
    thread_.join();
}

void SerialWorker::post(Job job)
{
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    wake_.notify_all();
}

void SerialWorker::run()
{
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
            if (stopping_)
                return;
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        job(); // jobs report their own failures
        // job goes out of scope here, with mutex_ released (see the header).
    }
}

} // namespace certd
