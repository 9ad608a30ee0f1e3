// Private to src/store: thin wrappers over libpq (connection, parameters, results) that
// bound every call by a deadline and report failures as Status in the Store error
// contract (store.h): Unavailable for an unreachable, restarting, read-only, full or
// overloaded database and for a timeout; DataLoss for corruption or a missing schema
// object; InvalidArgument for a value the database refuses; Internal otherwise.
//
// Every call is non-blocking libpq driven by poll(2) until the deadline, so a server
// that stops answering (SIGSTOP, a dead network path) cannot hang the caller: at the
// deadline the connection is closed (the server rolls back what it had open) and marked
// broken. Messages carry PostgreSQL's primary message only — never DETAIL, which can
// quote row values.
//
// Every value reaches SQL as a bound parameter in binary format; SQL text is always a
// literal of the calling code. Results are requested in binary format.
//
// Thread safety: none. A Connection is used by one thread at a time (the pool hands it
// out).
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace obvpn::store::pg {

using Deadline = std::chrono::steady_clock::time_point;

// Type OIDs of the built-in types used here (catalog/pg_type.h, stable since 7.x; the
// server headers are not part of libpq-dev).
inline constexpr Oid kBoolOid = 16;
inline constexpr Oid kByteaOid = 17;
inline constexpr Oid kInt8Oid = 20;
inline constexpr Oid kInt2Oid = 21;
inline constexpr Oid kInt4Oid = 23;
inline constexpr Oid kTextOid = 25;

// Bound parameters $1..$n, in order.
class Params {
 public:
  Params& Int(int64_t v);
  Params& NullableInt(std::optional<int64_t> v);
  // text: must be valid UTF-8 without NUL, or the server refuses it (InvalidArgument).
  Params& Text(std::string_view v);
  // bytea: any bytes.
  Params& Bytes(std::string_view v);

  int size() const { return static_cast<int>(values_.size()); }

 private:
  friend class Connection;
  std::vector<std::string> values_;
  std::vector<bool> null_;
  std::vector<Oid> types_;
};

// The rows of one statement. Accessors take the row and column index; a column of an
// unexpected type or length reads as 0 / "" (the SQL is this code's own, so that is a
// bug, caught by the conformance tests).
class Rows {
 public:
  Rows() = default;
  explicit Rows(PGresult* r) : r_(r, &PQclear) {}

  int size() const { return r_ ? PQntuples(r_.get()) : 0; }
  bool IsNull(int row, int col) const;
  // int8 / int4 / int2 / bool columns.
  int64_t Int(int row, int col) const;
  // text / bytea columns, raw bytes.
  std::string Bytes(int row, int col) const;
  // Rows changed by an INSERT / UPDATE / DELETE (PQcmdTuples).
  int64_t affected() const;

 private:
  std::shared_ptr<PGresult> r_;
};

// Per-connection settings applied right after connecting (server side), so PostgreSQL
// also gives up when the client's deadline passes.
struct SessionSettings {
  int statement_timeout_ms = 5000;
  int lock_timeout_ms = 5000;
  int idle_in_transaction_timeout_ms = 60000;
};

class Connection {
 public:
  // Connects to `url` (URI or key=value) and applies `settings`, by `deadline`.
  static Result<std::unique_ptr<Connection>> Open(const std::string& url,
                                                  const SessionSettings& settings,
                                                  Deadline deadline);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One statement with parameters, by `deadline`. `what` names it in messages.
  Result<Rows> Exec(const char* sql, const Params& params, Deadline deadline,
                    std::string_view what);
  // One or more statements without parameters (BEGIN, COMMIT, DDL).
  Status ExecScript(const char* sql, Deadline deadline, std::string_view what);

  // The connection failed (I/O error, server gone, timeout): never reuse it.
  bool broken() const { return broken_; }
  // The last call got no answer by its deadline: the server is unresponsive (its own
  // statement_timeout would have answered first).
  bool timed_out() const { return timed_out_; }
  // The SQLSTATE of the last failed statement, "" if none or a connection failure.
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  // True if the last failure left nothing committed and a retry of the whole
  // transaction may succeed: serialization failure or deadlock (40001, 40P01).
  bool last_error_retryable() const;
  // Outside any transaction (PQTRANS_IDLE): safe to hand to the next caller.
  bool idle() const;
  // Checks an idle connection before reuse without a round trip: false if the server
  // closed it or sent anything (only a terminating server speaks unasked).
  bool Healthy();

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  // Waits until the socket is readable (or writable) or the deadline passes.
  Status Wait(bool for_write, Deadline deadline, std::string_view what);
  // Sends what libpq buffered and collects every result of the query in flight; keeps
  // the last one (the first error, if any).
  Result<Rows> Collect(Deadline deadline, std::string_view what);
  Status ConnectionFailure(std::string_view what, std::string_view detail);
  Status StatementFailure(const PGresult* r, std::string_view what);

  PGconn* conn_;
  bool broken_ = false;
  bool timed_out_ = false;
  std::string last_sqlstate_;
};

// The connection target of `url` without its password, for messages.
std::string Describe(std::string_view url);

}  // namespace obvpn::store::pg
