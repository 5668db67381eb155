#include "proxies.h"

namespace certd::client {

ManagerProxy::ManagerProxy(sdbus::IConnection& connection)
    : ProxyInterfaces(connection, bus::serviceName, bus::managerPath)
{
    registerProxy();
}

ManagerProxy::~ManagerProxy()
{
    unregisterProxy();
}

CaProxy::CaProxy(sdbus::IConnection& connection, const std::string& path)
    : ProxyInterfaces(connection, bus::serviceName, path)
{
    registerProxy();
}

CaProxy::~CaProxy()
{
    unregisterProxy();
}

HostProxy::HostProxy(sdbus::IConnection& connection, const std::string& service)
    : ProxyInterfaces(connection, bus::serviceName, bus::hostObjectPath(service))
{
    registerProxy();
}

HostProxy::~HostProxy()
{
    unregisterProxy();
}

} // namespace certd::client
