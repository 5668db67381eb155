// Untrusted bytes as a PKCS#12 file: what UploadPKCS12 reads (the seeds'
// passphrase is "secret"), and the PEM it hands on.
#include "base/error.h"
#include "x509/certificate_input.h"
#include "x509/pkcs12_input.h"
#include "x509/private_key_input.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        const auto contents = certd::readPkcs12(certd::ByteView(data, size), "secret");
        certd::readCertificateChain(certd::asBytes(contents.certificatesPem));
        certd::readPrivateKey(certd::asBytes(contents.privateKeyPem));
    } catch (const certd::Error&) {
    }
    return 0;
}
