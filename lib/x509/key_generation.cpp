#include "x509/key_generation.h"

#include "base/error.h"

#include <array>
#include <utility>

namespace certd {
namespace {

constexpr std::array<std::pair<KeyType, std::string_view>, 5> names = {{
    {KeyType::EcP256, "ec-p256"},
    {KeyType::EcP384, "ec-p384"},
    {KeyType::Rsa2048, "rsa-2048"},
    {KeyType::Rsa3072, "rsa-3072"},
    {KeyType::Rsa4096, "rsa-4096"},
}};

EVP_PKEY* generate(KeyType type)
{
    switch (type) {
    case KeyType::EcP256: return EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    case KeyType::EcP384: return EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
    case KeyType::Rsa2048: return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048});
    case KeyType::Rsa3072: return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{3072});
    case KeyType::Rsa4096: return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{4096});
    }
    return nullptr;
}

} // namespace

std::string_view keyTypeName(KeyType type)
{
    for (const auto& [candidate, name] : names)
        if (candidate == type)
            return name;
    return "unknown";
}

std::optional<KeyType> parseKeyType(std::string_view name)
{
    for (const auto& [type, candidate] : names)
        if (candidate == name)
            return type;
    return std::nullopt;
}

std::string keyTypeNames()
{
    std::string list;
    for (const auto& [type, name] : names)
        list += (list.empty() ? "" : ", ") + std::string(name);
    return list;
}

EvpPkeyPtr generateKey(KeyType type)
{
    EvpPkeyPtr key(generate(type));
    if (!key)
        throw Error(ErrorCode::Internal, "Could not generate a " + std::string(keyTypeName(type)) +
                                             " key: " + takeOpenSslErrors());
    return key;
}

} // namespace certd
