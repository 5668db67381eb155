#include "failure.h"

#include "base/error.h"
#include "bus_names.h"

#include <sdbus-c++/Error.h>

namespace certd::cli {

int exitCodeForCertdError(const std::string& name)
{
    for (int code = 0; code <= static_cast<int>(ErrorCode::InvalidConfiguration); ++code)
        if (errorCodeName(static_cast<ErrorCode>(code)) == name)
            return exitFirstCertdError + code;
    return exitFailure;
}

int exitCodeFor(const sdbus::Error& error)
{
    const std::string& name = error.getName();
    if (name.starts_with(bus::errorPrefix))
        return exitCodeForCertdError(name.substr(bus::errorPrefix.size()));
    if (name == "org.freedesktop.DBus.Error.AccessDenied" || name == "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired")
        return exitCodeForCertdError("AccessDenied");
    return exitFailure;
}

std::string messageFor(const sdbus::Error& error)
{
    const std::string& name = error.getName();
    const std::string message = error.getMessage().empty() ? name : error.getMessage();
    if (name == "org.freedesktop.DBus.Error.ServiceUnknown" || name == "org.freedesktop.DBus.Error.NameHasNoOwner")
        return "certd is not running on this bus (" + message + ")";
    if (name == "org.freedesktop.DBus.Error.NoReply" || name == "org.freedesktop.DBus.Error.Timeout")
        return "certd did not answer in time (" + message + ")";
    if (name == "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired")
        return message + " (run it as root, or without --no-ask-password in a session with a polkit agent)";
    return message;
}

} // namespace certd::cli
