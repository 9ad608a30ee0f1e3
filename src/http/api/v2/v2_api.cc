#include "http/api/v2/v2_api.h"

#include <algorithm>
#include <optional>

#include "core/json_text.h"
#include "core/strings.h"
#include "crypto/crypto.h"
#include "http/pool_await.h"
#include "http/signing/form.h"
#include "http/signing/v2_signature.h"

namespace obvpn::http::api {
namespace {

using accounts::ApiError;
using accounts::ApiFailure;
using signing::FindParam;
using signing::Param;
using signing::Params;

constexpr int64_t kMinuteNs = 60'000'000'000;

// SPEC §3.3: {"code","message","codeDesc","data"}, data only on success. Written as
// text rather than through a JSON DOM: this runs for every request (SPEC §9).
// `data_json` is the JSON text of the data member ("null" for none).
Response Envelope(const ApiFailure* failure, std::string_view data_json) {
  Response r;
  std::string& b = r.body;
  b.reserve(96 + data_json.size() + (failure ? failure->message.size() : 0));
  if (failure == nullptr) {
    b += R"({"code":0,"message":"","codeDesc":"Success","data":)";
    b += data_json;
    b += '}';
  } else {
    const auto& info = accounts::Info(failure->error);
    b += R"({"code":)";
    b += std::to_string(info.v2_code);
    b += R"(,"message":)";
    AppendJsonString(b, failure->message);
    b += R"(,"codeDesc":)";
    AppendJsonString(b, info.v2_desc);
    b += '}';
  }
  r.log.api = "v2";
  if (failure) {
    r.log.code = accounts::Info(failure->error).v2_code;
    r.log.error = std::string(accounts::Info(failure->error).name);
  }
  return r;
}

// EscapeForLog(s), without the per-character rebuild for the common case of a value
// that needs no escaping (action names, SecretIds).
std::string LogValue(std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') return EscapeForLog(s);
  }
  return std::string(s);
}

ApiFailure Missing(std::string_view name) {
  return {ApiError::kMissingParameter, "missing required parameter '" + std::string(name) + "'"};
}

// Optional unsigned integer parameter: absent → nullopt; malformed → failure.
std::optional<ApiFailure> OptionalUint(const Params& p, std::string_view name,
                                       std::optional<uint64_t>& out) {
  const Param* v = FindParam(p, name);
  if (v == nullptr) return std::nullopt;
  auto n = ParseUint64(v->value);
  if (!n) {
    return ApiFailure{ApiError::kInvalidParameter,
                      "parameter '" + std::string(name) + "' must be an unsigned integer"};
  }
  out = *n;
  return std::nullopt;
}

bool IsFormContentType(std::string_view ct) {
  const auto semi = ct.find(';');
  return AsciiIEquals(TrimSpace(ct.substr(0, semi)), "application/x-www-form-urlencoded");
}

}  // namespace

Response V2Api::Failure(const ApiFailure& failure) { return Envelope(&failure, "null"); }

