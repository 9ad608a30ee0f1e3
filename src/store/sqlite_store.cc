// SqliteStore (SPEC §6): the embedded default Store.
//
// Durability: WAL journal with synchronous=FULL, so a write is on disk when the method
// returns (SPEC §3.5 "The change is durable before the response is sent"). Every write
// is one BEGIN IMMEDIATE transaction, rolled back on any failure (store.h: "A failed
// write changes nothing").
//
// Encoding notes, shared with any other Store that reads this schema:
// - AppId is uint64 (SPEC §2: "unsigned 64-bit decimal"); SQLite integers are signed
//   64-bit, so app ids are stored bit-cast to int64 (2^63 is stored as -2^63). Ordering
//   by app_id is therefore done in C++, never in SQL.
// - api_keys.actions is the allow-list joined with ','; an action name holding ',' is
//   rejected (InvalidArgument) because it could not round-trip.
// - Sealed secrets, replay keys and meta values are opaque bytes and stored as BLOBs.
// - The change counter lives in its own one-row table `generation`, bumped in the same
//   transaction as every change to tenants, keys, RADIUS clients and account lock state
//   or deletion.
#include "store/sqlite_store.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "store/sqlite_store_internal.h"
#include "store/sqlite_util.h"

namespace obvpn::store {
namespace {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::Transaction;

// PRAGMA application_id of an obvpn database ("obvp"): tells an obvpn database from
// some other application's SQLite file.
constexpr int32_t kApplicationId = 0x6F627670;

// One schema migration: applied, in order, to a database whose user_version is below
// `version`. Never edit a released step; append a new one.
struct Migration {
  int version;
  const char* sql;
};

constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE tenants (
  app_id     INTEGER PRIMARY KEY,  -- AppId bit-cast to signed 64-bit
  created_at INTEGER NOT NULL
);
CREATE TABLE api_keys (
  secret_id         TEXT PRIMARY KEY,
  app_id            INTEGER NOT NULL REFERENCES tenants (app_id) ON DELETE CASCADE,
  sealed_secret_key BLOB NOT NULL,
  enabled           INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  actions           TEXT NOT NULL,     -- comma-joined allow-list; '' = every action
  expires_at        INTEGER,           -- NULL for permanent keys
  token_sha256_hex  TEXT NOT NULL,
  created_at        INTEGER NOT NULL
);
CREATE INDEX api_keys_app_id ON api_keys (app_id);
CREATE TABLE accounts (
  app_id        INTEGER PRIMARY KEY REFERENCES tenants (app_id) ON DELETE CASCADE,
  password_hash TEXT NOT NULL,
  locked        INTEGER NOT NULL CHECK (locked IN (0, 1)),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE TABLE radius_clients (
  name          TEXT PRIMARY KEY,
  address       TEXT NOT NULL,
  sealed_secret BLOB NOT NULL,
  require_ma    TEXT NOT NULL CHECK (require_ma IN ('yes', 'no', 'auto')),
  created_at    INTEGER NOT NULL
);
CREATE TABLE replay (
  key        BLOB PRIMARY KEY,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX replay_expires_at ON replay (expires_at);
CREATE TABLE audit (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  time        INTEGER NOT NULL,
  app_id      INTEGER NOT NULL,
  secret_id   TEXT NOT NULL,
  action      TEXT NOT NULL,
  source      TEXT NOT NULL,
  result_code INTEGER NOT NULL,
  request_id  TEXT NOT NULL,
  detail      TEXT NOT NULL
);
CREATE INDEX audit_app_id_time ON audit (app_id, time);
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
);
CREATE TABLE generation (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
);
INSERT INTO generation (id, value) VALUES (1, 0);
)sql"},
    // Version 2: RADIUS accounting sessions (SPEC §5: active sessions per tenant and the
    // per-tenant session limit, shared by every node). No foreign key to tenants: an
    // Accounting-Request is recorded as the NAS reports it, and sessions are counted,
    // never joined.
    {2, R"sql(
CREATE TABLE radius_sessions (
  client     TEXT NOT NULL,     -- RADIUS client name (radius_clients.name)
  session_id BLOB NOT NULL,     -- Acct-Session-Id octets
  app_id     INTEGER NOT NULL,  -- AppId bit-cast to signed 64-bit
  started_at INTEGER NOT NULL,
  seen_at    INTEGER NOT NULL,  -- last Start / Interim-Update / Stop
  stopped_at INTEGER,           -- NULL while the session is active
  PRIMARY KEY (client, session_id)
) WITHOUT ROWID;
CREATE INDEX radius_sessions_active ON radius_sessions (app_id) WHERE stopped_at IS NULL;
CREATE INDEX radius_sessions_client_active ON radius_sessions (client) WHERE stopped_at IS NULL;
)sql"},
};

constexpr int kSchemaVersion = kMigrations[std::size(kMigrations) - 1].version;

int64_t ToDb(AppId id) { return std::bit_cast<int64_t>(id); }
AppId FromDb(int64_t v) { return std::bit_cast<AppId>(v); }

std::string JoinActions(const std::vector<std::string>& actions) {
  std::string out;
  for (size_t i = 0; i < actions.size(); ++i) {
    if (i > 0) out += ',';
    out += actions[i];
  }
  return out;
}

std::vector<std::string> SplitActions(const std::string& joined) {
  std::vector<std::string> out;
  if (joined.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t comma = joined.find(',', start);
    out.push_back(joined.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

const char* RequireMaToDb(RequireMessageAuthenticator r) {
  switch (r) {
    case RequireMessageAuthenticator::kYes:
      return "yes";
    case RequireMessageAuthenticator::kNo:
      return "no";
    case RequireMessageAuthenticator::kAuto:
      return "auto";
  }
  return "yes";
}

Result<RequireMessageAuthenticator> RequireMaFromDb(const std::string& s) {
  if (s == "yes") return RequireMessageAuthenticator::kYes;
  if (s == "no") return RequireMessageAuthenticator::kNo;
  if (s == "auto") return RequireMessageAuthenticator::kAuto;
  return DataLoss("sqlite: radius_clients.require_ma holds an unknown value");
}

// --- connection pool ---

class ConnectionPool;

// A connection checked out of the pool; given back (or closed, if broken) on destruction.
class Lease {
 public:
  Lease(ConnectionPool* pool, std::unique_ptr<Connection> conn)
      : pool_(pool), conn_(std::move(conn)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease();

  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_.get(); }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<Connection> conn_;
};

// Up to `max` open connections to one database file. A caller finding all of them in
// use waits up to the busy timeout for one to come back, then gets Unavailable.
// Thread-safe.
class ConnectionPool {
 public:
  ConnectionPool(std::string path, int flags, int busy_timeout_ms, size_t max)
      : path_(std::move(path)),
        flags_(flags),
        busy_timeout_ms_(std::max(busy_timeout_ms, 0)),
        max_(std::max<size_t>(max, 1)) {}

  Result<Lease> Acquire() {
    std::unique_lock lock(mu_);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms_);
    while (true) {
      if (!idle_.empty()) {
        std::unique_ptr<Connection> conn = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(conn));
      }
      if (open_ < max_) {
        ++open_;
        lock.unlock();
        auto conn = Connection::Open(path_, flags_, busy_timeout_ms_);
        if (!conn.ok()) {
          lock.lock();
          --open_;
          cv_.notify_one();
          return conn.status();
        }
        return Lease(this, std::move(conn).value());
      }
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= max_) {
        return Unavailable("sqlite: all " + std::to_string(max_) +
                           " database connections are busy");
      }
    }
  }

  void Release(std::unique_ptr<Connection> conn) {
    std::lock_guard lock(mu_);
    if (conn->broken()) {
      // An I/O error or corruption was seen: do not hand this handle out again; the
      // next caller opens a fresh one.
      --open_;
      conn.reset();
    } else {
      idle_.push_back(std::move(conn));
    }
    cv_.notify_one();
  }

 private:
  const std::string path_;
  const int flags_;
  const int busy_timeout_ms_;
  const size_t max_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  size_t open_ = 0;                                // guarded by mu_; idle + leased
};

Lease::~Lease() {
  if (conn_ != nullptr) pool_->Release(std::move(conn_));
}

// --- migrations ---

struct SchemaInfo {
  int64_t user_version = 0;
  int64_t application_id = 0;
  int64_t object_count = 0;  // rows in sqlite_master
};

Result<int64_t> ReadInt(Connection& c, const char* sql, std::string_view what) {
  OBVPN_ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, what));
  OBVPN_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Internal("sqlite: " + std::string(what) + ": no result");
  return st.ColumnInt64(0);
}

