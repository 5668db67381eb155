#include "x509/certificate_details.h"

#include "base/error.h"
#include "x509/openssl_ptr.h"
#include "base/text.h"

#include <arpa/inet.h>
#include <ctime>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/objects.h>

namespace certd {
namespace {

std::string asn1StringToUtf8(const ASN1_STRING* value)
{
    unsigned char* utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, value);
    const OpenSslBytes owner(utf8);
    if (length < 0)
        return {};
    return toValidUtf8(std::string_view(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(length)));
}

std::string commonNameOf(const X509_NAME* name)
{
    int last = -1;
    for (int i = -1; (i = X509_NAME_get_index_by_NID(name, NID_commonName, i)) >= 0;)
        last = i;
    if (last < 0)
        return std::string(emptyCommonName);
    const auto* entry = X509_NAME_get_entry(name, last);
    std::string value = asn1StringToUtf8(X509_NAME_ENTRY_get_data(entry));
    return value.empty() ? std::string(emptyCommonName) : value;
}

std::string serialToHex(const X509& cert)
{
    BignumPtr number(ASN1_INTEGER_to_BN(X509_get0_serialNumber(&cert), nullptr));
    if (!number)
        return {};
    OpenSslString hex(BN_bn2hex(number.get()));
    return hex ? std::string(hex.get()) : std::string();
}

std::string ecCurveName(const EVP_PKEY& key)
{
    char group[80] = {};
    std::size_t length = 0;
    if (EVP_PKEY_get_group_name(&key, group, sizeof group, &length) != 1)
        return "unknown curve";
    const char* nist = EC_curve_nid2nist(OBJ_txt2nid(group));
    return nist ? nist : group;
}

std::string signatureAlgorithmOf(const X509& cert)
{
    const X509_ALGOR* algorithm = nullptr;
    X509_get0_signature(nullptr, &algorithm, &cert);
    const ASN1_OBJECT* oid = nullptr;
    X509_ALGOR_get0(&oid, nullptr, nullptr, algorithm);
    char name[128] = {};
    if (!oid || OBJ_obj2txt(name, sizeof name, oid, 0) <= 0)
        return "unknown";
    return name;
}

std::string generalNameToString(const GENERAL_NAME& name)
{
    switch (name.type) {
    case GEN_DNS:
        return "DNS:" + asn1StringToUtf8(name.d.dNSName);
    case GEN_EMAIL:
        return "email:" + asn1StringToUtf8(name.d.rfc822Name);
    case GEN_URI:
        return "URI:" + asn1StringToUtf8(name.d.uniformResourceIdentifier);
    case GEN_IPADD: {
        const int length = ASN1_STRING_length(name.d.iPAddress);
        const unsigned char* bytes = ASN1_STRING_get0_data(name.d.iPAddress);
        char text[INET6_ADDRSTRLEN] = {};
        const int family = length == 4 ? AF_INET : length == 16 ? AF_INET6 : 0;
        if (family && inet_ntop(family, bytes, text, sizeof text))
            return std::string("IP:") + text;
        return "IP:invalid";
    }
    default:
        return "other:unsupported";
    }
}

std::vector<std::string> subjectAlternativeNamesOf(const X509& cert)
{
    std::vector<std::string> names;
    GeneralNamesPtr list(static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(&cert, NID_subject_alt_name, nullptr, nullptr)));
    for (int i = 0; list && i < sk_GENERAL_NAME_num(list.get()); ++i)
        names.push_back(generalNameToString(*sk_GENERAL_NAME_value(list.get(), i)));
    return names;
}

} // namespace

std::int64_t toUnixTime(const ASN1_TIME& time)
{
    std::tm parts{};
    if (ASN1_TIME_to_tm(&time, &parts) != 1)
        throw Error(ErrorCode::InvalidCertificate, "The certificate has a malformed validity date");
    return static_cast<std::int64_t>(timegm(&parts));
}

std::string sha256Fingerprint(const X509& cert)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (X509_digest(&cert, EVP_sha256(), digest, &length) != 1)
        throw Error(ErrorCode::Internal, "Could not compute a fingerprint: " + takeOpenSslErrors());
    return toHex(digest, length);
}

std::string subjectCommonName(const X509& cert)
{
    return commonNameOf(X509_get_subject_name(&cert));
}

std::string describeKeyType(const EVP_PKEY& key)
{
    const int bits = EVP_PKEY_get_bits(&key);
    switch (EVP_PKEY_get_base_id(&key)) {
    case EVP_PKEY_RSA:
        return "RSA " + std::to_string(bits);
    case EVP_PKEY_RSA_PSS:
        return "RSA-PSS " + std::to_string(bits);
    case EVP_PKEY_DSA:
        return "DSA " + std::to_string(bits);
    case EVP_PKEY_EC:
        return "EC " + ecCurveName(key);
    case EVP_PKEY_ED25519:
        return "Ed25519";
    case EVP_PKEY_ED448:
        return "Ed448";
    default:
        return "unknown";
    }
}

std::string distinguishedName(const X509_NAME* name)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    // RFC 2253 escaping, but UTF-8 kept as is instead of \XX escapes.
    const unsigned long flags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
    if (!bio || X509_NAME_print_ex(bio.get(), name, 0, flags) < 0)
        return {};
    return toValidUtf8(bioToString(*bio));
}

CertificateDetails describeCertificate(X509& cert)
{
    CertificateDetails details;
    details.commonName = commonNameOf(X509_get_subject_name(&cert));
    details.subject = distinguishedName(X509_get_subject_name(&cert));
    details.issuer = distinguishedName(X509_get_issuer_name(&cert));
    details.issuerCommonName = commonNameOf(X509_get_issuer_name(&cert));
    details.serialNumber = serialToHex(cert);
    details.notBefore = toUnixTime(*X509_get0_notBefore(&cert));
    details.notAfter = toUnixTime(*X509_get0_notAfter(&cert));
    details.fingerprint = sha256Fingerprint(cert);
    // Names and key identifiers only: verifying the signature of thousands of
    // stored CAs would dominate start-up for no gain in what is shown.
    details.selfSigned = X509_self_signed(&cert, 0) == 1;
    const EVP_PKEY* key = X509_get0_pubkey(&cert);
    details.keyType = key ? describeKeyType(*key) : "unknown";
    details.signatureAlgorithm = signatureAlgorithmOf(cert);
    details.pathLength = static_cast<int>(X509_get_pathlen(&cert));
    details.subjectAlternativeNames = subjectAlternativeNamesOf(cert);
    return details;
}

} // namespace certd
