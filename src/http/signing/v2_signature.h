// API 2.0 request signatures (SPEC §3.2) and the API 3.0 "v1" HmacSHA1/HmacSHA256 style
// (SPEC §4), which is the same algorithm with path "/" and no underscore rewriting.
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "http/signing/form.h"

namespace obvpn::http::signing {

enum class V2Method {
  kHmacSha1,       // SignatureMethod absent or "HmacSHA1"
  kHmacSha256,     // "HmacSHA256"
  kTc2HmacSha256,  // "TC2-HmacSHA256" (qcloudapi-sdk): HMAC-SHA256 over
                   // METHOD + host + path + "?" + "\n" + hex(SHA256(sorted query))
};

// Maps the SignatureMethod parameter (nullptr when absent) to a method.
// InvalidArgument naming SignatureMethod for any other value.
Result<V2Method> ParseV2Method(const Param* signature_method);

struct V2Request {
  std::string_view http_method;     // "GET" / "POST" (upper-cased by the caller if needed)
  std::string_view host;            // the Host header as received
  std::string_view path;            // "/v2/index.php" or "/"
  const Params* params = nullptr;   // every decoded parameter (Signature is skipped)
  bool rewrite_underscores = true;  // API 2.0: '_' → '.' in keys; v3 "v1": false
};

// The sorted "k=v&k=v" string of every parameter except Signature: keys rewritten
// ('_' → '.') when asked, sorted by byte order after rewriting, values raw (decoded).
std::string CanonicalQuery(const V2Request& request);

// METHOD + host + path + "?" + CanonicalQuery (or, for TC2, "\n" + hex(SHA256(query))).
std::string V2StringToSign(const V2Request& request, V2Method method);

// Base64(HMAC(secret_key, string_to_sign)) with the method's hash.
std::string V2Sign(std::string_view secret_key, std::string_view string_to_sign, V2Method method);

// Computes the expected signature and compares it with `signature` in constant time.
bool V2Verify(const V2Request& request, V2Method method, std::string_view secret_key,
              std::string_view signature);

}  // namespace obvpn::http::signing