Result<SchemaInfo> ReadSchemaInfo(Connection& c) {
  SchemaInfo info;
  OBVPN_ASSIGN_OR_RETURN(info.user_version, ReadInt(c, "PRAGMA user_version", "user_version"));
  OBVPN_ASSIGN_OR_RETURN(info.application_id,
                         ReadInt(c, "PRAGMA application_id", "application_id"));
  OBVPN_ASSIGN_OR_RETURN(info.object_count,
                         ReadInt(c, "SELECT count(*) FROM sqlite_master", "schema"));
  return info;
}

Status CheckSchemaInfo(const SchemaInfo& info) {
  if (info.user_version > kSchemaVersion) {
    // Downgrading the binary would otherwise run old code on a schema it does not know.
    return DataLoss("sqlite: the database has schema version " + std::to_string(info.user_version) +
                    ", which is newer than this binary (it knows up to version " +
                    std::to_string(kSchemaVersion) + "); run a newer obvpn");
  }
  if (info.user_version < 0) {
    return DataLoss("sqlite: not an obvpn database (negative schema version)");
  }
  if (info.user_version == 0 && info.object_count > 0) {
    return DataLoss("sqlite: not an obvpn database (it has tables but no obvpn schema version)");
  }
  if (info.user_version > 0 && info.application_id != kApplicationId) {
    return DataLoss("sqlite: not an obvpn database (foreign application_id)");
  }
  return Status::Ok();
}

// Brings the schema to kSchemaVersion (SPEC §6: "schema migrations versioned in the
// file"). A current database is only read, so a read-only connection can open it.
Status Migrate(Connection& c) {
  OBVPN_ASSIGN_OR_RETURN(SchemaInfo info, ReadSchemaInfo(c));
  OBVPN_RETURN_IF_ERROR(CheckSchemaInfo(info));
  if (info.user_version == kSchemaVersion) return Status::Ok();

  Transaction txn(c);
  OBVPN_RETURN_IF_ERROR(txn.Begin("migrate"));
  // Another process may have migrated between the check above and the write lock.
  OBVPN_ASSIGN_OR_RETURN(info, ReadSchemaInfo(c));
  OBVPN_RETURN_IF_ERROR(CheckSchemaInfo(info));
  for (const Migration& m : kMigrations) {
    if (m.version <= info.user_version) continue;
    OBVPN_RETURN_IF_ERROR(c.Exec(m.sql, "migrate to version " + std::to_string(m.version)));
  }
  // PRAGMA arguments cannot be bound; both values are constants of this file, not data.
  const std::string set_ids = "PRAGMA application_id = " + std::to_string(kApplicationId) +
                              "; PRAGMA user_version = " + std::to_string(kSchemaVersion);
  OBVPN_RETURN_IF_ERROR(c.Exec(set_ids.c_str(), "migrate: set user_version"));
  return txn.Commit("migrate");
}

// --- rows ---

