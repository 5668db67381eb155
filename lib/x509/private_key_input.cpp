#include "x509/private_key_input.h"

#include "x509/certificate_input.h"
#include "base/error.h"
#include "x509/pem.h"

#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <algorithm>

namespace certd {
namespace {

[[noreturn]] void encrypted()
{
    throw Error(ErrorCode::KeyEncrypted,
                std::string(encryptedKeyMessage) + ": remove the passphrase (for example with "
                                                   "`openssl pkey -in key.pem -out plain.pem`) and upload again");
}

bool isEncryptedPem(const PemBlock& block)
{
    return block.label == "ENCRYPTED PRIVATE KEY" || block.headers.find("ENCRYPTED") != std::string::npos;
}

bool isPrivateKeyLabel(const std::string& label)
{
    return label == "PRIVATE KEY" || label == "RSA PRIVATE KEY" || label == "EC PRIVATE KEY" ||
           label == "DSA PRIVATE KEY" || label == "ENCRYPTED PRIVATE KEY";
}

// An encrypted PKCS#8 structure (EncryptedPrivateKeyInfo) in DER.
bool isEncryptedPkcs8Der(ByteView der)
{
    const unsigned char* cursor = der.data();
    const X509SigPtr sig(d2i_X509_SIG(nullptr, &cursor, static_cast<long>(der.size())));
    ERR_clear_error();
    return sig && cursor == der.data() + der.size();
}

// Never prompts: a key that wants a passphrase makes this note it and fail.
int refusePassphrase(char*, int, int, void* asked)
{
    *static_cast<bool*>(asked) = true;
    return -1;
}

EvpPkeyPtr decode(ByteView data, const char* inputType)
{
    EVP_PKEY* key = nullptr;
    bool askedForPassphrase = false;
    DecoderContextPtr decoder(OSSL_DECODER_CTX_new_for_pkey(&key, inputType, nullptr, nullptr,
                                                     EVP_PKEY_KEYPAIR, nullptr, nullptr));
    if (!decoder)
        throw Error(ErrorCode::Internal, "Could not set up key decoding: " + takeOpenSslErrors());
    OSSL_DECODER_CTX_set_pem_password_cb(decoder.get(), refusePassphrase, &askedForPassphrase);
    const unsigned char* cursor = data.data();
    std::size_t left = data.size();
    ERR_clear_error();
    const bool decoded = OSSL_DECODER_from_data(decoder.get(), &cursor, &left) == 1;
    if (askedForPassphrase)
        encrypted();
    if (!decoded)
        throw Error(ErrorCode::InvalidKey, "The private key could not be read as a PEM or DER "
                                           "private key (PKCS#8 or traditional): " +
                                               takeOpenSslErrors());
    return EvpPkeyPtr(key);
}

} // namespace

EvpPkeyPtr readPrivateKey(ByteView data)
{
    requireAcceptableSize(data, "The private key");
    if (data.empty())
        throw Error(ErrorCode::InvalidKey, "The private key is empty");
    if (containsPem(data)) {
        const PemScan scan = scanPem(data);
        const auto key = std::find_if(scan.blocks.begin(), scan.blocks.end(),
                                      [](const PemBlock& b) { return isPrivateKeyLabel(b.label); });
        if (key == scan.blocks.end())
            throw Error(ErrorCode::InvalidKey,
                        !scan.blocks.empty() ? "The PEM data holds no private key, only: " + scan.blocks.front().label
                        : !scan.damage.empty() ? "The PEM data holds no private key (" + scan.damage + ")"
                                               : std::string("The data holds no private key: it mentions a "
                                                             "-----BEGIN line but has no complete PEM block"));
        if (isEncryptedPem(*key))
            encrypted();
        return decode(key->data, "DER"); // just that block, whatever surrounds it
    }
    if (isEncryptedPkcs8Der(data))
        encrypted();
    return decode(data, "DER");
}

std::string privateKeyToPem(EVP_PKEY& key)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), &key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        throw Error(ErrorCode::Internal, "Could not encode a private key: " + takeOpenSslErrors());
    return bioToString(*bio);
}

} // namespace certd
