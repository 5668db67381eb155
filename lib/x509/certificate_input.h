// Turning uploaded bytes (PEM or DER, detected from content) into X509
// objects. Every failure is an Error with a reason a person can act on.
#pragma once

#include "base/bytes.h"
#include "x509/openssl_ptr.h"

#include <vector>

namespace certd {

inline constexpr std::size_t maxInputSize = 1024 * 1024;

// TooLarge when data exceeds maxInputSize; what names the input in the message.
void requireAcceptableSize(ByteView data, std::string_view what);

struct CertificateInput {
    X509Ptr certificate;                 // the first certificate of the input
    unsigned additionalCertificates = 0; // further certificates, not taken
};

// The first certificate of data; the rest is only counted.
CertificateInput readFirstCertificate(ByteView data);

// Every certificate of data in order (a leaf followed by its chain); each
// one must parse.
std::vector<X509Ptr> readCertificateChain(ByteView data);

// The DER of data's first certificate, found without parsing it (for a
// lookup by fingerprint); empty when it cannot be located that way.
Bytes firstCertificateDer(ByteView data);

X509Ptr certificateFromDer(ByteView der);
Bytes certificateToDer(X509& cert);
std::string certificateToPem(X509& cert);

} // namespace certd
