#include "cli/commands.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>

#include "cli/parse.h"
#include "crypto/crypto.h"

namespace obvpn::cli {
namespace {

constexpr const char* kAuditSource = "obvpnctl";

// RFC 2865 §3: "The shared secret ... SHOULD be at least 16 octets."
constexpr size_t kRecommendedRadiusSecretBytes = 16;
// A secret file larger than this is not a shared secret (most likely the wrong file).
constexpr size_t kMaxRadiusSecretBytes = 4096;

// API 2.0 codes (SPEC §3.7) used as the nearest result code of admin failures.
constexpr int kCodeInvalidParameter = 4000;
constexpr int kCodeAuthFailure = 4100;  // unknown SecretId
constexpr int kCodeNoAccount = 10105;   // InvalidResource.ObAuthNoConfig

std::string Decimal(store::AppId app_id) { return std::to_string(app_id); }

std::string TimeCell(int64_t t) { return FormatRfc3339(t); }

// Appends the event; a failure is a warning, never a reason to fail the command after
// its change is already durable.
void Audit(AdminContext& ctx, std::string_view action, store::AppId app_id, int result_code,
           std::string detail) {
  store::AuditEvent e;
  e.time = ctx.clock.NowUnix();
  e.app_id = app_id;
  e.action = std::string(action);
  e.source = kAuditSource;
  e.result_code = result_code;
  e.request_id = ctx.request_id;
  e.detail = std::move(detail);
  if (Status s = ctx.store.AppendAudit(e); !s.ok()) {
    ctx.warnings << "obvpnctl: warning: the audit event " << action
                 << " was not recorded: " << s.message() << "\n";
  }
}

// Audits a failed mutation and returns `status` with `message` when given (the store's
// own message otherwise).
Status Failed(AdminContext& ctx, std::string_view action, store::AppId app_id, const Status& status,
              int not_found_code, std::string detail, std::string message = {}) {
  Audit(ctx, action, app_id, AuditResultCode(status, not_found_code), std::move(detail));
  return Status(status.code(), message.empty() ? status.message() : std::move(message));
}

std::string TenantMissing(store::AppId app_id) {
  return "tenant " + Decimal(app_id) + " does not exist (create it with 'obvpnctl tenant add " +
         Decimal(app_id) + "')";
}

struct NewKey {
  store::ApiKey record;
  std::string secret_key;
  std::string token;  // "" unless temporary

