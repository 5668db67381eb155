// certctl's passphrase prompt on a real terminal (a pty): the answer is
// read, never echoed, and the terminal echoes again afterwards, also when
// the prompt is interrupted.
#include "passphrase.h"
#include "temp_dir.h"
#include "terminal.h"

#include <signal.h>
#include <sys/wait.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using test::runOnATerminal;
using test::TerminalScript;

TEST(CliPassphrase, IsAskedOnTheTerminalWithoutEcho)
{
    const auto run = runOnATerminal([] { return askPassphrase("Passphrase for x.pfx: ") == "open sesame" ? 0 : 1; },
                                    std::chrono::seconds(20), TerminalScript{"Passphrase for x.pfx: ", "open sesame\n"});
    ASSERT_TRUE(run.finished) << run.output;
    EXPECT_TRUE(WIFEXITED(run.status) && WEXITSTATUS(run.status) == 0) << run.output;
    EXPECT_THAT(run.output, Not(HasSubstr("open sesame")));
    EXPECT_TRUE(run.echoesAtEnd);
}

TEST(CliPassphrase, AnInterruptedPromptLeavesTheTerminalEchoing)
{
    const auto run = runOnATerminal([] { return askPassphrase("Passphrase: ").empty() ? 2 : 3; },
                                    std::chrono::seconds(20), TerminalScript{"Passphrase: ", "", SIGINT});
    ASSERT_TRUE(run.finished) << run.output;
    EXPECT_TRUE(WIFSIGNALED(run.status) && WTERMSIG(run.status) == SIGINT) << run.status;
    EXPECT_TRUE(run.echoesAtEnd);
}

TEST(CliPassphrase, FromAFileItIsTheFirstLine)
{
    test::TempDir dir;
    test::writeTextFile(dir / "pass", "first line\r\nsecond line\n");
    EXPECT_EQ(passphraseFromFile((dir / "pass").string()), "first line");
    test::writeTextFile(dir / "long", std::string(1025, 'x'));
    EXPECT_THROW(passphraseFromFile((dir / "long").string()), std::runtime_error);
    EXPECT_THROW(passphraseFromFile((dir / "missing").string()), std::runtime_error);
}

TEST(CliPassphrase, WithoutATerminalItSaysHowToGiveIt)
{
    // A new session has no controlling terminal.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::setsid();
        try {
            askPassphrase("Passphrase: ");
        } catch (const std::runtime_error& error) {
            ::_exit(std::string(error.what()).find("--passphrase-file") != std::string::npos ? 0 : 1);
        }
        ::_exit(2);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

} // namespace
} // namespace certd::cli
