#include "x509/pkcs12_input.h"

#include "base/error.h"
#include "x509/certificate_input.h"
#include "x509/private_key_input.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace certd {
namespace {

using Pkcs12Ptr = std::unique_ptr<PKCS12, OpenSslDeleter<PKCS12_free>>;
using Pkcs8Ptr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, OpenSslDeleter<PKCS8_PRIV_KEY_INFO_free>>;

struct AuthSafesDeleter {
    void operator()(STACK_OF(PKCS7) * safes) const noexcept { sk_PKCS7_pop_free(safes, PKCS7_free); }
};
using AuthSafesPtr = std::unique_ptr<STACK_OF(PKCS7), AuthSafesDeleter>;

struct BagsDeleter {
    void operator()(STACK_OF(PKCS12_SAFEBAG) * bags) const noexcept
    {
        sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    }
};
using BagsPtr = std::unique_ptr<STACK_OF(PKCS12_SAFEBAG), BagsDeleter>;

// Bags inside bags (safeContents) go no deeper than this: real files nest
// at most once, and a crafted one must not exhaust the stack.
constexpr int maxNesting = 4;

[[noreturn]] void invalid(const std::string& why)
{
    throw Error(ErrorCode::InvalidPKCS12, "The PKCS#12 file " + why);
}

// The file chooses how much work opening it costs (key derivation
// iterations): real files ask for 2,000 (OpenSSL, Windows) to 600,000, a
// crafted one could ask for days. 1,000,000 PBKDF2 iterations take 0.6 to
// 1 s on the 2-core VM, and a file needs up to three derivations.
constexpr long maxIterations = 1'000'000;
constexpr std::uint64_t maxScryptWork = 1u << 24; // N * r * p

void requireBoundedIterations(const ASN1_INTEGER* iterations, const std::string& part)
{
    if (!iterations)
        return; // absent: one
    const long count = ASN1_INTEGER_get(iterations);
    if (count < 1 || count > maxIterations)
        invalid("asks for " + std::to_string(count) + " key derivation iterations for its " + part +
                "; certd opens files that ask for up to " + std::to_string(maxIterations));
}

template <typename Params, auto Free>
std::unique_ptr<Params, OpenSslDeleter<Free>> unpackParameters(const ASN1_ITEM* item, const ASN1_TYPE* parameter,
                                                               const std::string& part)
{
    std::unique_ptr<Params, OpenSslDeleter<Free>> params(
        parameter ? static_cast<Params*>(ASN1_TYPE_unpack_sequence(item, parameter)) : nullptr);
    if (!params)
        invalid("is damaged: the encryption parameters of its " + part + " cannot be read");
    return params;
}

// Before anything is decrypted: the work each password-based encryption
// asks for. Algorithms it does not know are left to OpenSSL to refuse.
void requireBoundedWork(const X509_ALGOR& algorithm, const std::string& part)
{
    const ASN1_OBJECT* oid = nullptr;
    X509_ALGOR_get0(&oid, nullptr, nullptr, &algorithm);
    const int nid = OBJ_obj2nid(oid);
    if (nid != NID_pbes2) {
        if (EVP_PBE_find(EVP_PBE_TYPE_OUTER, nid, nullptr, nullptr, nullptr)) // PKCS#5 v1, PKCS#12 PBEs
            requireBoundedIterations(
                unpackParameters<PBEPARAM, PBEPARAM_free>(ASN1_ITEM_rptr(PBEPARAM), algorithm.parameter, part)->iter,
                part);
        return;
    }
    const auto pbes2 =
        unpackParameters<PBE2PARAM, PBE2PARAM_free>(ASN1_ITEM_rptr(PBE2PARAM), algorithm.parameter, part);
    const X509_ALGOR& kdf = *pbes2->keyfunc;
    switch (OBJ_obj2nid(kdf.algorithm)) {
    case NID_id_pbkdf2:
        requireBoundedIterations(
            unpackParameters<PBKDF2PARAM, PBKDF2PARAM_free>(ASN1_ITEM_rptr(PBKDF2PARAM), kdf.parameter, part)->iter,
            part);
        break;
    case NID_id_scrypt: {
        const auto scrypt =
            unpackParameters<SCRYPT_PARAMS, SCRYPT_PARAMS_free>(ASN1_ITEM_rptr(SCRYPT_PARAMS), kdf.parameter, part);
        std::uint64_t n = 0, r = 0, p = 0;
        if (ASN1_INTEGER_get_uint64(&n, scrypt->costParameter) != 1 ||
            ASN1_INTEGER_get_uint64(&r, scrypt->blockSize) != 1 ||
            ASN1_INTEGER_get_uint64(&p, scrypt->parallelizationParameter) != 1 || n == 0 || r == 0 || p == 0 ||
            n > maxScryptWork / r || n * r > maxScryptWork / p)
            invalid("asks for more scrypt work for its " + part + " than certd does (N * r * p up to " +
                    std::to_string(maxScryptWork) + ")");
        break;
    }
    default:
        break;
    }
}

// Default and legacy providers, in a context only this module uses. Built
// once; a failure to build it is retried at the next call.
OSSL_LIB_CTX* decodingContext()
{
    static OSSL_LIB_CTX* const context = [] {
        OSSL_LIB_CTX* made = OSSL_LIB_CTX_new();
        if (!made || !OSSL_PROVIDER_load(made, "default")) {
            OSSL_LIB_CTX_free(made);
            throw Error(ErrorCode::Internal, "Could not set up PKCS#12 decoding: " + takeOpenSslErrors());
        }
        // Without it (a system without ossl-modules/legacy.so) files in the
        // old encryptions are refused as InvalidPKCS12, naming the algorithm.
        OSSL_PROVIDER_load(made, "legacy");
        ERR_clear_error();
        return made;
    }();
    return context;
}

// The decoding context as the calling thread's default, for as long as it lives.
class DecodingScope {
public:
    DecodingScope() : previous_(OSSL_LIB_CTX_set0_default(decodingContext())) {}
    ~DecodingScope() { OSSL_LIB_CTX_set0_default(previous_); }
    DecodingScope(const DecodingScope&) = delete;
    DecodingScope& operator=(const DecodingScope&) = delete;

private:
    OSSL_LIB_CTX* previous_;
};

// The passphrase as OpenSSL takes it: an empty one may have been encoded
// as an empty string or as none at all (both exist in the wild).
struct Passphrase {
    const char* text = nullptr;
    int length = 0;
};

Passphrase checkedPassphrase(PKCS12& p12, const std::string& passphrase)
{
    if (!PKCS12_mac_present(&p12))
        return passphrase.empty() ? Passphrase{} : Passphrase{passphrase.c_str(), static_cast<int>(passphrase.size())};
    if (!passphrase.empty()) {
        if (PKCS12_verify_mac(&p12, passphrase.c_str(), static_cast<int>(passphrase.size())) == 1)
            return {passphrase.c_str(), static_cast<int>(passphrase.size())};
    } else if (PKCS12_verify_mac(&p12, nullptr, 0) == 1) {
        return {};
    } else if (PKCS12_verify_mac(&p12, "", 0) == 1) {
        return {"", 0};
    }
    ERR_clear_error();
    throw Error(ErrorCode::WrongPassphrase, passphrase.empty()
                                                ? "The PKCS#12 file is protected by a passphrase: give it"
                                                : "The passphrase does not open the PKCS#12 file");
}

struct DecryptionErrors {
    std::string text; // reasons with their details ("unsupported: Algorithm (RC2-40-CBC : 0)")
    bool unsupported = false; // an algorithm no loaded provider has
};

DecryptionErrors takeDecryptionErrors()
{
    DecryptionErrors errors;
    const char* data = nullptr;
    int flags = 0;
    while (const unsigned long code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
        const int reason = ERR_GET_REASON(code);
        errors.unsupported |= reason == ERR_R_UNSUPPORTED ||
                              (ERR_GET_LIB(code) == ERR_LIB_EVP &&
                               (reason == EVP_R_UNSUPPORTED_ALGORITHM || reason == EVP_R_UNSUPPORTED_CIPHER));
        const char* reasonText = ERR_reason_error_string(code);
        errors.text += (errors.text.empty() ? "" : "; ") + std::string(reasonText ? reasonText : "error");
        if (data && (flags & ERR_TXT_STRING) && *data)
            errors.text += std::string(": ") + data;
    }
    return errors;
}

// A part that would not decrypt: an algorithm OpenSSL lacks, a damaged
// file, or (where no MAC could say so first) the wrong passphrase.
[[noreturn]] void undecryptable(const char* part, bool macVerified)
{
    const auto errors = takeDecryptionErrors();
    if (errors.unsupported)
        invalid("encrypts its " + std::string(part) + " with an algorithm OpenSSL cannot decrypt here (" +
                errors.text + "); export it again with AES-256");
    if (!macVerified)
        throw Error(ErrorCode::WrongPassphrase, "The passphrase does not open the PKCS#12 file");
    invalid("is damaged: its " + std::string(part) + " could not be decrypted (" + errors.text + ")");
}

struct Found {
    std::vector<EvpPkeyPtr> keys;
    std::vector<std::string> keyIds; // localKeyID of each key ("" without)
    std::vector<X509Ptr> certificates;
    std::vector<std::string> certificateIds;
};

std::string localKeyId(const PKCS12_SAFEBAG& bag)
{
    const ASN1_TYPE* id = PKCS12_SAFEBAG_get0_attr(&bag, NID_localKeyID);
    if (!id || id->type != V_ASN1_OCTET_STRING)
        return {};
    const ASN1_OCTET_STRING* octets = id->value.octet_string;
    return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(octets)),
                       static_cast<std::size_t>(ASN1_STRING_length(octets)));
}