  NewKey() = default;
  NewKey(const NewKey&) = delete;
  NewKey& operator=(const NewKey&) = delete;
  ~NewKey() {
    crypto::Wipe(secret_key);
    crypto::Wipe(token);
  }
};

// SPEC §2: SecretId "AKID" + 32 alphanumerics, SecretKey ≥ 32 random characters; the key
// is stored sealed, bound to its SecretId, and a temporary key's Token only as a hash.
void GenerateKey(const AdminContext& ctx, store::AppId app_id, const KeyAddOptions& options,
                 int64_t now, NewKey* key) {
  key->secret_key = crypto::RandomAlnum(kSecretKeyChars);
  key->record.secret_id = "AKID" + crypto::RandomAlnum(kSecretIdRandomChars);
  key->record.app_id = app_id;
  key->record.sealed_secret_key = ctx.box.Seal(key->secret_key, key->record.secret_id);
  key->record.enabled = true;
  key->record.actions = options.actions;
  key->record.created_at = now;
  if (options.expires_in) {
    key->record.expires_at = now + *options.expires_in;
    key->token = crypto::RandomAlnum(kTokenChars);
    key->record.token_sha256_hex = crypto::HexEncode(crypto::Sha256(key->token));
  }
}

Json KeyJson(const NewKey& key) {
  Json j = {{"appId", key.record.app_id},
            {"secretId", key.record.secret_id},
            {"secretKey", key.secret_key}};
  if (key.record.expires_at) {
    j["expiresAt"] = *key.record.expires_at;
    j["token"] = key.token;
  }
  return j;
}

std::string KeyDetail(const store::ApiKey& key) {
  std::string d = "secretId=" + key.secret_id;
  if (!key.actions.empty()) {
    d += " actions=";
    for (size_t i = 0; i < key.actions.size(); ++i) d += (i ? "," : "") + key.actions[i];
  }
  if (key.expires_at) d += " expiresAt=" + std::to_string(*key.expires_at);
  return d;
}

// Reads the RADIUS shared secret: the file's bytes with one trailing newline ("\n" or
// "\r\n") removed, as `echo secret > file` writes it.
Result<std::string> ReadSecretFile(AdminContext& ctx, const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return NotFound("cannot read secret file '" + path + "': " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return InvalidArgument("secret file '" + path + "' is not a file");
  if ((st.st_mode & 077) != 0) {
    ctx.warnings << "obvpnctl: warning: secret file '" << path
                 << "' is readable by group or others (chmod 600 it)\n";
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Unavailable("cannot read secret file '" + path + "'");
  std::string secret(kMaxRadiusSecretBytes + 1, '\0');
  in.read(secret.data(), static_cast<std::streamsize>(secret.size()));
  if (in.bad()) {
    crypto::Wipe(secret);
    return Unavailable("cannot read secret file '" + path + "'");
  }
  secret.resize(static_cast<size_t>(in.gcount()));
  if (secret.size() > kMaxRadiusSecretBytes) {
    crypto::Wipe(secret);
    return InvalidArgument("secret file '" + path + "' is larger than " +
                           std::to_string(kMaxRadiusSecretBytes) + " bytes");
  }
  if (!secret.empty() && secret.back() == '\n') {
    secret.pop_back();
    if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  }
  if (secret.empty()) return InvalidArgument("secret file '" + path + "' holds no secret");
  if (secret.size() < kRecommendedRadiusSecretBytes) {
    ctx.warnings << "obvpnctl: warning: the shared secret is shorter than "
                 << kRecommendedRadiusSecretBytes << " bytes (RFC 2865 section 3)\n";
  }
  return secret;
}

}  // namespace

int AuditResultCode(const Status& status, int not_found_code) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kNotFound:
      return not_found_code;
    case StatusCode::kInvalidArgument:
    case StatusCode::kAlreadyExists:
      return kCodeInvalidParameter;
    case StatusCode::kPermissionDenied:
      return 10004;  // OperationDenied
    case StatusCode::kUnavailable:
      return 10100;  // InternalError.ObAuthAccessError: the store could not be written
    case StatusCode::kDataLoss:
    case StatusCode::kInternal:
      break;
  }
  return 6000;  // InternalError
}

Result<Output> TenantAdd(AdminContext& ctx, store::AppId app_id) {
  constexpr std::string_view kAction = "admin.tenant.add";
  const int64_t now = ctx.clock.NowUnix();
  if (Status s = ctx.store.AddTenant(app_id, now); !s.ok()) {
    std::string message;
    if (s.code() == StatusCode::kAlreadyExists) {
      message = "tenant " + Decimal(app_id) + " already exists";
    }
    return Failed(ctx, kAction, app_id, s, kCodeInvalidParameter, "", std::move(message));
  }
  Audit(ctx, kAction, app_id, 0, "");

  NewKey key;
  GenerateKey(ctx, app_id, {}, now, &key);
  if (Status s = ctx.store.AddKey(key.record); !s.ok()) {
    return Failed(ctx, "admin.key.add", app_id, s, kCodeInvalidParameter, "first key",
                  "tenant " + Decimal(app_id) +
                      " was created but its first key could not be "
                      "stored (" +
                      s.message() + "); run 'obvpnctl key add " + Decimal(app_id) + "'");
  }
  Audit(ctx, "admin.key.add", app_id, 0, KeyDetail(key.record) + " first key");
  Output out;
  out.always_json = true;
  out.json = KeyJson(key);
  return out;
}

Result<Output> TenantList(AdminContext& ctx) {
  OBVPN_ASSIGN_OR_RETURN(std::vector<store::Tenant> tenants, ctx.store.ListTenants());
  OBVPN_ASSIGN_OR_RETURN(std::vector<store::ApiKey> keys, ctx.store.ListKeys(std::nullopt));
  std::map<store::AppId, size_t> key_count;
  for (const auto& k : keys) ++key_count[k.app_id];
  Output out;
  out.json = Json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : tenants) {
    OBVPN_ASSIGN_OR_RETURN(std::optional<store::Account> account, ctx.store.FindAccount(t.app_id));
    const size_t n = key_count[t.app_id];
    out.json.push_back({{"appId", t.app_id},
                        {"createdAt", t.created_at},
                        {"keys", n},
                        {"account", account.has_value()}});
    rows.push_back({Decimal(t.app_id), TimeCell(t.created_at), std::to_string(n),
                    account ? (account->locked ? "locked" : "yes") : "no"});
  }
  out.text = RenderTable({"APP_ID", "CREATED_AT", "KEYS", "ACCOUNT"}, rows);
  return out;
}

