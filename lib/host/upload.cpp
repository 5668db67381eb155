#include "host/upload.h"

#include "base/clock.h"
#include "x509/certificate_input.h"
#include "x509/pkcs12_input.h"
#include "x509/private_key_input.h"
#include "x509/server_certificate_validation.h"

namespace certd {

PreparedUpload prepareUpload(ByteView certificate, ByteView privateKey, const UploadContext& context)
{
    std::vector<X509Ptr> certificates = readCertificateChain(certificate);
    EvpPkeyPtr key = readPrivateKey(privateKey);
    return prepareServerCertificate(HostOrigin::Uploaded, std::move(certificates), *key, context);
}

PreparedUpload preparePkcs12Upload(ByteView pkcs12, const std::string& passphrase, const UploadContext& context)
{
    const Pkcs12Contents contents = readPkcs12(pkcs12, passphrase);
    return prepareUpload(asBytes(contents.certificatesPem), asBytes(contents.privateKeyPem), context);
}

PreparedUpload prepareServerCertificate(HostOrigin origin, std::vector<X509Ptr> certificates, EVP_PKEY& key,
                                        const UploadContext& context)
{
    ServerChain built = buildServerChain(std::move(certificates), key, context.issuers);
    validateServerCertificate(built.chain, key, context.now, context.service.rules);
    PreparedUpload prepared{makeHostCertificate(origin, std::nullopt, built.chain, key), std::move(built.warnings)};
    for (auto& warning : serverCertificateWarnings(prepared.host->details, context.service, context.hostname,
                                                   context.now))
        prepared.warnings.push_back(std::move(warning));
    return prepared;
}

std::vector<std::string> serverCertificateWarnings(const CertificateDetails& details, const ServiceSettings& service,
                                                   const std::string& hostname, std::int64_t now)
{
    std::vector<std::string> warnings;
    if (!matchesHostname(details, hostname))
        warnings.push_back("The certificate is not valid for this appliance's host name \"" + hostname +
                           "\"; clients that check the name will refuse it");
    const std::int64_t left = details.notAfter - now;
    if (left < 30 * 86400)
        warnings.push_back("The certificate expires in " + std::to_string(left / 86400) + " days, on " +
                           formatUtcTime(details.notAfter));
    if (details.keyType == "Ed25519" || details.keyType == "Ed448")
        warnings.push_back("Browsers do not accept " + details.keyType + " certificates" +
                           (service.name == "https" ? "; use an EC P-256 or RSA key for https" : ""));
    if (details.keyType == "EC P-521")
        warnings.push_back("Chrome does not support EC P-521 keys; EC P-256 and P-384 work everywhere");
    if (details.selfSigned)
        warnings.push_back("The certificate is self-signed: each client must trust this very certificate");
    return warnings;
}

} // namespace certd