void takeKey(const PKCS8_PRIV_KEY_INFO& p8, const PKCS12_SAFEBAG& bag, Found& found)
{
    EvpPkeyPtr key(EVP_PKCS82PKEY_ex(&p8, decodingContext(), nullptr));
    if (!key)
        invalid("holds a private key OpenSSL cannot read: " + takeOpenSslErrors());
    found.keys.push_back(std::move(key));
    found.keyIds.push_back(localKeyId(bag));
}

void takeBags(const STACK_OF(PKCS12_SAFEBAG) & bags, const Passphrase& passphrase, bool macVerified, int depth,
              Found& found)
{
    if (depth > maxNesting)
        invalid("nests its contents more than " + std::to_string(maxNesting) + " levels deep");
    for (int i = 0; i < sk_PKCS12_SAFEBAG_num(&bags); ++i) {
        const PKCS12_SAFEBAG& bag = *sk_PKCS12_SAFEBAG_value(&bags, i);
        switch (PKCS12_SAFEBAG_get_nid(&bag)) {
        case NID_keyBag:
            if (const PKCS8_PRIV_KEY_INFO* p8 = PKCS12_SAFEBAG_get0_p8inf(&bag))
                takeKey(*p8, bag, found);
            else
                invalid("is damaged: an empty key bag");
            break;
        case NID_pkcs8ShroudedKeyBag: {
            const X509_ALGOR* algorithm = nullptr;
            X509_SIG_get0(PKCS12_SAFEBAG_get0_pkcs8(&bag), &algorithm, nullptr);
            if (!algorithm)
                invalid("is damaged: a private key without its encryption");
            requireBoundedWork(*algorithm, "private key");
            const Pkcs8Ptr p8(
                PKCS12_decrypt_skey_ex(&bag, passphrase.text, passphrase.length, decodingContext(), nullptr));
            if (!p8)
                undecryptable("private key", macVerified);
            takeKey(*p8, bag, found);
            break;
        }
        case NID_certBag:
            if (PKCS12_SAFEBAG_get_bag_nid(&bag) != NID_x509Certificate)
                break; // SDSI certificates: not X.509, nothing certd could serve
            if (X509Ptr certificate{PKCS12_SAFEBAG_get1_cert(&bag)}) {
                found.certificates.push_back(std::move(certificate));
                found.certificateIds.push_back(localKeyId(bag));
            } else {
                invalid("holds a certificate OpenSSL cannot read: " + takeOpenSslErrors());
            }
            break;
        case NID_safeContentsBag:
            if (const auto* nested = PKCS12_SAFEBAG_get0_safes(&bag))
                takeBags(*nested, passphrase, macVerified, depth + 1, found);
            break;
        default:
            break; // CRLs, secrets: not for certd
        }
    }
}