ApiKey RowToKey(const Statement& st) {
  ApiKey k;
  k.secret_id = st.ColumnText(0);
  k.app_id = FromDb(st.ColumnInt64(1));
  k.sealed_secret_key = st.ColumnBlob(2);
  k.enabled = st.ColumnInt64(3) != 0;
  k.actions = SplitActions(st.ColumnText(4));
  if (!st.ColumnIsNull(5)) k.expires_at = st.ColumnInt64(5);
  k.token_sha256_hex = st.ColumnText(6);
  k.created_at = st.ColumnInt64(7);
  return k;
}

Result<std::vector<ApiKey>> CollectKeys(Statement& st) {
  std::vector<ApiKey> keys;
  while (true) {
    OBVPN_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    keys.push_back(RowToKey(st));
  }
  return keys;
}

AuditEvent RowToAudit(const Statement& st) {
  AuditEvent e;
  e.id = st.ColumnInt64(0);
  e.time = st.ColumnInt64(1);
  e.app_id = FromDb(st.ColumnInt64(2));
  e.secret_id = st.ColumnText(3);
  e.action = st.ColumnText(4);
  e.source = st.ColumnText(5);
  e.result_code = static_cast<int>(st.ColumnInt64(6));
  e.request_id = st.ColumnText(7);
  e.detail = st.ColumnText(8);
  return e;
}

// --- statements shared by several methods; each runs inside the caller's transaction ---

Status BumpGeneration(Connection& c) {
  OBVPN_ASSIGN_OR_RETURN(
      Statement st,
      c.Prepare("UPDATE generation SET value = value + 1 WHERE id = 1", "generation"));
  OBVPN_RETURN_IF_ERROR(st.Run());
  if (c.Changes() != 1) return DataLoss("sqlite: the generation row is missing");
  return Status::Ok();
}

// SPEC §3.2: a replay key may be claimed once. A stored claim blocks the key until
// PurgeReplay removes it (once expires_at < now). That is the same as "until it
// expires": a claim's expiry is the end of its request's timestamp window, so a
// request carrying an expired claim's key is already refused by the timestamp check.
Result<bool> InsertClaim(Connection& c, const ReplayClaim& claim) {
  OBVPN_ASSIGN_OR_RETURN(Statement st,
                         c.Prepare("INSERT INTO replay (key, expires_at) VALUES (?1, ?2) "
                                   "ON CONFLICT (key) DO NOTHING",
                                   "replay claim"));
  OBVPN_RETURN_IF_ERROR(st.BindBlob(1, claim.key).BindInt64(2, claim.expires_at).Run());
  return c.Changes() == 1;
}