Result<Output> KeyAdd(AdminContext& ctx, store::AppId app_id, const KeyAddOptions& options) {
  constexpr std::string_view kAction = "admin.key.add";
  for (const std::string& a : options.actions) {
    if (!IsKnownAction(a)) {
      ctx.warnings << "obvpnctl: warning: '" << a
                   << "' is not an action obvpn knows (GetOutBandVPNAuthInfo, "
                      "SetOutBandVPNAuthPwd, SetOutBandVpnAuthPassword); keeping it\n";
    }
  }
  if (options.expires_in && *options.expires_in <= 0) {
    return InvalidArgument("--expires-in must be a positive number of seconds");
  }
  const int64_t now = ctx.clock.NowUnix();
  NewKey key;
  GenerateKey(ctx, app_id, options, now, &key);
  if (Status s = ctx.store.AddKey(key.record); !s.ok()) {
    std::string message;
    if (s.code() == StatusCode::kNotFound) message = TenantMissing(app_id);
    return Failed(ctx, kAction, app_id, s, kCodeInvalidParameter, KeyDetail(key.record),
                  std::move(message));
  }
  Audit(ctx, kAction, app_id, 0, KeyDetail(key.record));
  Output out;
  out.always_json = true;
  out.json = KeyJson(key);
  return out;
}

Result<Output> KeyList(AdminContext& ctx, store::AppId app_id) {
  OBVPN_ASSIGN_OR_RETURN(bool exists, ctx.store.TenantExists(app_id));
  if (!exists) return NotFound(TenantMissing(app_id));
  OBVPN_ASSIGN_OR_RETURN(std::vector<store::ApiKey> keys, ctx.store.ListKeys(app_id));
  const int64_t now = ctx.clock.NowUnix();
  Output out;
  out.json = Json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auto& k : keys) {
    Json j = {{"secretId", k.secret_id}, {"enabled", k.enabled}, {"actions", k.actions}};
    j["expiresAt"] = k.expires_at ? Json(*k.expires_at) : Json(nullptr);
    j["createdAt"] = k.created_at;
    out.json.push_back(std::move(j));
    std::string actions;
    for (size_t i = 0; i < k.actions.size(); ++i) actions += (i ? "," : "") + k.actions[i];
    std::string expires = "-";
    if (k.expires_at) {
      expires = TimeCell(*k.expires_at) + (*k.expires_at <= now ? " (expired)" : "");
    }
    rows.push_back({k.secret_id, k.enabled ? "yes" : "no", actions.empty() ? "(all)" : actions,
                    expires, TimeCell(k.created_at)});
  }
  out.text = RenderTable({"SECRET_ID", "ENABLED", "ACTIONS", "EXPIRES_AT", "CREATED_AT"}, rows);
  return out;
}

