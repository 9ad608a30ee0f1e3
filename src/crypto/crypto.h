// Hashes, MACs, encodings and constant-time comparison (OpenSSL and libsodium behind
// plain functions). All functions are pure and thread-safe. Byte strings are carried in
// std::string.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace obvpn::crypto {

// Raw (binary) digests and MACs.
std::string Sha256(std::string_view data);
std::string HmacSha1(std::string_view key, std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);

// RFC 4648 standard alphabet with padding.
std::string Base64Encode(std::string_view bytes);
// Strict: rejects bad characters, bad padding and embedded whitespace.
std::optional<std::string> Base64Decode(std::string_view text);

// Lower-case hex.
std::string HexEncode(std::string_view bytes);
// Accepts upper or lower case; rejects odd length and non-hex characters.
std::optional<std::string> HexDecode(std::string_view text);

// Compares in time that depends only on the lengths, never on the contents (MACs,
// signatures, token hashes). Different lengths compare unequal.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Cryptographically secure random bytes (libsodium).
std::string RandomBytes(size_t n);
// n characters from [A-Za-z0-9], uniformly (rejection sampling).
std::string RandomAlnum(size_t n);

// Overwrites the bytes of `s` with zeros in a way the compiler keeps (sodium_memzero).
void Wipe(std::string& s);

}  // namespace obvpn::crypto
