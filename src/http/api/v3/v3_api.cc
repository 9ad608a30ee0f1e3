// API 3.0 (SPEC §4; PROTOCOL.md "API 3.0 — request structure", "TC3-HMAC-SHA256, step by
// step", "API 3.0 — responses"). The decisions this file implements are written down in
// docs/api-v3.md.
#include "http/api/v3/v3_api.h"

#include <algorithm>
#include <array>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/strings.h"
#include "crypto/crypto.h"
#include "http/pool_await.h"
#include "http/signing/form.h"
#include "http/signing/tc3_signature.h"
#include "http/signing/v2_signature.h"

namespace obvpn::http::api {
namespace {

using accounts::ApiError;
using accounts::ApiFailure;
using signing::FindParam;
using signing::Param;
using signing::Params;
using Json = nlohmann::ordered_json;

constexpr int64_t kSecondNs = 1'000'000'000;
constexpr std::string_view kPassword = "Password";
constexpr std::string_view kOperate = "Operate";

// SPEC §4: the common parameters of the v1 style; every other parameter is an action
// parameter (and, unless it is Password or Operate, an UnknownParameter).
constexpr std::array<std::string_view, 11> kV1CommonParams = {
    "Action",    "Version",         "Region", "Timestamp", "Nonce",        "SecretId",
    "Signature", "SignatureMethod", "Token",  "Language",  "RequestClient"};

bool IsV1CommonParam(std::string_view key) {
  return std::find(kV1CommonParams.begin(), kV1CommonParams.end(), key) != kV1CommonParams.end();
}

std::string_view MediaType(std::string_view content_type) {
  return TrimSpace(content_type.substr(0, content_type.find(';')));
}
bool IsJsonContentType(std::string_view ct) {
  return AsciiIEquals(MediaType(ct), "application/json");
}
bool IsFormContentType(std::string_view ct) {
  return AsciiIEquals(MediaType(ct), "application/x-www-form-urlencoded");
}

// Client input quoted in a message: bounded and escaped.
std::string Quote(std::string_view s, size_t max = 64) { return EscapeForLog(s.substr(0, max)); }

ApiFailure Missing(std::string_view name) {
  return {ApiError::kMissingParameter, "missing required parameter '" + std::string(name) + "'"};
}

ApiFailure Invalid(std::string message) {
  return {ApiError::kInvalidParameter, std::move(message)};
}

// {"Response": {"RequestId": ...}} or {"Response": {"Error": {"Code", "Message"},
// "RequestId": ...}} (PROTOCOL.md "API 3.0 — responses"), always HTTP 200.
Response Envelope(const Request& request, const ApiFailure* failure) {
  Json response = Json::object();
  if (failure != nullptr) {
    const auto& info = accounts::Info(failure->error);
    response["Error"] = {{"Code", std::string(info.v3_code)}, {"Message", failure->message}};
  }
  response["RequestId"] = request.request_id;
  Json body;
  body["Response"] = std::move(response);
  Response r;
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  r.log.api = "v3";
  if (failure != nullptr) {
    // The v2 code of the same error, so that metrics and audit count v3 failures by
    // class too (RequestLog::code is numeric).
    r.log.code = accounts::Info(failure->error).v2_code;
    r.log.error = std::string(accounts::Info(failure->error).name);
  }
  return r;
}

// One action parameter, from the JSON body (TC3 POST) or a form (TC3 GET, v1).
struct Arg {
  std::string key;
  std::string value;      // when is_string
  bool is_string = true;  // false: a JSON value of another type
};

// Parses a TC3 POST body: a JSON object (RFC 8259; nlohmann rejects invalid UTF-8) whose
// members become Args. A member given twice is refused like a duplicate form parameter
// (SPEC §3) — a JSON parser would silently keep the last one, and two components reading
// different values is how request smuggling starts. An empty body has no parameters.
std::optional<ApiFailure> ParseJsonArgs(std::string_view body, std::vector<Arg>& out) {
  if (body.empty()) return std::nullopt;
  std::set<std::string> seen;
  std::optional<std::string> duplicate;
  nlohmann::json::parser_callback_t on_event = [&](int depth, nlohmann::json::parse_event_t ev,
                                                   nlohmann::json& parsed) {
    // Depth 1 keys are the members of the top-level object.
    if (ev == nlohmann::json::parse_event_t::key && depth == 1 && parsed.is_string()) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (!seen.insert(key).second && !duplicate) duplicate = key;
    }
    return true;
  };
  const nlohmann::json j =
      nlohmann::json::parse(body.begin(), body.end(), on_event, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Invalid("the request body is not valid JSON (UTF-8, RFC 8259)");
  if (!j.is_object()) return Invalid("the request body must be a JSON object");
  if (duplicate) return Invalid("parameter '" + Quote(*duplicate) + "' is given more than once");
  for (const auto& [key, value] : j.items()) {
    Arg a;
    a.key = key;
    if (value.is_string()) {
      a.value = value.get<std::string>();
    } else {
      a.is_string = false;
    }
    out.push_back(std::move(a));
  }
  return std::nullopt;
}

// The state of one API 3.0 request while it is checked. Lives in the Handle coroutine's
// frame; holds references to the request and the shared dependencies.
class Call {
 public:
  Call(const ApiDeps& deps, const Request& request)
      : deps_(deps), req_(request), cfg_(deps.config.Get()), now_(deps.clock.NowUnix()) {}
  ~Call() {
    for (Arg& a : args_) crypto::Wipe(a.value);
  }
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  // Everything up to the expensive part. The response of a refused request, or nullopt
  // with set() ready to commit.
  std::optional<Response> Prepare() {
    if (std::optional<ApiFailure> f = Run()) return Finish(std::move(*f));
    return std::nullopt;
  }

