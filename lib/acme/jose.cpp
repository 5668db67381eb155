#include "acme/jose.h"

#include "base/error.h"
#include "x509/openssl_ptr.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <array>

namespace certd::acme {
namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OpenSslDeleter<ECDSA_SIG_free>>;
using MdContextPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<EVP_MD_CTX_free>>;

Bytes bignumParameter(EVP_PKEY& key, const char* name, int size = 0)
{
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(&key, name, &raw) != 1)
        throw Error(ErrorCode::Internal, std::string("Cannot read the account key's ") + name);
    BignumPtr value(raw);
    const int length = size > 0 ? size : BN_num_bytes(value.get());
    Bytes bytes(static_cast<std::size_t>(length));
    if (BN_bn2binpad(value.get(), bytes.data(), length) != length)
        throw Error(ErrorCode::Internal, std::string("Cannot encode the account key's ") + name);
    return bytes;
}

bool isP256(EVP_PKEY& key)
{
    char curve[64] = {};
    std::size_t length = 0;
    return EVP_PKEY_get_utf8_string_param(&key, OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof curve, &length) == 1 &&
           std::string_view(curve, length) == "prime256v1";
}

Bytes digestSign(EVP_PKEY& key, std::string_view input)
{
    MdContextPtr context(EVP_MD_CTX_new());
    std::size_t length = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(input.data());
    if (!context || EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, &key) != 1 ||
        EVP_DigestSign(context.get(), nullptr, &length, data, input.size()) != 1)
        throw Error(ErrorCode::Internal, "Cannot sign with the ACME account key");
    Bytes signature(length);
    if (EVP_DigestSign(context.get(), signature.data(), &length, data, input.size()) != 1)
        throw Error(ErrorCode::Internal, "Cannot sign with the ACME account key");
    signature.resize(length);
    return signature;
}

// JWS wants ECDSA's r and s side by side, 32 bytes each (RFC 7518 §3.4).
Bytes rawEcdsaSignature(const Bytes& der)
{
    const unsigned char* cursor = der.data();
    EcdsaSigPtr signature(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
    if (!signature)
        throw Error(ErrorCode::Internal, "OpenSSL returned an unreadable ECDSA signature");
    Bytes raw(64);
    if (BN_bn2binpad(ECDSA_SIG_get0_r(signature.get()), raw.data(), 32) != 32 ||
        BN_bn2binpad(ECDSA_SIG_get0_s(signature.get()), raw.data() + 32, 32) != 32)
        throw Error(ErrorCode::Internal, "Cannot encode an ECDSA signature for JWS");
    return raw;
}

std::string protectedAndPayload(const nlohmann::json& header, std::string_view payload)
{
    return base64Url(header.dump()) + "." + base64Url(payload);
}

} // namespace

std::string base64Url(ByteView data)
{
    std::string out;
    out.reserve((data.size() * 4 + 2) / 3);
    std::size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        const unsigned value = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        for (int shift = 18; shift >= 0; shift -= 6)
            out += alphabet[(value >> shift) & 63];
    }
    if (const std::size_t rest = data.size() - i; rest > 0) {
        const unsigned value = (data[i] << 16) | (rest == 2 ? data[i + 1] << 8 : 0);
        out += alphabet[(value >> 18) & 63];
        out += alphabet[(value >> 12) & 63];
        if (rest == 2)
            out += alphabet[(value >> 6) & 63];
    }
    return out;
}

Bytes fromBase64Url(std::string_view text)
{
    Bytes out;
    unsigned value = 0;
    int bits = 0;
    for (const char c : text) {
        const auto index = alphabet.find(c);
        if (index == std::string_view::npos)
            throw Error(ErrorCode::InvalidArgument, "Not base64url (RFC 4648 §5, without padding): \"" +
                                                        std::string(text.substr(0, 64)) + "\"");
        value = (value << 6) | static_cast<unsigned>(index);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>((value >> bits) & 0xff));
        }
    }
    if (bits >= 6)
        throw Error(ErrorCode::InvalidArgument, "Not base64url: its length cannot be a whole number of bytes");
    return out;
}

std::string jwsAlgorithm(EVP_PKEY& key)
{
    if (EVP_PKEY_is_a(&key, "RSA"))
        return "RS256";
    if (EVP_PKEY_is_a(&key, "EC") && isP256(key))
        return "ES256";
    throw Error(ErrorCode::InvalidKey, "An ACME account key must be P-256 (ES256) or RSA (RS256)");
}

nlohmann::json publicJwk(EVP_PKEY& key)
{
    if (jwsAlgorithm(key) == "RS256")
        return {{"e", base64Url(bignumParameter(key, OSSL_PKEY_PARAM_RSA_E))},
                {"kty", "RSA"},
                {"n", base64Url(bignumParameter(key, OSSL_PKEY_PARAM_RSA_N))}};
    return {{"crv", "P-256"},
            {"kty", "EC"},
            {"x", base64Url(bignumParameter(key, OSSL_PKEY_PARAM_EC_PUB_X, 32))},
            {"y", base64Url(bignumParameter(key, OSSL_PKEY_PARAM_EC_PUB_Y, 32))}};
}

std::string jwkThumbprint(EVP_PKEY& key)
{
    const std::string canonical = publicJwk(key).dump(); // nlohmann keeps members sorted, no spaces
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), digest.data());
    return base64Url(ByteView(digest.data(), digest.size()));
}

nlohmann::json signJws(EVP_PKEY& key, const nlohmann::json& header, std::string_view payload)
{
    const std::string input = protectedAndPayload(header, payload);
    Bytes signature = digestSign(key, input);
    if (header.at("alg") == "ES256")
        signature = rawEcdsaSignature(signature);
    return {{"protected", base64Url(header.dump())}, {"payload", base64Url(payload)}, {"signature", base64Url(signature)}};
}

nlohmann::json externalAccountBinding(const std::string& keyId, const std::string& hmacKey, EVP_PKEY& accountKey,
                                      const std::string& newAccountUrl)
{
    const Bytes secret = fromBase64Url(hmacKey);
    const nlohmann::json header = {{"alg", "HS256"}, {"kid", keyId}, {"url", newAccountUrl}};
    const std::string input = protectedAndPayload(header, publicJwk(accountKey).dump());
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned length = 0;
    if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac.data(), &length) == nullptr)
        throw Error(ErrorCode::Internal, "Cannot compute the external account binding's HMAC");
    return {{"protected", base64Url(header.dump())},
            {"payload", base64Url(publicJwk(accountKey).dump())},
            {"signature", base64Url(ByteView(mac.data(), length))}};
}

} // namespace certd::acme
