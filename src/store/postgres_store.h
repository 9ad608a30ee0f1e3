// PostgresStore: the scale-out Store (SPEC §6): several obvpnd nodes share one
// PostgreSQL database (libpq). Same contracts as store.h and the same schema and
// migration versions as SqliteStore, adapted to PostgreSQL types; the replay claims,
// sessions, generation counter and the SharedLimits tables live in the database, so
// every node sees the same state.
//
// Bounded calls: every method returns within connect_timeout_ms + statement_timeout_ms
// (plus scheduling), whatever the database does — down, unreachable, stopped, or
// holding a lock. The server-side statement_timeout and lock_timeout make PostgreSQL
// give up too; the client side does its own deadline (non-blocking libpq), so a server
// that stopped answering cannot hang a caller. Failures are Unavailable (store.h).
//
// Reconnection: a connection that broke (server restart, network, timeout) is discarded
// and a fresh one is opened on the next call; an idle pooled connection is checked
// before reuse. A call whose connection broke before anything could have been committed
// is retried once on a fresh connection. After a connect failed or a call got no
// answer by its deadline, calls fail fast for reconnect_backoff_ms instead of each
// waiting out its own timeout (so an API request that makes several store calls still
// fails within one timeout); the first call after that tries again, so service resumes
// without restarting obvpnd.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/shared_limits.h"
#include "store/store.h"

namespace obvpn::store {

struct PostgresOptions {
  // A libpq connection URI ("postgresql://obvpn@db.example.com/obvpn?sslmode=verify-full")
  // or key=value string. Tables live in the first schema of the search_path (a URI may
  // set it with options=-csearch_path%3Dobvpn).
  std::string url;
  size_t max_connections = 8;       // pool size, per node
  int connect_timeout_ms = 5000;    // opening one connection
  int statement_timeout_ms = 5000;  // all statements of one call together
  int lock_timeout_ms = 5000;       // waiting for a row lock (capped by the statement timeout)
  int reconnect_backoff_ms = 500;   // after a failed connect, fail fast this long
};

// A Store and the SharedLimits on the same connection pool.
struct PostgresBackend {
  std::unique_ptr<Store> store;
  std::unique_ptr<SharedLimits> limits;
};

// Connects, then creates or migrates the schema (concurrent nodes migrate once: the
// migration holds an advisory lock). InvalidArgument for an empty or malformed URL;
// Unavailable if the database cannot be reached; DataLoss if the schema is not an
// obvpn schema or is newer than this binary knows.
Result<PostgresBackend> OpenPostgres(const PostgresOptions& options);
Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options);

// The store schema version this binary migrates to; always SqliteSchemaVersion().
int PostgresSchemaVersion();

// The connection target for messages and logs: host, port, database and user, never
// the password ("postgres host=db.example.com port=5432 dbname=obvpn user=obvpn").
std::string DescribePostgresUrl(std::string_view url);

}  // namespace obvpn::store