  const std::shared_ptr<accounts::PreparedSet>& set() const { return set_; }

  // The response for `f`; once the replay key is claimed, `f` is also recorded durably
  // with the claim (SPEC §3.2, §4).
  Response Finish(ApiFailure f) {
    if (claimed_) {
      (void)deps_.service.RecordFailedMutation(caller_, AuditAction(), claim_, f);
    }
    return Fail(f);
  }

  // The response for a failure already recorded (CommitSet records its own).
  Response Fail(const ApiFailure& f) const {
    Response r = Envelope(req_, &f);
    Annotate(r);
    r.log.detail = std::string(style_) + ": " + f.message;
    return r;
  }

  Response Success() const {
    Response r = Envelope(req_, nullptr);
    Annotate(r);
    r.log.detail = std::string(style_) + ": " +
                   (set_ && set_->op == accounts::SetOperation::kCreate ? "create" : "update");
    return r;
  }

 private:
  std::optional<ApiFailure> Run() {
    // SPEC §4 UnsupportedProtocol: plain HTTP while api.require_tls is on.
    if (cfg_->api.require_tls && !req_.tls) {
      return ApiFailure{ApiError::kUnsupportedProtocol, "this endpoint requires HTTPS"};
    }
    if (req_.method != "GET" && req_.method != "POST") {
      return Invalid("HTTP method must be GET or POST");
    }
    // PROTOCOL.md: "POST application/json must be signed with TC3; POST
    // application/x-www-form-urlencoded and GET with the v1 HmacSHA1/HmacSHA256 style (TC3
    // GET also exists)". An Authorization header selects TC3 for either method.
    const bool tc3 = req_.Header("authorization") != nullptr ||
                     (req_.method == "POST" && IsJsonContentType(req_.content_type));
    if (auto f = tc3 ? AuthenticateTc3() : AuthenticateV1()) return f;
    return AfterClaim();
  }

  // --- TC3-HMAC-SHA256 ---------------------------------------------------------------

