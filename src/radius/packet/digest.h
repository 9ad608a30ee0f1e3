// MD5, HMAC-MD5 and constant-time comparison for the RADIUS codec, over OpenSSL EVP.
// Internal to radius/packet; other components use crypto/crypto.h. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "radius/packet/packet.h"

namespace obvpn::radius::internal {

// MD5 of the concatenation of `parts`; no value only when OpenSSL fails.
std::optional<Authenticator> Md5(std::initializer_list<std::string_view> parts);

// HMAC-MD5 (RFC 2104) of `data` keyed by `key`; no value only when OpenSSL fails.
std::optional<Authenticator> HmacMd5(std::string_view key, std::string_view data);

// Compares n octets in time independent of their contents (CRYPTO_memcmp).
bool ConstantTimeEquals(const void* a, const void* b, size_t n);

// Overwrites n octets with zeros in a way the compiler keeps (OPENSSL_cleanse).
void Cleanse(void* p, size_t n);

}  // namespace obvpn::radius::internal