Status InsertAudit(Connection& c, const AuditEvent& e) {
  OBVPN_ASSIGN_OR_RETURN(
      Statement st,
      c.Prepare("INSERT INTO audit (time, app_id, secret_id, action, source, result_code, "
                "request_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                "audit append"));
  return st.BindInt64(1, e.time)
      .BindInt64(2, ToDb(e.app_id))
      .BindText(3, e.secret_id)
      .BindText(4, e.action)
      .BindText(5, e.source)
      .BindInt64(6, e.result_code)
      .BindText(7, e.request_id)
      .BindText(8, e.detail)
      .Run();
}

Result<bool> TenantExistsIn(Connection& c, AppId app_id) {
  OBVPN_ASSIGN_OR_RETURN(Statement st,
                         c.Prepare("SELECT 1 FROM tenants WHERE app_id = ?1", "tenant exists"));
  return st.BindInt64(1, ToDb(app_id)).Step();
}

// --- the store ---

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<ConnectionPool> pool) : pool_(std::move(pool)) {}

  // --- tenants ---

  Status AddTenant(AppId app_id, int64_t now) override {
    return Write("AddTenant", [&](Connection& c, Transaction&) -> Status {
      OBVPN_ASSIGN_OR_RETURN(Statement st,
                             c.Prepare("INSERT INTO tenants (app_id, created_at) VALUES (?1, ?2) "
                                       "ON CONFLICT (app_id) DO NOTHING",
                                       "AddTenant"));
      OBVPN_RETURN_IF_ERROR(st.BindInt64(1, ToDb(app_id)).BindInt64(2, now).Run());
      if (c.Changes() == 0) {
        return AlreadyExists("tenant " + std::to_string(app_id) + " already exists");
      }
      return BumpGeneration(c);
    });
  }

  Result<std::vector<Tenant>> ListTenants() override {
    return Read("ListTenants", [&](Connection& c) -> Result<std::vector<Tenant>> {
      OBVPN_ASSIGN_OR_RETURN(Statement st,
                             c.Prepare("SELECT app_id, created_at FROM tenants", "ListTenants"));
      std::vector<Tenant> out;
      while (true) {
        OBVPN_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        out.push_back(Tenant{FromDb(st.ColumnInt64(0)), st.ColumnInt64(1)});
      }
      // Unsigned order (SQL would order the bit-cast values as signed).
      std::sort(out.begin(), out.end(),
                [](const Tenant& a, const Tenant& b) { return a.app_id < b.app_id; });
      return out;
    });
  }

  Result<bool> TenantExists(AppId app_id) override {
    return Read("TenantExists", [&](Connection& c) { return TenantExistsIn(c, app_id); });
  }

  // --- API keys ---

  Status AddKey(const ApiKey& key) override {
    for (const std::string& action : key.actions) {
      if (action.find(',') != std::string::npos) {
        return InvalidArgument("an allowed action name must not contain ','");
      }
    }
    return Write("AddKey", [&](Connection& c, Transaction&) -> Status {
      OBVPN_ASSIGN_OR_RETURN(bool tenant, TenantExistsIn(c, key.app_id));
      if (!tenant) return NotFound("tenant " + std::to_string(key.app_id) + " does not exist");
      OBVPN_ASSIGN_OR_RETURN(
          Statement st,
          c.Prepare("INSERT INTO api_keys (secret_id, app_id, sealed_secret_key, enabled, "
                    "actions, expires_at, token_sha256_hex, created_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (secret_id) DO NOTHING",
                    "AddKey"));
      OBVPN_RETURN_IF_ERROR(st.BindText(1, key.secret_id)
                                .BindInt64(2, ToDb(key.app_id))
                                .BindBlob(3, key.sealed_secret_key)
                                .BindInt64(4, key.enabled ? 1 : 0)
                                .BindText(5, JoinActions(key.actions))
                                .BindNullableInt64(6, key.expires_at)
                                .BindText(7, key.token_sha256_hex)
                                .BindInt64(8, key.created_at)
                                .Run());
      if (c.Changes() == 0) return AlreadyExists("key " + key.secret_id + " already exists");
      return BumpGeneration(c);
    });
  }

  Result<std::optional<ApiKey>> FindKey(std::string_view secret_id) override {
    return Read("FindKey", [&](Connection& c) -> Result<std::optional<ApiKey>> {
      OBVPN_ASSIGN_OR_RETURN(
          Statement st,
          c.Prepare("SELECT secret_id, app_id, sealed_secret_key, enabled, actions, expires_at, "
                    "token_sha256_hex, created_at FROM api_keys WHERE secret_id = ?1",
                    "FindKey"));
      OBVPN_ASSIGN_OR_RETURN(bool row, st.BindText(1, secret_id).Step());
      if (!row) return std::optional<ApiKey>();
      return std::optional<ApiKey>(RowToKey(st));
    });
  }

  Result<std::vector<ApiKey>> ListKeys(std::optional<AppId> app_id) override {
    return Read("ListKeys", [&](Connection& c) -> Result<std::vector<ApiKey>> {
      if (app_id) {
        OBVPN_ASSIGN_OR_RETURN(
            Statement st,
            c.Prepare("SELECT secret_id, app_id, sealed_secret_key, enabled, actions, "
                      "expires_at, token_sha256_hex, created_at FROM api_keys "
                      "WHERE app_id = ?1 ORDER BY created_at, secret_id",
                      "ListKeys"));
        st.BindInt64(1, ToDb(*app_id));
        return CollectKeys(st);
      }
      OBVPN_ASSIGN_OR_RETURN(
          Statement st,
          c.Prepare("SELECT secret_id, app_id, sealed_secret_key, enabled, actions, expires_at, "
                    "token_sha256_hex, created_at FROM api_keys ORDER BY created_at, secret_id",
                    "ListKeys"));
      return CollectKeys(st);
    });
  }

  Status SetKeyEnabled(std::string_view secret_id, bool enabled) override {
    return Write("SetKeyEnabled", [&](Connection& c, Transaction&) -> Status {
      OBVPN_ASSIGN_OR_RETURN(
          Statement st,
          c.Prepare("UPDATE api_keys SET enabled = ?2 WHERE secret_id = ?1", "SetKeyEnabled"));
      OBVPN_RETURN_IF_ERROR(st.BindText(1, secret_id).BindInt64(2, enabled ? 1 : 0).Run());
      if (c.Changes() == 0) return NotFound("key " + std::string(secret_id) + " does not exist");
      return BumpGeneration(c);
    });
  }

  Status DeleteKey(std::string_view secret_id) override {
    return Write("DeleteKey", [&](Connection& c, Transaction&) -> Status {
      OBVPN_ASSIGN_OR_RETURN(Statement st,
                             c.Prepare("DELETE FROM api_keys WHERE secret_id = ?1", "DeleteKey"));
      OBVPN_RETURN_IF_ERROR(st.BindText(1, secret_id).Run());
      if (c.Changes() == 0) return NotFound("key " + std::string(secret_id) + " does not exist");
      return BumpGeneration(c);
    });
  }

  Status RotateKey(const ApiKey& replacement, std::string_view old_secret_id,
                   int64_t old_expires_at) override {
    for (const std::string& action : replacement.actions) {
      if (action.find(',') != std::string::npos) {
        return InvalidArgument("an allowed action name must not contain ','");
      }
    }
    return Write("RotateKey", [&](Connection& c, Transaction&) -> Status {
      OBVPN_ASSIGN_OR_RETURN(
          Statement find,
          c.Prepare("SELECT app_id FROM api_keys WHERE secret_id = ?1", "RotateKey: find"));
      OBVPN_ASSIGN_OR_RETURN(bool row, find.BindText(1, old_secret_id).Step());
      if (!row) return NotFound("key " + std::string(old_secret_id) + " does not exist");
      if (FromDb(find.ColumnInt64(0)) != replacement.app_id) {
        return InvalidArgument("key " + std::string(old_secret_id) + " belongs to another tenant");
      }
      OBVPN_ASSIGN_OR_RETURN(
          Statement add,
          c.Prepare("INSERT INTO api_keys (secret_id, app_id, sealed_secret_key, enabled, "
                    "actions, expires_at, token_sha256_hex, created_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (secret_id) DO NOTHING",
                    "RotateKey: add"));
      OBVPN_RETURN_IF_ERROR(add.BindText(1, replacement.secret_id)
                                .BindInt64(2, ToDb(replacement.app_id))
                                .BindBlob(3, replacement.sealed_secret_key)
                                .BindInt64(4, replacement.enabled ? 1 : 0)
                                .BindText(5, JoinActions(replacement.actions))
                                .BindNullableInt64(6, replacement.expires_at)
                                .BindText(7, replacement.token_sha256_hex)
                                .BindInt64(8, replacement.created_at)
                                .Run());
      if (c.Changes() == 0) {
        return AlreadyExists("key " + replacement.secret_id + " already exists");
      }
      OBVPN_ASSIGN_OR_RETURN(
          Statement expire,
          c.Prepare("UPDATE api_keys SET expires_at = min(coalesce(expires_at, ?2), ?2) "
                    "WHERE secret_id = ?1",
                    "RotateKey: expire"));
      OBVPN_RETURN_IF_ERROR(expire.BindText(1, old_secret_id).BindInt64(2, old_expires_at).Run());
      return BumpGeneration(c);
    });
  }

  // --- VPN accounts ---

  Result<std::optional<Account>> FindAccount(AppId app_id) override {
    return Read("FindAccount", [&](Connection& c) -> Result<std::optional<Account>> {
      OBVPN_ASSIGN_OR_RETURN(
          Statement st,
          c.Prepare("SELECT password_hash, locked, created_at, updated_at FROM accounts "
                    "WHERE app_id = ?1",
                    "FindAccount"));
      OBVPN_ASSIGN_OR_RETURN(bool row, st.BindInt64(1, ToDb(app_id)).Step());
      if (!row) return std::optional<Account>();
      Account a;
      a.app_id = app_id;
      a.password_hash = st.ColumnText(0);
      a.locked = st.ColumnInt64(1) != 0;
      a.created_at = st.ColumnInt64(2);
      a.updated_at = st.ColumnInt64(3);
      return std::optional<Account>(std::move(a));
    });
  }

  // SPEC §3.2/§3.5: the replay claim, the account change and its audit event commit
  // together. The claim is durable whatever the outcome (kAlreadyExists, kNotFound), so
  // a refused request replayed after the state changed is still a replay. A missing
  // tenant is a NotFound Status (not an outcome): the write fails and, like every failed
  // write, changes nothing — not even the claim.
  Result<WriteOutcome> CreateAccount(const AccountWrite& write) override {
    return Write("CreateAccount", [&](Connection& c, Transaction& txn) -> Result<WriteOutcome> {
      if (write.replay) {
        OBVPN_ASSIGN_OR_RETURN(bool fresh, InsertClaim(c, *write.replay));
        if (!fresh) {
          txn.Rollback();
          return WriteOutcome::kReplay;
        }
      }
      OBVPN_ASSIGN_OR_RETURN(bool tenant, TenantExistsIn(c, write.app_id));
      if (!tenant) {
        return NotFound("tenant " + std::to_string(write.app_id) + " does not exist");
      }
      OBVPN_ASSIGN_OR_RETURN(
          Statement st,
          c.Prepare("INSERT INTO accounts (app_id, password_hash, locked, created_at, "
                    "updated_at) VALUES (?1, ?2, 0, ?3, ?3) ON CONFLICT (app_id) DO NOTHING",
                    "CreateAccount"));
      OBVPN_RETURN_IF_ERROR(st.BindInt64(1, ToDb(write.app_id))
                                .BindText(2, write.password_hash)
                                .BindInt64(3, write.now)
                                .Run());
      // The primary key makes exactly one of concurrent creates insert the row; the
      // others see it (BEGIN IMMEDIATE serialises them) and report kAlreadyExists.
      if (c.Changes() == 0) return WriteOutcome::kAlreadyExists;
      OBVPN_RETURN_IF_ERROR(InsertAudit(c, write.audit));
      // A new account moves Generation(): caches of "has an account" (AccountPresence)
      // on every node notice it.
      OBVPN_RETURN_IF_ERROR(BumpGeneration(c));
      return WriteOutcome::kApplied;
    });
  }

  Result<WriteOutcome> UpdateAccount(const AccountWrite& write) override {
    return Write("UpdateAccount", [&](Connection& c, Transaction& txn) -> Result<WriteOutcome> {
      if (write.replay) {
        OBVPN_ASSIGN_OR_RETURN(bool fresh, InsertClaim(c, *write.replay));
        if (!fresh) {
          txn.Rollback();
          return WriteOutcome::kReplay;
        }
      }
      OBVPN_ASSIGN_OR_RETURN(
          Statement st,
          c.Prepare("UPDATE accounts SET password_hash = ?2, updated_at = ?3 WHERE app_id = ?1",
                    "UpdateAccount"));
      OBVPN_RETURN_IF_ERROR(st.BindInt64(1, ToDb(write.app_id))
                                .BindText(2, write.password_hash)
                                .BindInt64(3, write.now)
                                .Run());
      if (c.Changes() == 0) return WriteOutcome::kNotFound;
      OBVPN_RETURN_IF_ERROR(InsertAudit(c, write.audit));
      return WriteOutcome::kApplied;
    });
  }

  Status SetAccountLocked(AppId app_id, bool locked, int64_t now) override {
    return Write("SetAccountLocked", [&](Connection& c, Transaction&) -> Status {
      OBVPN_ASSIGN_OR_RETURN(
          Statement st,
          c.Prepare("UPDATE accounts SET locked = ?2, updated_at = ?3 WHERE app_id = ?1",
                    "SetAccountLocked"));
      OBVPN_RETURN_IF_ERROR(
          st.BindInt64(1, ToDb(app_id)).BindInt64(2, locked ? 1 : 0).BindInt64(3, now).Run());
      if (c.Changes() == 0) {
        return NotFound("tenant " + std::to_string(app_id) + " has no VPN account");
      }
      return BumpGeneration(c);
    });
  }

  Status DeleteAccount(AppId app_id) override {
    return Write("DeleteAccount", [&](Connection& c, Transaction&) -> Status {
      OBVPN_ASSIGN_OR_RETURN(Statement st,
                             c.Prepare("DELETE FROM accounts WHERE app_id = ?1", "DeleteAccount"));
      OBVPN_RETURN_IF_ERROR(st.BindInt64(1, ToDb(app_id)).Run());
      if (c.Changes() == 0) {
        return NotFound("tenant " + std::to_string(app_id) + " has no VPN account");
      }
      return BumpGeneration(c);
    });
  }

  // --- RADIUS clients ---

  Status AddRadiusClient(const RadiusClient& client) override {
    return Write("AddRadiusClient", [&](Connection& c, Transaction&) -> Status {
      OBVPN_ASSIGN_OR_RETURN(
          Statement st,
          c.Prepare("INSERT INTO radius_clients (name, address, sealed_secret, require_ma, "
                    "created_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO NOTHING",
                    "AddRadiusClient"));
      OBVPN_RETURN_IF_ERROR(st.BindText(1, client.name)
                                .BindText(2, client.address)
                                .BindBlob(3, client.sealed_secret)
                                .BindText(4, RequireMaToDb(client.require_message_authenticator))
                                .BindInt64(5, client.created_at)
                                .Run());
      if (c.Changes() == 0) {
        return AlreadyExists("RADIUS client " + client.name + " already exists");
      }
      return BumpGeneration(c);
    });
  }

  Result<std::vector<RadiusClient>> ListRadiusClients() override {
    return Read("ListRadiusClients", [&](Connection& c) -> Result<std::vector<RadiusClient>> {
      OBVPN_ASSIGN_OR_RETURN(
          Statement st, c.Prepare("SELECT name, address, sealed_secret, require_ma, created_at "
                                  "FROM radius_clients ORDER BY name",
                                  "ListRadiusClients"));
      std::vector<RadiusClient> out;
      while (true) {
        OBVPN_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        RadiusClient r;
        r.name = st.ColumnText(0);
        r.address = st.ColumnText(1);
        r.sealed_secret = st.ColumnBlob(2);
        OBVPN_ASSIGN_OR_RETURN(r.require_message_authenticator, RequireMaFromDb(st.ColumnText(3)));
        r.created_at = st.ColumnInt64(4);
        out.push_back(std::move(r));
      }
      return out;
    });
  }

  Status RemoveRadiusClient(std::string_view name) override {
    return Write("RemoveRadiusClient", [&](Connection& c, Transaction&) -> Status {
      OBVPN_ASSIGN_OR_RETURN(Statement st, c.Prepare("DELETE FROM radius_clients WHERE name = ?1",
                                                     "RemoveRadiusClient"));
      OBVPN_RETURN_IF_ERROR(st.BindText(1, name).Run());
      if (c.Changes() == 0) {
        return NotFound("RADIUS client " + std::string(name) + " does not exist");
      }
      return BumpGeneration(c);
    });
  }

  // --- RADIUS accounting sessions ---

  Status RecordSessionStart(AppId app_id, std::string_view client, std::string_view session_id,
                            int64_t time) override {
    return Write("RecordSessionStart", [&](Connection& c, Transaction&) -> Status {
      // A stopped session keeps its stopped_at: the WHERE of the upsert leaves it alone.
      OBVPN_ASSIGN_OR_RETURN(
          Statement st,
          c.Prepare("INSERT INTO radius_sessions (client, session_id, app_id, started_at, "
                    "seen_at, stopped_at) VALUES (?1, ?2, ?3, ?4, ?4, NULL) "
                    "ON CONFLICT (client, session_id) DO UPDATE SET "
                    "seen_at = max(seen_at, excluded.seen_at) WHERE stopped_at IS NULL",
                    "RecordSessionStart"));
      return st.BindText(1, client)
          .BindBlob(2, session_id)
          .BindInt64(3, ToDb(app_id))
          .BindInt64(4, time)
          .Run();
    });
  }

  Status RecordSessionStop(AppId app_id, std::string_view client, std::string_view session_id,
                           int64_t time) override {
    return Write("RecordSessionStop", [&](Connection& c, Transaction&) -> Status {
      OBVPN_ASSIGN_OR_RETURN(
          Statement st,
          c.Prepare("INSERT INTO radius_sessions (client, session_id, app_id, started_at, "
                    "seen_at, stopped_at) VALUES (?1, ?2, ?3, ?4, ?4, ?4) "
                    "ON CONFLICT (client, session_id) DO UPDATE SET "
                    "seen_at = max(seen_at, excluded.seen_at), "
                    "stopped_at = coalesce(stopped_at, excluded.stopped_at)",
                    "RecordSessionStop"));
      return st.BindText(1, client)
          .BindBlob(2, session_id)
          .BindInt64(3, ToDb(app_id))
          .BindInt64(4, time)
          .Run();
    });
  }

  Status StopClientSessions(std::string_view client, int64_t time) override {
    return Write("StopClientSessions", [&](Connection& c, Transaction&) -> Status {
      OBVPN_ASSIGN_OR_RETURN(
          Statement st,
          c.Prepare("UPDATE radius_sessions SET stopped_at = ?2, seen_at = max(seen_at, ?2) "
                    "WHERE client = ?1 AND stopped_at IS NULL",
                    "StopClientSessions"));
      return st.BindText(1, client).BindInt64(2, time).Run();
    });
  }

  Result<int64_t> CountActiveSessions(AppId app_id) override {
    return Read("CountActiveSessions", [&](Connection& c) -> Result<int64_t> {
      OBVPN_ASSIGN_OR_RETURN(
          Statement st,
          c.Prepare("SELECT count(*) FROM radius_sessions WHERE app_id = ?1 AND stopped_at IS NULL",
                    "CountActiveSessions"));
      OBVPN_ASSIGN_OR_RETURN(bool row, st.BindInt64(1, ToDb(app_id)).Step());
      if (!row) return Internal("sqlite: CountActiveSessions: no result");
      return st.ColumnInt64(0);
    });
  }

  Result<int64_t> CountAllActiveSessions() override {
    return Read("CountAllActiveSessions", [&](Connection& c) -> Result<int64_t> {
      OBVPN_ASSIGN_OR_RETURN(
          Statement st, c.Prepare("SELECT count(*) FROM radius_sessions WHERE stopped_at IS NULL",
                                  "CountAllActiveSessions"));
      OBVPN_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return Internal("sqlite: CountAllActiveSessions: no result");
      return st.ColumnInt64(0);
    });
  }

  // --- replay protection ---

  Result<bool> ClaimReplay(const ReplayClaim& claim) override {
    return Write("ClaimReplay", [&](Connection& c, Transaction&) { return InsertClaim(c, claim); });
  }

  Status PurgeReplay(int64_t now) override {
    return Write("PurgeReplay", [&](Connection& c, Transaction&) -> Status {
      OBVPN_ASSIGN_OR_RETURN(Statement st,
                             c.Prepare("DELETE FROM replay WHERE expires_at < ?1", "PurgeReplay"));
      return st.BindInt64(1, now).Run();
    });
  }

  // --- audit ---

  Status AppendAudit(const AuditEvent& event) override {
    return Write("AppendAudit", [&](Connection& c, Transaction&) { return InsertAudit(c, event); });
  }

  Result<std::vector<AuditEvent>> ListAudit(const AuditFilter& filter) override {
    return Read("ListAudit", [&](Connection& c) -> Result<std::vector<AuditEvent>> {
      const int64_t since = filter.since.value_or(std::numeric_limits<int64_t>::min());
      const int64_t limit = static_cast<int64_t>(
          std::min<uint64_t>(filter.limit, std::numeric_limits<int64_t>::max()));
      // Newest first in SQL so LIMIT keeps the newest rows; reversed below.
      std::optional<Statement> st;
      if (filter.app_id) {
        OBVPN_ASSIGN_OR_RETURN(
            Statement s,
            c.Prepare("SELECT id, time, app_id, secret_id, action, source, result_code, "
                      "request_id, detail FROM audit WHERE app_id = ?1 AND time >= ?2 "
                      "ORDER BY id DESC LIMIT ?3",
                      "ListAudit"));
        s.BindInt64(1, ToDb(*filter.app_id)).BindInt64(2, since).BindInt64(3, limit);
        st.emplace(std::move(s));
      } else {
        OBVPN_ASSIGN_OR_RETURN(
            Statement s,
            c.Prepare("SELECT id, time, app_id, secret_id, action, source, result_code, "
                      "request_id, detail FROM audit WHERE time >= ?1 "
                      "ORDER BY id DESC LIMIT ?2",
                      "ListAudit"));
        s.BindInt64(1, since).BindInt64(2, limit);
        st.emplace(std::move(s));
      }
      std::vector<AuditEvent> out;
      while (true) {
        OBVPN_ASSIGN_OR_RETURN(bool row, st->Step());
        if (!row) break;
        out.push_back(RowToAudit(*st));
      }
      std::reverse(out.begin(), out.end());
      return out;
    });
  }

  // --- change notification ---

  Result<int64_t> Generation() override {
    return Read("Generation", [&](Connection& c) -> Result<int64_t> {
      OBVPN_ASSIGN_OR_RETURN(Statement st,
                             c.Prepare("SELECT value FROM generation WHERE id = 1", "Generation"));
      OBVPN_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return DataLoss("sqlite: the generation row is missing");
      return st.ColumnInt64(0);
    });
  }

  // --- meta ---

  Result<std::string> GetMeta(std::string_view key) override {
    return Read("GetMeta", [&](Connection& c) -> Result<std::string> {
      OBVPN_ASSIGN_OR_RETURN(Statement st,
                             c.Prepare("SELECT value FROM meta WHERE key = ?1", "GetMeta"));
      OBVPN_ASSIGN_OR_RETURN(bool row, st.BindText(1, key).Step());
      if (!row) return std::string();
      return st.ColumnBlob(0);
    });
  }

  Status SetMeta(std::string_view key, std::string_view value) override {
    return Write("SetMeta", [&](Connection& c, Transaction&) -> Status {
      OBVPN_ASSIGN_OR_RETURN(Statement st,
                             c.Prepare("INSERT INTO meta (key, value) VALUES (?1, ?2) "
                                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                       "SetMeta"));
      return st.BindText(1, key).BindBlob(2, value).Run();
    });
  }

  // --- master key rotation ---

  // store.h: every sealed value in one BEGIN IMMEDIATE transaction. The rows are read
  // first and rewritten after, so no UPDATE runs while a SELECT on its table is open.
  Status ReSealSecrets(const ReSealFn& reseal) override {
    return Write("ReSealSecrets", [&](Connection& c, Transaction&) -> Status {
      struct Column {
        SealedKind kind;
        const char* select;
        const char* update;
      };
      static constexpr Column kColumns[] = {
          {SealedKind::kApiKey, "SELECT secret_id, sealed_secret_key FROM api_keys",
           "UPDATE api_keys SET sealed_secret_key = ?2 WHERE secret_id = ?1"},
          {SealedKind::kRadiusClient, "SELECT name, sealed_secret FROM radius_clients",
           "UPDATE radius_clients SET sealed_secret = ?2 WHERE name = ?1"},
          {SealedKind::kMeta, "SELECT key, value FROM meta",
           "UPDATE meta SET value = ?2 WHERE key = ?1"},
      };
      for (const Column& col : kColumns) {
        std::vector<SealedValue> rows;
        {
          OBVPN_ASSIGN_OR_RETURN(Statement st, c.Prepare(col.select, "ReSealSecrets: read"));
          while (true) {
            OBVPN_ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) break;
            rows.push_back(SealedValue{col.kind, st.ColumnText(0), st.ColumnBlob(1)});
          }
        }
        for (const SealedValue& v : rows) {
          OBVPN_ASSIGN_OR_RETURN(std::optional<std::string> next, reseal(v));
          if (!next) continue;
          OBVPN_ASSIGN_OR_RETURN(Statement st, c.Prepare(col.update, "ReSealSecrets: write"));
          OBVPN_RETURN_IF_ERROR(st.BindText(1, v.id).BindBlob(2, *next).Run());
        }
      }
      return BumpGeneration(c);
    });
  }

 private:
  // Runs `body(connection)` on a pooled connection, outside any explicit transaction
  // (each read is one statement, hence one consistent snapshot).
  template <typename F>
  auto Read(std::string_view what, F&& body) -> decltype(body(std::declval<Connection&>())) {
    (void)what;
    OBVPN_ASSIGN_OR_RETURN(Lease lease, pool_->Acquire());
    return body(*lease);
  }

  // Runs `body(connection, transaction)` inside BEGIN IMMEDIATE ... COMMIT. A failed
  // body or commit rolls back; the body may also roll back itself and still succeed
  // (kReplay: nothing to keep).
  template <typename F>
  auto Write(std::string_view what, F&& body)
      -> decltype(body(std::declval<Connection&>(), std::declval<Transaction&>())) {
    OBVPN_ASSIGN_OR_RETURN(Lease lease, pool_->Acquire());
    Transaction txn(*lease);
    OBVPN_RETURN_IF_ERROR(txn.Begin(what));
    auto result = body(*lease, txn);
    if (!result.ok()) return result;  // ~Transaction rolls back
    if (txn.active()) OBVPN_RETURN_IF_ERROR(txn.Commit(what));
    return result;
  }

  std::unique_ptr<ConnectionPool> pool_;
};