Found unpack(PKCS12& p12, const Passphrase& passphrase, bool macVerified)
{
    const AuthSafesPtr safes(PKCS12_unpack_authsafes(&p12));
    if (!safes)
        invalid("is damaged: " + takeOpenSslErrors());
    Found found;
    for (int i = 0; i < sk_PKCS7_num(safes.get()); ++i) {
        PKCS7* safe = sk_PKCS7_value(safes.get(), i);
        BagsPtr bags;
        switch (OBJ_obj2nid(safe->type)) {
        case NID_pkcs7_data:
            bags.reset(PKCS12_unpack_p7data(safe));
            break;
        case NID_pkcs7_encrypted:
            if (!safe->d.encrypted || !safe->d.encrypted->enc_data || !safe->d.encrypted->enc_data->algorithm)
                invalid("is damaged: encrypted contents without their encryption");
            requireBoundedWork(*safe->d.encrypted->enc_data->algorithm, "certificates");
            bags.reset(PKCS12_unpack_p7encdata(safe, passphrase.text, passphrase.length));
            if (!bags)
                undecryptable("certificates", macVerified);
            break;
        default:
            continue; // public-key encrypted contents: certd has no key to open them
        }
        if (!bags)
            invalid("is damaged: " + takeOpenSslErrors());
        takeBags(*bags, passphrase, macVerified, 0, found);
    }
    return found;
}

