#include "x509/server_certificate_validation.h"

#include "x509/certificate_details.h"
#include "x509/certificate_validation.h"
#include "base/error.h"

#include <openssl/err.h>
#include <openssl/objects.h>

namespace certd {
namespace {

[[noreturn]] void unusable(const X509& cert, const std::string& reason)
{
    throw Error(ErrorCode::InvalidCertificate,
                "The certificate \"" + subjectCommonName(cert) + "\" cannot serve TLS: " + reason);
}

std::string nameOf(const X509& cert)
{
    return "\"" + subjectCommonName(cert) + "\"";
}

bool hasAddressName(const X509& cert)
{
    GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(&cert, NID_subject_alt_name, nullptr, nullptr)));
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const int type = sk_GENERAL_NAME_value(names.get(), i)->type;
        if (type == GEN_DNS || type == GEN_IPADD)
            return true;
    }
    return false;
}

} // namespace

void requireUsableForTlsServer(X509& cert, const ServerCertificateRules& rules)
{
    const auto flags = X509_get_extension_flags(&cert);
    if ((flags & EXFLAG_BCONS) && (flags & EXFLAG_CA))
        unusable(cert, "it is a CA certificate (Basic Constraints CA:TRUE). Upload the server's own "
                       "certificate first, followed by its chain");
    if (flags & EXFLAG_KUSAGE) {
        const auto usage = X509_get_key_usage(&cert);
        if (!(usage & (KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT)))
            unusable(cert, "its Key Usage allows neither digitalSignature nor keyEncipherment");
    }
    if ((flags & EXFLAG_XKUSAGE) && !(X509_get_extended_key_usage(&cert) & (XKU_SSL_SERVER | XKU_ANYEKU)))
        unusable(cert, "its Extended Key Usage does not include serverAuth (TLS Web Server Authentication)");
    if (rules.requireSubjectAltName && !hasAddressName(cert))
        unusable(cert, "it has no DNS or IP Subject Alternative Name, and browsers ignore the Common Name");
}

void requireStrongKey(const EVP_PKEY& key)
{
    const int bits = EVP_PKEY_get_bits(&key);
    switch (EVP_PKEY_get_base_id(&key)) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
        if (bits < 2048)
            throw Error(ErrorCode::InvalidKey, "The key is RSA " + std::to_string(bits) +
                                                   ", which TLS clients refuse as too weak; use at "
                                                   "least 2048 bits");
        return;
    case EVP_PKEY_EC: {
        const auto type = describeKeyType(key);
        if (type != "EC P-256" && type != "EC P-384" && type != "EC P-521")
            throw Error(ErrorCode::InvalidKey, "The key is " + type +
                                                   "; TLS clients support the curves P-256, P-384 and P-521");
        return;
    }
    case EVP_PKEY_ED25519:
    case EVP_PKEY_ED448:
        return;
    default:
        throw Error(ErrorCode::InvalidKey, "The key type " + describeKeyType(key) + " cannot be used for TLS");
    }
}

void requireStrongSignature(const X509& cert)
{
    int digest = NID_undef;
    if (X509_get_signature_info(const_cast<X509*>(&cert), &digest, nullptr, nullptr, nullptr) == 1 &&
        (digest == NID_md5 || digest == NID_sha1 || digest == NID_md5_sha1))
        unusable(cert, std::string("it is signed with ") + OBJ_nid2sn(digest) + ", which TLS clients refuse");
}

void requireMatchingKey(X509& cert, EVP_PKEY& key)
{
    const EVP_PKEY* certificateKey = X509_get0_pubkey(&cert);
    ERR_clear_error();
    if (!certificateKey || EVP_PKEY_eq(certificateKey, &key) != 1) {
        ERR_clear_error();
        throw Error(ErrorCode::KeyMismatch, "The private key does not belong to the certificate " + nameOf(cert) +
                                                " (its public key is " + describeKeyType(key) +
                                                " but not the certificate's)");
    }
}

void requireOrderedChain(const std::vector<X509Ptr>& chain)
{
    for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
        X509& subject = *chain[i];
        X509& issuer = *chain[i + 1];
        EVP_PKEY* issuerKey = X509_get0_pubkey(&issuer);
        const bool issued = X509_check_issued(&issuer, &subject) == X509_V_OK && issuerKey &&
                            X509_verify(&subject, issuerKey) == 1;
        ERR_clear_error();
        if (!issued)
            throw Error(ErrorCode::InvalidCertificate,
                        "Certificate " + std::to_string(i + 2) + " of the upload (" + nameOf(issuer) +
                            ") did not issue certificate " + std::to_string(i + 1) + " (" + nameOf(subject) +
                            "). Give the server's certificate first, each one followed by its issuer");
        try {
            requireCaCertificate(issuer);
        } catch (const Error& error) {
            throw Error(ErrorCode::InvalidCertificate, std::string("In the chain: ") + error.what());
        }
    }
}

void validateServerCertificate(const std::vector<X509Ptr>& chain, EVP_PKEY& key, std::int64_t now,
                               const ServerCertificateRules& rules)
{
    X509& leaf = *chain.front();
    for (const auto& cert : chain) {
        requireWellFormedExtensions(*cert);
        requireCurrentlyValid(*cert, now);
    }
    requireUsableForTlsServer(leaf, rules);
    requireStrongKey(key);
    requireStrongSignature(leaf);
    requireMatchingKey(leaf, key);
    requireOrderedChain(chain);
}

} // namespace certd