Result<std::unique_ptr<Store>> Open(const SqliteOptions& options, bool read_only) {
  if (options.path.empty()) return InvalidArgument("sqlite: the database path is empty");
  if (options.path == ":memory:") {
    // Each pooled connection would get its own, separate in-memory database.
    return InvalidArgument("sqlite: an in-memory database cannot be pooled; give a file path");
  }
  std::error_code ec;
  const bool exists = std::filesystem::exists(options.path, ec);
  if (ec) return Unavailable("sqlite: cannot look up " + options.path + ": " + ec.message());
  if (!exists && (read_only || !options.create_if_missing)) {
    return NotFound("sqlite: the database file " + options.path + " does not exist");
  }
  // NOMUTEX: a connection is used by one thread at a time (the pool hands it out).
  const int flags = SQLITE_OPEN_NOMUTEX |
                    (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  auto pool = std::make_unique<ConnectionPool>(options.path, flags, options.busy_timeout_ms,
                                               options.max_connections);
  {
    OBVPN_ASSIGN_OR_RETURN(Lease lease, pool->Acquire());
    OBVPN_RETURN_IF_ERROR(Migrate(*lease));
  }
  return std::unique_ptr<Store>(new SqliteStore(std::move(pool)));
}

}  // namespace

int SqliteSchemaVersion() { return kSchemaVersion; }

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  return Open(options, /*read_only=*/false);
}

