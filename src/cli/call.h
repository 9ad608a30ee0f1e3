// `obvpnctl call`: a signed API client (SPEC §8) that speaks to obvpn (or any Tencent
// Cloud endpoint) the way the official tools do. Request building is pure (one function
// per API version, so the 3.0 signer slots in beside the 2.0 one); Exchange() is the only
// function that does I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/parse.h"
#include "core/status.h"
#include "crypto/secret.h"
#include "http/signing/form.h"

namespace obvpn::cli {

// The environment variables the official SDKs and tccli read.
inline constexpr const char* kSecretIdEnv = "TENCENTCLOUD_SECRET_ID";
inline constexpr const char* kSecretKeyEnv = "TENCENTCLOUD_SECRET_KEY";
inline constexpr const char* kSessionTokenEnv = "TENCENTCLOUD_SESSION_TOKEN";

enum class ApiVersion { kV2, kV3 };
enum class SignMethod { kHmacSha1, kHmacSha256, kTc3HmacSha256 };

// "HmacSHA1", "HmacSHA256", "TC3-HMAC-SHA256" (exact spelling).
Result<SignMethod> ParseSignMethod(std::string_view s);

struct Credentials {
  std::string secret_id;
  crypto::Secret secret_key;
  crypto::Secret token;  // the session Token of a temporary key; empty otherwise
};

// Reads kSecretIdEnv and kSecretKeyEnv (both required, InvalidArgument naming the
// variable when one is missing or empty) and kSessionTokenEnv (optional).
Result<Credentials> CredentialsFromEnvironment();

// One API call, as given on the command line.
struct CallRequest {
  Endpoint endpoint;
  SignMethod sign = SignMethod::kHmacSha1;
  std::string region = "gz";
  std::string http_method = "POST";  // "GET" or "POST"
  std::string action;
  http::signing::Params params;  // the name=value arguments, in order
  int64_t timestamp = 0;         // UNIX seconds
  uint64_t nonce = 0;
};

// What goes on the wire.
struct HttpRequest {
  std::string method;        // "GET" / "POST"
  std::string target;        // path and query
  std::string host_header;   // the Host header (the value that was signed)
  std::string content_type;  // "" for a 2.0/v1 GET
  std::string body;
  // Further headers, in order (API 3.0 TC3: X-TC-*, Authorization).
  std::vector<std::pair<std::string, std::string>> headers;
};

// The path of API 2.0 requests when the endpoint URL names none (SPEC §3).
inline constexpr std::string_view kV2Path = "/v2/index.php";
// API 3.0 (SPEC §4): the Black Stone version and the TC3 credential scope service.
inline constexpr std::string_view kV3Version = "2018-04-23";
inline constexpr std::string_view kV3Service = "bm";

// The defaults of --sign and --region per API version: API 2.0 HmacSHA1 (SignatureMethod
// absent, SPEC §3.1) and "gz"; API 3.0 TC3-HMAC-SHA256 and "ap-guangzhou", as the
// official 3.0 SDKs.
std::string_view DefaultSignMethod(ApiVersion api);
std::string_view DefaultRegion(ApiVersion api);

// API 2.0 (SPEC §3.1, §3.2): the common parameters (Action, Region, Timestamp, Nonce,
// SecretId, SignatureMethod only for HmacSHA256, Token when the credentials have one),
// then request.params — a name=value argument replaces a common parameter of the same
// name, so a caller can pin Timestamp or Nonce — then Signature over METHOD + Host header
// + path + "?" + the sorted parameters. GET carries the encoded form in the query, POST
// in an application/x-www-form-urlencoded body. InvalidArgument for TC3-HMAC-SHA256, for
// a Signature argument, and for a method other than GET/POST.
Result<HttpRequest> BuildV2Request(const CallRequest& request, const Credentials& credentials);

// API 3.0 (SPEC §4), path "/" (InvalidArgument if the endpoint names another path),
// Version 2018-04-23, Region as given (either alias).
//   - TC3-HMAC-SHA256: headers X-TC-Action, X-TC-Version, X-TC-Timestamp, X-TC-Region,
//     X-TC-Token when the credentials have one, and Authorization with credential scope
//     <UTC date>/bm/tc3_request and SignedHeaders content-type;host (host = the Host
//     header). POST sends the name=value arguments as a JSON object of strings
//     (application/json); GET sends them as the query string
//     (Content-Type application/x-www-form-urlencoded, as the Node.js SDK does).
//   - HmacSHA1 / HmacSHA256 ("v1"): Action, Version, Region, Timestamp, Nonce, SecretId,
//     SignatureMethod (always, as the 3.0 SDKs send it), Token when the credentials have
//     one, then the arguments (replacing a common parameter of the same name, as for
//     2.0), then Signature over METHOD + Host header + "/" + "?" + the sorted parameters,
//     without underscore rewriting.
// InvalidArgument for a Signature argument and a method other than GET/POST.
Result<HttpRequest> BuildV3Request(const CallRequest& request, const Credentials& credentials);

// Dispatches to the builder of `api`.
Result<HttpRequest> BuildRequest(ApiVersion api, const CallRequest& request,
                                 const Credentials& credentials);

struct TransportOptions {
  bool insecure = false;             // https: skip certificate verification
  std::string ca_file;               // https: PEM bundle to verify against; "" = the system store
  std::chrono::seconds timeout{30};  // for the whole exchange after name resolution
  size_t max_reply_bytes = 1024 * 1024;
};

struct HttpReply {
  unsigned status = 0;
  std::string body;
};

// Sends `request` to `endpoint` (plain TCP or TLS with SNI and certificate/host-name
// verification) and reads one reply. Unavailable on resolution, connection, TLS,
// timeout or protocol failures, with a message naming the endpoint and the step.
Result<HttpReply> Exchange(const Endpoint& endpoint, const HttpRequest& request,
                           const TransportOptions& options);

enum class ReplyKind {
  kSuccess,   // API 2.0 "code" 0, or an API 3.0 Response without Error
  kApiError,  // API 2.0 "code" != 0, or Response.Error present
  kNotJson,   // the body is not a JSON object of either shape
};
ReplyKind ClassifyReply(std::string_view body);

}  // namespace obvpn::cli
