// Store: the durable state of obvpn behind one small interface (SPEC §6), so SQLite
// (embedded default) and PostgreSQL (scale-out) are interchangeable without touching
// the actions. Records carry secrets only in sealed form (crypto::SecretBox) or as
// one-way hashes; the store never sees a plaintext password, SecretKey or RADIUS secret.
//
// Error contract, for every method: Unavailable when the database cannot be reached,
// is busy past its timeout, is read-only or full (the caller maps reads to 9001 and
// writes to 10100); DataLoss when stored data is corrupt. A failed write changes
// nothing (each method is one transaction).
//
// Thread-safe: every method may be called from any thread concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace obvpn::store {

using AppId = uint64_t;

struct Tenant {
  AppId app_id = 0;
  int64_t created_at = 0;  // UNIX seconds
};

struct ApiKey {
  std::string secret_id;  // "AKID" + 32 alphanumerics
  AppId app_id = 0;
  std::string sealed_secret_key;  // SecretBox::Seal(secret_key, secret_id)
  bool enabled = true;
  std::vector<std::string> actions;   // allow-list; empty = every action
  std::optional<int64_t> expires_at;  // UNIX seconds; temporary keys only
  std::string token_sha256_hex;       // hex(SHA-256(Token)) of a temporary key, else ""
  int64_t created_at = 0;
};

struct Account {
  AppId app_id = 0;
  std::string password_hash;  // argon2id PHC string
  bool locked = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

enum class RequireMessageAuthenticator { kYes, kNo, kAuto };

struct RadiusClient {
  std::string name;
  std::string address;        // CIDR ("127.0.0.1/32", "::1/128") or single address
  std::string sealed_secret;  // SecretBox::Seal(secret, "radius-client:" + name)
  RequireMessageAuthenticator require_message_authenticator = RequireMessageAuthenticator::kYes;
  int64_t created_at = 0;
};

// One audit event per mutation (API or admin). Never holds a password or key.
struct AuditEvent {
  int64_t id = 0;         // assigned by the store
  int64_t time = 0;       // UNIX seconds
  AppId app_id = 0;       // 0 when not tied to a tenant
  std::string secret_id;  // "" for admin actions
  std::string action;     // "SetOutBandVPNAuthPwd", "admin.key.disable", ...
  std::string source;     // peer address or "obvpnctl"
  int result_code = 0;    // 0 success, else the API 2.0 error code
  std::string request_id;
  std::string detail;  // short, secret-free: e.g. "create", "update"
};

struct AuditFilter {
  std::optional<AppId> app_id;
  std::optional<int64_t> since;  // UNIX seconds, inclusive
  size_t limit = 1000;
};

// A replay-protection claim (SPEC §3.2): `key` is an opaque digest of the request's
// identity; the claim is kept until `expires_at` (UNIX seconds).
struct ReplayClaim {
  std::string key;
  int64_t expires_at = 0;
};

// The write half of SetOutBandVPNAuthPwd, applied in one transaction.
struct AccountWrite {
  AppId app_id = 0;
  std::string password_hash;
  int64_t now = 0;
  std::optional<ReplayClaim> replay;  // claimed in the same transaction
  AuditEvent audit;                   // appended in the same transaction on kApplied
};

// A sealed value as ReSealSecrets offers it: which column it lives in, the row's name
// (SecretId, RADIUS client name or meta key; the sealing's associated data derives from
// it) and the stored bytes.
enum class SealedKind { kApiKey, kRadiusClient, kMeta };
struct SealedValue {
  SealedKind kind = SealedKind::kApiKey;
  std::string id;
  std::string sealed;
};
// Returns the value to store instead, or nullopt to keep the row as it is. Any error
// aborts ReSealSecrets.
using ReSealFn = std::function<Result<std::optional<std::string>>(const SealedValue&)>;

enum class WriteOutcome {
  kApplied,        // the change and the replay claim are durable
  kReplay,         // the replay key was already claimed; nothing changed
  kAlreadyExists,  // create on an existing account; the replay claim is durable
  kNotFound,       // update on a missing account; the replay claim is durable
};

class Store {
 public:
  virtual ~Store() = default;

  // --- tenants ---
  // AlreadyExists if present.
  virtual Status AddTenant(AppId app_id, int64_t now) = 0;
  virtual Result<std::vector<Tenant>> ListTenants() = 0;
  virtual Result<bool> TenantExists(AppId app_id) = 0;

