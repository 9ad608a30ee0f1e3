#include "app/maintenance.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <utility>

#include "app/data_dir_lock.h"
#include "app/runtime.h"
#include "crypto/crypto.h"
#include "crypto/secret_box.h"
#include "store/sqlite_store.h"

namespace obvpn::app {
namespace {

constexpr const char* kAuditSource = "obvpnctl";

// Associated data of each sealed column; they must match the sealing code:
// cli/commands.cc GenerateKey (the SecretId) and RadiusClientAdd ("radius-client:" +
// name), opened by auth/key_ring.cc and radius/server/client_table.cc.
constexpr std::string_view kRadiusClientAdPrefix = "radius-client:";

std::string Errno(int err) { return std::strerror(err); }

Status RequireSqlite(const config::Config& config, std::string_view what) {
  if (config.store.kind == "sqlite") return Status::Ok();
  return InvalidArgument(std::string(what) + " works on the embedded sqlite store only; back up " +
                         config.store.kind + " with its own tools (docs/operations.md)");
}

bool Exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

// Removes a SQLite file and the journals that may lie beside it.
void RemoveDatabaseFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    ::unlink((path + suffix).c_str());
  }
}

Status SyncDirectoryOf(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Unavailable("cannot open directory " + dir.string() + ": " + Errno(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return Unavailable("cannot fsync directory " + dir.string() + ": " + Errno(err));
  return Status::Ok();
}

Status SyncFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Unavailable("cannot open " + path + ": " + Errno(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return Unavailable("cannot fsync " + path + ": " + Errno(err));
  return Status::Ok();
}

// rename(2) is atomic: `to` is the old or the new file, never a mix. The directory is
// synced so the rename itself survives a crash.
Status RenameDurably(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return Unavailable("cannot rename " + from + " to " + to + ": " + Errno(errno));
  }
  return SyncDirectoryOf(to);
}

// Writes `key` in the key file format (crypto/secret_box.h) to `path` atomically:
// <path>.new (mode 0600, fsynced), then renamed over `path`.
Status WriteKeyFile(const std::string& path, const crypto::Secret& key) {
  const std::string tmp = path + ".new";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) return Unavailable("cannot create " + tmp + ": " + Errno(errno));
  std::string content = crypto::Base64Encode(key.reveal()) + "\n";
  int err = 0;
  if (::fchmod(fd, 0600) != 0) err = errno;
  size_t done = 0;
  while (err == 0 && done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno != EINTR) err = errno;
    if (n > 0) done += static_cast<size_t>(n);
  }
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  crypto::Wipe(content);
  if (err != 0) {
    ::unlink(tmp.c_str());
    return Unavailable("cannot write " + tmp + ": " + Errno(err));
  }
  return RenameDurably(tmp, path);
}

// The key a restore checks the backup against (RestoreOptions::key_file).
Result<crypto::Secret> RestoreKey(const config::Config& config, const RestoreOptions& options) {
  if (!options.key_file.empty()) {
    auto key = crypto::ReadMasterKeyFile(options.key_file);
    if (!key.ok()) return Status(key.status().code(), "--key-file: " + key.status().message());
    return key;
  }
  if (const char* env = std::getenv(kMasterKeyEnv); env != nullptr && *env != '\0') {
    auto key = crypto::ParseMasterKey(env);
    if (!key.ok())
      return InvalidArgument(std::string(kMasterKeyEnv) + ": " + key.status().message());
    return key;
  }
  auto key = crypto::ReadMasterKeyFile(config.MasterKeyPath());
  if (key.ok()) return key;
  if (key.status().code() == StatusCode::kNotFound) {
    return NotFound(
        "no master key to open the backup with: pass --key-file with the master key "
        "file of the data directory the backup was taken from");
  }
  return key.status();
}

void AppendAudit(store::Store& s, const Clock& clock, std::string action, std::string detail,
                 const std::string& request_id, std::string& warning) {
  store::AuditEvent e;
  e.time = clock.NowUnix();
  e.action = std::move(action);
  e.source = kAuditSource;
  e.request_id = request_id;
  e.detail = std::move(detail);
  if (Status st = s.AppendAudit(e); !st.ok()) warning = st.message();
}

}  // namespace

