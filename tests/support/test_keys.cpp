#include "test_keys.h"

#include <openssl/pem.h>

#include <functional>
#include <stdexcept>

namespace certd::test {

std::string encoded(const std::function<int(BIO*)>& write)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || write(bio.get()) != 1)
        throw std::runtime_error("could not encode a test key");
    return bioToString(*bio);
}

std::string pkcs8Pem(EVP_PKEY& key)
{
    return encoded([&](BIO* b) { return PEM_write_bio_PrivateKey(b, &key, nullptr, nullptr, 0, nullptr, nullptr); });
}

std::string pkcs8Der(EVP_PKEY& key, const EVP_CIPHER* cipher)
{
    return encoded([&](BIO* b) {
        return i2d_PKCS8PrivateKey_bio(b, &key, cipher, cipher ? const_cast<char*>(testPassphrase) : nullptr,
                                       cipher ? 6 : 0, nullptr, nullptr);
    });
}

std::string traditionalPem(EVP_PKEY& key, const EVP_CIPHER* cipher)
{
    auto* secret = reinterpret_cast<unsigned char*>(const_cast<char*>(testPassphrase));
    return encoded([&](BIO* b) {
        return PEM_write_bio_PrivateKey_traditional(b, &key, cipher, cipher ? secret : nullptr, cipher ? 6 : 0,
                                                    nullptr, nullptr);
    });
}

std::string traditionalDer(EVP_PKEY& key)
{
    return encoded([&](BIO* b) { return i2d_PrivateKey_bio(b, &key); });
}

std::string encryptedPkcs8Pem(EVP_PKEY& key, const EVP_CIPHER* cipher)
{
    return encoded([&](BIO* b) {
        return PEM_write_bio_PKCS8PrivateKey(b, &key, cipher, testPassphrase, 6, nullptr, nullptr);
    });
}

} // namespace certd::test