  std::optional<ApiFailure> AuthenticateTc3() {
    style_ = "tc3";
    if (const std::string* a = req_.Header("x-tc-action")) log_.action = Quote(*a);
    const std::string* authorization = req_.Header("authorization");
    if (authorization == nullptr) {
      return ApiFailure{ApiError::kInvalidAuthorization,
                        "missing Authorization header: a JSON request must be signed with "
                        "TC3-HMAC-SHA256"};
    }
    if (req_.method == "POST" && !IsJsonContentType(req_.content_type)) {
      return Invalid("a TC3-HMAC-SHA256 POST request must have Content-Type application/json");
    }
    auto parsed = signing::ParseTc3Authorization(*authorization);
    if (!parsed.ok()) {
      return ApiFailure{ApiError::kInvalidAuthorization, parsed.status().message()};
    }
    const signing::Tc3Authorization& auth = *parsed;
    log_.secret_id = Quote(auth.secret_id);

    const std::string* timestamp = req_.Header("x-tc-timestamp");
    if (timestamp == nullptr) return Missing("X-TC-Timestamp");
    const std::optional<int64_t> ts = ParseInt64(*timestamp);
    if (!ts) return Invalid("header 'X-TC-Timestamp' must be UNIX seconds");
    if (auto f = CheckWindow("X-TC-Timestamp", *ts)) return f;
    // SPEC §4: "A credential scope whose service is not bm is rejected with a message that
    // says so". The Node.js SDK takes the service from the endpoint's first label.
    if (auth.service != kV3Service) {
      return ApiFailure{ApiError::kInvalidAuthorization,
                        "the credential scope names service '" + Quote(auth.service) +
                            "', but this is the bm service: sign with <date>/bm/tc3_request "
                            "(SDKs take the service from the endpoint's first label, e.g. "
                            "bm.tencentcloudapi.com)"};
    }
    // PROTOCOL.md: "Date = UTC date of X-TC-Timestamp".
    const std::string date = signing::Tc3Date(*ts);
    if (auth.date != date) {
      return ApiFailure{ApiError::kInvalidAuthorization,
                        "the credential scope date " + auth.date +
                            " is not the UTC date of X-TC-Timestamp (" + date + ")"};
    }
    if (auto f = FindKey(auth.secret_id)) return f;

    // The canonical host is the Host header; because the Node.js SDK signs the host
    // without its port (PEERS.md), the port-stripped value is tried too (SPEC §4). With
    // api.hosts set, only listed names are signed hosts at all.
    std::vector<std::string_view> hosts = {req_.host};
    if (const std::string_view bare = signing::StripPort(req_.host); bare != req_.host) {
      hosts.push_back(bare);
    }
    if (auto f = FilterHosts(hosts)) return f;

    signing::Tc3Request tr;
    tr.http_method = req_.method;
    // The query string as received: what the SDKs sign (a TC3 GET carries its parameters
    // there; a POST to "/" has none).
    tr.canonical_query = req_.query;
    tr.payload = req_.body;
    size_t host_index = 0;
    for (const std::string& name : auth.signed_headers) {
      if (name == "host") {
        host_index = tr.headers.size();
        tr.headers.push_back({"host", ""});
        continue;
      }
      const std::string* value = nullptr;
      size_t count = 0;
      for (const auto& [k, v] : req_.headers) {
        if (k == name) {
          if (count++ == 0) value = &v;
        }
      }
      if (count == 0) {
        return ApiFailure{ApiError::kInvalidAuthorization,
                          "signed header '" + name + "' is not in the request"};
      }
      if (count > 1) {
        // Two values, two possible readings of one signature: refuse.
        return ApiFailure{ApiError::kInvalidAuthorization,
                          "signed header '" + name + "' appears more than once"};
      }
      tr.headers.push_back({name, *value});
    }
    bool verified = false;
    for (std::string_view host : hosts) {
      tr.headers[host_index].value = host;
      if (signing::Tc3Verify(tr, *timestamp, auth.date, auth.service, key_->secret_key.reveal(),
                             auth.signature)) {
        verified = true;
        break;
      }
    }
    if (!verified) {
      return ApiFailure{ApiError::kSignatureFailure,
                        "the signature does not match: check the SecretKey, the Host (" +
                            Quote(req_.host, 128) +
                            "), Content-Type, X-TC-Timestamp, the credential scope and the body"};
    }
    // SPEC §4: TC3 signs only its SignedHeaders (content-type;host), not X-TC-Action,
    // X-TC-Region or X-TC-Version: the key (SecretId, timestamp, signature) is claimed as
    // soon as the signature verifies, before anything else can fail, so a captured request
    // cannot be re-sent with other unsigned headers.
    if (auto f = Claim(auth.secret_id, *timestamp, "", auth.signature, *ts)) return f;

    action_ = HeaderValue("x-tc-action");
    version_ = HeaderValue("x-tc-version");
    region_ = HeaderValue("x-tc-region");
    token_ = HeaderValue("x-tc-token");
    action_name_ = "X-TC-Action";
    version_name_ = "X-TC-Version";
    region_name_ = "X-TC-Region";
    token_name_ = "X-TC-Token";
    args_source_ = req_.method == "POST" ? ArgsSource::kJsonBody : ArgsSource::kQuery;
    return std::nullopt;
  }

