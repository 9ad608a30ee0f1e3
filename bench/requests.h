// Signed API 2.0 requests for the load generator (SPEC §3): GetOutBandVPNAuthInfo and
// SetOutBandVPNAuthPwd, each signed like the official SDKs sign them (SPEC §3.2) with the
// caller's Timestamp and Nonce, so every request is fresh and passes replay protection.
// Pure functions over the obvpn_signing codec; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "http/signing/v2_signature.h"

namespace obvpn::bench {

// One tenant's API key.
struct Credential {
  uint64_t app_id = 0;  // 0 when unknown (single key from the environment)
  std::string secret_id;
  std::string secret_key;
};

enum class V2Action { kGet, kSet };

struct V2Options {
  std::string host;  // the Host header and the signed host ("127.0.0.1:8080")
  std::string path = "/v2/index.php";
  std::string region = "gz";
  http::signing::V2Method method = http::signing::V2Method::kHmacSha1;
  bool post = false;     // POST form body (SDK default) instead of a GET query
  std::string password;  // SetOutBandVPNAuthPwd
  std::string create_or_update = "update";
};

// What to put on the wire: method, request target, and body (POST only).
struct WireRequest {
  std::string method;  // "GET" / "POST"
  std::string target;  // "/v2/index.php?..." (no query for POST)
  std::string body;    // form body for POST, "" for GET
};

// Builds a signed request for `action` with the given Timestamp and Nonce.
WireRequest BuildV2Request(const Credential& key, V2Action action, const V2Options& options,
                           int64_t timestamp, uint64_t nonce);

// Parses a keys file: one "appId secretId secretKey" per line, '#' starts a comment,
// blank lines ignored. InvalidArgument naming the line otherwise; an empty file is an
// error too (a load generator with no key cannot sign).
Result<std::vector<Credential>> ParseKeys(std::string_view text);

// The API 2.0 result code of a response body that starts {"code":N (SPEC §3.3; the nginx
// baseline serves the same JSON); -1 when the body does not start that way.
int64_t V2Code(std::string_view body);

}  // namespace obvpn::bench
