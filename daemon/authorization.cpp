#include "authorization.h"

#include "bus_errors.h"

#include <sdbus-c++/Message.h>

#include <grp.h>
#include <pwd.h>

#include <algorithm>
#include <vector>

namespace certd {

Authorizer::Authorizer(std::string adminGroupName, std::optional<gid_t> adminGroup)
    : adminGroupName_(std::move(adminGroupName))
    , adminGroup_(adminGroup)
{
}

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

void Authorizer::requireAdministrator(const sdbus::Message& call, std::string_view action) const
{
    uid_t uid = 0;
    try {
        uid = call.getCredsEuid();
    } catch (const sdbus::Error& error) {
        throw busError(ErrorCode::AccessDenied, "Could not identify the caller (" +
                                                    error.getMessage() + "), so it may not " +
                                                    std::string(action));
    }
    if (isAdministrator(uid))
        return;
    const std::string who = adminGroup_ ? "root or members of group \"" + adminGroupName_ + "\""
                                        : std::string("root");
    throw busError(ErrorCode::AccessDenied, "Only " + who + " may " + std::string(action) +
                                                "; the caller runs as uid " + std::to_string(uid));
}

} // namespace certd