  // --- v1: HmacSHA1 / HmacSHA256 -----------------------------------------------------

  std::optional<ApiFailure> AuthenticateV1() {
    style_ = "v1";
    std::string_view text;
    if (req_.method == "GET") {
      text = req_.query;
    } else {
      if (!req_.content_type.empty() && !IsFormContentType(req_.content_type)) {
        return Invalid(
            "Content-Type must be application/json (TC3-HMAC-SHA256) or "
            "application/x-www-form-urlencoded (HmacSHA1/HmacSHA256)");
      }
      text = req_.body;
    }
    auto decoded = signing::DecodeForm(text, cfg_->api.max_params);
    if (!decoded.ok()) return Invalid(decoded.status().message());
    form_ = std::move(*decoded);

    if (const Param* a = FindParam(form_, "Action")) log_.action = Quote(a->value);
    for (std::string_view name : {"SecretId", "Signature"}) {
      if (FindParam(form_, name) == nullptr) {
        return ApiFailure{ApiError::kInvalidAuthorization,
                          "missing parameter '" + std::string(name) +
                              "': sign the request with HmacSHA1/HmacSHA256 parameters or a "
                              "TC3-HMAC-SHA256 Authorization header"};
      }
    }
    for (std::string_view name : {"Timestamp", "Nonce"}) {
      if (FindParam(form_, name) == nullptr) return Missing(name);
    }
    const Param* secret_id = FindParam(form_, "SecretId");
    const Param* signature = FindParam(form_, "Signature");
    const Param* timestamp = FindParam(form_, "Timestamp");
    const Param* nonce = FindParam(form_, "Nonce");
    log_.secret_id = Quote(secret_id->value);
    // SPEC §4 "v1": HmacSHA1 (also when SignatureMethod is absent) or HmacSHA256. The
    // TC2 variant belongs to the 2.0 qcloudapi-sdk only.
    auto method = signing::ParseV2Method(FindParam(form_, "SignatureMethod"));
    if (!method.ok() || *method == signing::V2Method::kTc2HmacSha256) {
      return Invalid("SignatureMethod must be HmacSHA1 or HmacSHA256");
    }
    const std::optional<int64_t> ts = ParseInt64(timestamp->value);
    if (!ts) return Invalid("parameter 'Timestamp' must be UNIX seconds");
    if (!ParseUint64(nonce->value)) {
      return Invalid("parameter 'Nonce' must be an unsigned 64-bit decimal integer");
    }
    if (auto f = CheckWindow("Timestamp", *ts)) return f;
    if (auto f = FindKey(secret_id->value)) return f;
    std::vector<std::string_view> hosts = {req_.host};
    if (auto f = FilterHosts(hosts)) return f;

    // SPEC §4: "string to sign as 3.2 but with path / and no underscore rewriting"; the
    // host is the Host header exactly (the SDKs sign their endpoint, port included).
    signing::V2Request sreq;
    sreq.http_method = req_.method;
    sreq.host = req_.host;
    sreq.path = kV3Path;
    sreq.params = &form_;
    sreq.rewrite_underscores = false;
    if (!signing::V2Verify(sreq, *method, key_->secret_key.reveal(), signature->value)) {
      return ApiFailure{ApiError::kSignatureFailure,
                        "the signature does not match: check the SecretKey, SignatureMethod, "
                        "the Host (" +
                            Quote(req_.host, 128) + "), the path and the parameters"};
    }
    // SPEC §4 replays, v1 "as in 3.2": SecretId, Timestamp, Nonce and Signature.
    if (auto f = Claim(secret_id->value, timestamp->value, nonce->value, signature->value, *ts)) {
      return f;
    }
    action_ = ParamValue("Action");
    version_ = ParamValue("Version");
    region_ = ParamValue("Region");
    token_ = ParamValue("Token");
    action_name_ = "Action";
    version_name_ = "Version";
    region_name_ = "Region";
    token_name_ = "Token";
    args_source_ = ArgsSource::kV1Form;
    return std::nullopt;
  }

