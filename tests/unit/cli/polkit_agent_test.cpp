// When certctl starts polkit's text agent: only where it can help.
#include "polkit_agent.h"

#include <gtest/gtest.h>

namespace certd::cli {
namespace {

TEST(CliPolkitAgent, StartedOnlyWhereItCanAsk)
{
    const AgentConditions useful{true, false, true, false, true};
    EXPECT_TRUE(agentWanted(useful));
    auto c = useful;
    c.askPassword = false; // --no-ask-password
    EXPECT_FALSE(agentWanted(c));
    c = useful;
    c.remote = true; // -H: the agent would run here, polkit there
    EXPECT_FALSE(agentWanted(c));
    c = useful;
    c.terminal = false; // a script: nobody to type
    EXPECT_FALSE(agentWanted(c));
    c = useful;
    c.root = true; // root is never asked
    EXPECT_FALSE(agentWanted(c));
    c = useful;
    c.agentInstalled = false;
    EXPECT_FALSE(agentWanted(c));
}

} // namespace
} // namespace certd::cli
