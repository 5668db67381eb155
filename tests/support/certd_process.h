// The real certd binary, started for a test on a TestBus. Start-up is
// awaited through sd_notify's READY=1 (NOTIFY_SOCKET), as systemd would.
#pragma once

#include "process.h"
#include "temp_dir.h"
#include "test_bus.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace certd::test {

struct CertdOptions {
    std::filesystem::path stateDirectory;     // required
    std::string config;                       // INI text (empty: all defaults)
    std::vector<std::string> extraArguments;
    std::vector<std::string> extraEnvironment;
    std::vector<std::string> wrapper;         // e.g. {"faketime", "-f", "+10d"}
};

// The socket certd reports to with sd_notify (NOTIFY_SOCKET), read all the
// time as systemd reads it: sd_notify blocks once the socket's queue is
// full, and a watchdog pinging every 200 ms fills it within seconds.
class NotifySocket {
public:
    explicit NotifySocket(const std::filesystem::path& path);
    ~NotifySocket();
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    // Waits for a message not returned before that holds the line
    // assignment ("READY=1"); false when exitFd becomes readable first or
    // time runs out.
    bool waitFor(const std::string& assignment, int exitFd, std::chrono::milliseconds timeout);

private:
    void receive();

    int fd_;
    int stopFd_;
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<std::string> messages_; // not returned yet
    std::thread reader_;
};

class CertdProcess {
public:
    // Starts certd and waits for READY=1; throws with certd's log when it
    // exits or is not ready in time.
    CertdProcess(const TestBus& bus, const CertdOptions& options, std::chrono::milliseconds timeout = 30s);
    ~CertdProcess();

    pid_t pid() const { return child_->pid(); }

    // SIGTERM and wait: returns the exit code (-1 on a signal or timeout).
    int stop();
    // kill -9, as a crash or power loss would end it.
    void kill9();
    // Waits for certd to end by itself (killed from inside, say); false on timeout.
    bool waitForExit(std::chrono::milliseconds timeout);

    // The next sd_notify message holding the line assignment (e.g. "WATCHDOG=1").
    bool waitForNotification(const std::string& assignment, std::chrono::milliseconds timeout);

    std::string log() const;
    std::filesystem::path logFile() const { return dir_ / "certd.log"; }
    // Readable once certd has ended: for waits that should give up then.
    int exitFd() const { return child_->exitFd(); }

private:
    TempDir dir_;
    std::unique_ptr<NotifySocket> notify_;
    std::unique_ptr<ChildProcess> child_;
};

// Runs certd to completion (for start-up failures); returns exit code and log.
CommandResult runCertdExpectingExit(const TestBus& bus, const CertdOptions& options);

} // namespace certd::test
