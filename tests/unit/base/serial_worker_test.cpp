#include "base/serial_worker.h"

#include <chrono>
#include <future>

#include <gtest/gtest.h>

namespace certd {
namespace {

using namespace std::chrono_literals;

TEST(SerialWorker, RunsJobsInTheOrderPosted)
{
    std::vector<int> order;
    std::promise<void> done;
    {
        SerialWorker worker;
        for (int i = 0; i < 5; ++i)
            worker.post([&order, i] { order.push_back(i); });
        worker.post([&] { done.set_value(); });
        ASSERT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
    }
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

// A job's captures may take other locks when they are destroyed (a D-Bus
// reply takes the connection's). Destroying a finished job under the
// worker's own mutex once deadlocked certd; here a capture whose destructor
// posts again would deadlock the worker at once.
struct PostsWhenDestroyed {
    SerialWorker* worker = nullptr;
    std::promise<void>* posted = nullptr;
    PostsWhenDestroyed() = default;
    PostsWhenDestroyed(const PostsWhenDestroyed&) = default;
    ~PostsWhenDestroyed()
    {
        if (worker && posted) {
            worker->post([] {});
            posted->set_value();
        }
    }
};

TEST(SerialWorker, AFinishedJobIsDestroyedWithoutTheWorkersLock)
{
    SerialWorker worker;
    std::promise<void> posted;
    auto future = posted.get_future();
    {
        auto capture = std::make_shared<PostsWhenDestroyed>();
        capture->worker = &worker;
        capture->posted = &posted;
        worker.post([capture] {});
    } // the job now holds the last reference: it dies on the worker thread
    EXPECT_EQ(future.wait_for(10s), std::future_status::ready);
}

} // namespace
} // namespace certd
