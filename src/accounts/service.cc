#include "accounts/service.h"

#include "core/strings.h"
#include "crypto/crypto.h"

namespace obvpn::accounts {

PreparedSet::~PreparedSet() { crypto::Wipe(password); }

Service::Service(store::Store& store, const Clock& clock, password::HashParams params,
                 store::AccountPresence* presence)
    : store_(store), clock_(clock), params_(params), presence_(presence) {}

ApiResult<AuthInfo> Service::GetAuthInfo(const Caller& caller, const config::Zone& zone) {
  Result<bool> has_account = false;
  if (presence_ != nullptr) {
    has_account = presence_->HasAccount(caller.app_id);
  } else if (auto account = store_.FindAccount(caller.app_id); account.ok()) {
    has_account = account->has_value();
  } else {
    has_account = account.status();
  }
  if (!has_account.ok()) {
    return ApiFailure{ApiError::kStoreReadFailed, "the account store could not be read"};
  }
  AuthInfo info;
  info.vpn_gw_addr = zone.vpn_gateway;
  info.user_name = std::to_string(caller.app_id);
  info.user_group = "bm" + info.user_name;
  info.be_first = !*has_account;
  return info;
}

ApiResult<const config::Zone*> Service::ResolveZone(const config::Config& config,
                                                    std::string_view region,
                                                    std::optional<uint64_t> zone_id) {
  const config::Zone* first = config.FirstZoneOf(region);
  if (first == nullptr) {
    return ApiFailure{ApiError::kUnsupportedRegion,
                      "Region '" + EscapeForLog(region) + "' is not a configured region"};
  }
  if (!zone_id) return first;
  if (const config::Zone* z = config.ZoneOf(region, *zone_id)) return z;
  return ApiFailure{ApiError::kInvalidParameter, "zoneId " + std::to_string(*zone_id) +
                                                     " is not a zone of region '" +
                                                     std::string(region) + "'"};
}

std::optional<ApiFailure> Service::CheckAppId(const Caller& caller,
                                              std::optional<uint64_t> app_id) {
  if (app_id && *app_id != caller.app_id) {
    return ApiFailure{ApiError::kOperationDenied,
                      "appId " + std::to_string(*app_id) +
                          " is not the appId of the SecretId that signed the request"};
  }
  return std::nullopt;
}

ApiResult<SetOperation> Service::ParseOperation(std::string_view value, std::string_view param) {
  if (AsciiIEquals(value, "create")) return SetOperation::kCreate;
  if (AsciiIEquals(value, "update")) return SetOperation::kUpdate;
  return ApiFailure{ApiError::kInvalidParameter,
                    std::string(param) + " must be 'create' or 'update'"};
}

std::optional<ApiFailure> Service::CheckPassword(std::string_view pw) {
  Status s = password::CheckRule(pw);
  if (!s.ok()) return ApiFailure{ApiError::kInvalidParameter, s.message()};
  return std::nullopt;
}

ApiResult<Done> Service::CommitSet(const PreparedSet& set) {
  auto hash = password::Hash(set.password, params_);
  if (!hash.ok()) return ApiFailure{ApiError::kInternal, "the password could not be hashed"};
  store::AccountWrite w;
  w.app_id = set.caller.app_id;
  w.password_hash = std::move(*hash);
  w.now = clock_.NowUnix();
  w.replay = set.replay;
  w.audit.time = w.now;
  w.audit.app_id = set.caller.app_id;
  w.audit.secret_id = set.caller.secret_id;
  w.audit.action = set.action;
  w.audit.source = set.caller.source;
  w.audit.result_code = 0;
  w.audit.request_id = set.caller.request_id;
  w.audit.detail = set.op == SetOperation::kCreate ? "create" : "update";
  auto outcome =
      set.op == SetOperation::kCreate ? store_.CreateAccount(w) : store_.UpdateAccount(w);
  if (!outcome.ok()) {
    return ApiFailure{ApiError::kStoreWriteFailed,
                      "the account store could not be written; nothing was changed"};
  }
  ApiFailure failure;
  switch (*outcome) {
    case store::WriteOutcome::kApplied:
      // Read-your-writes: a Get on this node right after the create sees be_first=false.
      if (presence_ != nullptr && set.op == SetOperation::kCreate) {
        presence_->NoteCreated(set.caller.app_id);
      }
      return Done{};
    case store::WriteOutcome::kReplay:
      return ApiFailure{ApiError::kReplay, "this request was already received (replay)"};
    case store::WriteOutcome::kAlreadyExists:
      failure = {ApiError::kAccountExists,
                 "the VPN account already exists; use createOrUpdate=update to change its "
                 "password"};
      break;
    case store::WriteOutcome::kNotFound:
      failure = {ApiError::kAccountMissing,
                 "the tenant has no VPN account yet; use createOrUpdate=create first"};
      break;
  }
  // The replay claim is already durable (same transaction); record the refusal.
  (void)RecordFailedMutation(set.caller, set.action, std::nullopt, failure);
  return failure;
}

Status Service::RecordFailedMutation(const Caller& caller, std::string_view action,
                                     const std::optional<store::ReplayClaim>& replay,
                                     const ApiFailure& failure) {
  if (replay) {
    auto claimed = store_.ClaimReplay(*replay);
    if (!claimed.ok()) return claimed.status();
  }
  store::AuditEvent e;
  e.time = clock_.NowUnix();
  e.app_id = caller.app_id;
  e.secret_id = caller.secret_id;
  e.action = std::string(action);
  e.source = caller.source;
  e.result_code = Info(failure.error).v2_code;
  e.request_id = caller.request_id;
  e.detail = std::string(Info(failure.error).name);
  return store_.AppendAudit(e);
}

}  // namespace obvpn::accounts
