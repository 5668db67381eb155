#include "terminal.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <stdexcept>

namespace certd::test {

TerminalRun runOnATerminal(const std::function<int()>& body, std::chrono::seconds timeout,
                           const std::optional<TerminalScript>& script)
{
    int master = -1;
    const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    if (pid < 0)
        throw std::runtime_error("forkpty failed");
    if (pid == 0) {
        int code = 100;
        try {
            code = body();
        } catch (...) {
            code = 101;
        }
        ::_exit(code);
    }
    TerminalRun run;
    bool scripted = false;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        pollfd readable{master, POLLIN, 0};
        if (::poll(&readable, 1, 50) > 0) {
            char buffer[512];
            const ssize_t got = ::read(master, buffer, sizeof buffer);
            if (got > 0)
                run.output.append(buffer, static_cast<std::size_t>(got));
        }
        if (script && !scripted && run.output.find(script->prompt) != std::string::npos) {
            scripted = true;
            if (script->signal)
                ::kill(pid, script->signal);
            else if (::write(master, script->answer.data(), script->answer.size()) < 0)
                throw std::runtime_error("could not type on the terminal");
        }
        if (::waitpid(pid, &run.status, WNOHANG) == pid) {
            run.finished = true;
            // What it wrote just before it ended is still in the terminal.
            char buffer[512];
            for (pollfd left{master, POLLIN, 0}; ::poll(&left, 1, 0) > 0;) {
                const ssize_t got = ::read(master, buffer, sizeof buffer);
                if (got <= 0)
                    break;
                run.output.append(buffer, static_cast<std::size_t>(got));
            }
            break;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &run.status, 0);
            break;
        }
    }
    termios settings{};
    run.echoesAtEnd = ::tcgetattr(master, &settings) == 0 && (settings.c_lflag & ECHO);
    ::close(master);
    return run;
}

} // namespace certd::test
