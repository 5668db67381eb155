// certd.prom in node_exporter's textfile directory, kept current without
// ever slowing the caller: update() hands over a snapshot and returns; a
// worker renders and writes it. Updates that arrive while a write runs are
// coalesced, so a burst of 10,000 imports costs a few writes, and the last
// one is always of the latest snapshot.
//
// The file is replaced atomically (node_exporter never reads half of it)
// with mode 0644; it is derived state, rewritten at every start, so it is
// not synced. A leftover temporary file of certd's is removed at start.
#pragma once

#include "base/serial_worker.h"
#include "metrics/metrics_text.h"

#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace certd {

class MetricsFile {
public:
    // Called on the worker after each write: empty, or why it failed.
    using Written = std::function<void(const std::string& error)>;

    MetricsFile(std::filesystem::path directory, Written written);
    ~MetricsFile();

    void update(MetricsSnapshot snapshot);

    std::filesystem::path file() const { return directory_ / "certd.prom"; }

private:
    void writeLatest();

    std::filesystem::path directory_;
    Written written_;
    std::mutex mutex_; // guards latest_ and queued_ only
    std::optional<MetricsSnapshot> latest_;
    bool queued_ = false;
    SerialWorker worker_; // last: its jobs use everything above
};

} // namespace certd
