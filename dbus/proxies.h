// certd's D-Bus API from a client's side: the generated proxies of the
// three interfaces, complete (every signal handler defined), for certctl and
// the tests. Signals are left to match rules where they are needed.
#pragma once

#include "bus_names.h"
#include "org.certd.Certd1.CACertificate-proxy.h"
#include "org.certd.Certd1.HostCertificate-proxy.h"
#include "org.certd.Certd1.Manager-proxy.h"

namespace certd::client {

class ManagerProxy final
    : public sdbus::ProxyInterfaces<org::certd::Certd1::Manager_proxy, sdbus::ObjectManager_proxy,
                                    sdbus::Properties_proxy> {
public:
    explicit ManagerProxy(sdbus::IConnection& connection);
    ~ManagerProxy();

private:
    void onTrustStoreChanged(const uint32_t&) override {}
    void onHostCertificateChanged(const std::string&, const sdbus::ObjectPath&) override {}
    void onCertificateExpiring(const sdbus::ObjectPath&, const std::string&, const int64_t&, const uint32_t&) override {}
    void onCertificateExpired(const sdbus::ObjectPath&, const std::string&, const int64_t&) override {}
    void onRenewalFailed(const sdbus::ObjectPath&, const std::string&, const std::string&) override {}
    void onApplianceCAChanged(const std::string&) override {}
    void onInterfacesAdded(const sdbus::ObjectPath&,
                           const std::map<std::string, std::map<std::string, sdbus::Variant>>&) override {}
    void onInterfacesRemoved(const sdbus::ObjectPath&, const std::vector<std::string>&) override {}
    void onPropertiesChanged(const std::string&, const std::map<std::string, sdbus::Variant>&,
                             const std::vector<std::string>&) override {}
};

class CaProxy final
    : public sdbus::ProxyInterfaces<org::certd::Certd1::CACertificate_proxy, sdbus::Properties_proxy> {
public:
    CaProxy(sdbus::IConnection& connection, const std::string& path);
    ~CaProxy();

private:
    void onPropertiesChanged(const std::string&, const std::map<std::string, sdbus::Variant>&,
                             const std::vector<std::string>&) override {}
};

class HostProxy final
    : public sdbus::ProxyInterfaces<org::certd::Certd1::HostCertificate_proxy, sdbus::Properties_proxy> {
public:
    HostProxy(sdbus::IConnection& connection, const std::string& service);
    ~HostProxy();

private:
    void onPropertiesChanged(const std::string&, const std::map<std::string, sdbus::Variant>&,
                             const std::vector<std::string>&) override {}
};

} // namespace certd::client
