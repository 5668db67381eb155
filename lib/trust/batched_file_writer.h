// Keeps a file derived from the whole store (the trust bundle, the details
// cache) current from a thread of its own. Rewriting such a file costs time
// in proportion to the store, so changes are batched: after a change the
// writer waits for a quiet period as long as its last write took (but never
// more than a second under a steady stream), then writes the newest state
// once. Importing one CA therefore never pays for the whole store, and a
// burst of imports costs a handful of rewrites.
//
// Lock order: mutex_ guards the generation counters only. Rendering,
// writing and the listener all run with it released (the render callback
// takes the store's own mutex, the listener the event loop's).
#pragma once

#include "base/atomic_file.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace certd {

class BatchedFileWriter {
public:
    struct Rendered {
        std::string contents;
        std::size_t items = 0; // what the file holds, for the listener
    };
    // Called on the writer thread: the file's current contents.
    using Render = std::function<Rendered()>;
    // Called on the writer thread after each attempt; error is empty on success.
    using Listener = std::function<void(std::size_t items, const std::string& error)>;

    BatchedFileWriter(std::filesystem::path file, FileOptions options, Render render, Listener listener);
    // Writes a pending change before returning.
    ~BatchedFileWriter();

    BatchedFileWriter(const BatchedFileWriter&) = delete;
    BatchedFileWriter& operator=(const BatchedFileWriter&) = delete;

    // Schedules a rewrite; returns at once.
    void markChanged();

    // Blocks until every change marked so far is written.
    void flush();

    // Brings the file up to date on the calling thread, without notifying
    // the listener, writing only when its contents differ. For start-up,
    // before anything is marked changed.
    void writeNowIfDifferent();

private:
    void run();
    void writeOnce();

    std::filesystem::path file_;
    FileOptions options_;
    Render render_;
    Listener listener_;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable written_;
    std::uint64_t requested_ = 0; // generations, so flush() knows what it waits for
    std::uint64_t completed_ = 0;
    bool stopping_ = false;
    std::chrono::steady_clock::duration lastWriteDuration_{};
    std::thread thread_;
};

} // namespace certd
