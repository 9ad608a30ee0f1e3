// SqliteStore: the embedded default Store (SPEC §6): one database file, WAL journal,
// synchronous=FULL, foreign keys on, schema migrations versioned in the file
// (PRAGMA user_version). Connections are pooled; writes use BEGIN IMMEDIATE with a busy
// timeout so concurrent writers serialise instead of failing.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace obvpn::store {

struct SqliteOptions {
  std::string path;               // database file
  int busy_timeout_ms = 5000;     // wait for a writer lock this long, then Unavailable
  size_t max_connections = 8;     // pool size
  bool create_if_missing = true;  // false: NotFound if the file does not exist
};

// Opens (and creates/migrates) the database. Unavailable if it cannot be opened,
// DataLoss if it is not a valid obvpn database or is newer than this binary knows.
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

// The schema version this binary migrates to.
int SqliteSchemaVersion();

// Copies the obvpn database at `source_path` into `dest_path` (created, or overwritten
// in place) with SQLite's online backup API: the copy is one consistent snapshot even
// while another process (obvpnd) writes to the source. The destination is left in
// rollback-journal mode, a self-contained file. NotFound if the source does not exist;
// DataLoss if it is not an obvpn database or is newer than this binary; Unavailable on
// I/O errors or a lock held past busy_timeout_ms. The caller makes the destination
// durable and atomic (write a temporary file, then rename) where that matters.
Status CopySqliteDatabase(const std::string& source_path, const std::string& dest_path,
                          int busy_timeout_ms);

}  // namespace obvpn::store
