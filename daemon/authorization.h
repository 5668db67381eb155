// Who may change certd's state: root, and members of the configured
// [Access] AdminGroup. Reading is open to everyone (the D-Bus policy lets
// anyone call; certd decides).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace sdbus {
class Message;
}

namespace certd {

class Authorizer {
public:
    Authorizer(std::string adminGroupName, std::optional<gid_t> adminGroup);

    // AccessDenied unless the sender of call may do action ("import CA
    // certificates"). Call after the arguments are validated, before acting.
    void requireAdministrator(const sdbus::Message& call, std::string_view action) const;

    // Membership in the admin group as the user database says, which (unlike
    // the caller's process credentials) cannot be faked by the caller.
    bool isAdministrator(uid_t uid) const;

private:
    std::string adminGroupName_;
    std::optional<gid_t> adminGroup_;
};

} // namespace certd
