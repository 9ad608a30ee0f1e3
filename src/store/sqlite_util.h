// Private to src/store: thin RAII wrappers over the SQLite C API (connection, prepared
// statement, transaction) that report failures as Status in the Store error contract
// (store.h): Unavailable for an unreachable, busy, read-only or full database, DataLoss
// for a corrupt one or a file that is not a database, Internal for a misuse (a bug).
//
// Every value reaches SQL through a bound parameter; SQL text is always a literal of
// the calling code.
//
// Thread safety: none of these types is thread-safe. A Connection is used by one thread
// at a time (the pool in sqlite_store.cc hands it out); statements and transactions
// belong to the connection they were made on and must not outlive it.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

namespace obvpn::store::sqlite {

// Maps a SQLite result code (primary or extended) to a Status. `what` names the
// operation for the message; `db` (may be null) supplies sqlite3_errmsg, which names
// tables or columns but never bound values, so the message holds no secret.
Status StatusFromSqlite(int rc, std::string_view what, sqlite3* db);

// True for result codes after which a connection should not be reused (I/O errors,
// corruption): the pool closes it instead of handing it out again.
bool IsFatalSqliteError(int rc);

class Statement;

// One open database handle plus its cache of prepared statements.
class Connection {
 public:
  // Opens `path` with sqlite3_open_v2 `flags` and applies the per-connection settings
  // (SPEC §6): busy_timeout, journal_mode=WAL (required unless the connection is
  // read-only), synchronous=FULL, foreign_keys=ON.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, int flags,
                                                  int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* db() const { return db_; }
  bool read_only() const { return sqlite3_db_readonly(db_, "main") == 1; }
  // A fatal error was seen on this connection (see IsFatalSqliteError).
  bool broken() const { return broken_; }

  // Runs one or more statements without parameters or results (pragmas, DDL, BEGIN).
  Status Exec(const char* sql, std::string_view what);
  // A prepared statement for `sql`, from the connection's cache when the cached one is
  // not already in use. `sql` must be a string literal (the cache is keyed by its
  // address) and `what` must outlive the statement (the callers pass literals).
  Result<Statement> Prepare(const char* sql, std::string_view what);
  // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  int64_t Changes() const { return sqlite3_changes(db_); }

  // Maps `rc` (SQLITE_OK → OK) and remembers fatal errors.
  Status Check(int rc, std::string_view what);

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;  // keyed by the SQL literal
  bool broken_ = false;
};

// A prepared statement borrowed from a Connection's cache (reset and unbound when this
// goes out of scope) or owned (finalised). Binding is fluent; a binding error is
// reported by the next Step/Run.
class Statement {
 public:
  Statement(Connection* conn, sqlite3_stmt* stmt, bool owned, std::string_view what)
      : conn_(conn), stmt_(stmt), owned_(owned), what_(what) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Parameter indices are 1-based, as in sqlite3_bind_*.
  Statement& BindInt64(int index, int64_t value);
  Statement& BindNullableInt64(int index, const std::optional<int64_t>& value);
  Statement& BindText(int index, std::string_view value);
  Statement& BindBlob(int index, std::string_view value);

  // True when a row is available, false when the statement is done.
  Result<bool> Step();
  // Steps a statement that returns no rows to completion.
  Status Run();

  // Column accessors for the current row; indices are 0-based.
  bool ColumnIsNull(int index) const;
  int64_t ColumnInt64(int index) const;
  std::string ColumnText(int index) const;
  std::string ColumnBlob(int index) const;

 private:
  void NoteBind(int rc);

  Connection* conn_;
  sqlite3_stmt* stmt_;
  bool owned_;
  std::string_view what_;
  int bind_rc_ = SQLITE_OK;
};

// A write transaction: BEGIN IMMEDIATE takes the database's write lock up front (waiting
// up to busy_timeout), so concurrent writers serialise instead of failing with
// SQLITE_BUSY on lock upgrade. Rolled back on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& conn) : conn_(conn) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status Begin(std::string_view what);
  Status Commit(std::string_view what);
  // Ends the transaction without changes. Safe to call more than once.
  void Rollback();
  bool active() const { return active_; }

 private:
  Connection& conn_;
  bool active_ = false;
};

}  // namespace obvpn::store::sqlite
