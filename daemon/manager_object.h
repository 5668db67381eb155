// D-Bus object /org/certd/Certd1: org.certd.Certd1.Manager plus the
// ObjectManager that lists every certificate object. Every manager signal
// leaves from here, on the bus thread (the Daemon decides when).
#pragma once

#include "host/host_certificates.h"
#include "org.certd.Certd1.Manager-adaptor.h"
#include "pending_replies.h"

#include <functional>

namespace certd {

class Authorizer;
class CaObjects;
class Degradation;
class HostCertificates;
class TrustStore;

class ManagerObject final
    : public sdbus::AdaptorInterfaces<org::certd::Certd1::Manager_adaptor, sdbus::ObjectManager_adaptor,
                                      sdbus::Properties_adaptor> {
public:
    using ExpiryReport = std::vector<sdbus::Struct<sdbus::ObjectPath, std::string, std::string, int64_t, int32_t>>;
    // Runs the expiry check (announcing and renewing as it goes).
    using ExpiryCheck = std::function<ExpiryReport()>;
    using ExpiryList = std::function<ExpiryReport(unsigned days)>;
    // Rotates the appliance CA (after authorization); done on the bus thread.
    using Rotation = std::function<void(ApplianceCaSettings, HostCertificates::RotationCompletion done)>;

    ManagerObject(sdbus::IConnection& connection, TrustStore& store, CaObjects& cas, const HostCertificates& hosts,
                  const Degradation& degradation, ExpiryCheck checkExpiry, ExpiryList listExpiring,
                  const Authorizer& authorizer, ApplianceCaSettings configuredCa, Rotation rotate);
    ~ManagerObject();

    // Degradation changed: emits PropertiesChanged for Degraded and Problems.
    void degradationChanged();
    // The appliance CA came into being: emits PropertiesChanged for its properties.
    void applianceCaChanged();

private:
    std::map<std::string, sdbus::Variant> InspectCACertificate(const std::vector<uint8_t>& data) override;
    void ImportCACertificate(sdbus::Result<sdbus::ObjectPath>&& result, std::vector<uint8_t> data) override;
    void Reload(sdbus::Result<uint32_t>&& result) override;
    void CheckExpiry(sdbus::Result<ExpiryReport>&& result) override;
    void GetPermissions(sdbus::Result<std::map<std::string, std::string>>&& result) override;
    ExpiryReport ListExpiring(const uint32_t& days) override;
    std::vector<uint8_t> ExportApplianceCA(const std::string& format) override;
    void RotateApplianceCA(sdbus::Result<>&& result, std::map<std::string, sdbus::Variant> options) override;

    std::string TrustDirectory() override;
    std::string TrustBundle() override;
    std::string SystemTrustDirectory() override;
    bool Degraded() override;
    std::vector<std::string> Problems() override;
    std::string Version() override;
    std::string ApplianceCACommonName() override;
    std::string ApplianceCAFingerprint() override;
    int64_t ApplianceCANotAfter() override;

    const sdbus::Message& currentCall();

    TrustStore& store_;
    CaObjects& cas_;
    const HostCertificates& hosts_;
    const Degradation& degradation_;
    ExpiryCheck checkExpiry_;
    ExpiryList listExpiring_;
    const Authorizer& authorizer_;
    ApplianceCaSettings configuredCa_;
    Rotation rotate_;
    PendingReplies<> rotations_;
};

} // namespace certd
