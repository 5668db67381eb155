// JSON Web Signature as ACME uses it (RFC 8555 §6.2, RFC 7515/7517/7638):
// every request to an ACME server is a flattened JWS signed by the account
// key. Only what ACME needs: ES256 (P-256) and RS256 account keys, the JWK
// of the key's public half, its thumbprint (the key authorization of a
// challenge), and the HMAC-signed external account binding (§7.3.4).
//
// Invariant: signatures are made by OpenSSL over the exact bytes sent; an
// ES256 signature is the fixed-size r||s (64 bytes), never DER.
#pragma once

#include "base/bytes.h"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <string>
#include <string_view>

namespace certd::acme {

std::string base64Url(ByteView data);
inline std::string base64Url(std::string_view text) { return base64Url(asBytes(text)); }
// InvalidArgument when text is not unpadded base64url.
Bytes fromBase64Url(std::string_view text);

// "ES256" for a P-256 key, "RS256" for RSA; InvalidKey for anything else.
std::string jwsAlgorithm(EVP_PKEY& key);
// The public half as a JWK, members in lexicographic order (RFC 7638 §3.2).
nlohmann::json publicJwk(EVP_PKEY& key);
// base64url(SHA-256(canonical JWK)).
std::string jwkThumbprint(EVP_PKEY& key);

// The flattened JWS {"protected","payload","signature"} of payload (empty:
// POST-as-GET) under header, which must hold "alg" and "url" (and "nonce",
// "kid" or "jwk" as the request needs).
nlohmann::json signJws(EVP_PKEY& key, const nlohmann::json& header, std::string_view payload);

// The externalAccountBinding member of a newAccount request: the account
// key's JWK signed with HS256 by the CA's MAC key (base64url, as CAs hand
// it out); InvalidArgument when hmacKey is not base64url.
nlohmann::json externalAccountBinding(const std::string& keyId, const std::string& hmacKey, EVP_PKEY& accountKey,
                                      const std::string& newAccountUrl);

} // namespace certd::acme
