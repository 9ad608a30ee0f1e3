// API 2.0 signatures (SPEC §3.2) and the API 3.0 "v1" HmacSHA1/HmacSHA256 style (SPEC §4).
#include "http/signing/v2_signature.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/crypto.h"

namespace obvpn::http::signing {
namespace {

// SPEC §3.2 step 1: "Take every decoded parameter except Signature".
constexpr std::string_view kSignatureKey = "Signature";

}  // namespace

Result<V2Method> ParseV2Method(const Param* signature_method) {
  // SPEC §3.1: absent or "HmacSHA1" → HMAC-SHA1; "HmacSHA256" → HMAC-SHA256;
  // "TC2-HmacSHA256" (qcloudapi-sdk); anything else → 4000. Matched exactly, as the
  // SDKs send them. The value is not echoed: it is client input of unbounded length.
  if (signature_method == nullptr || signature_method->value == "HmacSHA1") {
    return V2Method::kHmacSha1;
  }
  if (signature_method->value == "HmacSHA256") return V2Method::kHmacSha256;
  if (signature_method->value == "TC2-HmacSHA256") return V2Method::kTc2HmacSha256;
  return InvalidArgument(
      "SignatureMethod must be HmacSHA1 or HmacSHA256 (or TC2-HmacSHA256 for qcloudapi-sdk)");
}

std::string CanonicalQuery(const V2Request& request) {
  if (request.params == nullptr) return {};
  const Params& params = *request.params;
  // Keys are viewed in place; only a key that rewriting changes gets its own copy
  // (reserved up front, so the views into `rewritten` stay valid).
  std::vector<std::string> rewritten;
  if (request.rewrite_underscores) {
    size_t with_underscore = 0;
    for (const Param& param : params) {
      with_underscore += param.key.find('_') != std::string::npos ? 1 : 0;
    }
    rewritten.reserve(with_underscore);
  }
  std::vector<std::pair<std::string_view, const std::string*>> entries;
  entries.reserve(params.size());
  size_t size = 0;
  for (const Param& param : params) {
    if (param.key == kSignatureKey) continue;
    std::string_view key = param.key;
    // SPEC §3.2 step 2: "In each key, replace _ with . (not in values)". The API 3.0
    // "v1" style does no rewriting (SPEC §4).
    if (request.rewrite_underscores && key.find('_') != std::string_view::npos) {
      std::string& k = rewritten.emplace_back(key);
      std::replace(k.begin(), k.end(), '_', '.');
      key = k;
    }
    entries.emplace_back(key, &param.value);
    size += key.size() + param.value.size() + 2;
  }
  // SPEC §3.2 step 3: "Sort by key, byte order" — string_view compares as unsigned char
  // (char_traits<char>), i.e. byte order. Rewriting can make two keys equal ("a_b" and
  // "a.b"); a stable sort keeps their wire order so the result is still deterministic.
  // A dozen entries: insertion sort (stable, no buffer); many: std::stable_sort.
  auto less = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (entries.size() <= 32) {
    for (size_t i = 1; i < entries.size(); ++i) {
      for (size_t j = i; j > 0 && less(entries[j], entries[j - 1]); --j) {
        std::swap(entries[j], entries[j - 1]);
      }
    }
  } else {
    std::stable_sort(entries.begin(), entries.end(), less);
  }
  std::string out;
  out.reserve(size);
  bool first = true;
  for (const auto& [key, value] : entries) {
    if (!first) out += '&';
    first = false;
    // "values raw (decoded, not re-encoded)".
    out += key;
    out += '=';
    out += *value;
  }
  return out;
}

std::string V2StringToSign(const V2Request& request, V2Method method) {
  // SPEC §3.2 step 4: METHOD + host + path + "?" + sorted query, the host exactly as
  // received (with ":port" when the client sent one).
  std::string out;
  out.reserve(request.http_method.size() + request.host.size() + request.path.size() + 80 +
              (request.params ? request.params->size() * 48 : 0));
  out += request.http_method;
  out += request.host;
  out += request.path;
  out += '?';
  if (method == V2Method::kTc2HmacSha256) {
    // SPEC §3.1 (qcloudapi-sdk's TC2-HmacSHA256): "\n" + hex(SHA256(sorted query)) in
    // place of the query.
    out += '\n';
    out += crypto::HexEncode(crypto::Sha256(CanonicalQuery(request)));
  } else {
    out += CanonicalQuery(request);
  }
  return out;
}

std::string V2Sign(std::string_view secret_key, std::string_view string_to_sign, V2Method method) {
  // SPEC §3.2 step 5: Base64(HMAC(SecretKey, string)).
  switch (method) {
    case V2Method::kHmacSha1:
      return crypto::Base64Encode(crypto::HmacSha1(secret_key, string_to_sign));
    case V2Method::kHmacSha256:
    case V2Method::kTc2HmacSha256:
      return crypto::Base64Encode(crypto::HmacSha256(secret_key, string_to_sign));
  }
  return {};  // Unreachable: every enumerator is handled above.
}

bool V2Verify(const V2Request& request, V2Method method, std::string_view secret_key,
              std::string_view signature) {
  // SPEC §3.2 step 5: "Compare in constant time" — a comparison that stops at the first
  // differing byte lets an attacker forge a signature one byte at a time by timing.
  std::string expected = V2Sign(secret_key, V2StringToSign(request, method), method);
  const bool ok = crypto::ConstantTimeEquals(expected, signature);
  crypto::Wipe(expected);
  return ok;
}

}  // namespace obvpn::http::signing
