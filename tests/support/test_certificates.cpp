#include "test_certificates.h"
#include "test_keys.h"

#include "x509/certificate_builder.h"
#include "x509/certificate_details.h"
#include "x509/certificate_input.h"
#include "x509/certificate_request.h"
#include "base/clock.h"
#include "base/text.h"

#include <openssl/pem.h>

#include <ctime>
#include <stdexcept>

namespace certd::test {

std::int64_t now()
{
    return unixNow();
}

StoredCaPtr storedCaOf(const TestCertificate& cert)
{
    return makeStoredCa(*cert.cert, describeCertificate(*cert.cert), "/nowhere", {});
}

CertificateSpec serverSpec(const std::string& name, const TestCertificate& issuer)
{
    CertificateSpec spec;
    spec.subject = {{"CN", name}};
    spec.basicConstraints = "critical,CA:FALSE";
    spec.keyUsage = "critical,digitalSignature";
    spec.extendedKeyUsage = "serverAuth";
    spec.subjectAltName = "DNS:" + name;
    spec.issuer = &issuer;
    return spec;
}

EvpPkeyPtr makeKey(const std::string& algorithm)
{
    EVP_PKEY* key = nullptr;
    if (algorithm == "EC")
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    else if (algorithm == "EC-P384")
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
    else if (algorithm == "RSA")
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048});
    else if (algorithm == "RSA-1024")
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024});
    else if (algorithm == "RSA-4096")
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{4096});
    else if (algorithm == "ED25519")
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (!key)
        throw std::runtime_error("cannot make a key of type " + algorithm);
    return EvpPkeyPtr(key);
}

TestCertificate makeCertificate(const CertificateSpec& spec)
{
    TestCertificate result{nullptr, makeKey(spec.keyAlgorithm)};
    CertificateBuilder builder;
    builder.subject(spec.subject).validity(spec.notBefore, spec.notAfter).publicKey(*result.key);
    if (spec.issuer)
        builder.issuer(*spec.issuer->cert);
    builder.extension(NID_subject_key_identifier, "hash");
    if (spec.issuer)
        builder.extension(NID_authority_key_identifier, "keyid:always");
    if (!spec.basicConstraints.empty())
        builder.extension(NID_basic_constraints, spec.basicConstraints);
    if (!spec.keyUsage.empty())
        builder.extension(NID_key_usage, spec.keyUsage);
    if (!spec.extendedKeyUsage.empty())
        builder.extension(NID_ext_key_usage, spec.extendedKeyUsage);
    if (!spec.subjectAltName.empty())
        builder.extension(NID_subject_alt_name, spec.subjectAltName);
    result.cert = builder.sign(spec.issuer ? *spec.issuer->key : *result.key);
    return result;
}

TestCertificate makeCa(const std::string& commonName)
{
    CertificateSpec spec;
    spec.subject = {{"O", "certd tests"}, {"CN", commonName}};
    return makeCertificate(spec);
}

TestCertificate issueForRequest(const std::string& requestPem, const TestCertificate& ca, const std::string& names,
                                std::int64_t days)
{
    const auto request = readCertificateRequest(asBytes(requestPem));
    TestCertificate issued;
    issued.cert = CertificateBuilder()
                      .subject({{"CN", "probe.example.com"}})
                      .validity(now() - day, now() + days * day)
                      .publicKey(*X509_REQ_get0_pubkey(request.get()))
                      .issuer(*ca.cert)
                      .extension(NID_basic_constraints, "critical,CA:FALSE")
                      .extension(NID_ext_key_usage, "serverAuth")
                      .extension(NID_subject_alt_name, names)
                      .sign(*ca.key);
    return issued;
}

std::string TestCertificate::pem() const
{
    return certificateToPem(*cert);
}

Bytes TestCertificate::der() const
{
    return certificateToDer(*cert);
}

std::string TestCertificate::fingerprint() const
{
    return sha256Fingerprint(*cert);
}

std::string TestCertificate::keyPem() const
{
    return pkcs8Pem(*key);
}

Bytes bytesOf(const std::string& text)
{
    return Bytes(text.begin(), text.end());
}

} // namespace certd::test
