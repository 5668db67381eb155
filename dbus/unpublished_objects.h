// Calls to objects that are not (or no longer) published under a path
// prefix: sd-bus answers them with org.freedesktop.DBus.Error.UnknownObject,
// which tells a client that deleted a CA certificate twice nothing about
// the certificate. This installs an sd-bus fallback on the prefix that lets
// the owner answer such calls with an error of its own.
//
// Invariants: sd-bus tries a path's own object first and the fallback only
// when that object does not handle the call, so the handler sees calls to
// unpublished paths and unknown members of published ones; it must decline
// (nullopt) the latter, and whatever it declines goes on to sd-bus's normal
// answer (introspection, UnknownObject, UnknownMethod). Only method calls
// reach it. Install and destroy on the connection's thread, or before its
// loop runs.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace sdbus {
class IConnection;
}

namespace certd {

class BusSlot;

class UnpublishedObjects {
public:
    struct Refusal {
        std::string errorName;
        std::string message;
    };
    // path and interface of a call under the prefix; nullopt: not handled here.
    using Handler = std::function<std::optional<Refusal>(const std::string& path, const std::string& interface)>;

    UnpublishedObjects(sdbus::IConnection& connection, const std::string& prefix, Handler handler);
    ~UnpublishedObjects();
    UnpublishedObjects(const UnpublishedObjects&) = delete;
    UnpublishedObjects& operator=(const UnpublishedObjects&) = delete;

private:
    Handler handler_;
    std::unique_ptr<BusSlot> slot_;
};

} // namespace certd