Result<BackupInfo> BackupDatabase(const config::Config& config, const std::string& file) {
  OBVPN_RETURN_IF_ERROR(RequireSqlite(config, "backup"));
  const std::string db = config.DatabasePath();
  if (!Exists(db)) return NotFound("there is no database at '" + db + "' to back up");
  const std::string tmp = file + ".tmp";
  RemoveDatabaseFiles(tmp);  // the leftover of an interrupted backup
  const int busy_ms = static_cast<int>(config.store.busy_timeout_ms);
  if (Status s = store::CopySqliteDatabase(db, tmp, busy_ms); !s.ok()) {
    RemoveDatabaseFiles(tmp);
    return Status(s.code(), "backup of '" + db + "' failed: " + s.message());
  }
  // The backup holds sealed secrets and password hashes: owner only, whatever the umask.
  if (::chmod(tmp.c_str(), 0600) != 0) {
    const int err = errno;
    RemoveDatabaseFiles(tmp);
    return Unavailable("cannot chmod " + tmp + ": " + Errno(err));
  }
  if (Status s = SyncFile(tmp); !s.ok()) {
    RemoveDatabaseFiles(tmp);
    return s;
  }
  OBVPN_RETURN_IF_ERROR(RenameDurably(tmp, file));
  BackupInfo info;
  info.file = file;
  std::error_code ec;
  info.bytes = static_cast<int64_t>(std::filesystem::file_size(file, ec));
  return info;
}

Status RestoreDatabase(const config::Config& config, const RestoreOptions& options,
                       const Clock& clock, const std::string& request_id) {
  OBVPN_RETURN_IF_ERROR(RequireSqlite(config, "restore"));
  const char* env = std::getenv(kMasterKeyEnv);
  if (env != nullptr && *env != '\0' && !options.key_file.empty()) {
    return InvalidArgument(std::string(kMasterKeyEnv) +
                           " is set, so obvpnd would not read a key file: unset it, or omit "
                           "--key-file to check the backup against it");
  }
  if (!Exists(options.file)) return NotFound("backup file '" + options.file + "' does not exist");
  OBVPN_ASSIGN_OR_RETURN(DataDirLock lock,
                         DataDirLock::Acquire(config.data_dir, DataDirLock::Mode::kExclusive));
  const std::string db = config.DatabasePath();
  const std::string key_path = config.MasterKeyPath();
  OBVPN_ASSIGN_OR_RETURN(crypto::Secret key, RestoreKey(config, options));
  OBVPN_ASSIGN_OR_RETURN(crypto::SecretBox box, crypto::SecretBox::FromKey(key));

  if (!options.force) {
    if (Exists(db)) {
      return AlreadyExists("database '" + db +
                           "' exists; pass --force to replace it with the backup");
    }
    if (!options.key_file.empty() && Exists(key_path)) {
      auto existing = crypto::ReadMasterKeyFile(key_path);
      if (!existing.ok() || !crypto::ConstantTimeEquals(existing->reveal(), key.reveal())) {
        return AlreadyExists("master key file '" + key_path +
                             "' exists with another key; pass --force to replace it");
      }
    }
  }

  // Stage the backup beside the database: copy it (the file itself is only read),
  // migrate it to this binary's schema, and check the key, before touching anything.
  const std::string staged = db + ".restore";
  RemoveDatabaseFiles(staged);
  const int busy_ms = static_cast<int>(config.store.busy_timeout_ms);
  if (Status s = store::CopySqliteDatabase(options.file, staged, busy_ms); !s.ok()) {
    RemoveDatabaseFiles(staged);
    return Status(s.code(), "cannot read backup '" + options.file + "': " + s.message());
  }
  auto verify = [&]() -> Status {
    store::SqliteOptions o;
    o.path = staged;
    o.busy_timeout_ms = busy_ms;
    o.create_if_missing = false;
    OBVPN_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> staged_store, store::OpenSqliteStore(o));
    OBVPN_ASSIGN_OR_RETURN(std::string check, staged_store->GetMeta(kMasterKeyCheckMeta));
    if (!check.empty() && !box.Open(check, kMasterKeyCheckAd).ok()) {
      return PermissionDenied("the master key does not open backup '" + options.file +
                              "': pass --key-file with the master key file of the data "
                              "directory it was taken from");
    }
    return Status::Ok();
  };
  if (Status s = verify(); !s.ok()) {
    RemoveDatabaseFiles(staged);
    return s;
  }

  // Install: the database first (one write transaction on it, so it is the old or the
  // new one), then the key. After a crash in between, obvpnd refuses the mismatched key
  // at startup and running the same restore again completes it.
  Status copied = store::CopySqliteDatabase(staged, db, busy_ms);
  RemoveDatabaseFiles(staged);
  if (!copied.ok()) return Status(copied.code(), "cannot write '" + db + "': " + copied.message());
  (void)::chmod(db.c_str(), 0600);
  OBVPN_RETURN_IF_ERROR(SyncFile(db));
  if (!options.key_file.empty()) OBVPN_RETURN_IF_ERROR(WriteKeyFile(key_path, key));
  // A previous key kept by an interrupted rotation belongs to the replaced database.
  ::unlink((key_path + std::string(kOldMasterKeySuffix)).c_str());

  store::SqliteOptions o;
  o.path = db;
  o.busy_timeout_ms = busy_ms;
  OBVPN_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> restored, store::OpenSqliteStore(o));
  std::string warning;
  AppendAudit(*restored, clock, "admin.restore",
              "from=" + std::filesystem::path(options.file).filename().string(), request_id,
              warning);
  return Status::Ok();
}