  // --- shared steps ------------------------------------------------------------------

  std::optional<ApiFailure> CheckWindow(std::string_view name, int64_t ts) const {
    // SPEC §4 AuthFailure.SignatureExpire: the timestamp within the window of server time.
    const int64_t window = cfg_->api.timestamp_window_s;
    if (ts < now_ - window || ts > now_ + window) {
      return ApiFailure{ApiError::kSignatureExpired, std::string(name) + " " + std::to_string(ts) +
                                                         " is more than " + std::to_string(window) +
                                                         " s away from server time " +
                                                         std::to_string(now_)};
    }
    return std::nullopt;
  }

  std::optional<ApiFailure> FindKey(std::string_view secret_id) {
    auto key_or = deps_.keys.Find(secret_id);
    if (!key_or.ok()) {
      // DataLoss (a sealed key that does not open) is a server fault, not a store outage.
      if (key_or.status().code() == StatusCode::kDataLoss) {
        return ApiFailure{ApiError::kInternal, "internal error; quote the RequestId to support"};
      }
      return ApiFailure{ApiError::kStoreReadFailed, "the key store could not be read"};
    }
    std::shared_ptr<const auth::KeyInfo> key = *key_or;
    if (!key) return ApiFailure{ApiError::kSecretIdNotFound, "SecretId not found"};
    if (!key->enabled) return ApiFailure{ApiError::kSecretIdNotFound, "SecretId is disabled"};
    log_.app_id = key->app_id;
    key_ = std::move(key);
    return std::nullopt;
  }

  // Keeps only the host values that api.hosts allows (all when it is empty).
  std::optional<ApiFailure> FilterHosts(std::vector<std::string_view>& hosts) const {
    const auto& allowed = cfg_->api.hosts;
    if (allowed.empty()) return std::nullopt;
    std::erase_if(hosts, [&](std::string_view h) {
      return std::find(allowed.begin(), allowed.end(), h) == allowed.end();
    });
    if (hosts.empty()) {
      return ApiFailure{ApiError::kSignatureFailure,
                        "Host '" + Quote(req_.host, 128) + "' is not an accepted API host name"};
    }
    return std::nullopt;
  }

  std::optional<ApiFailure> Claim(std::string_view secret_id, std::string_view timestamp,
                                  std::string_view nonce, std::string_view signature, int64_t ts) {
    // The claim must outlive the window in which this timestamp is still accepted.
    claim_ = store::ReplayClaim{auth::ReplayKey(style_ == "tc3" ? "v3-tc3" : "v3-v1", secret_id,
                                                timestamp, nonce, signature),
                                ts + cfg_->api.timestamp_window_s + 1};
    caller_ = accounts::Caller{key_->app_id, key_->secret_id, req_.peer, req_.request_id};
    if (!deps_.replay.Claim(claim_.key, claim_.expires_at, now_)) {
      return ApiFailure{ApiError::kReplay,
                        "this request was already received (replay); sign every request anew"};
    }
    claimed_ = true;
    return std::nullopt;
  }

