#include "acme/challenges.h"

#include "acme/jose.h"
#include "base/atomic_file.h"
#include "base/error.h"
#include "base/file_descriptor.h"
#include "base/text.h"

#include <fcntl.h>
#include <openssl/sha.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace certd::acme {
namespace {

constexpr std::size_t maxOutput = 4096;

std::filesystem::path challengeDirectory(const std::filesystem::path& webroot)
{
    return webroot / ".well-known" / "acme-challenge";
}

// The web server's user may write in the webroot: a symbolic link planted
// as .well-known or acme-challenge must not lead certd (root) elsewhere.
// Missing directories are made (0755); existing ones are left as they are.
void requireRealDirectory(const std::filesystem::path& path)
{
    struct stat status {};
    if (::lstat(path.c_str(), &status) == 0) {
        if (!S_ISDIR(status.st_mode))
            throw Error(ErrorCode::ACMEFailed, "Answering http-01: " + path.string() +
                                                   " is a symbolic link or no directory; certd writes challenge "
                                                   "answers only into real directories");
        return;
    }
    if (errno != ENOENT || (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST))
        throwSystemError("Cannot make", path.string(), errno);
    requireRealDirectory(path); // made, or made by someone else just now: checked again
}

int waitFor(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

WebrootSolver::WebrootSolver(std::filesystem::path webroot)
    : webroot_(std::move(webroot))
{
}

void WebrootSolver::present(const std::string&, const std::string& token, const std::string& keyAuthorization)
{
    std::error_code error;
    if (!std::filesystem::is_directory(webroot_, error))
        throw Error(ErrorCode::ACMEFailed, "Answering http-01: Webroot= " + webroot_.string() +
                                               " in [ACME] of certd.conf is no directory");
    try {
        requireRealDirectory(webroot_ / ".well-known");
        requireRealDirectory(challengeDirectory(webroot_));
        writeFileAtomically(challengeDirectory(webroot_) / token, keyAuthorization, FileOptions::rebuiltAtStart(0644));
    } catch (const std::exception& failure) {
        throw Error(ErrorCode::ACMEFailed, std::string("Answering http-01 in the webroot: ") + failure.what());
    }
}

void WebrootSolver::cleanUp(const std::string&, const std::string& token, const std::string&) noexcept
{
    std::error_code ignored;
    std::filesystem::remove(challengeDirectory(webroot_) / token, ignored);
}

std::string dnsRecordValue(const std::string& keyAuthorization)
{
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(keyAuthorization.data()), keyAuthorization.size(), digest.data());
    return base64Url(ByteView(digest.data(), digest.size()));
}

DnsHookSolver::DnsHookSolver(std::filesystem::path hook, std::chrono::seconds timeout,
                             const std::atomic<bool>* cancelled)
    : hook_(std::move(hook))
    , timeout_(timeout)
    , cancelled_(cancelled)
{
}

void DnsHookSolver::present(const std::string& identifier, const std::string&, const std::string& keyAuthorization)
{
    std::string output;
    const int status = runProgram(hook_, {"add", "_acme-challenge." + identifier, dnsRecordValue(keyAuthorization)},
                                  timeout_, output, cancelled_);
    if (status != 0)
        throw Error(ErrorCode::ACMEFailed, "Answering dns-01: DNSHook= " + hook_.string() + " add exited with " +
                                               std::to_string(status) + (output.empty() ? "" : ": " + output));
}

void DnsHookSolver::cleanUp(const std::string& identifier, const std::string&,
                            const std::string& keyAuthorization) noexcept
{
    try {
        // When certd is stopping, a short best effort: the stop must not wait.
        const bool stopping = cancelled_ != nullptr && *cancelled_;
        std::string output;
        runProgram(hook_, {"remove", "_acme-challenge." + identifier, dnsRecordValue(keyAuthorization)},
                   stopping ? std::chrono::seconds(5) : timeout_, output);
    } catch (...) {
        // a record left behind is only untidy
    }
}

int runProgram(const std::filesystem::path& program, const std::vector<std::string>& arguments,
               std::chrono::milliseconds timeout, std::string& output, const std::atomic<bool>* cancelled)
{
    const auto stopRequested = [cancelled] { return cancelled != nullptr && *cancelled; };
    int pipeFds[2];
    if (pipe2(pipeFds, O_CLOEXEC) != 0)
        throwSystemError("Cannot make a pipe for", program.string(), errno);
    FileDescriptor readEnd(pipeFds[0]);
    FileDescriptor writeEnd(pipeFds[1]);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, writeEnd.get(), 1);
    posix_spawn_file_actions_adddup2(&actions, writeEnd.get(), 2);
    std::vector<std::string> all{program.string()};
    all.insert(all.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& argument : all)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    // certd's threads block SIGTERM (its loop takes it from a signalfd):
    // the program gets an empty mask, default handlers, its own group.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none, every;
    sigemptyset(&none);
    sigfillset(&every);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &every);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    std::vector<std::string> environment{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                         "LANG=C.UTF-8"};
    std::vector<char*> envp;
    for (auto& entry : environment)
        envp.push_back(entry.data());
    envp.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, program.c_str(), &actions, &attributes, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (spawned != 0)
        throw Error(ErrorCode::ACMEFailed, "Cannot run " + program.string() + ": " + std::strerror(spawned));
    writeEnd.reset();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::array<char, 1024> buffer{};
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd entry{readEnd.get(), POLLIN, 0};
        const int ready = left.count() > 0 && !stopRequested()
                              ? poll(&entry, 1, static_cast<int>(std::min<long>(left.count(), 250)))
                              : -2;
        if (ready < 0 && ready != -2 && errno == EINTR)
            continue;
        if (ready == 0)
            continue; // a quarter second passed: look at the deadline and the stop again
        if (ready == -2 || ready < 0) {
            kill(-pid, SIGKILL);
            waitFor(pid);
            throw Error(ErrorCode::ACMEFailed, program.string() + (stopRequested()
                                                                       ? " was killed: certd is stopping"
                                                                       : " did not finish within " +
                                                                             std::to_string(timeout.count() / 1000) +
                                                                             " s and was killed"));
        }
        const ssize_t count = read(readEnd.get(), buffer.data(), buffer.size());
        if (count < 0 && errno == EINTR)
            continue;
        if (count <= 0)
            break; // the program closed its output: it is ending
        if (output.size() < maxOutput)
            output.append(buffer.data(), std::min<std::size_t>(static_cast<std::size_t>(count), maxOutput - output.size()));
    }
    output = toValidUtf8(output);
    while (!output.empty() && (output.back() == '\n' || output.back() == ' '))
        output.pop_back();
    // Its output is closed, but it may still run (a daemon it started keeps
    // nothing open): wait for its exit within the same deadline.
    for (;;) {
        int status = 0;
        const pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (done < 0 && errno != EINTR)
            throwSystemError("Cannot wait for", program.string(), errno);
        if (std::chrono::steady_clock::now() >= deadline || stopRequested()) {
            kill(-pid, SIGKILL);
            waitFor(pid);
            throw Error(ErrorCode::ACMEFailed, program.string() + " did not finish within " +
                                                   std::to_string(timeout.count() / 1000) + " s and was killed");
        }
        usleep(10'000);
    }
}

} // namespace certd::acme
