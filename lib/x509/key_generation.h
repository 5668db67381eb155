// Key types certd generates, by their configuration/D-Bus names.
#pragma once

#include "x509/openssl_ptr.h"

#include <optional>
#include <string>
#include <string_view>

namespace certd {

enum class KeyType { EcP256, EcP384, Rsa2048, Rsa3072, Rsa4096 };

// "ec-p256", "ec-p384", "rsa-2048", "rsa-3072", "rsa-4096".
std::string_view keyTypeName(KeyType type);
std::optional<KeyType> parseKeyType(std::string_view name);
// The accepted names, for messages: "ec-p256, ec-p384, ...".
std::string keyTypeNames();

// Can take seconds (rsa-4096): never call on the bus thread.
EvpPkeyPtr generateKey(KeyType type);

} // namespace certd
