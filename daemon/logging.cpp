#include "logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>

namespace certd {
namespace {

// systemd sets JOURNAL_STREAM to "<device>:<inode>" of the journal stream;
// it counts only while stderr still is that stream.
bool stderrIsJournal()
{
    const char* stream = std::getenv("JOURNAL_STREAM");
    struct stat status{};
    if (!stream || ::fstat(STDERR_FILENO, &status) != 0)
        return false;
    unsigned long long device = 0, inode = 0;
    if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2)
        return false;
    return device == status.st_dev && inode == status.st_ino;
}

bool journal = false;

} // namespace

bool loggingToJournal()
{
    return journal;
}

void setUpLogging(const std::string& level)
{
    std::shared_ptr<spdlog::logger> logger;
    journal = stderrIsJournal();
    if (journal) {
        logger = std::make_shared<spdlog::logger>(
            "certd", std::make_shared<spdlog::sinks::systemd_sink_mt>("certd"));
    } else {
        logger = std::make_shared<spdlog::logger>(
            "certd", std::make_shared<spdlog::sinks::stderr_sink_mt>());
        logger->set_pattern("certd[%P]: %H:%M:%S.%e %^%l%$: %v");
    }
    logger->set_level(spdlog::level::from_str(level));
    logger->flush_on(spdlog::level::trace); // a daemon's log is read live
    spdlog::set_default_logger(std::move(logger));
}

} // namespace certd
