// The administrative commands of obvpnctl (SPEC §8): tenants, API keys, VPN accounts,
// RADIUS clients, zones and the audit log. Each command works directly on the Store that
// obvpnd uses; obvpnd notices the change through Store::Generation() within a second.
//
// Every mutation appends one store::AuditEvent (source "obvpnctl", action
// "admin.<thing>.<verb>", result_code 0 or the nearest API 2.0 code of the failure,
// a secret-free detail), whether it succeeded or not. A failure to append the event is
// reported on `warnings` and does not undo or fail the mutation.
//
// Arguments are already validated (cli/parse.h); commands return NotFound,
// AlreadyExists, Unavailable, DataLoss... from the store with operator-facing messages.
// Secrets are never part of a Status message or an audit event; the only output that
// holds one is the Output of TenantAdd and KeyAdd (the key is shown only there).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/output.h"
#include "config/config.h"
#include "core/clock.h"
#include "core/status.h"
#include "crypto/secret_box.h"
#include "store/store.h"

namespace obvpn::cli {

// The store, key and clock one obvpnctl invocation works with. Not owned.
struct AdminContext {
  store::Store& store;
  const crypto::SecretBox& box;
  const Clock& clock;
  std::ostream& warnings;  // non-fatal notes for the operator (stderr)
  std::string request_id;  // shared by the audit events of one invocation
};

// Lengths of generated credentials (SPEC §2: SecretKey ≥ 32 random characters).
inline constexpr size_t kSecretIdRandomChars = 32;  // after "AKID"
inline constexpr size_t kSecretKeyChars = 40;
inline constexpr size_t kTokenChars = 40;

// Creates the tenant and its first API key; output (always JSON)
// {"appId", "secretId", "secretKey"}. AlreadyExists "tenant N already exists".
Result<Output> TenantAdd(AdminContext& ctx, store::AppId app_id);
// [{"appId", "createdAt", "keys", "account"}].
Result<Output> TenantList(AdminContext& ctx);

struct KeyAddOptions {
  std::vector<std::string> actions;   // allow-list; empty = every action
  std::optional<int64_t> expires_in;  // seconds (> 0): a temporary key with a Token
};
// Adds a key to an existing tenant (NotFound otherwise); output (always JSON)
// {"appId", "secretId", "secretKey"} plus "expiresAt" and "token" for a temporary key.
// Unknown action names are accepted with a warning.
Result<Output> KeyAdd(AdminContext& ctx, store::AppId app_id, const KeyAddOptions& options);
// [{"secretId", "enabled", "actions", "expiresAt", "createdAt"}]; NotFound for an
// unknown tenant.
Result<Output> KeyList(AdminContext& ctx, store::AppId app_id);
// NotFound for an unknown SecretId.
Result<Output> KeySetEnabled(AdminContext& ctx, const std::string& secret_id, bool enabled);
Result<Output> KeyDelete(AdminContext& ctx, const std::string& secret_id);

// Default grace period of `key rotate`: one day for every client to switch keys.
inline constexpr int64_t kDefaultRotationGraceSeconds = 24 * 3600;
struct KeyRotateOptions {
  int64_t grace_s = kDefaultRotationGraceSeconds;  // >= 0; 0 = the old key stops now
};
// Replaces a permanent API key (docs/operations.md "Rotating a tenant's SecretKey"): a
// new key of the same tenant with the same allow-list, and the old key expires `grace_s`
// seconds from now (then it gets 4100 like an expired temporary key), in one store
// transaction. Output (always JSON) {"appId", "secretId", "secretKey", "replaces",
// "oldKeyExpiresAt"}. NotFound for an unknown SecretId; InvalidArgument for a
// temporary key (it expires by itself; add a new one) or a negative grace.
Result<Output> KeyRotate(AdminContext& ctx, const std::string& secret_id,
                         const KeyRotateOptions& options);

// {"appId", "exists", "locked", "createdAt", "updatedAt", "userName", "userGroup"}
// (never the hash); NotFound for an unknown tenant.
Result<Output> AccountShow(AdminContext& ctx, store::AppId app_id);
enum class AccountOp { kLock, kUnlock, kDelete };
// NotFound when the tenant or its account does not exist.
Result<Output> AccountChange(AdminContext& ctx, store::AppId app_id, AccountOp op);

struct RadiusClientAddOptions {
  std::string name;     // validated: ValidateRadiusClientName
  std::string address;  // validated: ValidateCidr
  std::string secret_file;
  store::RequireMessageAuthenticator require_message_authenticator =
      store::RequireMessageAuthenticator::kYes;
};
// Reads the shared secret from the file (one trailing newline stripped; empty refused),
// seals it and stores the client. AlreadyExists on a duplicate name.
Result<Output> RadiusClientAdd(AdminContext& ctx, const RadiusClientAddOptions& options);
// [{"name", "address", "requireMessageAuthenticator", "createdAt"}] (never the secret).
Result<Output> RadiusClientList(AdminContext& ctx);
Result<Output> RadiusClientRemove(AdminContext& ctx, const std::string& name);

// [{"zoneId", "region", "regionName", "vpnGwAddr"}] from the configuration.
Output ZoneList(const config::Config& config);

struct AuditOptions {
  std::optional<store::AppId> app_id;
  std::optional<int64_t> since;  // UNIX seconds, inclusive
  size_t limit = 1000;           // the newest `limit` events
};
// Oldest first: [{"id", "time", "appId", "secretId", "action", "source", "resultCode",
// "requestId", "detail"}].
Result<Output> AuditList(AdminContext& ctx, const AuditOptions& options);

// The API 2.0 code nearest to a failed admin operation, for AuditEvent::result_code:
// 0 for OK, `not_found_code` for NotFound, 4000 for InvalidArgument and AlreadyExists,
// 10004 for PermissionDenied, 10100 for Unavailable, 6000 otherwise.
int AuditResultCode(const Status& status, int not_found_code);

}  // namespace obvpn::cli
