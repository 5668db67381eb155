// A stand-in for polkit on a test bus: owns org.freedesktop.PolicyKit1,
// answers CheckAuthorization as the test says (allow, deny, or challenge:
// "an administrator's password is needed") and records what certd asked.
#pragma once

#include "test_bus.h"

#include <condition_variable>
#include <mutex>
#include <optional>

namespace sdbus {
class IObject;
}

namespace certd::test {

class FakePolkit {
public:
    enum class Answer { Allow, Deny, Challenge };

    struct Check {
        std::string subjectKind; // "system-bus-name"
        std::string subjectName; // the caller's unique bus name
        std::string actionId;
        uint32_t flags = 0;      // 1: AllowUserInteraction
    };

    // The bus must let the test own org.freedesktop.PolicyKit1: see policy().
    explicit FakePolkit(const TestBus& bus, Answer answer = Answer::Allow);
    ~FakePolkit();

    // busconfig lines for a system-like TestBus: the fake may own the name,
    // certd may call it.
    static std::string policy();

    void answer(Answer answer);
    std::vector<Check> checks() const;
    std::optional<Check> lastCheck() const;

private:
    std::unique_ptr<sdbus::IConnection> connection_;
    std::unique_ptr<sdbus::IObject> object_;
    mutable std::mutex mutex_;
    Answer answer_;
    std::vector<Check> checks_;
};

} // namespace certd::test
