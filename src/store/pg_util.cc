#include "store/pg_util.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

namespace obvpn::store::pg {
namespace {

// libpq messages end with a newline and may span lines; one line reads better in logs.
std::string OneLine(const char* message) {
  std::string s = message != nullptr ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

std::string Msg(std::string_view what, std::string_view detail) {
  std::string m = "postgres: ";
  m += what;
  m += ": ";
  m += detail;
  return m;
}

void PutBigEndian64(std::string& out, int64_t v) {
  const auto u = static_cast<uint64_t>(v);
  out.resize(8);
  for (int i = 0; i < 8; ++i) out[static_cast<size_t>(i)] = static_cast<char>(u >> (56 - 8 * i));
}

uint64_t GetBigEndian(const unsigned char* p, int len) {
  uint64_t u = 0;
  for (int i = 0; i < len; ++i) u = (u << 8) | p[i];
  return u;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// SQLSTATE classes (PostgreSQL manual, Appendix A) mapped to the store.h contract.
StatusCode CodeForSqlState(std::string_view state) {
  if (StartsWith(state, "08") ||  // connection exception
      StartsWith(state, "53") ||  // insufficient resources: disk full, too many connections
      StartsWith(state, "57") ||  // operator intervention: shutdown, query_canceled (timeout)
      StartsWith(state, "58") ||  // system error: I/O
      StartsWith(state, "40") ||  // transaction rollback: serialization failure, deadlock
      state == "55P03" ||         // lock_not_available (lock_timeout)
      state == "55006" ||         // object_in_use
      state == "25006" ||         // read_only_sql_transaction (a standby)
      state == "25P03" ||         // idle_in_transaction_session_timeout
      state == "42501") {         // insufficient_privilege: the database role, not the caller
    return StatusCode::kUnavailable;
  }
  if (state == "XX001" || state == "XX002" ||  // data_corrupted, index_corrupted
      state == "42P01" || state == "42703") {  // a table or column of the schema is missing
    return StatusCode::kDataLoss;
  }
  if (state == "23505") return StatusCode::kAlreadyExists;
  if (state == "23503") return StatusCode::kNotFound;  // foreign key: the parent row is gone
  if (StartsWith(state, "22") || StartsWith(state, "23") || state == "3F000") {
    return StatusCode::kInvalidArgument;  // a value or setting the database refuses
  }
  return StatusCode::kInternal;
}

}  // namespace

// --- Params ---

Params& Params::Int(int64_t v) {
  std::string b;
  PutBigEndian64(b, v);
  values_.push_back(std::move(b));
  null_.push_back(false);
  types_.push_back(kInt8Oid);
  return *this;
}

Params& Params::NullableInt(std::optional<int64_t> v) {
  if (v) return Int(*v);
  values_.emplace_back();
  null_.push_back(true);
  types_.push_back(kInt8Oid);
  return *this;
}

Params& Params::Text(std::string_view v) {
  values_.emplace_back(v);
  null_.push_back(false);
  types_.push_back(kTextOid);
  return *this;
}

Params& Params::Bytes(std::string_view v) {
  values_.emplace_back(v);
  null_.push_back(false);
  types_.push_back(kByteaOid);
  return *this;
}

// --- Rows ---

bool Rows::IsNull(int row, int col) const { return !r_ || PQgetisnull(r_.get(), row, col) == 1; }

int64_t Rows::Int(int row, int col) const {
  if (IsNull(row, col)) return 0;
  const int len = PQgetlength(r_.get(), row, col);
  const auto* p = reinterpret_cast<const unsigned char*>(PQgetvalue(r_.get(), row, col));
  switch (len) {
    case 8:
      return static_cast<int64_t>(GetBigEndian(p, 8));
    case 4:
      return static_cast<int32_t>(static_cast<uint32_t>(GetBigEndian(p, 4)));
    case 2:
      return static_cast<int16_t>(static_cast<uint16_t>(GetBigEndian(p, 2)));
    case 1:
      return p[0] != 0 ? 1 : 0;  // bool
    default:
      return 0;
  }
}

std::string Rows::Bytes(int row, int col) const {
  if (IsNull(row, col)) return "";
  const int len = PQgetlength(r_.get(), row, col);
  return std::string(PQgetvalue(r_.get(), row, col), static_cast<size_t>(len));
}

int64_t Rows::affected() const {
  if (!r_) return 0;
  const char* s = PQcmdTuples(r_.get());
  int64_t n = 0;
  std::from_chars(s, s + std::strlen(s), n);
  return n;
}

// --- Connection ---

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& url,
                                                     const SessionSettings& settings,
                                                     Deadline deadline) {
  // expand_dbname: `url` may be a URI or a key=value string; the keywords after it
  // override what it says (the store reads and writes UTF-8).
  const char* const keywords[] = {"dbname", "client_encoding", "fallback_application_name",
                                  nullptr};
  const char* const values[] = {url.c_str(), "UTF8", "obvpnd", nullptr};
  PGconn* raw = PQconnectStartParams(keywords, values, /*expand_dbname=*/1);
  if (raw == nullptr) return Internal("postgres: connect: out of memory");
  std::unique_ptr<Connection> c(new Connection(raw));
  if (PQstatus(raw) == CONNECTION_BAD) {
    return c->ConnectionFailure("connect", OneLine(PQerrorMessage(raw)));
  }
  // libpq's documented loop: start as if PQconnectPoll had asked to write.
  PostgresPollingStatusType ps = PGRES_POLLING_WRITING;
  while (ps != PGRES_POLLING_OK) {
    if (ps == PGRES_POLLING_FAILED) {
      return c->ConnectionFailure("connect", OneLine(PQerrorMessage(raw)));
    }
    OBVPN_RETURN_IF_ERROR(c->Wait(ps == PGRES_POLLING_WRITING, deadline, "connect"));
    ps = PQconnectPoll(raw);
  }
  // Notices (e.g. "relation already exists, skipping") would go to stderr; the store
  // reports what matters as Status.
  PQsetNoticeProcessor(
      raw, [](void*, const char*) {}, nullptr);
  if (PQsetnonblocking(raw, 1) != 0) {
    return c->ConnectionFailure("connect", OneLine(PQerrorMessage(raw)));
  }
  // The values are integers of this process's configuration, not data.
  const std::string set =
      "SET statement_timeout = " + std::to_string(std::max(settings.statement_timeout_ms, 1)) +
      "; SET lock_timeout = " + std::to_string(std::max(settings.lock_timeout_ms, 1)) +
      "; SET idle_in_transaction_session_timeout = " +
      std::to_string(std::max(settings.idle_in_transaction_timeout_ms, 1));
  OBVPN_RETURN_IF_ERROR(c->ExecScript(set.c_str(), deadline, "session settings"));
  return c;
}

Connection::~Connection() { PQfinish(conn_); }

Status Connection::ConnectionFailure(std::string_view what, std::string_view detail) {
  broken_ = true;
  last_sqlstate_.clear();
  return Unavailable(Msg(what, detail.empty() ? "the connection failed" : detail));
}

Status Connection::StatementFailure(const PGresult* r, std::string_view what) {
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  if (PQstatus(conn_) == CONNECTION_BAD || state == nullptr) {
    // The server went away mid-statement (or libpq failed locally): no SQLSTATE.
    return ConnectionFailure(what, OneLine(primary != nullptr ? primary : PQerrorMessage(conn_)));
  }
  last_sqlstate_ = state;
  // A server shutting down (57P01..57P03) closes the connection after this error.
  if (StartsWith(last_sqlstate_, "57P") || StartsWith(last_sqlstate_, "08")) broken_ = true;
  std::string detail = OneLine(primary);
  detail += " (SQLSTATE " + last_sqlstate_ + ")";
  return Status(CodeForSqlState(last_sqlstate_), Msg(what, detail));
}

bool Connection::last_error_retryable() const {
  return last_sqlstate_ == "40001" || last_sqlstate_ == "40P01";
}

bool Connection::idle() const {
  return !broken_ && PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

bool Connection::Healthy() {
  if (!idle()) return false;
  const int fd = PQsocket(conn_);
  if (fd < 0) return false;
  pollfd p{fd, POLLIN, 0};
  const int n = ::poll(&p, 1, 0);
  if (n == 0) return true;  // nothing unasked: the usual case
  if (n < 0) return errno == EINTR;
  if (PQconsumeInput(conn_) == 0) return false;
  return idle();
}

Status Connection::Wait(bool for_write, Deadline deadline, std::string_view what) {
  while (true) {
    const int fd = PQsocket(conn_);
    if (fd < 0) return ConnectionFailure(what, "no socket");
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      // The server may still be working on it; closing the connection makes it roll
      // back whatever this connection had open.
      broken_ = true;
      timed_out_ = true;
      last_sqlstate_.clear();
      return Unavailable(Msg(what, "no answer from the database within the timeout"));
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
    pollfd p{fd, static_cast<short>(for_write ? (POLLOUT | POLLIN) : POLLIN), 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 1 << 30)));
    if (n > 0) return Status::Ok();
    if (n < 0 && errno != EINTR) return ConnectionFailure(what, std::strerror(errno));
  }
}

Result<Rows> Connection::Collect(Deadline deadline, std::string_view what) {
  // Send what libpq buffered (a non-blocking connection may not take it all at once).
  while (true) {
    const int f = PQflush(conn_);
    if (f == 0) break;
    if (f < 0) return ConnectionFailure(what, OneLine(PQerrorMessage(conn_)));
    OBVPN_RETURN_IF_ERROR(Wait(/*for_write=*/true, deadline, what));
    // libpq: when the socket is also readable, consume input before flushing again.
    if (PQconsumeInput(conn_) == 0) return ConnectionFailure(what, OneLine(PQerrorMessage(conn_)));
  }
  Rows last;
  std::optional<Status> failure;
  while (true) {
    while (PQisBusy(conn_) == 1) {
      OBVPN_RETURN_IF_ERROR(Wait(/*for_write=*/false, deadline, what));
      if (PQconsumeInput(conn_) == 0) {
        return ConnectionFailure(what, OneLine(PQerrorMessage(conn_)));
      }
    }
    PGresult* r = PQgetResult(conn_);
    if (r == nullptr) break;
    switch (PQresultStatus(r)) {
      case PGRES_TUPLES_OK:
      case PGRES_COMMAND_OK:
      case PGRES_EMPTY_QUERY:
        last = Rows(r);
        break;
      default:
        // Keep the first error; the rest of a script is skipped by the server anyway.
        if (!failure) failure = StatementFailure(r, what);
        PQclear(r);
        break;
    }
  }
  if (failure) return *failure;
  if (PQstatus(conn_) == CONNECTION_BAD) {
    return ConnectionFailure(what, OneLine(PQerrorMessage(conn_)));
  }
  last_sqlstate_.clear();
  return last;
}

Result<Rows> Connection::Exec(const char* sql, const Params& params, Deadline deadline,
                              std::string_view what) {
  if (broken_) return Unavailable(Msg(what, "the connection is broken"));
  const size_t n = params.values_.size();
  std::vector<const char*> values(n);
  std::vector<int> lengths(n);
  std::vector<int> formats(n, 1);  // binary
  for (size_t i = 0; i < n; ++i) {
    values[i] = params.null_[i] ? nullptr : params.values_[i].data();
    lengths[i] = static_cast<int>(params.values_[i].size());
  }
  if (PQsendQueryParams(conn_, sql, static_cast<int>(n), params.types_.data(), values.data(),
                        lengths.data(), formats.data(), /*resultFormat=*/1) == 0) {
    return ConnectionFailure(what, OneLine(PQerrorMessage(conn_)));
  }
  return Collect(deadline, what);
}

Status Connection::ExecScript(const char* sql, Deadline deadline, std::string_view what) {
  if (broken_) return Unavailable(Msg(what, "the connection is broken"));
  if (PQsendQuery(conn_, sql) == 0) return ConnectionFailure(what, OneLine(PQerrorMessage(conn_)));
  auto r = Collect(deadline, what);
  return r.status();
}

std::string Describe(std::string_view url) {
  char* err = nullptr;
  const std::string s(url);
  PQconninfoOption* opts = PQconninfoParse(s.c_str(), &err);
  if (opts == nullptr) {
    PQfreemem(err);
    return "postgres (store.postgres_url cannot be parsed)";
  }
  std::string out = "postgres";
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    const std::string_view k = o->keyword;
    if (o->val == nullptr || *o->val == '\0') continue;
    // Only these: never password, passfile contents, or SSL key material.
    if (k == "host" || k == "hostaddr" || k == "port" || k == "dbname" || k == "user") {
      out += " ";
      out += k;
      out += "=";
      out += o->val;
    }
  }
  PQconninfoFree(opts);
  return out;
}

}  // namespace obvpn::store::pg