Result<Output> KeySetEnabled(AdminContext& ctx, const std::string& secret_id, bool enabled) {
  const std::string_view action = enabled ? "admin.key.enable" : "admin.key.disable";
  const std::string detail = "secretId=" + secret_id;
  auto found = ctx.store.FindKey(secret_id);
  if (!found.ok()) return Failed(ctx, action, 0, found.status(), kCodeAuthFailure, detail);
  if (!found->has_value()) {
    return Failed(ctx, action, 0, NotFound(""), kCodeAuthFailure, detail,
                  "no API key with SecretId '" + secret_id + "'");
  }
  const store::AppId app_id = (*found)->app_id;
  if (Status s = ctx.store.SetKeyEnabled(secret_id, enabled); !s.ok()) {
    return Failed(ctx, action, app_id, s, kCodeAuthFailure, detail);
  }
  Audit(ctx, action, app_id, 0, detail);
  Output out;
  out.json = {{"secretId", secret_id}, {"appId", app_id}, {"enabled", enabled}};
  out.text = "key " + secret_id + " of tenant " + Decimal(app_id) +
             (enabled ? " enabled\n" : " disabled\n");
  return out;
}

Result<Output> KeyDelete(AdminContext& ctx, const std::string& secret_id) {
  constexpr std::string_view kAction = "admin.key.delete";
  const std::string detail = "secretId=" + secret_id;
  auto found = ctx.store.FindKey(secret_id);
  if (!found.ok()) return Failed(ctx, kAction, 0, found.status(), kCodeAuthFailure, detail);
  if (!found->has_value()) {
    return Failed(ctx, kAction, 0, NotFound(""), kCodeAuthFailure, detail,
                  "no API key with SecretId '" + secret_id + "'");
  }
  const store::AppId app_id = (*found)->app_id;
  if (Status s = ctx.store.DeleteKey(secret_id); !s.ok()) {
    return Failed(ctx, kAction, app_id, s, kCodeAuthFailure, detail);
  }
  Audit(ctx, kAction, app_id, 0, detail);
  Output out;
  out.json = {{"secretId", secret_id}, {"appId", app_id}, {"deleted", true}};
  out.text = "key " + secret_id + " of tenant " + Decimal(app_id) + " deleted\n";
  return out;
}

Result<Output> KeyRotate(AdminContext& ctx, const std::string& secret_id,
                         const KeyRotateOptions& options) {
  constexpr std::string_view kAction = "admin.key.rotate";
  if (options.grace_s < 0) return InvalidArgument("--grace must be 0 or more seconds");
  const std::string detail = "secretId=" + secret_id;
  auto found = ctx.store.FindKey(secret_id);
  if (!found.ok()) return Failed(ctx, kAction, 0, found.status(), kCodeAuthFailure, detail);
  if (!found->has_value()) {
    return Failed(ctx, kAction, 0, NotFound(""), kCodeAuthFailure, detail,
                  "no API key with SecretId '" + secret_id + "'");
  }
  const store::ApiKey& old_key = **found;
  if (!old_key.token_sha256_hex.empty()) {
    return Failed(ctx, kAction, old_key.app_id, InvalidArgument(""), kCodeInvalidParameter, detail,
                  "key " + secret_id +
                      " is a temporary key; it expires by itself (add a new one with "
                      "'obvpnctl key add " +
                      Decimal(old_key.app_id) + " --expires-in SECONDS')");
  }
  const int64_t now = ctx.clock.NowUnix();
  KeyAddOptions same;
  same.actions = old_key.actions;
  NewKey key;
  GenerateKey(ctx, old_key.app_id, same, now, &key);
  const int64_t expires_at = now + options.grace_s;
  const std::string rotate_detail = KeyDetail(key.record) + " replaces=" + secret_id +
                                    " oldKeyExpiresAt=" + std::to_string(expires_at);
  if (Status s = ctx.store.RotateKey(key.record, secret_id, expires_at); !s.ok()) {
    return Failed(ctx, kAction, old_key.app_id, s, kCodeAuthFailure, rotate_detail);
  }
  Audit(ctx, kAction, old_key.app_id, 0, rotate_detail);
  // An earlier expiry of the old key is kept (store.h RotateKey).
  const int64_t old_expires =
      old_key.expires_at ? std::min(*old_key.expires_at, expires_at) : expires_at;
  Output out;
  out.always_json = true;
  out.json = KeyJson(key);
  out.json["replaces"] = secret_id;
  out.json["oldKeyExpiresAt"] = old_expires;
  return out;
}

