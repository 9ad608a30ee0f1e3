// Maintenance of a data directory, as `obvpnctl backup`, `restore` and
// `rotate-master-key` run it (docs/operations.md). Embedded SQLite store only: a
// PostgreSQL deployment backs up with the database's own tools.
//
// The master key is never written into a backup: a stolen backup file alone does not
// reveal a SecretKey or RADIUS secret. The operator keeps the key file (it changes only
// with rotate-master-key) and hands it to `restore --key-file`.
//
// Concurrency: BackupDatabase runs while obvpnd serves. RestoreDatabase and
// RotateMasterKey hold the data directory's exclusive DataDirLock and refuse while an
// obvpnd (which holds it shared) runs on the same directory; on a cluster every node
// must be stopped, which a local lock cannot see.
#pragma once

#include <cstdint>
#include <string>

#include "config/config.h"
#include "core/clock.h"
#include "core/status.h"

namespace obvpn::app {

struct BackupInfo {
  std::string file;
  int64_t bytes = 0;
};

// Writes one consistent snapshot of the database to `file` (SQLite online backup), via
// `file`.tmp, fsync and rename, with mode 0600: `file` is either its previous version or
// the complete new backup, never half of one. An existing `file` is replaced.
// InvalidArgument for a store other than sqlite; NotFound when there is no database.
Result<BackupInfo> BackupDatabase(const config::Config& config, const std::string& file);

struct RestoreOptions {
  std::string file;      // a backup written by BackupDatabase
  std::string key_file;  // the master key the backup was sealed with, installed as the
                         // data directory's key file; "" = the directory's own key
                         // (OBVPN_MASTER_KEY or its key file) must open the backup
  bool force = false;    // replace an existing database (and key file)
};

// Replaces the database of `config` with the backup. Before anything is replaced, the
// backup is copied, migrated to this binary's schema and checked against the master
// key (PermissionDenied if the key does not open it). Refuses (AlreadyExists) to replace
// an existing database, or an existing key file with another key, without `force`;
// Unavailable while obvpnd runs on the directory. Appends an "admin.restore" audit event
// to the restored database.
Status RestoreDatabase(const config::Config& config, const RestoreOptions& options,
                       const Clock& clock, const std::string& request_id);

struct RotateInfo {
  int64_t api_keys = 0;  // sealed values re-sealed, by kind
  int64_t radius_clients = 0;
  bool resumed = false;  // a previous interrupted rotation was completed
};

// Replaces the master key: a new random key, every sealed value re-sealed with it in one
// store transaction. Crash-safe order: (1) the current key is kept as <key file>.old
// (hard link), (2) the new key is written to <key file>.new, fsynced, and renamed over
// <key file>, (3) the re-seal commits, (4) <key file>.old is removed. A crash before (3)
// leaves a database that the .old key opens (OpenRuntime falls back to it); a crash
// after (3) a database the new key opens. Running it again completes an interrupted
// rotation. InvalidArgument when the key comes from OBVPN_MASTER_KEY (rotate it by
// hand); Unavailable while obvpnd runs. Appends an "admin.master-key.rotate" audit event.
Result<RotateInfo> RotateMasterKey(const config::Config& config, const Clock& clock,
                                   const std::string& request_id);

}  // namespace obvpn::app
