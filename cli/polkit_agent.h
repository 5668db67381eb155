// polkit's text agent for a change made from a terminal, as systemctl and
// hostnamectl start it: without an agent, a call that polkit answers with
// "authentication required" fails instead of asking for a password.
//
// Started only when it can help: interactive authorization is allowed, the
// bus is this machine's, standard input and error are terminals, the caller
// is not root (root is never asked) and pkttyagent exists. Stopped (SIGTERM,
// then reaped) by the destructor.
#pragma once

#include <sys/types.h>

namespace certd::cli {

struct AgentConditions {
    bool askPassword;
    bool remote;
    bool terminal;
    bool root;
    bool agentInstalled;
};

// The rule above, on its own for the unit tests.
bool agentWanted(const AgentConditions& conditions);

class PolkitAgent {
public:
    PolkitAgent() = default;
    ~PolkitAgent();
    PolkitAgent(const PolkitAgent&) = delete;
    PolkitAgent& operator=(const PolkitAgent&) = delete;

    // Starts pkttyagent (once) when agentWanted() for this process, and
    // waits (at most 5 s) until it has registered with polkit.
    void startIfUseful(bool askPassword, bool remote);

private:
    pid_t pid_ = -1;
    bool tried_ = false;
};

} // namespace certd::cli