  // Everything after the replay claim: each failure here is recorded durably (Finish).
  std::optional<ApiFailure> AfterClaim() {
    const config::Config& cfg = *cfg_;
    if (key_->expires_at && now_ >= *key_->expires_at) {
      return ApiFailure{ApiError::kSecretIdNotFound, "the temporary SecretId has expired"};
    }
    if (key_->IsTemporary()) {
      if (!token_) {
        return ApiFailure{ApiError::kTokenFailure, "a temporary SecretId requires its Token (" +
                                                       std::string(token_name_) + ")"};
      }
      if (!crypto::ConstantTimeEquals(crypto::HexEncode(crypto::Sha256(*token_)),
                                      key_->token_sha256_hex)) {
        return ApiFailure{ApiError::kTokenFailure, "the Token does not match the SecretId"};
      }
    }
    // Version before Action: an action is looked up within a version.
    if (!version_) return Missing(version_name_);
    if (*version_ != kV3Version) {
      return ApiFailure{ApiError::kNoSuchVersion, "Version '" + Quote(*version_) +
                                                      "' is not supported; the bm API version "
                                                      "is " +
                                                      std::string(kV3Version)};
    }
    if (!action_) return Missing(action_name_);
    if (*action_ != kV3ActionSetPassword) {
      return ApiFailure{ApiError::kInvalidAction,
                        "unknown Action '" + Quote(*action_) +
                            "'; the supported API 3.0 action is SetOutBandVpnAuthPassword"};
    }
    if (!region_) return Missing(region_name_);
    if (cfg.FirstZoneOf(*region_) == nullptr) {
      return ApiFailure{ApiError::kUnsupportedRegion,
                        "Region '" + Quote(*region_) + "' is not a configured region"};
    }
    if (!key_->AllowsAction(kV3ActionSetPassword)) {
      return ApiFailure{ApiError::kOperationDenied,
                        "this SecretId may not call " + std::string(kV3ActionSetPassword)};
    }
    // SPEC §4 / PROTOCOL.md: SetOutBandVpnAuthPassword is limited to 5 requests per second
    // (limits.v3_per_second) per appId.
    const uint32_t per_second = cfg.limits.v3_per_second;
    const std::string bucket = "v3:" + std::to_string(key_->app_id);
    const auth::RateLimiter::Verdict admitted =
        deps_.limiter.Admit({{bucket, per_second, kSecondNs}});
    if (admitted == auth::RateLimiter::Verdict::kUnavailable) {
      // Several nodes count in the shared store (SPEC §6); unreachable → InternalError.
      return ApiFailure{ApiError::kStoreWriteFailed, "the rate-limit store could not be reached"};
    }
    if (admitted == auth::RateLimiter::Verdict::kLimited) {
      return ApiFailure{ApiError::kRateLimited,
                        "rate limit exceeded: at most " + std::to_string(per_second) + " " +
                            std::string(kV3ActionSetPassword) + " requests per second per appId"};
    }

    if (auto f = CollectArgs()) return f;
    // SPEC §4: "Unknown parameters → UnknownParameter".
    for (const Arg& a : args_) {
      if (a.key != kPassword && a.key != kOperate) {
        return ApiFailure{ApiError::kUnknownParameter,
                          "unknown parameter '" + Quote(a.key) +
                              "'; SetOutBandVpnAuthPassword takes Password and Operate"};
      }
    }
    const Arg* password = FindArg(kPassword);
    if (password == nullptr) return Missing(kPassword);
    if (!password->is_string) return Invalid("parameter 'Password' must be a string");
    const Arg* operate = FindArg(kOperate);
    if (operate == nullptr) return Missing(kOperate);
    if (!operate->is_string) return Invalid("parameter 'Operate' must be a string");
    // SPEC §4: Operate is Create/Update, case-insensitive; the password rule of §3.6.
    auto op = accounts::Service::ParseOperation(operate->value, kOperate);
    if (!op.ok()) return op.failure();
    if (auto f = accounts::Service::CheckPassword(password->value)) return f;

    set_ = std::make_shared<accounts::PreparedSet>();
    set_->caller = caller_;
    set_->op = op.value();
    set_->password = password->value;
    set_->replay = claim_;
    set_->action = std::string(kV3ActionSetPassword);
    return std::nullopt;
  }