boost::asio::awaitable<Response> V2Api::Handle(Request& request) {
  const std::shared_ptr<const config::Config> cfg = deps_.config.Get();
  const config::ApiConfig& api = cfg->api;
  const int64_t now = deps_.clock.NowUnix();
  RequestLog log;

  auto fail = [&](ApiFailure f) {
    Response r = Envelope(&f, "null");
    r.log.action = log.action;
    r.log.app_id = log.app_id;
    r.log.secret_id = log.secret_id;
    r.log.detail = f.message;
    return r;
  };

  // SPEC §3.7 4600: plain HTTP while api.require_tls is on.
  if (api.require_tls && !request.tls) {
    co_return fail({ApiError::kUnsupportedProtocol, "this endpoint requires HTTPS"});
  }
  std::string_view text;
  if (request.method == "GET") {
    text = request.query;
  } else if (request.method == "POST") {
    // SPEC §3: a POST carries its parameters in the form body; the query is ignored.
    if (!request.content_type.empty() && !IsFormContentType(request.content_type)) {
      co_return fail(
          {ApiError::kInvalidParameter, "Content-Type must be application/x-www-form-urlencoded"});
    }
    text = request.body;
  } else {
    co_return fail({ApiError::kInvalidParameter, "HTTP method must be GET or POST"});
  }
  auto decoded = signing::DecodeForm(text, api.max_params);
  if (!decoded.ok()) co_return fail({ApiError::kInvalidParameter, decoded.status().message()});
  const Params& params = *decoded;

  // Common parameters (SPEC §3.1).
  const Param* action = FindParam(params, "Action");
  if (action != nullptr) log.action = LogValue(action->value.substr(0, 64));
  for (std::string_view name :
       {"Action", "Region", "Timestamp", "Nonce", "SecretId", "Signature"}) {
    if (FindParam(params, name) == nullptr) co_return fail(Missing(name));
  }
  const Param* region = FindParam(params, "Region");
  const Param* timestamp = FindParam(params, "Timestamp");
  const Param* nonce = FindParam(params, "Nonce");
  const Param* secret_id = FindParam(params, "SecretId");
  const Param* signature = FindParam(params, "Signature");
  auto method = signing::ParseV2Method(FindParam(params, "SignatureMethod"));
  if (!method.ok()) co_return fail({ApiError::kInvalidParameter, method.status().message()});
  auto ts = ParseInt64(timestamp->value);
  if (!ts) {
    co_return fail({ApiError::kInvalidParameter, "parameter 'Timestamp' must be UNIX seconds"});
  }
  if (!ParseUint64(nonce->value)) {
    co_return fail({ApiError::kInvalidParameter,
                    "parameter 'Nonce' must be an unsigned 64-bit decimal integer"});
  }
  // SPEC §3.1: Timestamp within the window of server time, else 4500.
  const int64_t window = api.timestamp_window_s;
  if (*ts < now - window || *ts > now + window) {
    co_return fail({ApiError::kSignatureExpired,
                    "Timestamp " + std::to_string(*ts) + " is more than " + std::to_string(window) +
                        " s away from server time " + std::to_string(now)});
  }

  // Authentication (SPEC §3.2).
  log.secret_id = LogValue(secret_id->value.substr(0, 64));
  auto key_or = deps_.keys.Find(secret_id->value);
  if (!key_or.ok()) {
    // DataLoss (a sealed key that does not open) is a server fault, not a store outage.
    if (key_or.status().code() == StatusCode::kDataLoss) {
      co_return fail({ApiError::kInternal, "internal error; quote the X-Request-Id to support"});
    }
    co_return fail({ApiError::kStoreReadFailed, "the key store could not be read"});
  }
  const std::shared_ptr<const auth::KeyInfo> key = *key_or;
  if (!key) co_return fail({ApiError::kSecretIdNotFound, "SecretId not found"});
  if (!key->enabled) co_return fail({ApiError::kSecretIdNotFound, "SecretId is disabled"});
  log.app_id = key->app_id;
  if (!api.hosts.empty() &&
      std::find(api.hosts.begin(), api.hosts.end(), request.host) == api.hosts.end()) {
    co_return fail({ApiError::kSignatureFailure, "Host '" +
                                                     EscapeForLog(request.host.substr(0, 128)) +
                                                     "' is not an accepted API host name"});
  }
  signing::V2Request sreq;
  sreq.http_method = request.method;
  sreq.host = request.host;
  sreq.path = request.path;
  sreq.params = &params;
  sreq.rewrite_underscores = true;
  if (!signing::V2Verify(sreq, *method, key->secret_key.reveal(), signature->value)) {
    co_return fail({ApiError::kSignatureFailure,
                    "the signature does not match: check the SecretKey, SignatureMethod, the "
                    "Host (" +
                        EscapeForLog(request.host.substr(0, 128)) +
                        "), the path and the parameters"});
  }
  // Claimed as soon as the signature verifies, whatever the outcome (SPEC §3.2). The
  // claim must outlive the window in which this Timestamp is still accepted. In memory
  // by its digest; a mutation also stores it durably, by its hex key (the same claim).
  const bool mutation = action->value == kActionSetPassword;
  const std::string replay_digest =
      auth::ReplayDigest("v2", secret_id->value, timestamp->value, nonce->value, signature->value);
  store::ReplayClaim claim{mutation ? crypto::HexEncode(replay_digest) : std::string(),
                           *ts + window + 1};
  if (!deps_.replay.ClaimDigest(replay_digest, claim.expires_at, now)) {
    co_return fail({ApiError::kReplay, "this request was already received (replay)"});
  }

  // Who asked: the strings only for a mutation, whose audit event records them.
  accounts::Caller caller;
  caller.app_id = key->app_id;
  if (mutation) {
    caller.secret_id = key->secret_id;
    caller.source = request.peer;
    caller.request_id = request.request_id;
  }
  // A mutation refused from here on still claims its replay key durably, so it cannot be
  // replayed on another node after the state has changed (SPEC §3.2).
  auto refuse = [&](ApiFailure f) {
    if (mutation) {
      (void)deps_.service.RecordFailedMutation(caller, kActionSetPassword, claim, f);
    }
    return fail(std::move(f));
  };

  if (key->expires_at && now >= *key->expires_at) {
    co_return refuse({ApiError::kSecretIdNotFound, "the temporary SecretId has expired"});
  }
  if (key->IsTemporary()) {
    const Param* token = FindParam(params, "Token");
    if (token == nullptr) {
      co_return refuse({ApiError::kTokenFailure, "a temporary SecretId requires its Token"});
    }
    if (!crypto::ConstantTimeEquals(crypto::HexEncode(crypto::Sha256(token->value)),
                                    key->token_sha256_hex)) {
      co_return refuse({ApiError::kTokenFailure, "the Token does not match the SecretId"});
    }
  }
  if (action->value != kActionGetAuthInfo && action->value != kActionSetPassword) {
    co_return refuse({ApiError::kInvalidAction,
                      "unknown Action '" + EscapeForLog(action->value.substr(0, 64)) +
                          "'; supported: GetOutBandVPNAuthInfo, SetOutBandVPNAuthPwd"});
  }
  if (cfg->FirstZoneOf(region->value) == nullptr) {
    co_return refuse(
        {ApiError::kUnsupportedRegion,
         "Region '" + EscapeForLog(region->value.substr(0, 64)) + "' is not a configured region"});
  }
  if (!key->AllowsAction(action->value)) {
    co_return refuse({ApiError::kOperationDenied, "this SecretId may not call " + action->value});
  }
  // SPEC §3.7 4400: per appId, per action and overall, per minute.
  // "v2:<appId>:<Action>" and its prefix "v2:<appId>", in one per-thread buffer (no
  // allocation per request; nothing suspends before Admit() is done with them).
  thread_local std::string limit_keys;
  limit_keys.assign("v2:").append(std::to_string(key->app_id));
  const size_t per_app_size = limit_keys.size();
  limit_keys.append(":").append(action->value);
  const std::string_view per_action(limit_keys);
  const std::string_view per_app = per_action.substr(0, per_app_size);
  // With several nodes the counters live in the shared store (SPEC §6); when it cannot
  // be reached the request fails as any store failure does (9001 / 10100).
  const auth::RateLimiter::Verdict admitted =
      deps_.limiter.Admit({{per_action, cfg->limits.v2_per_action_per_minute, kMinuteNs},
                           {per_app, cfg->limits.v2_per_app_per_minute, kMinuteNs}});
  if (admitted == auth::RateLimiter::Verdict::kUnavailable) {
    co_return refuse({mutation ? ApiError::kStoreWriteFailed : ApiError::kStoreReadFailed,
                      "the rate-limit store could not be reached"});
  }
  if (admitted == auth::RateLimiter::Verdict::kLimited) {
    co_return refuse(
        {ApiError::kRateLimited,
         "rate limit exceeded: at most " + std::to_string(cfg->limits.v2_per_action_per_minute) +
             " " + action->value + " and " + std::to_string(cfg->limits.v2_per_app_per_minute) +
             " requests in all per minute per appId"});
  }

  std::optional<uint64_t> app_id;
  if (auto f = OptionalUint(params, "appId", app_id)) co_return refuse(*f);
  if (auto f = accounts::Service::CheckAppId(caller, app_id)) co_return refuse(*f);

  if (action->value == kActionGetAuthInfo) {
    std::optional<uint64_t> zone_id;
    if (auto f = OptionalUint(params, "zoneId", zone_id)) co_return fail(*f);
    auto zone = accounts::Service::ResolveZone(*cfg, region->value, zone_id);
    if (!zone.ok()) co_return fail(zone.failure());
    auto info = deps_.service.GetAuthInfo(caller, *zone.value());
    if (!info.ok()) co_return fail(info.failure());
    // SPEC §3.4: {"authInfo":{"vpnGwAddr","userName","userGroup","be_first"}}.
    std::string data = R"({"authInfo":{"vpnGwAddr":)";
    AppendJsonString(data, info->vpn_gw_addr);
    data += R"(,"userName":)";
    AppendJsonString(data, info->user_name);
    data += R"(,"userGroup":)";
    AppendJsonString(data, info->user_group);
    data += info->be_first ? R"(,"be_first":true}})" : R"(,"be_first":false}})";
    Response r = Envelope(nullptr, data);
    r.log.action = std::move(log.action);
    r.log.app_id = log.app_id;
    r.log.secret_id = std::move(log.secret_id);
    co_return r;
  }

  // SetOutBandVPNAuthPwd (SPEC §3.5).
  const Param* password = FindParam(params, "password");
  if (password == nullptr) co_return refuse(Missing("password"));
  const Param* op_param = FindParam(params, "createOrUpdate");
  if (op_param == nullptr) co_return refuse(Missing("createOrUpdate"));
  auto op = accounts::Service::ParseOperation(op_param->value, "createOrUpdate");
  if (!op.ok()) co_return refuse(op.failure());
  if (auto f = accounts::Service::CheckPassword(password->value)) co_return refuse(*f);

  auto set = std::make_shared<accounts::PreparedSet>();
  set->caller = caller;
  set->op = op.value();
  set->password = password->value;
  set->replay = claim;
  set->action = std::string(kActionSetPassword);
  accounts::Service& service = deps_.service;
  auto job = [set, &service] { return service.CommitSet(*set); };
  auto result = co_await RunOnPool(deps_.pool, std::move(job));
  if (!result) {
    co_return refuse(
        {ApiError::kServerBusy, "the server is busy hashing passwords; retry in a moment"});
  }
  if (!result->ok()) co_return fail(result->failure());  // CommitSet recorded it
  Response r = Envelope(nullptr, "null");
  r.log.action = log.action;
  r.log.app_id = log.app_id;
  r.log.secret_id = log.secret_id;
  r.log.detail = op.value() == accounts::SetOperation::kCreate ? "create" : "update";
  co_return r;
}

}  // namespace obvpn::http::api
