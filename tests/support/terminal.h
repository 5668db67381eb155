// A child process on a terminal of its own (a fresh pty as its controlling
// terminal): where a prompt is shown and waits for an answer. For tests of
// what reads passphrases, and of what must never ask for one.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace certd::test {

struct TerminalRun {
    bool finished = false;
    int status = 0;
    std::string output;  // what the child wrote to its terminal (with what the terminal echoed)
    bool echoesAtEnd = false; // the terminal's ECHO flag once the child is gone
};

// Once output shows prompt: type answer, or send signal to the child.
struct TerminalScript {
    std::string prompt;
    std::string answer;
    int signal = 0;
};

// Runs body in the child; its return value is the exit status. The child is
// killed (by its PID) when it has not finished by timeout.
TerminalRun runOnATerminal(const std::function<int()>& body, std::chrono::seconds timeout,
                           const std::optional<TerminalScript>& script = std::nullopt);

} // namespace certd::test
