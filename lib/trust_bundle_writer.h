// Keeps the TrustBundle file (every stored CA as PEM) current from a thread
// of its own. Rewriting the bundle costs time in proportion to the store,
// so changes are batched: after a change the writer waits for a quiet
// period as long as its last write took, then writes the newest snapshot
// once. Importing one CA therefore never pays for the whole store, and a
// burst of imports costs a handful of rewrites.
#pragma once

#include "stored_ca.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace certd {

class TrustBundleWriter {
public:
    using Snapshot = std::vector<std::shared_ptr<const StoredCa>>;
    // Called on the writer thread: which certificates the bundle must hold.
    using SnapshotSource = std::function<Snapshot()>;
    // Called on the writer thread after each attempt; error is empty on success.
    using Listener = std::function<void(std::size_t count, const std::string& error)>;

    TrustBundleWriter(std::filesystem::path file, SnapshotSource source, Listener listener);
    // Writes a pending change before returning.
    ~TrustBundleWriter();

    TrustBundleWriter(const TrustBundleWriter&) = delete;
    TrustBundleWriter& operator=(const TrustBundleWriter&) = delete;

    const std::filesystem::path& file() const { return file_; }

    // Schedules a rewrite; returns at once.
    void markChanged();

    // Blocks until every change marked so far is written.
    void flush();

    // Brings the file up to date on the calling thread, without notifying
    // the listener, and only writes when its contents differ. For start-up,
    // before anything is marked changed: consumers started after certd must
    // find a correct bundle.
    void writeNowIfDifferent();

private:
    void run();
    void writeOnce();

    std::filesystem::path file_;
    SnapshotSource source_;
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

// Every certificate as PEM, in the order given.
std::string renderTrustBundle(const TrustBundleWriter::Snapshot& certificates);

} // namespace certd
