#include "certd_bus.h"

#include "message_flags.h"

namespace certd::cli {
namespace {

// Long enough for an administrator to type a password into polkit's agent,
// or for an RSA-4096 key on a slow appliance.
constexpr std::chrono::microseconds changeTimeout = std::chrono::minutes(10);

std::unique_ptr<sdbus::IConnection> connect(const std::string& host)
{
    if (host.empty())
        return sdbus::createSystemBusConnection();
    // sd-bus runs `ssh -xT -- HOST systemd-stdio-bridge`, as hostnamectl -H does.
    return sdbus::createRemoteSystemBusConnection(host);
}

} // namespace

CertdBus::CertdBus(const BusOptions& options)
    : connection_(connect(options.host))
    , manager_(std::make_unique<client::ManagerProxy>(*connection_))
    , askPassword_(options.askPassword)
    , remote_(!options.host.empty())
{
}

CertdBus::~CertdBus() = default;

ManagedObjects CertdBus::objects()
{
    return manager_->GetManagedObjects();
}

Properties CertdBus::managerProperties()
{
    return manager_->GetAll(bus::managerInterface);
}

sdbus::MethodCall CertdBus::changeCall(const std::string& path, const char* interface, const char* method)
{
    auto& proxy = proxies_[path];
    if (!proxy)
        proxy = sdbus::createProxy(*connection_, bus::serviceName, path);
    agent_.startIfUseful(askPassword_, remote_);
    auto message = proxy->createMethodCall(interface, method);
    if (askPassword_)
        allowInteractiveAuthorization(message);
    return message;
}

sdbus::MethodReply CertdBus::call(sdbus::MethodCall& message)
{
    return message.send(static_cast<uint64_t>(changeTimeout.count()));
}

} // namespace certd::cli