// The certificate that belongs to the key: by localKeyID when the file
// pairs them, else by the public key.
std::size_t leafIndex(const Found& found)
{
    if (found.certificates.empty())
        invalid("holds no certificate, only a private key");
    const std::string& keyId = found.keyIds.front();
    if (!keyId.empty())
        for (std::size_t i = 0; i < found.certificates.size(); ++i)
            if (found.certificateIds[i] == keyId)
                return i;
    for (std::size_t i = 0; i < found.certificates.size(); ++i)
        if (X509_check_private_key(found.certificates[i].get(), found.keys.front().get()) == 1)
            return i;
    ERR_clear_error();
    throw Error(ErrorCode::KeyMismatch, "No certificate in the PKCS#12 file belongs to its private key");
}

} // namespace

void requireAcceptablePkcs12Input(ByteView data, const std::string& passphrase)
{
    requireAcceptableSize(data, "The PKCS#12 file");
    if (passphrase.size() > maxPassphraseSize)
        throw Error(ErrorCode::InvalidArgument,
                    "The passphrase is longer than " + std::to_string(maxPassphraseSize) + " bytes");
}

Pkcs12Contents readPkcs12(ByteView data, const std::string& passphrase)
{
    requireAcceptablePkcs12Input(data, passphrase);
    const DecodingScope scope;
    ERR_clear_error();
    const unsigned char* cursor = data.data();
    const Pkcs12Ptr p12(d2i_PKCS12(nullptr, &cursor, static_cast<long>(data.size())));
    if (!p12 || cursor != data.data() + data.size()) {
        ERR_clear_error();
        invalid(data.empty() ? "is empty" : "could not be read: it is not DER-encoded PKCS#12 (.p12, .pfx)");
    }
    if (PKCS12_mac_present(p12.get())) {
        const ASN1_INTEGER* macIterations = nullptr;
        PKCS12_get0_mac(nullptr, nullptr, nullptr, &macIterations, p12.get());
        requireBoundedIterations(macIterations, "integrity check (MAC)");
    }
    const Passphrase checked = checkedPassphrase(*p12, passphrase);
    const Found found = unpack(*p12, checked, PKCS12_mac_present(p12.get()) == 1);
    if (found.keys.empty())
        throw Error(ErrorCode::NoPrivateKey, "The PKCS#12 file holds no private key: export the certificate "
                                             "together with its key");
    if (found.keys.size() > 1)
        throw Error(ErrorCode::SeveralPrivateKeys, "The PKCS#12 file holds " + std::to_string(found.keys.size()) +
                                                       " private keys: export the one certificate to serve with "
                                                       "its key alone");
    const std::size_t leaf = leafIndex(found);
    Pkcs12Contents contents;
    contents.certificatesPem = certificateToPem(*found.certificates[leaf]);
    for (std::size_t i = 0; i < found.certificates.size(); ++i)
        if (i != leaf)
            contents.certificatesPem += certificateToPem(*found.certificates[i]);
    contents.privateKeyPem = privateKeyToPem(*found.keys.front());
    return contents;
}

} // namespace certd