Result<Output> AccountShow(AdminContext& ctx, store::AppId app_id) {
  OBVPN_ASSIGN_OR_RETURN(bool exists, ctx.store.TenantExists(app_id));
  if (!exists) return NotFound(TenantMissing(app_id));
  OBVPN_ASSIGN_OR_RETURN(std::optional<store::Account> account, ctx.store.FindAccount(app_id));
  // SPEC §5: active RADIUS sessions (from accounting) count against the session limit.
  OBVPN_ASSIGN_OR_RETURN(int64_t active_sessions, ctx.store.CountActiveSessions(app_id));
  // SPEC §2: userName is the appId in decimal, userGroup "bm" + appId.
  const std::string user_name = Decimal(app_id);
  const std::string user_group = "bm" + user_name;
  Output out;
  out.json = {{"appId", app_id},
              {"exists", account.has_value()},
              {"locked", account ? account->locked : false},
              {"createdAt", account ? Json(account->created_at) : Json(nullptr)},
              {"updatedAt", account ? Json(account->updated_at) : Json(nullptr)},
              {"userName", user_name},
              {"userGroup", user_group},
              {"activeSessions", active_sessions}};
  out.text = RenderFields({{"appId", user_name},
                           {"exists", account ? "yes" : "no"},
                           {"locked", account && account->locked ? "yes" : "no"},
                           {"createdAt", account ? TimeCell(account->created_at) : "-"},
                           {"updatedAt", account ? TimeCell(account->updated_at) : "-"},
                           {"userName", user_name},
                           {"userGroup", user_group},
                           {"activeSessions", std::to_string(active_sessions)}});
  return out;
}

Result<Output> AccountChange(AdminContext& ctx, store::AppId app_id, AccountOp op) {
  std::string_view action;
  std::string_view done;
  switch (op) {
    case AccountOp::kLock:
      action = "admin.account.lock";
      done = "locked";
      break;
    case AccountOp::kUnlock:
      action = "admin.account.unlock";
      done = "unlocked";
      break;
    case AccountOp::kDelete:
      action = "admin.account.delete";
      done = "deleted";
      break;
  }
  const Status s =
      op == AccountOp::kDelete
          ? ctx.store.DeleteAccount(app_id)
          : ctx.store.SetAccountLocked(app_id, op == AccountOp::kLock, ctx.clock.NowUnix());
  if (!s.ok()) {
    std::string message;
    if (s.code() == StatusCode::kNotFound) {
      auto exists = ctx.store.TenantExists(app_id);
      message = exists.ok() && !*exists ? TenantMissing(app_id)
                                        : "tenant " + Decimal(app_id) + " has no VPN account";
    }
    return Failed(ctx, action, app_id, s, kCodeNoAccount, "", std::move(message));
  }
  Audit(ctx, action, app_id, 0, "");
  Output out;
  out.json = {{"appId", app_id}, {"result", done}};
  out.text = "VPN account of tenant " + Decimal(app_id) + " " + std::string(done) + "\n";
  return out;
}

Result<Output> RadiusClientAdd(AdminContext& ctx, const RadiusClientAddOptions& options) {
  constexpr std::string_view kAction = "admin.radius-client.add";
  const std::string detail =
      "name=" + options.name + " address=" + options.address + " requireMessageAuthenticator=" +
      std::string(RequireMessageAuthenticatorName(options.require_message_authenticator));
  OBVPN_ASSIGN_OR_RETURN(std::string secret, ReadSecretFile(ctx, options.secret_file));
  store::RadiusClient client;
  client.name = options.name;
  client.address = options.address;
  client.sealed_secret = ctx.box.Seal(secret, "radius-client:" + options.name);
  crypto::Wipe(secret);
  client.require_message_authenticator = options.require_message_authenticator;
  client.created_at = ctx.clock.NowUnix();
  if (Status s = ctx.store.AddRadiusClient(client); !s.ok()) {
    std::string message;
    if (s.code() == StatusCode::kAlreadyExists) {
      message = "RADIUS client '" + options.name + "' already exists";
    }
    return Failed(ctx, kAction, 0, s, kCodeInvalidParameter, detail, std::move(message));
  }
  Audit(ctx, kAction, 0, 0, detail);
  Output out;
  out.json = {{"name", client.name},
              {"address", client.address},
              {"requireMessageAuthenticator",
               RequireMessageAuthenticatorName(client.require_message_authenticator)},
              {"createdAt", client.created_at}};
  out.text = "RADIUS client '" + client.name + "' added for " + client.address + "\n";
  return out;
}

