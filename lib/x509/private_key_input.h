// Turning an uploaded private key (PEM or DER, PKCS#8 or traditional) into
// an EVP_PKEY. Passphrase-protected keys are refused, never prompted for.
#pragma once

#include "base/bytes.h"
#include "x509/openssl_ptr.h"

namespace certd {

inline constexpr const char* encryptedKeyMessage = "Private keys protected by a passphrase are not supported";

// KeyEncrypted, InvalidKey or TooLarge on failure.
EvpPkeyPtr readPrivateKey(ByteView data);

// Unencrypted PKCS#8 PEM, as the delivered key.pem holds it.
std::string privateKeyToPem(EVP_PKEY& key);

} // namespace certd
