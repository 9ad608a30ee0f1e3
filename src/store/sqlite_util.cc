#include "store/sqlite_util.h"

#include <string>
#include <utility>

namespace obvpn::store::sqlite {

namespace {

std::string Describe(int rc, std::string_view what, sqlite3* db) {
  std::string m = "sqlite: ";
  m += what;
  m += ": ";
  // sqlite3_errmsg describes the most recent failure on `db`; fall back to the generic
  // text of the code when there is no handle or the handle has moved on.
  if (db != nullptr && (sqlite3_extended_errcode(db) & 0xff) == (rc & 0xff)) {
    m += sqlite3_errmsg(db);
  } else {
    m += sqlite3_errstr(rc);
  }
  m += " (code ";
  m += std::to_string(rc);
  m += ")";
  return m;
}

}  // namespace

Status StatusFromSqlite(int rc, std::string_view what, sqlite3* db) {
  switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return Status::Ok();
    // The Store contract (store.h): unreachable, busy past the timeout, read-only or
    // full → Unavailable; the caller answers 9001 / 10100 and may retry.
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
    case SQLITE_AUTH:
    case SQLITE_INTERRUPT:
      return Unavailable(Describe(rc, what, db));
    // Stored data is corrupt, or the file is not an SQLite database at all.
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
      return DataLoss(Describe(rc, what, db));
    default:
      return Internal(Describe(rc, what, db));
  }
}

bool IsFatalSqliteError(int rc) {
  switch (rc & 0xff) {
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
      return true;
    default:
      return false;
  }
}

// --- Connection ---

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, int flags,
                                                     int busy_timeout_ms) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = StatusFromSqlite(rc, "open", db);
    sqlite3_close_v2(db);  // a handle is returned even on failure (null is a no-op)
    return s;
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_extended_result_codes(db, 1);
  OBVPN_RETURN_IF_ERROR(conn->Check(sqlite3_busy_timeout(db, busy_timeout_ms), "busy_timeout"));

  // SPEC §6: WAL journal. The pragma answers with the mode now in effect; WAL persists
  // in the file, so a read-only connection to a database created by obvpn reports it
  // without writing. Reading the first page here is also where a file that is not a
  // database shows up (SQLITE_NOTADB → DataLoss).
  {
    OBVPN_ASSIGN_OR_RETURN(Statement mode,
                           conn->Prepare("PRAGMA journal_mode=WAL", "journal_mode"));
    OBVPN_ASSIGN_OR_RETURN(bool row, mode.Step());
    std::string value = row ? mode.ColumnText(0) : std::string();
    if (value != "wal" && !conn->read_only()) {
      return Unavailable("sqlite: journal_mode: could not switch the database to WAL (it is '" +
                         value + "')");
    }
  }
  // SPEC §6: synchronous=FULL (every commit is on disk before it returns) and foreign
  // keys on (keys and accounts die with their tenant).
  OBVPN_RETURN_IF_ERROR(conn->Exec("PRAGMA synchronous=FULL", "synchronous"));
  OBVPN_RETURN_IF_ERROR(conn->Exec("PRAGMA foreign_keys=ON", "foreign_keys"));
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Status Connection::Check(int rc, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return Status::Ok();
  if (IsFatalSqliteError(rc)) broken_ = true;
  return StatusFromSqlite(rc, what, db_);
}

Status Connection::Exec(const char* sql, std::string_view what) {
  return Check(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), what);
}

Result<Statement> Connection::Prepare(const char* sql, std::string_view what) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !sqlite3_stmt_busy(it->second)) {
    return Statement(this, it->second, /*owned=*/false, what);
  }
  sqlite3_stmt* stmt = nullptr;
  const bool cache = it == cache_.end();
  int rc = sqlite3_prepare_v3(db_, sql, -1, cache ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Check(rc, what);
  }
  if (cache) {
    cache_.emplace(sql, stmt);
    return Statement(this, stmt, /*owned=*/false, what);
  }
  // The cached copy is in use further up the stack: use a private one.
  return Statement(this, stmt, /*owned=*/true, what);
}

// --- Statement ---

Statement::Statement(Statement&& other) noexcept
    : conn_(other.conn_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      owned_(other.owned_),
      what_(other.what_),
      bind_rc_(other.bind_rc_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (owned_) {
    sqlite3_finalize(stmt_);
  } else {
    // Reset releases any read snapshot the statement holds; clearing the bindings
    // drops copies of bound values (password hashes) as early as possible.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

void Statement::NoteBind(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Statement& Statement::BindInt64(int index, int64_t value) {
  NoteBind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::BindNullableInt64(int index, const std::optional<int64_t>& value) {
  NoteBind(value ? sqlite3_bind_int64(stmt_, index, *value) : sqlite3_bind_null(stmt_, index));
  return *this;
}

Statement& Statement::BindText(int index, std::string_view value) {
  NoteBind(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view value) {
  // A zero-length blob, not NULL, for an empty value (bind_blob with a null pointer
  // would bind NULL).
  static const char kEmpty = 0;
  const char* data = value.empty() ? &kEmpty : value.data();
  NoteBind(sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_TRANSIENT));
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) return conn_->Check(bind_rc_, what_);
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return conn_->Check(rc, what_);
}

Status Statement::Run() {
  OBVPN_ASSIGN_OR_RETURN(bool row, Step());
  if (row) return Internal("sqlite: " + std::string(what_) + ": statement returned a row");
  return Status::Ok();
}

bool Statement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

int64_t Statement::ColumnInt64(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string Statement::ColumnText(int index) const {
  const unsigned char* p = sqlite3_column_text(stmt_, index);
  int n = sqlite3_column_bytes(stmt_, index);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
}

std::string Statement::ColumnBlob(int index) const {
  const void* p = sqlite3_column_blob(stmt_, index);
  int n = sqlite3_column_bytes(stmt_, index);
  if (p == nullptr) return {};
  return std::string(static_cast<const char*>(p), static_cast<size_t>(n));
}

// --- Transaction ---

Status Transaction::Begin(std::string_view what) {
  OBVPN_RETURN_IF_ERROR(conn_.Exec("BEGIN IMMEDIATE", what));
  active_ = true;
  return Status::Ok();
}

Status Transaction::Commit(std::string_view what) {
  Status s = conn_.Exec("COMMIT", what);
  if (!s.ok()) {
    Rollback();
    return s;
  }
  active_ = false;
  return Status::Ok();
}

void Transaction::Rollback() {
  if (!active_) return;
  active_ = false;
  // Some errors (SQLITE_FULL, SQLITE_IOERR, ...) already rolled the transaction back;
  // only an open transaction is rolled back here.
  if (sqlite3_get_autocommit(conn_.db()) == 0) {
    (void)conn_.Exec("ROLLBACK", "rollback");
  }
}

Transaction::~Transaction() { Rollback(); }

}  // namespace obvpn::store::sqlite
