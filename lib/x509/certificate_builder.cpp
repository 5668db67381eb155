#include "x509/certificate_builder.h"

#include "base/error.h"

#include <openssl/rand.h>

namespace certd {
namespace {

[[noreturn]] void fail(const std::string& what)
{
    throw Error(ErrorCode::Internal, "Could not build a certificate (" + what + "): " + takeOpenSslErrors());
}

void check(int result, const char* what)
{
    if (result != 1)
        fail(what);
}

Asn1IntegerPtr randomSerial()
{
    unsigned char bytes[16];
    check(RAND_bytes(bytes, sizeof bytes), "random serial");
    bytes[0] &= 0x7F; // positive
    bytes[0] |= 0x40; // and of full length, so never zero
    BignumPtr number(BN_bin2bn(bytes, sizeof bytes, nullptr));
    Asn1IntegerPtr serial(number ? BN_to_ASN1_INTEGER(number.get(), nullptr) : nullptr);
    if (!serial)
        fail("random serial");
    return serial;
}

} // namespace

const EVP_MD* signatureDigestFor(const EVP_PKEY& key)
{
    switch (EVP_PKEY_get_base_id(&key)) {
    case EVP_PKEY_ED25519:
    case EVP_PKEY_ED448:
        return nullptr;
    case EVP_PKEY_EC:
        return EVP_PKEY_get_bits(&key) >= 384 ? EVP_sha384() : EVP_sha256();
    default:
        return EVP_sha256();
    }
}

CertificateBuilder::CertificateBuilder()
    : cert_(X509_new())
{
    if (!cert_)
        fail("allocation");
    check(X509_set_version(cert_.get(), X509_VERSION_3), "version");
}

CertificateBuilder& CertificateBuilder::subject(const std::vector<std::pair<std::string, std::string>>& names)
{
    X509NamePtr name(X509_NAME_new());
    for (const auto& [field, value] : names)
        check(X509_NAME_add_entry_by_txt(name.get(), field.c_str(), MBSTRING_UTF8,
                                         reinterpret_cast<const unsigned char*>(value.c_str()),
                                         static_cast<int>(value.size()), -1, 0),
              "subject");
    check(X509_set_subject_name(cert_.get(), name.get()), "subject");
    return *this;
}

CertificateBuilder& CertificateBuilder::validity(std::int64_t notBefore, std::int64_t notAfter)
{
    if (!ASN1_TIME_set(X509_getm_notBefore(cert_.get()), static_cast<time_t>(notBefore)) ||
        !ASN1_TIME_set(X509_getm_notAfter(cert_.get()), static_cast<time_t>(notAfter)))
        fail("validity");
    return *this;
}

CertificateBuilder& CertificateBuilder::serial(std::uint64_t value)
{
    check(ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert_.get()), value), "serial");
    serialSet_ = true;
    return *this;
}

CertificateBuilder& CertificateBuilder::publicKey(EVP_PKEY& key)
{
    check(X509_set_pubkey(cert_.get(), &key), "public key");
    return *this;
}

CertificateBuilder& CertificateBuilder::issuer(X509& issuerCert)
{
    issuer_ = &issuerCert;
    return *this;
}

CertificateBuilder& CertificateBuilder::extension(int nid, std::string value)
{
    extensions_.emplace_back(nid, std::move(value));
    return *this;
}

X509Ptr CertificateBuilder::sign(EVP_PKEY& signingKey)
{
    if (!serialSet_)
        check(X509_set_serialNumber(cert_.get(), randomSerial().get()), "serial");
    X509* issuer = issuer_ ? issuer_ : cert_.get();
    check(X509_set_issuer_name(cert_.get(), X509_get_subject_name(issuer)), "issuer");
    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer, cert_.get(), nullptr, nullptr, 0);
    for (const auto& [nid, value] : extensions_) {
        X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
        if (!extension || X509_add_ext(cert_.get(), extension.get(), -1) != 1)
            fail(std::string("extension ") + OBJ_nid2sn(nid) + "=" + value);
    }
    if (X509_sign(cert_.get(), &signingKey, signatureDigestFor(signingKey)) <= 0)
        fail("signature");
    return std::move(cert_);
}

} // namespace certd
