// D-Bus object /org/certd/Certd1/ca/<fingerprint>: one stored CA. Its
// properties never change: a stored certificate is immutable.
#pragma once

#include "certificate_properties.h"
#include "org.certd.Certd1.CACertificate-adaptor.h"
#include "trust/stored_ca.h"

#include <functional>

namespace certd {

class Authorizer;

class CaCertificateObject final
    : public sdbus::AdaptorInterfaces<org::certd::Certd1::CACertificate_adaptor, sdbus::ManagedObject_adaptor> {
public:
    using DeleteAction = std::function<void(const std::string& fingerprint, sdbus::Result<>&& reply)>;

    CaCertificateObject(sdbus::IConnection& connection, StoredCaPtr stored, const Authorizer& authorizer,
                        DeleteAction deleteAction);
    ~CaCertificateObject();

    // Its entry in GetManagedObjects: what GetAll would return.
    void writeManaged(ManagedObjectsWriter& writer) const;

private:
    void Delete(sdbus::Result<>&& result) override;
    std::vector<uint8_t> Export(const std::string& format) override;

    CERTD_CERTIFICATE_PROPERTY_GETTERS

    const CertificateDetails& details() const { return stored_->details; }

    StoredCaPtr stored_;
    const Authorizer& authorizer_;
    DeleteAction deleteAction_;
};

} // namespace certd
