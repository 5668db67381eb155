#include "polkit_agent.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace certd::cli {
namespace {

constexpr const char* agentBinary = "/usr/bin/pkttyagent";

} // namespace

bool agentWanted(const AgentConditions& c)
{
    return c.askPassword && !c.remote && c.terminal && !c.root && c.agentInstalled;
}

void PolkitAgent::startIfUseful(bool askPassword, bool remote)
{
    if (tried_)
        return;
    tried_ = true;
    const AgentConditions conditions{askPassword, remote, ::isatty(STDIN_FILENO) && ::isatty(STDERR_FILENO),
                                     ::geteuid() == 0, ::access(agentBinary, X_OK) == 0};
    if (!agentWanted(conditions))
        return;
    int notify[2];
    if (::pipe2(notify, O_CLOEXEC) != 0)
        return;
    pid_ = ::fork();
    if (pid_ == 0) {
        // The write end survives exec as the agent's --notify-fd; it closes
        // it once it is registered.
        ::fcntl(notify[1], F_SETFD, 0);
        const std::string fd = std::to_string(notify[1]);
        ::execl(agentBinary, agentBinary, "--notify-fd", fd.c_str(), "--fallback", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(notify[1]);
    if (pid_ > 0) {
        pollfd ready{notify[0], POLLIN, 0};
        ::poll(&ready, 1, 5000); // readable (EOF) once registered; a broken agent costs 5 s at most
    }
    ::close(notify[0]);
}

PolkitAgent::~PolkitAgent()
{
    if (pid_ <= 0)
        return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
}

} // namespace certd::cli