Result<Output> RadiusClientList(AdminContext& ctx) {
  OBVPN_ASSIGN_OR_RETURN(std::vector<store::RadiusClient> clients, ctx.store.ListRadiusClients());
  Output out;
  out.json = Json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : clients) {
    const std::string_view rma = RequireMessageAuthenticatorName(c.require_message_authenticator);
    out.json.push_back({{"name", c.name},
                        {"address", c.address},
                        {"requireMessageAuthenticator", rma},
                        {"createdAt", c.created_at}});
    rows.push_back({c.name, c.address, std::string(rma), TimeCell(c.created_at)});
  }
  out.text = RenderTable({"NAME", "ADDRESS", "REQUIRE_MESSAGE_AUTHENTICATOR", "CREATED_AT"}, rows);
  return out;
}

Result<Output> RadiusClientRemove(AdminContext& ctx, const std::string& name) {
  constexpr std::string_view kAction = "admin.radius-client.remove";
  if (Status s = ctx.store.RemoveRadiusClient(name); !s.ok()) {
    std::string message;
    if (s.code() == StatusCode::kNotFound) message = "no RADIUS client named '" + name + "'";
    return Failed(ctx, kAction, 0, s, kCodeInvalidParameter, "name=" + name, std::move(message));
  }
  Audit(ctx, kAction, 0, 0, "name=" + name);
  Output out;
  out.json = {{"name", name}, {"removed", true}};
  out.text = "RADIUS client '" + name + "' removed\n";
  return out;
}

Output ZoneList(const config::Config& config) {
  Output out;
  out.json = Json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auto& z : config.zones) {
    const config::Region* region = config::FindRegion(z.region);
    const std::string name = region ? std::string(region->name) : "";
    out.json.push_back({{"zoneId", z.id},
                        {"region", z.region},
                        {"regionName", name},
                        {"vpnGwAddr", z.vpn_gateway}});
    rows.push_back({std::to_string(z.id), z.region, name, z.vpn_gateway});
  }
  out.text = RenderTable({"ZONE_ID", "REGION", "REGION_NAME", "VPN_GATEWAY"}, rows);
  return out;
}

Result<Output> AuditList(AdminContext& ctx, const AuditOptions& options) {
  store::AuditFilter filter;
  filter.app_id = options.app_id;
  filter.since = options.since;
  filter.limit = options.limit;
  OBVPN_ASSIGN_OR_RETURN(std::vector<store::AuditEvent> events, ctx.store.ListAudit(filter));
  Output out;
  out.json = Json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : events) {
    out.json.push_back({{"id", e.id},
                        {"time", e.time},
                        {"appId", e.app_id},
                        {"secretId", e.secret_id},
                        {"action", e.action},
                        {"source", e.source},
                        {"resultCode", e.result_code},
                        {"requestId", e.request_id},
                        {"detail", e.detail}});
    rows.push_back({TimeCell(e.time), e.app_id ? Decimal(e.app_id) : "-", e.action,
                    std::to_string(e.result_code), e.source,
                    e.secret_id.empty() ? "-" : e.secret_id, e.request_id, e.detail});
  }
  out.text = RenderTable(
      {"TIME", "APP_ID", "ACTION", "CODE", "SOURCE", "SECRET_ID", "REQUEST_ID", "DETAIL"}, rows);
  return out;
}

}  // namespace obvpn::cli
