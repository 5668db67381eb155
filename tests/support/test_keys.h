// A private key in each encoding an administrator might upload; the
// encrypted ones with the passphrase testPassphrase.
#pragma once

#include "x509/openssl_ptr.h"

#include <functional>
#include <string>

namespace certd::test {

inline constexpr const char* testPassphrase = "secret";

// What write put into a memory BIO; throws when write fails.
std::string encoded(const std::function<int(BIO*)>& write);

std::string pkcs8Pem(EVP_PKEY& key);
// Encrypted with cipher (and testPassphrase) when one is given.
std::string pkcs8Der(EVP_PKEY& key, const EVP_CIPHER* cipher = nullptr);
std::string traditionalPem(EVP_PKEY& key, const EVP_CIPHER* cipher = nullptr);
std::string traditionalDer(EVP_PKEY& key); // PKCS#1 for RSA, SEC 1 for EC
std::string encryptedPkcs8Pem(EVP_PKEY& key, const EVP_CIPHER* cipher = EVP_aes_256_cbc());

} // namespace certd::test