Result<RotateInfo> RotateMasterKey(const config::Config& config, const Clock& clock,
                                   const std::string& request_id) {
  if (const char* env = std::getenv(kMasterKeyEnv); env != nullptr && *env != '\0') {
    return InvalidArgument(std::string("the master key comes from ") + kMasterKeyEnv +
                           "; rotate-master-key rotates a key file only (docs/operations.md)");
  }
  OBVPN_ASSIGN_OR_RETURN(DataDirLock lock,
                         DataDirLock::Acquire(config.data_dir, DataDirLock::Mode::kExclusive));
  OBVPN_ASSIGN_OR_RETURN(Runtime rt, OpenRuntime(config));
  const std::string path = config.MasterKeyPath();
  const std::string old_path = path + std::string(kOldMasterKeySuffix);
  RotateInfo info;
  info.resumed = rt.used_old_master_key;

  // (1) Keep the current key as <key file>.old. When OpenRuntime had to use .old, it is
  // already there; otherwise a stale .old (a rotation that committed but was cut off
  // before step 4) is replaced.
  if (!info.resumed) {
    if (::unlink(old_path.c_str()) != 0 && errno != ENOENT) {
      return Unavailable("cannot remove stale " + old_path + ": " + Errno(errno));
    }
    if (::link(path.c_str(), old_path.c_str()) != 0) {
      return Unavailable("cannot keep the current master key as " + old_path + ": " + Errno(errno));
    }
    OBVPN_RETURN_IF_ERROR(SyncDirectoryOf(old_path));
  }
  // (2) The new key, durable before any value is sealed with it.
  const std::string new_path = path + ".new";
  ::unlink(new_path.c_str());
  OBVPN_ASSIGN_OR_RETURN(crypto::Secret next_key, crypto::CreateMasterKeyFile(new_path));
  OBVPN_ASSIGN_OR_RETURN(crypto::SecretBox next, crypto::SecretBox::FromKey(next_key));
  OBVPN_RETURN_IF_ERROR(RenameDurably(new_path, path));

  // (3) One transaction: every sealed value opened with the current key, sealed with the
  // new one, with the same associated data.
  const crypto::SecretBox& current = *rt.box;
  int64_t api_keys = 0;
  int64_t radius_clients = 0;
  Status resealed = rt.store->ReSealSecrets(
      [&](const store::SealedValue& v) -> Result<std::optional<std::string>> {
        std::string ad;
        std::string_view what;
        switch (v.kind) {
          case store::SealedKind::kApiKey:
            ad = v.id;
            what = "API key";
            ++api_keys;
            break;
          case store::SealedKind::kRadiusClient:
            ad = std::string(kRadiusClientAdPrefix) + v.id;
            what = "RADIUS client";
            ++radius_clients;
            break;
          case store::SealedKind::kMeta:
            // The master key check is the only sealed meta value; others stay as they are.
            if (v.id != kMasterKeyCheckMeta) return std::optional<std::string>();
            ad = std::string(kMasterKeyCheckAd);
            what = "master key check";
            break;
        }
        auto plain = current.Open(v.sealed, ad);
        if (!plain.ok()) {
          return DataLoss("the sealed value of " + std::string(what) + " '" + v.id +
                          "' does not open with the current master key");
        }
        return std::optional<std::string>(next.Seal(plain->reveal(), ad));
      });
  if (!resealed.ok()) {
    // Nothing was re-sealed: put the current key back so the key file matches again.
    if (Status s = RenameDurably(old_path, path); !s.ok()) {
      return Status(resealed.code(), "re-sealing failed (" + resealed.message() +
                                         ") and the previous key could not be restored (" +
                                         s.message() + "); obvpnd will use " + old_path);
    }
    return Status(resealed.code(), "re-sealing failed, nothing changed: " + resealed.message());
  }
  info.api_keys = api_keys;
  info.radius_clients = radius_clients;
  // (4) The previous key is no longer needed by anything.
  if (::unlink(old_path.c_str()) == 0) (void)SyncDirectoryOf(old_path);

  std::string warning;
  AppendAudit(*rt.store, clock, "admin.master-key.rotate",
              "apiKeys=" + std::to_string(api_keys) + " radiusClients=" +
                  std::to_string(radius_clients) + (info.resumed ? " resumed" : ""),
              request_id, warning);
  return info;
}

}  // namespace obvpn::app
