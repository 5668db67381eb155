#include "trust/batched_file_writer.h"

#include <algorithm>

namespace certd {
namespace {

constexpr auto shortestQuietPeriod = std::chrono::milliseconds(1);
constexpr auto longestQuietPeriod = std::chrono::milliseconds(500);
constexpr auto longestBatchDelay = std::chrono::seconds(1);

} // namespace

BatchedFileWriter::BatchedFileWriter(std::filesystem::path file, FileOptions options, Render render,
                                     Listener listener)
    : file_(std::move(file))
    , options_(options)
    , render_(std::move(render))
    , listener_(std::move(listener))
    , thread_([this] { run(); })
{
}

BatchedFileWriter::~BatchedFileWriter()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void BatchedFileWriter::markChanged()
{
    {
        std::lock_guard lock(mutex_);
        ++requested_;
    }
    wake_.notify_all();
}

void BatchedFileWriter::flush()
{
    std::unique_lock lock(mutex_);
    const auto target = requested_;
    written_.wait(lock, [&] { return completed_ >= target; });
}

void BatchedFileWriter::writeNowIfDifferent()
{
    const std::string contents = render_().contents;
    try {
        if (readFile(file_, contents.size() + 1) == contents)
            return;
    } catch (const std::exception&) {
        // missing or unreadable: write it
    }
    writeFileAtomically(file_, contents, options_);
}

void BatchedFileWriter::run()
{
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stopping_ || requested_ > completed_; });
        if (requested_ == completed_)
            return; // stopping with nothing pending

        // Batch: wait until no change arrived for as long as a write takes,
        // but under a steady stream of changes write at least once a second.
        const auto quiet = std::clamp<std::chrono::steady_clock::duration>(
            lastWriteDuration_, shortestQuietPeriod, longestQuietPeriod);
        const auto latest = std::chrono::steady_clock::now() + longestBatchDelay;
        for (auto seen = requested_; !stopping_; seen = requested_) {
            const auto until = std::min(std::chrono::steady_clock::now() + quiet, latest);
            if (!wake_.wait_until(lock, until, [&] { return stopping_ || requested_ != seen; }))
                break;
        }

        const auto target = requested_;
        lock.unlock();
        const auto started = std::chrono::steady_clock::now();
        writeOnce();
        const auto took = std::chrono::steady_clock::now() - started;
        lock.lock();
        lastWriteDuration_ = took;
        completed_ = target;
        written_.notify_all();
    }
}

void BatchedFileWriter::writeOnce()
{
    std::size_t items = 0;
    std::string error;
    try {
        Rendered rendered = render_();
        items = rendered.items;
        writeFileAtomically(file_, rendered.contents, options_);
    } catch (const std::exception& failure) {
        error = failure.what();
    }
    listener_(items, error);
}

} // namespace certd