Result<std::unique_ptr<Store>> OpenSqliteStoreReadOnly(const SqliteOptions& options) {
  return Open(options, /*read_only=*/true);
}

// https://www.sqlite.org/backup.html: sqlite3_backup_step(-1) copies every page while
// holding one read transaction on the source, so the copy is a single snapshot; in WAL
// mode that read never blocks obvpnd's writers, nor do they block it. The destination is
// written inside one write transaction (readers of it see the old or the new database).
Status CopySqliteDatabase(const std::string& source_path, const std::string& dest_path,
                          int busy_timeout_ms) {
  std::error_code ec;
  if (!std::filesystem::exists(source_path, ec)) {
    return NotFound("sqlite: the database file " + source_path + " does not exist");
  }
  // Raw handles, not Connection::Open: that switches a database to WAL, which would
  // write to a source that is an operator's backup file (or fail on a read-only one).
  using Handle = std::unique_ptr<sqlite3, int (*)(sqlite3*)>;
  auto open = [busy_timeout_ms](const std::string& path, int flags,
                                std::string_view what) -> Result<Handle> {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    Handle h(raw, sqlite3_close_v2);
    if (rc != SQLITE_OK) return sqlite::StatusFromSqlite(rc, what, raw);
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, std::max(busy_timeout_ms, 0));
    return h;
  };
  OBVPN_ASSIGN_OR_RETURN(Handle src,
                         open(source_path, SQLITE_OPEN_READONLY, "backup: open source"));
  SchemaInfo info;
  const std::pair<const char*, int64_t*> kQueries[] = {
      {"PRAGMA user_version", &info.user_version},
      {"PRAGMA application_id", &info.application_id},
      {"SELECT count(*) FROM sqlite_master", &info.object_count}};
  for (const auto& [sql, out] : kQueries) {
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(src.get(), sql, -1, &st, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) return sqlite::StatusFromSqlite(rc, "backup: read schema", src.get());
  }
  OBVPN_RETURN_IF_ERROR(CheckSchemaInfo(info));
  if (info.user_version == 0) {
    return DataLoss("sqlite: " + source_path + " is not an obvpn database (no schema)");
  }

  OBVPN_ASSIGN_OR_RETURN(Handle dst, open(dest_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                          "backup: open destination"));
  sqlite3* raw = dst.get();
  int rc = SQLITE_OK;
  sqlite3_backup* backup = sqlite3_backup_init(raw, "main", src.get(), "main");
  if (backup == nullptr) {
    return sqlite::StatusFromSqlite(sqlite3_errcode(raw), "backup: start", raw);
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(busy_timeout_ms, 0));
  do {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(10);  // a lock on the destination (or a source being checkpointed)
  } while (std::chrono::steady_clock::now() < deadline);
  const int finish_rc = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return sqlite::StatusFromSqlite(rc, "backup: copy", raw);
  if (finish_rc != SQLITE_OK) return sqlite::StatusFromSqlite(finish_rc, "backup: finish", raw);
  // A rollback-journal file is self-contained (no -wal/-shm beside it) and can be opened
  // read-only anywhere; obvpnd switches it back to WAL when it opens it. Failing to switch
  // (another connection has the destination open) leaves a valid WAL database.
  (void)sqlite3_exec(raw, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
  rc = sqlite3_close(dst.release());
  if (rc != SQLITE_OK) return sqlite::StatusFromSqlite(rc, "backup: close destination", nullptr);
  return Status::Ok();
}

}  // namespace obvpn::store
