// Untrusted bytes as certificates: what InspectCACertificate,
// ImportCACertificate and Upload read, through to validation and the
// details certd shows.
#include "base/error.h"
#include "x509/certificate_details.h"
#include "x509/certificate_input.h"
#include "x509/certificate_validation.h"
#include "x509/server_certificate_validation.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const certd::ByteView bytes(data, size);
    try {
        auto input = certd::readFirstCertificate(bytes);
        certd::describeCertificate(*input.certificate);
        certd::requireWellFormedExtensions(*input.certificate);
        certd::validateCaCertificate(*input.certificate, 1'800'000'000);
    } catch (const certd::Error&) {
    }
    try {
        const auto chain = certd::readCertificateChain(bytes);
        for (const auto& certificate : chain) {
            certd::describeCertificate(*certificate);
            certd::requireUsableForTlsServer(*certificate, {true});
            certd::requireStrongSignature(*certificate);
        }
        certd::requireOrderedChain(chain);
    } catch (const certd::Error&) {
    }
    certd::firstCertificateDer(bytes);
    return 0;
}
