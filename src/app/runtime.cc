#include "app/runtime.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "store/fault_injecting_store.h"
#include "store/sqlite_store.h"

namespace obvpn::app {
namespace {

constexpr std::string_view kCheckKey = "master_key_check";
constexpr std::string_view kCheckPlain = "obvpn master key check v1";
constexpr std::string_view kCheckAd = "meta:master_key_check";

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
  if (config.store.kind != "sqlite") {
    return InvalidArgument("store.kind '" + config.store.kind +
                           "' is not supported by this build yet");
  }
  OBVPN_RETURN_IF_ERROR(EnsureDataDir(config.data_dir));
  store::SqliteOptions opts;
  opts.path = config.DatabasePath();
  opts.busy_timeout_ms = static_cast<int>(config.store.busy_timeout_ms);
  auto store = store::OpenSqliteStore(opts);
  if (!store.ok()) {
    return Status(store.status().code(),
                  "cannot open database '" + opts.path + "': " + store.status().message());
  }
  Runtime rt;
  rt.store = std::move(*store);
  CheckPermissions(config, rt.warnings);
  // Failure tests arm store faults through a control file (FaultInjectingStore).
  if (const char* fault = std::getenv(kFaultFileEnv); fault != nullptr && *fault != '\0') {
    rt.store = store::MakeFaultInjectingStore(std::move(rt.store), fault);
  }

  auto check = rt.store->GetMeta(kCheckKey);
  if (!check.ok()) return check.status();
  const bool db_has_secrets = !check->empty();

  Result<crypto::Secret> key = NotFound("");
  std::string key_origin;
  if (const char* env = std::getenv(kMasterKeyEnv); env != nullptr && *env != '\0') {
    key = crypto::ParseMasterKey(env);
    key_origin = std::string("environment variable ") + kMasterKeyEnv;
    if (!key.ok()) return InvalidArgument(key_origin + ": " + key.status().message());
  } else {
    const std::string path = config.MasterKeyPath();
    key_origin = "master key file '" + path + "'";
    key = crypto::ReadMasterKeyFile(path);
    if (!key.ok() && key.status().code() == StatusCode::kNotFound) {
      if (db_has_secrets) {
        return NotFound(key_origin + " is missing, but database '" + opts.path +
                        "' holds secrets sealed with a master key: restore the key file "
                        "or set " + kMasterKeyEnv);
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
    if (!rt.box->Open(*check, kCheckAd).ok()) {
      return PermissionDenied("the " + key_origin + " does not match database '" + opts.path +
                              "' (it was created with another master key)");
    }
  } else {
    OBVPN_RETURN_IF_ERROR(rt.store->SetMeta(kCheckKey, rt.box->Seal(kCheckPlain, kCheckAd)));
  }
  return rt;
}

}  // namespace obvpn::app
