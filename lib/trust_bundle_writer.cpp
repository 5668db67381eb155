#include "trust_bundle_writer.h"

#include "atomic_file.h"
#include "pem.h"

#include <algorithm>

namespace certd {
namespace {

constexpr auto shortestQuietPeriod = std::chrono::milliseconds(1);
constexpr auto longestQuietPeriod = std::chrono::seconds(1);

} // namespace

std::string renderTrustBundle(const TrustBundleWriter::Snapshot& certificates)
{
    std::string bundle;
    bundle.reserve(certificates.size() * 2048);
    for (const auto& stored : certificates) {
        bundle += "# " + stored->details.subject + "\n";
        bundle += derToPem(stored->der, "CERTIFICATE");
    }
    return bundle;
}

TrustBundleWriter::TrustBundleWriter(std::filesystem::path file, SnapshotSource source, Listener listener)
    : file_(std::move(file))
    , source_(std::move(source))
    , listener_(std::move(listener))
    , thread_([this] { run(); })
{
}

TrustBundleWriter::~TrustBundleWriter()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void TrustBundleWriter::markChanged()
{
    {
        std::lock_guard lock(mutex_);
        ++requested_;
    }
    wake_.notify_all();
}

void TrustBundleWriter::flush()
{
    std::unique_lock lock(mutex_);
    const auto target = requested_;
    written_.wait(lock, [&] { return completed_ >= target; });
}

void TrustBundleWriter::writeNowIfDifferent()
{
    const std::string contents = renderTrustBundle(source_());
    try {
        if (readFile(file_, contents.size() + 1) == contents)
            return;
    } catch (const std::exception&) {
        // missing or unreadable: write it
    }
    writeFileAtomically(file_, contents, FileOptions::durableFile(0644));
}

void TrustBundleWriter::run()
{
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stopping_ || requested_ > completed_; });
        if (requested_ == completed_)
            return; // stopping with nothing pending

        // Batch: wait until no change arrived for as long as a write takes.
        const auto quiet = std::clamp<std::chrono::steady_clock::duration>(
            lastWriteDuration_, shortestQuietPeriod, longestQuietPeriod);
        for (auto seen = requested_; !stopping_; seen = requested_)
            if (!wake_.wait_for(lock, quiet, [&] { return stopping_ || requested_ != seen; }))
                break;

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

void TrustBundleWriter::writeOnce()
{
    const Snapshot snapshot = source_();
    std::string error;
    try {
        writeFileAtomically(file_, renderTrustBundle(snapshot), FileOptions::durableFile(0644));
    } catch (const std::exception& failure) {
        error = failure.what();
    }
    listener_(snapshot.size(), error);
}

} // namespace certd
