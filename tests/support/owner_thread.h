// The owner's thread of a lib class that hands results back through a post
// function (HostCertificates, AcmeIssuer), played by the test: posted
// tasks wait until the test runs them, so it sees each hand-over.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

namespace certd::test {

class OwnerThread {
public:
    using Post = std::function<void(std::function<void()>)>;

    Post post()
    {
        return [this](std::function<void()> task) {
            std::lock_guard lock(mutex_);
            tasks_.push_back(std::move(task));
            posted_.notify_all();
        };
    }

    // Runs the next posted task, waiting for it up to 60 s.
    bool runNext()
    {
        std::function<void()> task;
        {
            std::unique_lock lock(mutex_);
            if (!posted_.wait_for(lock, std::chrono::seconds(60), [&] { return !tasks_.empty(); }))
                return false;
            task = std::move(tasks_.front());
            tasks_.pop_front();
        }
        task();
        return true;
    }

private:
    std::mutex mutex_;
    std::condition_variable posted_;
    std::deque<std::function<void()>> tasks_;
};

} // namespace certd::test
