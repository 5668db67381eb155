// Who may change certd's state, like hostnamed decides it: root always;
// members of [Access] AdminGroup= always; anyone else as polkit says, for
// the action the call needs (systemd/org.certd.Certd1.policy). Reading is
// open to everyone (the D-Bus policy lets anyone call; certd decides).
//
// polkit is asked over D-Bus, asynchronously: with interactive
// authorization allowed on the call (certctl sets the header flag), an
// administrator may be asked for a password, which takes as long as it
// takes, so the decision comes back later on the bus thread. Without a
// polkit authority on the bus, only root and AdminGroup members may.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <sdbus-c++/Error.h>
#include <sdbus-c++/MethodResult.h>

namespace sdbus {
class IConnection;
class IProxy;
class Message;
} // namespace sdbus

namespace certd {

enum class Action { ManageTrustStore, ManageHostCertificates, CheckExpiry };

// "org.certd.Certd1.manage-trust-store", ...; as in the policy file.
const char* actionId(Action action);
// "import, delete and reload CA certificates", ...; for messages.
const char* actionDescription(Action action);

class Authorizer {
public:
    // Runs once: with no error when the caller may, else with AccessDenied.
    using Decision = std::function<void(const std::optional<sdbus::Error>& refusal)>;

    Authorizer(sdbus::IConnection& connection, std::string adminGroupName, std::optional<gid_t> adminGroup);
    ~Authorizer();

    // Call after the arguments are validated, before acting; decide may run
    // before this returns (root, AdminGroup) or later (polkit). what names
    // the change in a refusal ("import CA certificates").
    void authorize(const sdbus::Message& call, Action action, std::string_view what, Decision decide) const;

    // What the caller may do without being asked anything: "yes", "auth"
    // (polkit would ask for a password), "no"; decide runs once with it.
    void permission(const sdbus::Message& call, Action action, std::function<void(std::string)> decide) const;

    // Membership in the admin group as the user database says, which (unlike
    // the caller's process credentials) cannot be faked by the caller.
    bool isAdministrator(uid_t uid) const;

private:
    struct Caller {
        uid_t uid = 0;
        std::string busName;
        bool interactive = false;
    };
    Caller callerOf(const sdbus::Message& call) const;
    sdbus::Error refusal(const Caller& caller, std::string_view what, const std::string& polkitSaid) const;
    void askPolkit(const Caller& caller, Action action, bool interactive,
                   std::function<void(bool authorized, bool challenge, std::string why)> answer) const;

    std::unique_ptr<sdbus::IProxy> polkit_;
    std::string adminGroupName_;
    std::optional<gid_t> adminGroup_;
};

// Authorizes the call being handled, then acts with its reply; a refusal is
// the reply instead. The reply lives in the continuation until then.
template <typename... Results, typename Act>
void authorizeThen(const Authorizer& authorizer, const sdbus::Message& call, Action action, std::string_view what,
                   sdbus::Result<Results...>&& reply, Act act)
{
    auto pending = std::make_shared<sdbus::Result<Results...>>(std::move(reply));
    authorizer.authorize(call, action, what,
                         [pending, act = std::move(act)](const std::optional<sdbus::Error>& refusal) mutable {
        if (refusal)
            return pending->returnError(*refusal);
        act(std::move(*pending));
    });
}

} // namespace certd
