// Private to src/store: entry points of SqliteStore that are not part of the public
// contract in sqlite_store.h.
#pragma once

#include <memory>

#include "core/status.h"
#include "store/sqlite_store.h"
#include "store/store.h"

namespace obvpn::store {

// Opens an existing, current database with SQLITE_OPEN_READONLY: reads work, every write
// returns Unavailable and changes nothing. NotFound if the file does not exist;
// Unavailable if the database needs a migration (that would be a write).
//
// Exists so tests can check the read-only contract of store.h even when they run as
// root, where a file mode of 0400 does not stop writes.
Result<std::unique_ptr<Store>> OpenSqliteStoreReadOnly(const SqliteOptions& options);

}  // namespace obvpn::store
