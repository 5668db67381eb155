#include "process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <utility>

extern char** environ;

namespace certd::test {
namespace {

struct Pipe {
    int read = -1, write = -1;
    Pipe()
    {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0)
            throw std::runtime_error("pipe2 failed");
        read = fds[0];
        write = fds[1];
    }
    void closeRead() { if (read >= 0) ::close(std::exchange(read, -1)); }
    void closeWrite() { if (write >= 0) ::close(std::exchange(write, -1)); }
    ~Pipe() { closeRead(); closeWrite(); }
};

std::vector<char*> pointers(std::vector<std::string>& strings)
{
    std::vector<char*> result;
    for (auto& s : strings)
        result.push_back(s.data());
    result.push_back(nullptr);
    return result;
}

pid_t spawn(std::vector<std::string> argv, std::vector<std::string> environment,
            posix_spawn_file_actions_t& actions)
{
    if (argv.empty())
        throw std::runtime_error("spawn: empty command");
    auto args = pointers(argv);
    auto env = pointers(environment);
    pid_t pid = -1;
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // Children start with default signal handling and no blocked signals.
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    const int error = ::posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), env.data());
    posix_spawnattr_destroy(&attributes);
    if (error != 0)
        throw std::runtime_error("could not start " + argv[0] + ": " + std::strerror(error));
    return pid;
}

int openPidFd(pid_t pid)
{
    // Via syscall(): glibc 2.36's <sys/pidfd.h> lacks extern "C".
    const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (fd < 0)
        throw std::runtime_error(std::string("pidfd_open failed: ") + std::strerror(errno));
    return fd;
}

int millisecondsLeft(std::chrono::steady_clock::time_point deadline)
{
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

} // namespace

std::vector<std::string> environmentWith(const std::vector<std::string>& extra)
{
    std::vector<std::string> environment;
    for (char** entry = environ; *entry; ++entry) {
        const std::string variable = *entry;
        const auto name = variable.substr(0, variable.find('=') + 1);
        bool overridden = false;
        for (const auto& e : extra)
            overridden |= e.starts_with(name);
        if (!overridden)
            environment.push_back(variable);
    }
    environment.insert(environment.end(), extra.begin(), extra.end());
    return environment;
}

CommandResult runCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& extraEnvironment, const std::string& input,
                         std::chrono::milliseconds timeout)
{
    Pipe in, out, err;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in.read, 0);
    posix_spawn_file_actions_adddup2(&actions, out.write, 1);
    posix_spawn_file_actions_adddup2(&actions, err.write, 2);
    const pid_t pid = spawn(argv, environmentWith(extraEnvironment), actions);
    posix_spawn_file_actions_destroy(&actions);
    in.closeRead();
    out.closeWrite();
    err.closeWrite();
    ::fcntl(in.write, F_SETFL, O_NONBLOCK);
    if (input.empty())
        in.closeWrite();

    CommandResult result;
    const int pidFd = openPidFd(pid);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t inputSent = 0;
    bool exited = false;
    while (out.read >= 0 || err.read >= 0 || !exited) {
        pollfd fds[] = {{out.read, POLLIN, 0}, {err.read, POLLIN, 0}, {pidFd, POLLIN, 0},
                        {in.write, POLLOUT, 0}};
        const int ready = ::poll(fds, 4, millisecondsLeft(deadline));
        if (ready == 0) {
            result.timedOut = true;
            ::kill(pid, SIGKILL);
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buffer[65536];
            const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
            auto& pipe = i == 0 ? out : err;
            if (got <= 0)
                pipe.closeRead();
            else
                (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(got));
        }
        if (fds[3].revents & (POLLOUT | POLLERR)) {
            const ssize_t sent = ::write(in.write, input.data() + inputSent, input.size() - inputSent);
            if (sent > 0)
                inputSent += static_cast<std::size_t>(sent);
            if ((sent < 0 && errno != EAGAIN) || inputSent == input.size())
                in.closeWrite();
        }
        exited |= (fds[2].revents & POLLIN) != 0;
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(pidFd);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

bool waitForText(const std::filesystem::path& file, const std::string& text, std::chrono::milliseconds timeout,
                 int stopFd)
{
    const int inotify = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    // The directory, not the file: it reports writes to the file, and also
    // its creation and its replacement by a rename (an atomic writer's).
    // While the directory itself is missing, its parent says when it comes.
    const auto directory = file.parent_path();
    const auto watchDirectory = [&] {
        return ::inotify_add_watch(inotify, directory.c_str(), IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO);
    };
    int watch = watchDirectory();
    if (watch < 0)
        watch = ::inotify_add_watch(inotify, directory.parent_path().c_str(), IN_CREATE | IN_MOVED_TO);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool found = false;
    for (;;) {
        std::ifstream in(file);
        const std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (contents.find(text) != std::string::npos) {
            found = true;
            break;
        }
        pollfd fds[] = {{inotify, POLLIN, 0}, {stopFd, POLLIN, 0}};
        const int left = millisecondsLeft(deadline);
        if (left == 0 || watch < 0 || ::poll(fds, stopFd >= 0 ? 2 : 1, left) <= 0 || (fds[1].revents & POLLIN))
            break;
        char events[4096];
        while (::read(inotify, events, sizeof events) > 0) {
        }
        watchDirectory(); // once it exists (adding a watch twice is harmless)
    }
    ::close(inotify);
    return found;
}

int freeTcpPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("could not find a free TCP port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

ChildProcess::ChildProcess(const Options& options)
{
    // Should the test process itself crash, the kernel kills its children.
    // (Set together with the user: a later change of user would clear it.)
    std::vector<std::string> argv{"setpriv"};
    if (!options.user.empty())
        argv.insert(argv.end(), {"--reuid=" + options.user, "--regid=" + options.user, "--init-groups"});
    argv.insert(argv.end(), {"--pdeathsig", "KILL", "--"});
    argv.insert(argv.end(), options.argv.begin(), options.argv.end());
    const int log = ::open(options.logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, devNull, 0);
    posix_spawn_file_actions_adddup2(&actions, log, 1);
    posix_spawn_file_actions_adddup2(&actions, log, 2);
    for (const auto& [parentFd, childFd] : options.extraFds)
        posix_spawn_file_actions_adddup2(&actions, parentFd, childFd);
    try {
        pid_ = spawn(argv, environmentWith(options.extraEnvironment), actions);
    } catch (...) {
        posix_spawn_file_actions_destroy(&actions);
        ::close(log);
        ::close(devNull);
        throw;
    }
    posix_spawn_file_actions_destroy(&actions);
    ::close(log);
    ::close(devNull);
    pidFd_ = openPidFd(pid_);
}

ChildProcess::~ChildProcess()
{
    if (!exitStatus_) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    ::close(pidFd_);
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout)
{
    if (exitStatus_)
        return exitStatus_;
    pollfd fd{pidFd_, POLLIN, 0};
    if (::poll(&fd, 1, static_cast<int>(timeout.count())) <= 0)
        return std::nullopt;
    int status = 0;
    if (::waitpid(pid_, &status, 0) == pid_)
        exitStatus_ = status;
    return exitStatus_;
}

std::optional<int> ChildProcess::stop(int signal, std::chrono::milliseconds timeout)
{
    if (!exitStatus_)
        ::kill(pid_, signal);
    return wait(timeout);
}

} // namespace certd::test
