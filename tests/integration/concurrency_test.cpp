// Many clients changing host certificates at once: every call must be
// answered, and certd must keep answering afterwards. This once deadlocked
// (the worker destroyed a finished job's D-Bus reply while holding its own
// mutex, and the bus thread waited for that mutex while holding the bus).
#include "certd_fixture.h"

#include <sdbus-c++/sdbus-c++.h>

#include <atomic>
#include <future>
#include <thread>

#include <gmock/gmock.h>

namespace certd::test {
namespace {

struct Outcome {
    std::atomic<int> answered{0};
    std::atomic<int> unanswered{0};
    std::mutex mutex;
    std::string firstFailure;
};

class ConcurrencyTest : public CertdFixture {};

TEST_F(ConcurrencyTest, EveryCallIsAnsweredWhileManyClientsChangeHostCertificates)
{
    constexpr int clients = 8;
    // Enough calls to have deadlocked certd many times over (it once hung
    // within ten), within a time even a loaded machine keeps.
    constexpr int enough = 2000;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    const TestCertificate root = makeCa("Hammer Root");
    const TestCertificate leaf = makeCertificate(serverSpec("hammer.example.com", root));
    const auto certificate = bytesOf(leaf.pem());
    const auto key = bytesOf(leaf.keyPem());

    Outcome outcome;
    std::vector<std::thread> threads;
    for (int client = 0; client < clients; ++client) {
        threads.emplace_back([&, client] {
            auto connection = bus_.connect();
            const std::string service = client % 2 ? "https" : "postgresql";
            auto proxy = sdbus::createProxy(*connection, certdName, bus::hostObjectPath(service));
            for (int i = 0; outcome.answered < enough && std::chrono::steady_clock::now() < deadline; ++i) {
                try {
                    auto call = proxy->createMethodCall(bus::hostInterface,
                                                        (i + client) % 2 ? "Upload" : "Generate");
                    if ((i + client) % 2)
                        call << certificate << key;
                    else
                        call << std::map<std::string, sdbus::Variant>{};
                    proxy->callMethod(call, std::chrono::microseconds(10s).count());
                    ++outcome.answered;
                } catch (const sdbus::Error& error) {
                    ++outcome.unanswered;
                    std::lock_guard lock(outcome.mutex);
                    if (outcome.firstFailure.empty())
                        outcome.firstFailure = error.getName() + ": " + error.getMessage();
                    return; // a client whose call was not answered gives up
                }
            }
        });
    }
    for (auto& thread : threads)
        thread.join();

    EXPECT_EQ(outcome.unanswered.load(), 0) << outcome.firstFailure;
    EXPECT_GE(outcome.answered.load(), 300) << "too few calls to prove anything";
    // Still serving.
    auto peer = sdbus::createProxy(*connection_, certdName, managerPath);
    auto ping = peer->createMethodCall("org.freedesktop.DBus.Peer", "Ping");
    EXPECT_NO_THROW(peer->callMethod(ping, std::chrono::microseconds(5s).count()));
    std::cout << outcome.answered.load() << " calls answered\n";
}

class WatchdogTest : public CertdFixture {
protected:
    CertdOptions options() override
    {
        auto options = CertdFixture::options();
        options.extraEnvironment.push_back("WATCHDOG_USEC=400000");
        return options;
    }
};

TEST_F(WatchdogTest, TheLoopPingsSystemdAtHalfTheIntervalAlsoWhileAKeyIsGenerated)
{
    ASSERT_TRUE(certd_->waitForNotification("WATCHDOG=1", 2s)) << certd_->log();
    // Three more pings within 1.5 s: every 200 ms, not merely once.
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(certd_->waitForNotification("WATCHDOG=1", 1s));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);

    // The worker's slow job does not stop the loop.
    auto generating = bus_.connect();
    auto https = sdbus::createProxy(*generating, certdName, bus::hostObjectPath("https"));
    auto generation = std::async(std::launch::async, [&] {
        auto call = https->createMethodCall(bus::hostInterface, "Generate");
        call << std::map<std::string, sdbus::Variant>{{"KeyType", sdbus::Variant(std::string("rsa-4096"))}};
        // RSA-4096 takes seconds, more on a loaded machine: wait generously.
        https->callMethod(call, std::chrono::microseconds(120s).count());
    });
    ASSERT_TRUE(waitForText(certdLogFile(), "Generating a rsa-4096 certificate", 10s));
    EXPECT_TRUE(certd_->waitForNotification("WATCHDOG=1", 1s));
    EXPECT_NO_THROW(generation.get()) << certd_->log();
}

} // namespace
} // namespace certd::test
