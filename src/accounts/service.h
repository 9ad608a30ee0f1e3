// The two actions of the out-of-band VPN account service (SPEC §3.4–3.6), shared by the
// API 2.0 and 3.0 front ends, which are codecs over this class. Knows nothing about HTTP
// or RADIUS: inputs are already-decoded values, outputs are values or an ApiFailure.
//
// Thread-safe: all state lives in the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "accounts/errors.h"
#include "config/config.h"
#include "core/clock.h"
#include "password/password.h"
#include "store/account_presence.h"
#include "store/store.h"

namespace obvpn::accounts {

// A value or an ApiFailure.
template <typename T>
class [[nodiscard]] ApiResult {
 public:
  ApiResult(T v) : v_(std::move(v)) {}           // NOLINT(google-explicit-constructor)
  ApiResult(ApiFailure f) : v_(std::move(f)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return std::holds_alternative<T>(v_); }
  T& value() { return std::get<T>(v_); }
  const T& value() const { return std::get<T>(v_); }
  const ApiFailure& failure() const { return std::get<ApiFailure>(v_); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, ApiFailure> v_;
};

struct Done {};

// The authenticated caller of an action.
struct Caller {
  uint64_t app_id = 0;
  std::string secret_id;
  std::string source;  // peer address
  std::string request_id;
};

struct AuthInfo {
  std::string vpn_gw_addr;
  std::string user_name;   // the appId in decimal
  std::string user_group;  // "bm" + appId
  bool be_first = false;   // true while the tenant has no VPN account
};

enum class SetOperation { kCreate, kUpdate };

// A validated SetOutBandVPNAuthPwd, ready for the expensive part (hash + write).
struct PreparedSet {
  Caller caller;
  SetOperation op = SetOperation::kCreate;
  std::string password;  // wiped when the PreparedSet dies
  std::optional<store::ReplayClaim> replay;
  std::string action;  // wire action name, for the audit event
  PreparedSet() = default;
  PreparedSet(PreparedSet&&) noexcept = default;
  PreparedSet& operator=(PreparedSet&&) noexcept = default;
  ~PreparedSet();
};

class Service {
 public:
  // `presence` (may be null: every Get reads the store) answers be_first from memory;
  // it must outlive the service.
  Service(store::Store& store, const Clock& clock, password::HashParams params,
          store::AccountPresence* presence = nullptr);

  // SPEC §3.4. `zone` is the resolved zone (see ResolveZone).
  ApiResult<AuthInfo> GetAuthInfo(const Caller& caller, const config::Zone& zone);

  // SPEC §3.4: zoneId must be a configured zone of `region`; without it, the region's
  // first zone. InvalidParameter / UnsupportedRegion otherwise.
  static ApiResult<const config::Zone*> ResolveZone(const config::Config& config,
                                                    std::string_view region,
                                                    std::optional<uint64_t> zone_id);

  // `appId`, if given, must be the caller's (else OperationDenied).
  static std::optional<ApiFailure> CheckAppId(const Caller& caller, std::optional<uint64_t> app_id);

  // Parses createOrUpdate/Operate, case-insensitively. InvalidParameter naming `param`.
  static ApiResult<SetOperation> ParseOperation(std::string_view value, std::string_view param);

  // Cheap checks of SPEC §3.5/3.6 (password rule). No store access.
  static std::optional<ApiFailure> CheckPassword(std::string_view password);

  // The expensive part of SetOutBandVPNAuthPwd: hashes (blocking, memory-hard: run it on
  // the hash pool) and writes in one transaction with the replay claim and audit event.
  // The change is durable when this returns success.
  ApiResult<Done> CommitSet(const PreparedSet& set);

  // For a mutation that failed after its signature verified: claims its replay key
  // durably (so it cannot be replayed after the state changes, SPEC §3.2) and records
  // the failure in the audit log. Best effort: a store failure is returned, not thrown.
  Status RecordFailedMutation(const Caller& caller, std::string_view action,
                              const std::optional<store::ReplayClaim>& replay,
                              const ApiFailure& failure);

 private:
  store::Store& store_;
  const Clock& clock_;
  const password::HashParams params_;
  store::AccountPresence* const presence_;
};

}  // namespace obvpn::accounts
