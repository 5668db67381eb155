// certctl's line to certd: the system bus here or on another appliance over
// SSH (-H), the manager's proxy, and calls that change something, which
// carry the interactive-authorization flag so that polkit may ask the
// administrator for a password (unless --no-ask-password).
#pragma once

#include "polkit_agent.h"
#include "proxies.h"

#include <sdbus-c++/sdbus-c++.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>

namespace certd::cli {

using Properties = std::map<std::string, sdbus::Variant>;
// GetManagedObjects' answer: path -> interface -> properties.
using ManagedObjects = std::map<sdbus::ObjectPath, std::map<std::string, Properties>>;

struct BusOptions {
    std::string host;         // -H: [USER@]HOST; empty for this machine
    bool askPassword = true; // --no-ask-password clears it
};

class CertdBus {
public:
    explicit CertdBus(const BusOptions& options);
    ~CertdBus();

    client::ManagerProxy& manager() { return *manager_; }
    ManagedObjects objects();
    Properties managerProperties();

    // A method call on certd that may change something (or ask polkit).
    // Waits long enough for a password prompt or a slow key generation.
    sdbus::MethodCall changeCall(const std::string& path, const char* interface, const char* method);
    sdbus::MethodReply call(sdbus::MethodCall& call);

    sdbus::IConnection& connection() { return *connection_; }

private:
    std::unique_ptr<sdbus::IConnection> connection_;
    std::unique_ptr<client::ManagerProxy> manager_;
    std::map<std::string, std::unique_ptr<sdbus::IProxy>> proxies_; // by path, for changeCall
    bool askPassword_;
    bool remote_;
    PolkitAgent agent_; // started before the first change call, when useful
};

} // namespace certd::cli
