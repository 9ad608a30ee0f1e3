#include "app/runtime.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "store/fault_injecting_store.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"

namespace obvpn::app {
namespace {

constexpr std::string_view kCheckKey = kMasterKeyCheckMeta;
constexpr std::string_view kCheckPlain = kMasterKeyCheckPlain;
constexpr std::string_view kCheckAd = kMasterKeyCheckAd;

Status EnsureDataDir(const std::string& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) {
    if (!std::filesystem::is_directory(dir, ec)) {
      return InvalidArgument("data_dir '" + dir + "' exists and is not a directory");
    }
    return Status::Ok();
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) return Unavailable("cannot create data_dir '" + dir + "': " + ec.message());
  // The data directory holds the database and the master key: owner only.
  if (::chmod(dir.c_str(), 0700) != 0) {
    return Unavailable("cannot chmod data_dir '" + dir + "': " + std::strerror(errno));
  }
  return Status::Ok();
}

// Secrets hygiene: the data directory and the database (with its WAL and shared-memory
// files) must not be readable by anyone but the owner. Existing installations that are
// too open are reported, not silently changed: the operator decides.
void CheckPermissions(const config::Config& config, std::vector<std::string>& warnings) {
  auto check = [&warnings](const std::string& path, const char* what) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return;
    if ((st.st_mode & 077) != 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
      warnings.push_back(std::string(what) + " '" + path + "' has mode " + mode +
                         ": it holds secrets; restrict it to its owner (chmod go-rwx)");
    }
  };
  check(config.data_dir, "data_dir");
  for (const char* suffix : {"", "-wal", "-shm"}) {
    check(config.DatabasePath() + suffix, "database file");
  }
}

}  // namespace

Result<Runtime> OpenRuntime(const config::Config& config) {
  OBVPN_RETURN_IF_ERROR(EnsureDataDir(config.data_dir));
  Runtime rt;
  // The database as messages name it: the SQLite file, or the PostgreSQL target without
  // its password.
  std::string db_label;
  if (config.store.kind == "postgres") {
    // SPEC §6 scale-out: the store and the cross-node limits on one connection pool.
    store::PostgresOptions opts;
    opts.url = config.store.postgres_url;
    opts.max_connections = config.store.pool_size;
    opts.connect_timeout_ms = static_cast<int>(config.store.connect_timeout_ms);
    opts.statement_timeout_ms = static_cast<int>(config.store.statement_timeout_ms);
    opts.lock_timeout_ms = static_cast<int>(config.store.busy_timeout_ms);
    db_label = store::DescribePostgresUrl(opts.url);
    auto backend = store::OpenPostgres(opts);
    if (!backend.ok()) {
      return Status(backend.status().code(),
                    "cannot open database '" + db_label + "': " + backend.status().message());
    }
    rt.store = std::move(backend->store);
    rt.shared_limits = std::move(backend->limits);
  } else {
    store::SqliteOptions opts;
    opts.path = config.DatabasePath();
    opts.busy_timeout_ms = static_cast<int>(config.store.busy_timeout_ms);
    opts.max_connections = config.store.pool_size;
    db_label = opts.path;
    auto store = store::OpenSqliteStore(opts);
    if (!store.ok()) {
      return Status(store.status().code(),
                    "cannot open database '" + opts.path + "': " + store.status().message());
    }
    rt.store = std::move(*store);
    CheckPermissions(config, rt.warnings);
  }
  // Failure tests arm store faults through a control file (FaultInjectingStore).
  if (const char* fault = std::getenv(kFaultFileEnv); fault != nullptr && *fault != '\0') {
    rt.store = store::MakeFaultInjectingStore(std::move(rt.store), fault);
  }

  auto check = rt.store->GetMeta(kCheckKey);
  if (!check.ok()) return check.status();
  const bool db_has_secrets = !check->empty();

  Result<crypto::Secret> key = NotFound("");
  std::string key_origin;
  bool key_from_file = false;
  if (const char* env = std::getenv(kMasterKeyEnv); env != nullptr && *env != '\0') {
    key = crypto::ParseMasterKey(env);
    key_origin = std::string("environment variable ") + kMasterKeyEnv;
    if (!key.ok()) return InvalidArgument(key_origin + ": " + key.status().message());
  } else {
    const std::string path = config.MasterKeyPath();
    key_origin = "master key file '" + path + "'";
    key_from_file = true;
    key = crypto::ReadMasterKeyFile(path);
    if (!key.ok() && key.status().code() == StatusCode::kNotFound) {
      if (db_has_secrets) {
        return NotFound(key_origin + " is missing, but database '" + db_label +
                        "' holds secrets sealed with a master key: restore the key file "
                        "or set " +
                        kMasterKeyEnv);
      }
      key = crypto::CreateMasterKeyFile(path);
      rt.created_master_key = key.ok();
    }
    if (!key.ok()) return Status(key.status().code(), key_origin + ": " + key.status().message());
  }
  auto box = crypto::SecretBox::FromKey(*key);
  if (!box.ok()) return InvalidArgument(key_origin + ": " + box.status().message());
  rt.box = std::make_unique<crypto::SecretBox>(std::move(*box));

  if (db_has_secrets) {
    if (!rt.box->Open(*check, kCheckAd).ok() && key_from_file) {
      // docs/operations.md "Rotating the master key": the new key is installed before
      // the re-seal commits and the previous one kept as <key file>.old until after, so
      // after a crash in between the database still opens with the .old key.
      auto old_key =
          crypto::ReadMasterKeyFile(config.MasterKeyPath() + std::string(kOldMasterKeySuffix));
      auto old_box = old_key.ok() ? crypto::SecretBox::FromKey(*old_key)
                                  : Result<crypto::SecretBox>(old_key.status());
      if (old_box.ok() && old_box->Open(*check, kCheckAd).ok()) {
        rt.box = std::make_unique<crypto::SecretBox>(std::move(*old_box));
        rt.used_old_master_key = true;
      }
    }
    if (!rt.box->Open(*check, kCheckAd).ok()) {
      return PermissionDenied("the " + key_origin + " does not match database '" + db_label +
                              "' (it was created with another master key)");
    }
  } else {
    OBVPN_RETURN_IF_ERROR(rt.store->SetMeta(kCheckKey, rt.box->Seal(kCheckPlain, kCheckAd)));
    // Nodes of a cluster may start at once on an empty database, each with its own new
    // key: the last SetMeta wins, and every other node must refuse to start rather than
    // seal secrets with a key the database does not check.
    auto stored = rt.store->GetMeta(kCheckKey);
    if (!stored.ok()) return stored.status();
    if (!rt.box->Open(*stored, kCheckAd).ok()) {
      return PermissionDenied("the " + key_origin + " does not match database '" + db_label +
                              "' (another node initialised it with another master key at the "
                              "same time; give every node the same key)");
    }
  }
  return rt;
}

}  // namespace obvpn::app
