#include "x509/certificate_input.h"

#include "base/error.h"
#include "x509/pem.h"

#include <openssl/asn1.h>
#include <openssl/err.h>

namespace certd {
namespace {

constexpr std::uint8_t derSequenceTag = 0x30;

[[noreturn]] void invalid(const std::string& message)
{
    throw Error(ErrorCode::InvalidCertificate, message);
}

bool isCertificateLabel(const std::string& label)
{
    return label == "CERTIFICATE" || label == "X509 CERTIFICATE" || label == "TRUSTED CERTIFICATE";
}

// Parses one DER certificate at the front of der, advancing der past it.
X509Ptr takeDerCertificate(ByteView& der)
{
    const unsigned char* cursor = der.data();
    ERR_clear_error();
    X509Ptr cert(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
    if (cert)
        der = der.subspan(static_cast<std::size_t>(cursor - der.data()));
    return cert;
}

std::vector<X509Ptr> readDer(ByteView der, bool wholeChain)
{
    std::vector<X509Ptr> certs;
    X509Ptr first = takeDerCertificate(der);
    if (!first)
        invalid("The data is not a DER-encoded X.509 certificate (" + takeOpenSslErrors() + ")");
    certs.push_back(std::move(first));
    while (!der.empty()) {
        X509Ptr next = takeDerCertificate(der);
        if (!next) {
            if (wholeChain)
                invalid("Certificate " + std::to_string(certs.size() + 1) +
                        " of the DER data is damaged (" + takeOpenSslErrors() + ")");
            ERR_clear_error();
            break; // trailing bytes after the taken certificate are ignored
        }
        certs.push_back(std::move(next));
    }
    return certs;
}

X509Ptr decodePemCertificate(const PemBlock& block, std::size_t position)
{
    const unsigned char* cursor = block.data.data();
    const auto length = static_cast<long>(block.data.size());
    ERR_clear_error();
    X509Ptr cert(block.label == "TRUSTED CERTIFICATE" ? d2i_X509_AUX(nullptr, &cursor, length)
                                                      : d2i_X509(nullptr, &cursor, length));
    if (!cert)
        invalid("PEM certificate " + std::to_string(position) +
                " is not a valid X.509 certificate (" + takeOpenSslErrors() + ")");
    return cert;
}

std::string describeLabels(const std::vector<PemBlock>& blocks)
{
    std::string labels;
    for (const auto& block : blocks)
        labels += (labels.empty() ? "" : ", ") + block.label;
    return labels;
}

struct PemCertificates {
    std::vector<const PemBlock*> blocks;
    std::string damage;
};

PemCertificates findPemCertificates(const PemScan& scan)
{
    PemCertificates found{{}, scan.damage};
    for (const auto& block : scan.blocks)
        if (isCertificateLabel(block.label))
            found.blocks.push_back(&block);
    if (found.blocks.empty()) {
        if (!scan.damage.empty())
            invalid("The PEM data is damaged (" + scan.damage + ")");
        if (!scan.blocks.empty())
            invalid("The PEM data holds no certificate, only: " + describeLabels(scan.blocks));
        invalid("The data is neither a PEM certificate (no -----BEGIN CERTIFICATE----- line) "
                "nor a DER-encoded one");
    }
    return found;
}

} // namespace

void requireAcceptableSize(ByteView data, std::string_view what)
{
    if (data.size() > maxInputSize)
        throw Error(ErrorCode::TooLarge, std::string(what) + " is " + std::to_string(data.size()) +
                                             " bytes; at most " + std::to_string(maxInputSize) +
                                             " bytes (1 MiB) are accepted");
}

namespace {

// DER when it parses as DER: a DER certificate may contain any text,
// "-----BEGIN " too (in a Common Name, say), so the PEM marker alone
// cannot decide.
bool isDerCertificate(ByteView data)
{
    if (data.empty() || data.front() != derSequenceTag)
        return false;
    ByteView cursor = data;
    const bool parsed = takeDerCertificate(cursor) != nullptr;
    ERR_clear_error();
    return parsed;
}

std::vector<X509Ptr> readCertificates(ByteView data, bool wholeChain)
{
    requireAcceptableSize(data, "The certificate data");
    if (data.empty())
        invalid("The certificate data is empty");
    if (isDerCertificate(data) || (data.front() == derSequenceTag && !containsPem(data)))
        return readDer(data, wholeChain);

    const PemScan scan = scanPem(data);
    const PemCertificates found = findPemCertificates(scan);
    if (wholeChain && !found.damage.empty())
        invalid("The PEM data is damaged after certificate " + std::to_string(found.blocks.size()) +
                " (" + found.damage + ")");
    std::vector<X509Ptr> certs;
    certs.push_back(decodePemCertificate(*found.blocks.front(), 1));
    for (std::size_t i = 1; i < found.blocks.size(); ++i)
        certs.push_back(wholeChain ? decodePemCertificate(*found.blocks[i], i + 1) : nullptr);
    return certs;
}

} // namespace

CertificateInput readFirstCertificate(ByteView data)
{
    auto certs = readCertificates(data, false);
    return {std::move(certs.front()), static_cast<unsigned>(certs.size() - 1)};
}

std::vector<X509Ptr> readCertificateChain(ByteView data)
{
    return readCertificates(data, true);
}

Bytes firstCertificateDer(ByteView data)
{
    if (data.empty() || data.size() > maxInputSize)
        return {};
    if (isDerCertificate(data) || (data.front() == derSequenceTag && !containsPem(data))) {
        const unsigned char* cursor = data.data();
        long length = 0;
        int tag = 0, objectClass = 0;
        const int flags = ASN1_get_object(&cursor, &length, &tag, &objectClass, static_cast<long>(data.size()));
        ERR_clear_error();
        if ((flags & 0x80) || tag != V_ASN1_SEQUENCE)
            return {};
        const auto total = static_cast<std::size_t>(cursor - data.data()) + static_cast<std::size_t>(length);
        return Bytes(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(total));
    }
    for (auto& block : scanPem(data).blocks)
        if (block.label == "CERTIFICATE")
            return std::move(block.data);
    return {};
}

X509Ptr certificateFromDer(ByteView der)
{
    X509Ptr cert = takeDerCertificate(der);
    if (!cert)
        invalid("Not a DER-encoded X.509 certificate (" + takeOpenSslErrors() + ")");
    return cert;
}

Bytes certificateToDer(X509& cert)
{
    unsigned char* der = nullptr;
    const int length = i2d_X509(&cert, &der);
    const OpenSslBytes owner(der);
    if (length <= 0)
        throw Error(ErrorCode::Internal, "Could not encode a certificate: " + takeOpenSslErrors());
    return Bytes(der, der + length);
}

std::string certificateToPem(X509& cert)
{
    return derToPem(certificateToDer(cert), "CERTIFICATE");
}

} // namespace certd
