// Form and query-string codec (application/x-www-form-urlencoded), SPEC §3: the first
// step of every API 2.0 request and of API 3.0 "v1" requests. Pure, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace obvpn::http::signing {

struct Param {
  std::string key;
  std::string value;
};
// Decoded parameters in wire order. Keys are unique (DecodeForm rejects duplicates).
using Params = std::vector<Param>;

// Decodes `text` ("a=1&b=x%20y"): '+' is a space, "%XX" an escaped byte. Empty
// segments ("a=1&&b=2") are skipped; a segment without '=' is a key with an empty value.
// Fails with InvalidArgument, and a message naming the parameter, on:
//   - a malformed escape ('%' not followed by two hex digits),
//   - a NUL byte, or a key or value that is not valid UTF-8 (after decoding),
//   - an empty key ("=v"),
//   - a key given twice,
//   - more than `max_params` parameters.
Result<Params> DecodeForm(std::string_view text, size_t max_params);

// Finds a parameter by exact key; nullptr if absent.
const Param* FindParam(const Params& params, std::string_view key);

// Percent-encodes everything except RFC 3986 unreserved characters (A-Z a-z 0-9 - _ . ~).
std::string UrlEncode(std::string_view s);
// "k1=v1&k2=v2" with UrlEncode on keys and values, in the given order.
std::string EncodeForm(const Params& params);

}  // namespace obvpn::http::signing