  std::optional<ApiFailure> CollectArgs() {
    switch (args_source_) {
      case ArgsSource::kJsonBody:
        // SPEC §4: a TC3 POST carries its parameters in the JSON body only.
        if (!req_.query.empty()) {
          return Invalid(
              "a TC3-HMAC-SHA256 POST carries its parameters in the JSON body; "
              "the query string must be empty");
        }
        return ParseJsonArgs(req_.body, args_);
      case ArgsSource::kQuery: {
        auto decoded = signing::DecodeForm(req_.query, cfg_->api.max_params);
        if (!decoded.ok()) return Invalid(decoded.status().message());
        for (Param& p : *decoded) args_.push_back({std::move(p.key), std::move(p.value), true});
        return std::nullopt;
      }
      case ArgsSource::kV1Form:
        for (const Param& p : form_) {
          if (!IsV1CommonParam(p.key)) args_.push_back({p.key, p.value, true});
        }
        return std::nullopt;
    }
    return std::nullopt;
  }

  const Arg* FindArg(std::string_view key) const {
    for (const Arg& a : args_) {
      if (a.key == key) return &a;
    }
    return nullptr;
  }

  std::optional<std::string> HeaderValue(std::string_view lower_name) const {
    const std::string* v = req_.Header(lower_name);
    return v ? std::optional<std::string>(*v) : std::nullopt;
  }
  std::optional<std::string> ParamValue(std::string_view key) const {
    const Param* p = FindParam(form_, key);
    return p ? std::optional<std::string>(p->value) : std::nullopt;
  }

  // The audit event's action: the one this API serves, or the (quoted) name asked for.
  std::string AuditAction() const {
    if (!action_) return "";
    return *action_ == kV3ActionSetPassword ? std::string(kV3ActionSetPassword) : Quote(*action_);
  }

  void Annotate(Response& r) const {
    r.log.action = log_.action;
    r.log.app_id = log_.app_id;
    r.log.secret_id = log_.secret_id;
  }

  enum class ArgsSource { kJsonBody, kQuery, kV1Form };

  const ApiDeps& deps_;
  const Request& req_;
  const std::shared_ptr<const config::Config> cfg_;
  const int64_t now_;
  std::string_view style_ = "v1";
  RequestLog log_;
  std::shared_ptr<const auth::KeyInfo> key_;
  store::ReplayClaim claim_;
  bool claimed_ = false;
  accounts::Caller caller_;
  Params form_;  // v1: the decoded request
  std::optional<std::string> action_, version_, region_, token_;
  std::string_view action_name_, version_name_, region_name_, token_name_;
  ArgsSource args_source_ = ArgsSource::kV1Form;
  std::vector<Arg> args_;
  std::shared_ptr<accounts::PreparedSet> set_;
};

}  // namespace

Response V3Api::Failure(const Request& request, const ApiFailure& failure) {
  Response r = Envelope(request, &failure);
  r.log.detail = failure.message;
  return r;
}

boost::asio::awaitable<Response> V3Api::Handle(Request& request) {
  Call call(deps_, request);
  std::optional<Response> refused = call.Prepare();
  if (refused) co_return std::move(*refused);

  std::shared_ptr<accounts::PreparedSet> set = call.set();
  accounts::Service& service = deps_.service;
  auto job = [set, &service] { return service.CommitSet(*set); };
  auto result = co_await RunOnPool(deps_.pool, std::move(job));
  if (!result) {
    co_return call.Finish(
        {ApiError::kServerBusy, "the server is busy hashing passwords; retry in a moment"});
  }
  if (!result->ok()) {
    // CommitSet recorded it. Its FailedOperation messages name the 2.0 parameter; the
    // 3.0 client is told about Operate instead.
    ApiFailure f = result->failure();
    if (f.error == ApiError::kAccountExists) {
      f.message = "the VPN account already exists; use Operate=Update to change its password";
    } else if (f.error == ApiError::kAccountMissing) {
      f.message = "the tenant has no VPN account yet; use Operate=Create first";
    }
    co_return call.Fail(f);
  }
  co_return call.Success();
}

}  // namespace obvpn::http::api
