#include "x509/certificate_validation.h"

#include "x509/certificate_details.h"
#include "base/error.h"
#include "base/clock.h"
#include "base/text.h"

#include <openssl/x509v3.h>

namespace certd {
namespace {

std::string quotedName(const X509& cert)
{
    return "\"" + subjectCommonName(cert) + "\"";
}

} // namespace

void requireCurrentlyValid(const X509& cert, std::int64_t now)
{
    const auto notBefore = toUnixTime(*X509_get0_notBefore(&cert));
    const auto notAfter = toUnixTime(*X509_get0_notAfter(&cert));
    if (now < notBefore)
        throw Error(ErrorCode::NotYetValid,
                    "The certificate " + quotedName(cert) + " is not valid before " +
                        formatUtcTime(notBefore) + " (notBefore); it is now " + formatUtcTime(now) +
                        ". Check the appliance's clock, or import it once it is valid");
    if (now >= notAfter)
        throw Error(ErrorCode::Expired,
                    "The certificate " + quotedName(cert) + " expired on " + formatUtcTime(notAfter) +
                        " (notAfter); it is now " + formatUtcTime(now) +
                        ". Obtain a current certificate from its issuer");
}

void requireWellFormedExtensions(X509& cert)
{
    if (X509_get_extension_flags(&cert) & EXFLAG_INVALID)
        throw Error(ErrorCode::InvalidCertificate,
                    "The certificate " + quotedName(cert) +
                        " has malformed or duplicate extensions and cannot be used");
}

void requireCaCertificate(X509& cert)
{
    const auto flags = X509_get_extension_flags(&cert);
    const std::string name = quotedName(cert);
    if (!(flags & EXFLAG_BCONS))
        throw Error(ErrorCode::NotCA,
                    "The certificate " + name +
                        " is not a CA certificate: it has no Basic Constraints extension. "
                        "Only certificates with Basic Constraints CA:TRUE can be trusted as a CA");
    if (!(flags & EXFLAG_CA))
        throw Error(ErrorCode::NotCA,
                    "The certificate " + name +
                        " is not a CA certificate: its Basic Constraints say CA:FALSE. "
                        "Import the CA certificate that issued it instead");
    if ((flags & EXFLAG_KUSAGE) && !(X509_get_key_usage(&cert) & KU_KEY_CERT_SIGN))
        throw Error(ErrorCode::NotCA,
                    "The certificate " + name +
                        " cannot act as a CA: its Key Usage does not include keyCertSign");
}

void validateCaCertificate(X509& cert, std::int64_t now)
{
    requireWellFormedExtensions(cert);
    requireCurrentlyValid(cert, now);
    requireCaCertificate(cert);
}

} // namespace certd
