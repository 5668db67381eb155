#include "authorization.h"

#include "base/error.h"
#include "bus_errors.h"
#include "message_flags.h"

#include <sdbus-c++/sdbus-c++.h>
#include <spdlog/spdlog.h>

#include <grp.h>
#include <pwd.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace certd {
namespace {

constexpr const char* polkitName = "org.freedesktop.PolicyKit1";
constexpr const char* polkitPath = "/org/freedesktop/PolicyKit1/Authority";
constexpr const char* polkitInterface = "org.freedesktop.PolicyKit1.Authority";
// polkit's CheckAuthorizationFlags: AllowUserInteraction.
constexpr uint32_t allowUserInteraction = 1;
// Long enough for an administrator to type a password.
constexpr auto interactiveTimeout = std::chrono::minutes(5);
constexpr auto plainTimeout = std::chrono::seconds(25);

using PolkitSubject = sdbus::Struct<std::string, std::map<std::string, sdbus::Variant>>;
using PolkitResult = sdbus::Struct<bool, bool, std::map<std::string, std::string>>;

} // namespace

const char* actionId(Action action)
{
    switch (action) {
    case Action::ManageTrustStore: return "org.certd.Certd1.manage-trust-store";
    case Action::ManageHostCertificates: return "org.certd.Certd1.manage-host-certificates";
    case Action::CheckExpiry: return "org.certd.Certd1.check-expiry";
    }
    return "org.certd.Certd1.manage-trust-store";
}

const char* actionDescription(Action action)
{
    switch (action) {
    case Action::ManageTrustStore: return "import, delete and reload CA certificates";
    case Action::ManageHostCertificates: return "change host certificates";
    case Action::CheckExpiry: return "check certificates for expiry";
    }
    return "change certd's state";
}

Authorizer::Authorizer(sdbus::IConnection& connection, std::string adminGroupName, std::optional<gid_t> adminGroup)
    : polkit_(sdbus::createProxy(connection, polkitName, polkitPath))
    , adminGroupName_(std::move(adminGroupName))
    , adminGroup_(adminGroup)
{
}

Authorizer::~Authorizer() = default;

bool Authorizer::isAdministrator(uid_t uid) const
{
    if (uid == 0)
        return true;
    if (!adminGroup_)
        return false;
    const passwd* user = ::getpwuid(uid);
    if (!user)
        return false;
    int count = 32;
    std::vector<gid_t> groups(static_cast<std::size_t>(count));
    while (::getgrouplist(user->pw_name, user->pw_gid, groups.data(), &count) < 0)
        groups.resize(static_cast<std::size_t>(count));
    groups.resize(static_cast<std::size_t>(count));
    return std::find(groups.begin(), groups.end(), *adminGroup_) != groups.end();
}

Authorizer::Caller Authorizer::callerOf(const sdbus::Message& call) const
{
    Caller caller;
    try {
        caller.uid = call.getCredsEuid();
    } catch (const sdbus::Error& error) {
        throw busError(ErrorCode::AccessDenied, "Could not identify the caller (" + error.getMessage() + ")");
    }
    caller.busName = call.getSender();
    caller.interactive = allowsInteractiveAuthorization(call);
    return caller;
}

sdbus::Error Authorizer::refusal(const Caller& caller, std::string_view what, const std::string& polkitSaid) const
{
    const std::string who = adminGroup_ ? "root or members of group \"" + adminGroupName_ + "\"" : std::string("root");
    return busError(ErrorCode::AccessDenied, "Only " + who + " may " + std::string(what) + "; the caller runs as uid " +
                                                 std::to_string(caller.uid) + " (" + polkitSaid + ")");
}

void Authorizer::askPolkit(const Caller& caller, Action action, bool interactive,
                           std::function<void(bool authorized, bool challenge, std::string why)> answer) const
{
    const PolkitSubject subject{"system-bus-name", {{"name", sdbus::Variant(caller.busName)}}};
    try {
        polkit_->callMethodAsync("CheckAuthorization")
            .onInterface(polkitInterface)
            .withTimeout(interactive ? interactiveTimeout : plainTimeout)
            .withArguments(subject, std::string(actionId(action)), std::map<std::string, std::string>{},
                           interactive ? allowUserInteraction : 0u, std::string())
            .uponReplyInvoke([answer](const sdbus::Error* error, const PolkitResult& result) {
                if (error) {
                    const bool absent = error->getName() == "org.freedesktop.DBus.Error.ServiceUnknown" ||
                                        error->getName() == "org.freedesktop.DBus.Error.NameHasNoOwner";
                    return answer(false, false, absent ? std::string("no polkit authority on the bus")
                                                       : "polkit could not be asked: " + error->getName());
                }
                const bool authorized = std::get<0>(result);
                const bool challenge = std::get<1>(result);
                answer(authorized, challenge,
                       authorized ? "polkit allows it" : challenge ? "polkit wants authentication" : "polkit says no");
            });
    } catch (const sdbus::Error& error) {
        answer(false, false, "polkit could not be asked: " + error.getName());
    }
}

void Authorizer::authorize(const sdbus::Message& call, Action action, std::string_view what, Decision decide) const
{
    const Caller caller = callerOf(call);
    if (isAdministrator(caller.uid))
        return decide(std::nullopt);
    askPolkit(caller, action, caller.interactive,
              [this, caller, action, what = std::string(what), decide](bool authorized, bool, const std::string& why) {
                  if (authorized)
                      return decide(std::nullopt);
                  spdlog::info("Refused {} to uid {}: {}", actionId(action), caller.uid, why);
                  decide(refusal(caller, what, why));
              });
}

void Authorizer::permission(const sdbus::Message& call, Action action, std::function<void(std::string)> decide) const
{
    const Caller caller = callerOf(call);
    if (isAdministrator(caller.uid))
        return decide("yes");
    askPolkit(caller, action, false, [decide](bool authorized, bool challenge, const std::string&) {
        decide(authorized ? "yes" : challenge ? "auth" : "no");
    });
}

} // namespace certd