  // --- API keys ---
  // AlreadyExists on a duplicate secret_id; NotFound if the tenant does not exist.
  virtual Status AddKey(const ApiKey& key) = 0;
  virtual Result<std::optional<ApiKey>> FindKey(std::string_view secret_id) = 0;
  // Keys of one tenant, or of all tenants when app_id is empty; ordered by created_at.
  virtual Result<std::vector<ApiKey>> ListKeys(std::optional<AppId> app_id) = 0;
  // NotFound if no such key.
  virtual Status SetKeyEnabled(std::string_view secret_id, bool enabled) = 0;
  virtual Status DeleteKey(std::string_view secret_id) = 0;
  // Key rotation (`obvpnctl key rotate`): in one transaction, adds `replacement` (same
  // rules as AddKey) and makes the key `old_secret_id` expire at `old_expires_at` (an
  // earlier expiry it already has is kept). NotFound if the old key does not exist;
  // InvalidArgument if it belongs to another tenant than replacement.app_id;
  // AlreadyExists on a duplicate replacement secret_id.
  virtual Status RotateKey(const ApiKey& replacement, std::string_view old_secret_id,
                           int64_t old_expires_at) = 0;

  // --- VPN accounts ---
  virtual Result<std::optional<Account>> FindAccount(AppId app_id) = 0;
  // Claims write.replay (if set), then creates the account if none exists. Exactly one
  // of any number of concurrent creates for one tenant returns kApplied.
  virtual Result<WriteOutcome> CreateAccount(const AccountWrite& write) = 0;
  // Claims write.replay (if set), then replaces the hash if the account exists.
  virtual Result<WriteOutcome> UpdateAccount(const AccountWrite& write) = 0;
  // NotFound if no account.
  virtual Status SetAccountLocked(AppId app_id, bool locked, int64_t now) = 0;
  virtual Status DeleteAccount(AppId app_id) = 0;

  // --- RADIUS clients ---
  // AlreadyExists on a duplicate name.
  virtual Status AddRadiusClient(const RadiusClient& client) = 0;
  virtual Result<std::vector<RadiusClient>> ListRadiusClients() = 0;
  // NotFound if no such client.
  virtual Status RemoveRadiusClient(std::string_view name) = 0;

  // --- RADIUS accounting sessions (RFC 2866) ---
  // A session is named by the RADIUS client that reported it and its Acct-Session-Id
  // (unique per NAS, RFC 2866 §5.5); it belongs to one tenant. Sessions are durable so
  // every node of a cluster counts the same active sessions (SPEC §5 session limit).
  // None of these methods moves Generation().
  //
  // Records that the session is active at `time` (Accounting Start or Interim-Update):
  // creates it if unknown; a retransmitted Start is a no-op apart from the last-seen
  // time. A session already stopped stays stopped (a Start delayed past its Stop must
  // not resurrect it).
  virtual Status RecordSessionStart(AppId app_id, std::string_view client,
                                    std::string_view session_id, int64_t time) = 0;
  // Records that the session ended at `time` (Accounting Stop). Idempotent; a Stop for
  // an unknown session is stored as already stopped, so a late Start cannot open it.
  virtual Status RecordSessionStop(AppId app_id, std::string_view client,
                                   std::string_view session_id, int64_t time) = 0;
  // Ends every active session of one RADIUS client (Accounting-On/Off: the NAS
  // restarted, RFC 2866 §5.1, so none of its sessions survived).
  virtual Status StopClientSessions(std::string_view client, int64_t time) = 0;
  // The number of active (started, not stopped) sessions of a tenant, on every client.
  virtual Result<int64_t> CountActiveSessions(AppId app_id) = 0;
  // The number of active sessions of every tenant together (a gauge for /metrics).
  virtual Result<int64_t> CountAllActiveSessions() = 0;

  // --- replay protection ---
  // True if the claim was new and is now durable; false if it was already claimed
  // (and not yet expired).
  virtual Result<bool> ClaimReplay(const ReplayClaim& claim) = 0;
  // Deletes claims with expires_at < now.
  virtual Status PurgeReplay(int64_t now) = 0;

  // --- audit ---
  virtual Status AppendAudit(const AuditEvent& event) = 0;
  // Newest last.
  virtual Result<std::vector<AuditEvent>> ListAudit(const AuditFilter& filter) = 0;

  // --- change notification ---
  // A counter that grows with every change to tenants, keys, RADIUS clients, account
  // creation, deletion and lock state (not password updates). Services poll it to
  // refresh their caches (key ring, RADIUS clients, AccountPresence).
  virtual Result<int64_t> Generation() = 0;

  // --- master key check ---
  // A sealed known value stored once per database, to detect a wrong master key at
  // startup. Empty string if none stored yet.
  virtual Result<std::string> GetMeta(std::string_view key) = 0;
  virtual Status SetMeta(std::string_view key, std::string_view value) = 0;

  // --- master key rotation ---
  // Offers every sealed value to `reseal` — every API key's sealed_secret_key, every
  // RADIUS client's sealed_secret and every meta value (the store does not know which
  // meta values are sealed; `reseal` keeps the others) — and stores what it returns, all
  // in ONE transaction: either every value is rewritten or, when `reseal` or the store
  // fails, nothing is (the error is returned). Moves Generation(). Writers wait for it.
  virtual Status ReSealSecrets(const ReSealFn& reseal) = 0;
};

}  // namespace obvpn::store
