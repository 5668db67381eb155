// Answering challenges: the webroot file (mode, content, removal; no
// symbolic link followed), the dns-01 record value, and running a hook:
// its exit status and output, a minimal environment, and its whole process
// group killed at the timeout or when certd stops.
#include "acme/challenges.h"
#include "base/error.h"
#include "refusal.h"
#include "temp_dir.h"

#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

namespace certd::acme {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

std::string readText(const std::filesystem::path& path)
{
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::filesystem::path script(const test::TempDir& dir, const std::string& name, const std::string& body)
{
    const auto path = dir.path() / name;
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    std::filesystem::permissions(path, std::filesystem::perms(0755));
    return path;
}

TEST(WebrootSolver, WritesTheAnswerForTheWebServerAndRemovesIt)
{
    test::TempDir dir;
    WebrootSolver solver(dir.path());
    solver.present("probe.example.com", "tok_en-1", "tok_en-1.thumbprint");
    const auto file = dir.path() / ".well-known" / "acme-challenge" / "tok_en-1";
    EXPECT_EQ(readText(file), "tok_en-1.thumbprint");
    struct stat status {};
    ASSERT_EQ(::stat(file.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 07777, 0644u);
    solver.cleanUp("probe.example.com", "tok_en-1", "tok_en-1.thumbprint");
    EXPECT_FALSE(std::filesystem::exists(file));
}

TEST(WebrootSolver, FollowsNoSymbolicLinkPlantedInTheWebroot)
{
    test::TempDir dir;
    std::filesystem::create_directories(dir.path() / "webroot");
    std::filesystem::create_directories(dir.path() / "private");
    std::filesystem::permissions(dir.path() / "private", std::filesystem::perms(0700));
    std::filesystem::create_directory_symlink(dir.path() / "private", dir.path() / "webroot" / ".well-known");
    WebrootSolver solver(dir.path() / "webroot");
    const auto refusal = test::refusalOf([&] { solver.present("probe.example.com", "tok", "tok.x"); });
    EXPECT_EQ(refusal.code, ErrorCode::ACMEFailed);
    EXPECT_THAT(refusal.message, HasSubstr("symbolic link"));
    EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "private"));
    EXPECT_EQ(std::filesystem::status(dir.path() / "private").permissions(), std::filesystem::perms(0700));
}

TEST(DnsRecordValue, IsTheBase64UrlSha256OfTheKeyAuthorization)
{
    // SHA-256("a") is ca978112...48bb.
    EXPECT_EQ(dnsRecordValue("a"), "ypeBEsobvcr6wjGzmiPcTaeG7_gUfE5yuYB3ha_uSLs");
}

TEST(RunProgram, GivesTheExitStatusAndWhatItWroteInAMinimalEnvironment)
{
    test::TempDir dir;
    ::setenv("NOTIFY_SOCKET", "/run/systemd/notify", 1);
    std::string output;
    const auto hook = script(dir, "hook", "echo \"args: $*\"; echo \"notify: [$NOTIFY_SOCKET]\" >&2; exit 3");
    EXPECT_EQ(runProgram(hook, {"add", "_acme-challenge.probe.example.com", "v"}, 10s, output), 3);
    ::unsetenv("NOTIFY_SOCKET");
    EXPECT_THAT(output, HasSubstr("args: add _acme-challenge.probe.example.com v"));
    EXPECT_THAT(output, HasSubstr("notify: []"));
}

TEST(RunProgram, KillsTheWholeGroupAtTheTimeout)
{
    test::TempDir dir;
    const auto pidFile = dir.path() / "child.pid";
    // A child in the background that would outlive its parent.
    const auto hook = script(dir, "hook", "sleep 30 & echo $! > " + pidFile.string() + "; exec sleep 30");
    std::string output;
    const auto started = std::chrono::steady_clock::now();
    const auto refusal = test::refusalOf([&] { runProgram(hook, {}, 500ms, output); });
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    EXPECT_EQ(refusal.code, ErrorCode::ACMEFailed);
    EXPECT_THAT(refusal.message, HasSubstr("did not finish"));
    const pid_t child = std::stoi(readText(pidFile));
    // Killed with its group; reaped by init once gone (wait up to 5 s).
    bool gone = false;
    for (int i = 0; i < 500 && !gone; ++i) {
        gone = ::kill(child, 0) != 0 || readText("/proc/" + std::to_string(child) + "/stat").find(" Z ") != std::string::npos;
        if (!gone)
            std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(gone) << "the background child survived";
}

TEST(RunProgram, StopsWhenCertdStops)
{
    test::TempDir dir;
    const auto hook = script(dir, "hook", "exec sleep 30");
    const std::atomic<bool> cancelled = true;
    std::string output;
    const auto started = std::chrono::steady_clock::now();
    const auto refusal = test::refusalOf([&] { runProgram(hook, {}, 60s, output, &cancelled); });
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    EXPECT_THAT(refusal.message, HasSubstr("certd is stopping"));
}

} // namespace
} // namespace certd::acme
