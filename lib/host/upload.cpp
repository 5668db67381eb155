#include "host/upload.h"

#include "x509/certificate_input.h"
#include "x509/pkcs12_input.h"
#include "x509/private_key_input.h"
#include "x509/server_certificate_validation.h"

namespace certd {

HostCertificatePtr prepareUpload(ByteView certificate, ByteView privateKey, const ServiceSettings& service,
                                 std::int64_t now)
{
    std::vector<X509Ptr> chain = readCertificateChain(certificate);
    EvpPkeyPtr key = readPrivateKey(privateKey);
    validateServerCertificate(chain, *key, now, service.rules);
    return makeHostCertificate(HostOrigin::Uploaded, std::nullopt, chain, *key);
}

HostCertificatePtr preparePkcs12Upload(ByteView pkcs12, const std::string& passphrase, const ServiceSettings& service,
                                       std::int64_t now)
{
    const Pkcs12Contents contents = readPkcs12(pkcs12, passphrase);
    return prepareUpload(asBytes(contents.certificatesPem), asBytes(contents.privateKeyPem), service, now);
}

} // namespace certd
