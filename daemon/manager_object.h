// D-Bus object /org/certd/Certd1: org.certd.Certd1.Manager plus the
// ObjectManager that lists every certificate object.
#pragma once

#include "org.certd.Certd1.Manager-adaptor.h"

namespace certd {

class Authorizer;
class CaCertificates;
class ExpiryChecker;
class HostCertificates;
class TrustStore;

class ManagerObject final
    : public sdbus::AdaptorInterfaces<org::certd::Certd1::Manager_adaptor,
                                      sdbus::ObjectManager_adaptor, sdbus::Properties_adaptor> {
public:
    ManagerObject(sdbus::IConnection& connection, TrustStore& store, CaCertificates& cas,
                  const HostCertificates& hosts, ExpiryChecker& checker, const Authorizer& authorizer);
    ~ManagerObject();

private:
    std::map<std::string, sdbus::Variant> InspectCACertificate(const std::vector<uint8_t>& data) override;
    sdbus::ObjectPath ImportCACertificate(const std::vector<uint8_t>& data) override;
    uint32_t Reload() override;
    std::vector<sdbus::Struct<sdbus::ObjectPath, std::string, std::string, int64_t, int32_t>> CheckExpiry() override;
    std::vector<uint8_t> ExportApplianceCA(const std::string& format) override;

    std::string TrustDirectory() override;
    std::string TrustBundle() override;
    std::string Version() override;

    const sdbus::Message& currentCall();

    TrustStore& store_;
    CaCertificates& cas_;
    const HostCertificates& hosts_;
    ExpiryChecker& checker_;
    const Authorizer& authorizer_;
};

} // namespace certd
