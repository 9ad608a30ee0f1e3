// Small string helpers shared by the codecs. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace obvpn {

// Strict unsigned decimal: digits only, no sign, no spaces, no leading '+', at most
// 20 digits, value <= UINT64_MAX. Leading zeros are accepted ("007" is 7).
std::optional<uint64_t> ParseUint64(std::string_view s);

// Strict signed decimal: optional '-', then as ParseUint64, within int64_t.
std::optional<int64_t> ParseInt64(std::string_view s);

// True when `s` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// ASCII lower-casing; other bytes are unchanged.
std::string AsciiLower(std::string_view s);

// Case-insensitive ASCII equality.
bool AsciiIEquals(std::string_view a, std::string_view b);

// Splits on `sep`, keeping empty fields.
std::vector<std::string_view> Split(std::string_view s, char sep);

// Trims ASCII spaces and tabs at both ends.
std::string_view TrimSpace(std::string_view s);

// JSON-style escaping of a string for logs and messages (quotes not added).
std::string EscapeForLog(std::string_view s);

}  // namespace obvpn
