#include "certd_process.h"

#include "test_paths.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/eventfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <stdexcept>

namespace certd::test {

NotifySocket::NotifySocket(const std::filesystem::path& path)
    : fd_(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0))
    , stopFd_(::eventfd(0, EFD_CLOEXEC))
{
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    if (fd_ < 0 || stopFd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        throw std::runtime_error("could not bind the notify socket " + path.string());
    reader_ = std::thread([this] { receive(); });
}

NotifySocket::~NotifySocket()
{
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(stopFd_, &one, sizeof one);
    reader_.join();
    ::close(stopFd_);
    ::close(fd_);
}

void NotifySocket::receive()
{
    for (;;) {
        pollfd fds[] = {{fd_, POLLIN, 0}, {stopFd_, POLLIN, 0}};
        if (::poll(fds, 2, -1) <= 0)
            continue;
        if (fds[1].revents & POLLIN)
            return;
        char buffer[4096];
        const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
        if (got <= 0)
            continue;
        {
            std::lock_guard lock(mutex_);
            messages_.emplace_back(buffer, static_cast<std::size_t>(got));
        }
        arrived_.notify_all();
    }
}

bool NotifySocket::waitFor(const std::string& assignment, int exitFd, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    for (;;) {
        for (auto message = messages_.begin(); message != messages_.end(); ++message) {
            if (("\n" + *message + "\n").find("\n" + assignment + "\n") != std::string::npos) {
                messages_.erase(messages_.begin(), message + 1);
                return true;
            }
        }
        messages_.clear(); // looked at: none of them holds assignment
        // Wake every 50 ms to see whether the process ended meanwhile.
        const auto until = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(50));
        arrived_.wait_until(lock, until, [&] { return !messages_.empty(); });
        if (messages_.empty()) {
            pollfd exited{exitFd, POLLIN, 0};
            if ((exitFd >= 0 && ::poll(&exited, 1, 0) > 0) || std::chrono::steady_clock::now() >= deadline)
                return false;
        }
    }
}

namespace {

std::vector<std::string> certdCommand(const CertdOptions& options, const std::filesystem::path& configFile)
{
    std::vector<std::string> argv = options.wrapper;
    argv.push_back(certdBinary().string());
    argv.push_back("--state-dir=" + options.stateDirectory.string());
    argv.push_back("--log-level=debug");
    // Always an explicit file: the test must not depend on /etc/certd.
    writeTextFile(configFile, options.config);
    argv.push_back("--config=" + configFile.string());
    argv.insert(argv.end(), options.extraArguments.begin(), options.extraArguments.end());
    return argv;
}

std::vector<std::string> certdEnvironment(const TestBus& bus, const CertdOptions& options)
{
    std::vector<std::string> environment{bus.systemBusEnvironment(), "JOURNAL_STREAM="};
    for (const auto& variable : options.extraEnvironment) {
        // A test's own setting replaces the default of the same name.
        const auto name = variable.substr(0, variable.find('=') + 1);
        std::erase_if(environment, [&](const std::string& existing) { return existing.starts_with(name); });
        environment.push_back(variable);
    }
    return environment;
}

} // namespace

CertdProcess::CertdProcess(const TestBus& bus, const CertdOptions& options, std::chrono::milliseconds timeout)
    : notify_(std::make_unique<NotifySocket>(dir_ / "notify"))
{
    auto environment = certdEnvironment(bus, options);
    environment.push_back("NOTIFY_SOCKET=" + (dir_ / "notify").string());
    child_ = std::make_unique<ChildProcess>(ChildProcess::Options{
        certdCommand(options, dir_ / "certd.conf"), environment, dir_ / "certd.log", {}, {}});
    if (!notify_->waitFor("READY=1", child_->exitFd(), timeout))
        throw std::runtime_error("certd did not become ready; its log:\n" + log());
}

CertdProcess::~CertdProcess()
{
    if (child_->running())
        child_->stop(SIGKILL, 10s);
}

int CertdProcess::stop()
{
    const auto status = child_->stop(SIGTERM, 20s);
    return status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
}

bool CertdProcess::waitForNotification(const std::string& assignment, std::chrono::milliseconds timeout)
{
    return notify_->waitFor(assignment, child_->exitFd(), timeout);
}

bool CertdProcess::waitForExit(std::chrono::milliseconds timeout)
{
    return child_->wait(timeout).has_value();
}

void CertdProcess::kill9()
{
    child_->stop(SIGKILL, 10s);
}

std::string CertdProcess::log() const
{
    try {
        return readTextFile(dir_ / "certd.log");
    } catch (const std::exception&) {
        return "(no log)";
    }
}

CommandResult runCertdExpectingExit(const TestBus& bus, const CertdOptions& options)
{
    TempDir dir;
    return runCommand(certdCommand(options, dir / "certd.conf"), certdEnvironment(bus, options), {}, 30s);
}

} // namespace certd::test
