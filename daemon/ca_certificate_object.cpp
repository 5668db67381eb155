#include "ca_certificate_object.h"

#include "authorization.h"
#include "bus_errors.h"
#include "bus_names.h"
#include "x509/export_format.h"
#include "x509/certificate_input.h"

namespace certd {

CaCertificateObject::CaCertificateObject(sdbus::IConnection& connection, StoredCaPtr stored,
                                         const Authorizer& authorizer, DeleteAction deleteAction)
    : AdaptorInterfaces(connection, bus::caObjectPath(stored->fingerprint()))
    , stored_(std::move(stored))
    , authorizer_(authorizer)
    , deleteAction_(std::move(deleteAction))
{
    registerAdaptor();
}

CaCertificateObject::~CaCertificateObject()
{
    unregisterAdaptor();
}

void CaCertificateObject::Delete(sdbus::Result<>&& result)
{
    translateErrors([&] {
        authorizeThen(authorizer_, *getObject().getCurrentlyProcessedMessage(), Action::ManageTrustStore, "delete CA certificates",
                      std::move(result), [action = deleteAction_, fingerprint = stored_->fingerprint()](
                                             sdbus::Result<>&& reply) { action(fingerprint, std::move(reply)); });
    });
}

void CaCertificateObject::writeManaged(ManagedObjectsWriter& writer) const
{
    writer.beginObject(getObjectPath(), bus::caInterface);
    writeProperties(writer, details());
    writer.endObject();
}

std::vector<uint8_t> CaCertificateObject::Export(const std::string& format)
{
    return translateErrors([&] {
        if (parseExportFormat(format) == ExportFormat::Der)
            return firstCertificateDer(asBytes(stored_->pem));
        return toBytes(stored_->pem);
    });
}

} // namespace certd
