// Runtime: what obvpnd and obvpnctl both open from a configuration — the data
// directory, the store and the master key — with the checks that must hold before any
// secret is read or written (SPEC §6).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/status.h"
#include "crypto/secret_box.h"
#include "store/shared_limits.h"
#include "store/store.h"

namespace obvpn::app {

struct Runtime {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<crypto::SecretBox> box;
  bool created_master_key = false;  // true when this call generated it
  // Findings of the startup permission check (data dir / database readable by group or
  // others), for the caller to log. Empty when everything is owner-only.
  std::vector<std::string> warnings;
  // True when the key file did not open the database but <key file>.old did: an
  // interrupted `obvpnctl rotate-master-key` (docs/operations.md); the caller warns.
  bool used_old_master_key = false;
  // The counters that must hold across nodes (rate limits, RADIUS failure throttling),
  // when the store is shared (store.kind = "postgres"); null for SQLite, where they stay
  // in memory.
  std::unique_ptr<store::SharedLimits> shared_limits;
};

// The database's master key check: meta row kMasterKeyCheckMeta holds
// SecretBox::Seal(kMasterKeyCheckPlain, kMasterKeyCheckAd).
inline constexpr std::string_view kMasterKeyCheckMeta = "master_key_check";
inline constexpr std::string_view kMasterKeyCheckPlain = "obvpn master key check v1";
inline constexpr std::string_view kMasterKeyCheckAd = "meta:master_key_check";

// `obvpnctl rotate-master-key` keeps the previous key in <key file> + this suffix until
// the re-sealed database has committed.
inline constexpr std::string_view kOldMasterKeySuffix = ".old";

// Environment variable that may carry the master key (base64 of 32 bytes); it takes
// precedence over the key file.
inline constexpr const char* kMasterKeyEnv = "OBVPN_MASTER_KEY";

// Testing aid: when set, the store is wrapped in a FaultInjectingStore controlled by the
// named file (store/fault_injecting_store.h). Never set in production.
inline constexpr const char* kFaultFileEnv = "OBVPN_TEST_FAULT_FILE";

// Opens the data directory (created with mode 0700 if missing), the store, and the
// master key: from OBVPN_MASTER_KEY, else from the key file; a missing key file is
// generated (mode 0600) only while the database holds no sealed secret yet. The key is
// checked against a sealed value kept in the database, so a wrong key is refused at
// startup instead of corrupting data; when the key file does not open it, <key
// file>.old is tried (see used_old_master_key). Errors name the file and what to do.
Result<Runtime> OpenRuntime(const config::Config& config);

}  // namespace obvpn::app
