// OpenSSL objects owned by unique_ptr with their own free functions, so no
// code path can leak or double-free them.
#pragma once

#include <memory>
#include <string>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/decoder.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace certd {

template <auto FreeFunction>
struct OpenSslDeleter {
    template <typename T>
    void operator()(T* object) const noexcept { FreeFunction(object); }
};

using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BN_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, OpenSslDeleter<X509_NAME_free>>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpenSslDeleter<GENERAL_NAMES_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, OpenSslDeleter<ASN1_INTEGER_free>>;

using X509SigPtr = std::unique_ptr<X509_SIG, OpenSslDeleter<X509_SIG_free>>;
using DecoderContextPtr = std::unique_ptr<OSSL_DECODER_CTX, OpenSslDeleter<OSSL_DECODER_CTX_free>>;

// Memory OpenSSL allocated for the caller (OPENSSL_free is a macro, so it
// needs a deleter of its own).
struct OpenSslMemoryDeleter {
    void operator()(void* memory) const noexcept { OPENSSL_free(memory); }
};
using OpenSslString = std::unique_ptr<char, OpenSslMemoryDeleter>;
using OpenSslBytes = std::unique_ptr<unsigned char, OpenSslMemoryDeleter>;

// Takes (and clears) OpenSSL's thread-local error queue as one line, for
// messages; "unknown OpenSSL error" when the queue is empty.
std::string takeOpenSslErrors();

// An up-referenced second owner of cert.
X509Ptr shareCertificate(X509& cert);

// What was written to a memory BIO.
std::string bioToString(BIO& bio);

} // namespace certd
