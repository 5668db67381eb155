#include "metrics/metrics_file.h"

#include "base/atomic_file.h"

namespace certd {

MetricsFile::MetricsFile(std::filesystem::path directory, Written written)
    : directory_(std::move(directory))
    , written_(std::move(written))
{
    // Only certd's own leftovers: the directory is shared with other exporters.
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory_, error)) {
        const auto name = entry.path().filename().string();
        if (name.starts_with(".certd.prom.") && isTemporaryFileName(name))
            std::filesystem::remove(entry.path(), error);
    }
}

MetricsFile::~MetricsFile() = default;

void MetricsFile::update(MetricsSnapshot snapshot)
{
    std::optional<MetricsSnapshot> replaced;
    {
        std::lock_guard lock(mutex_);
        replaced = std::exchange(latest_, std::move(snapshot));
        if (queued_)
            return; // the queued write takes the latest
        queued_ = true;
    }
    worker_.post([this] { writeLatest(); });
}

void MetricsFile::writeLatest()
{
    std::optional<MetricsSnapshot> snapshot;
    {
        std::lock_guard lock(mutex_);
        snapshot = std::exchange(latest_, std::nullopt);
        queued_ = false;
    }
    if (!snapshot)
        return;
    std::string error;
    try {
        // Created when missing (node_exporter may come later), never
        // changed when there: it belongs to whoever made it.
        std::error_code exists;
        if (!std::filesystem::is_directory(directory_, exists))
            ensureDirectory(directory_, 0755);
        writeFileAtomically(file(), renderMetrics(*snapshot), FileOptions::rebuiltAtStart(0644));
    } catch (const std::exception& failure) {
        error = failure.what();
    }
    snapshot.reset(); // its captures go before the report, outside the lock
    written_(error);
}

} // namespace certd
