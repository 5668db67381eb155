#include "passphrase.h"

#include "base/secret.h"
#include "x509/pkcs12_input.h"

#include <csignal>
#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace certd::cli {
namespace {

// What an interrupted prompt restores before the signal takes its course.
int promptTerminal = -1;
termios savedTerminal{};

extern "C" void restoreAndReraise(int signal)
{
    if (promptTerminal >= 0)
        ::tcsetattr(promptTerminal, TCSAFLUSH, &savedTerminal);
    ::signal(signal, SIG_DFL);
    ::raise(signal);
}

class EchoOff {
public:
    explicit EchoOff(int terminal) : terminal_(terminal)
    {
        if (::tcgetattr(terminal, &savedTerminal) != 0)
            throw std::runtime_error("Cannot ask for the passphrase: /dev/tty is not a terminal; give "
                                     "--passphrase-file");
        promptTerminal = terminal;
        for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP}) {
            struct sigaction action{};
            action.sa_handler = restoreAndReraise;
            ::sigaction(signal, &action, &previous_[index(signal)]);
        }
        termios quiet = savedTerminal;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        quiet.c_lflag |= ECHONL; // the Enter still moves to the next line
        ::tcsetattr(terminal, TCSAFLUSH, &quiet);
    }

    ~EchoOff()
    {
        ::tcsetattr(terminal_, TCSAFLUSH, &savedTerminal);
        for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP})
            ::sigaction(signal, &previous_[index(signal)], nullptr);
        promptTerminal = -1;
    }

    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    static std::size_t index(int signal) { return static_cast<std::size_t>(signal) % 32; }

    int terminal_;
    struct sigaction previous_[32]{};
};

std::string readLine(int fd, const std::string& source)
{
    std::string line;
    char c = 0;
    for (ssize_t n; (n = ::read(fd, &c, 1)) != 0;) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw std::runtime_error("Cannot read the passphrase from " + source + ": " + ::strerror(errno));
        }
        if (c == '\n')
            break;
        if (line.size() == maxPassphraseSize) {
            wipe(line);
            throw std::runtime_error("The passphrase from " + source + " is longer than " +
                                     std::to_string(maxPassphraseSize) + " bytes");
        }
        line += c;
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

} // namespace

std::string passphraseFromFile(const std::string& file)
{
    if (file == "-")
        return readLine(STDIN_FILENO, "standard input");
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw std::runtime_error("Cannot read the passphrase file " + file + ": " + ::strerror(errno));
    try {
        auto line = readLine(fd, file);
        ::close(fd);
        return line;
    } catch (...) {
        ::close(fd);
        throw;
    }
}

std::string askPassphrase(const std::string& prompt)
{
    const int terminal = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (terminal < 0)
        throw std::runtime_error("No terminal to ask for the passphrase on: give --passphrase-file");
    std::string line;
    try {
        const EchoOff quiet(terminal); // restored before the terminal is closed
        if (::write(terminal, prompt.data(), prompt.size()) < 0) {
            // Nothing to do: reading still works, the prompt is a courtesy.
        }
        line = readLine(terminal, "the terminal");
    } catch (...) {
        ::close(terminal);
        throw;
    }
    ::close(terminal);
    return line;
}

} // namespace certd::cli
