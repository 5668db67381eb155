// Running programs from tests: every child is waited for with a timeout and
// killed by PID when the test is done with it, so no test leaves processes
// behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace certd::test {

using namespace std::chrono_literals;

struct CommandResult {
    int exitCode = -1; // -1 when killed by a signal (or by the timeout)
    std::string out;
    std::string err;
    bool timedOut = false;
};

// Runs argv (looked up in PATH) with extraEnvironment added ("NAME=value"),
// feeding input to stdin, and collects its output.
CommandResult runCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& extraEnvironment = {},
                         const std::string& input = {}, std::chrono::milliseconds timeout = 60s);

// A long-running child with stdout and stderr going to one log file. The
// destructor kills it (SIGKILL) and reaps it.
class ChildProcess {
public:
    struct Options {
        std::vector<std::string> argv;
        std::vector<std::string> extraEnvironment;
        std::filesystem::path logFile;
        std::vector<std::pair<int, int>> extraFds; // (fd in parent, fd number in child)
        std::string user;                          // run as this user (and its groups); empty: as is
    };

    explicit ChildProcess(const Options& options);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    bool running() const { return !exitStatus_; }

    // Sends signal; waits for the exit up to timeout. Returns the wait status
    // (as from waitpid), or nullopt on timeout.
    std::optional<int> stop(int signal, std::chrono::milliseconds timeout = 10s);
    // Waits without signalling.
    std::optional<int> wait(std::chrono::milliseconds timeout);

    // pidfd, readable once the child has exited: lets waits stop early.
    int exitFd() const { return pidFd_; }

private:
    pid_t pid_ = -1;
    int pidFd_ = -1;
    std::optional<int> exitStatus_;
};

std::vector<std::string> environmentWith(const std::vector<std::string>& extra);

// Waits until file contains text (woken by inotify as it grows, appears or
// is replaced; its directory must exist). Gives up
// early once stopFd (e.g. ChildProcess::exitFd) becomes readable.
bool waitForText(const std::filesystem::path& file, const std::string& text, std::chrono::milliseconds timeout,
                 int stopFd = -1);

// A TCP port on 127.0.0.1 that was free a moment ago.
int freeTcpPort();

} // namespace certd::test
