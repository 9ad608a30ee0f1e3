// KeyRing: the API keys as the front ends need them, with SecretKeys decrypted, cached in
// memory and refreshed when the store's generation moves (SPEC §8: obvpnctl changes take
// effect in a running obvpnd within one second).
//
// Lookups fill the cache on a miss (so startup does not load every tenant's key); a
// generation change empties it. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "crypto/secret.h"
#include "crypto/secret_box.h"
#include "store/store.h"

namespace obvpn::auth {

struct KeyInfo {
  std::string secret_id;
  uint64_t app_id = 0;
  crypto::Secret secret_key;
  bool enabled = true;
  std::vector<std::string> actions;  // empty = every action
  std::optional<int64_t> expires_at;
  std::string token_sha256_hex;  // "" unless temporary

  bool AllowsAction(std::string_view action) const;
  bool IsTemporary() const { return !token_sha256_hex.empty(); }
};

class KeyRing {
 public:
  KeyRing(store::Store& store, const crypto::SecretBox& box);

  // The key, nullptr if there is none. Unavailable if the store failed; DataLoss if the
  // sealed SecretKey cannot be opened (wrong master key or tampered row).
  Result<std::shared_ptr<const KeyInfo>> Find(std::string_view secret_id);

  // Polls the store's generation and drops the cache if it moved. Called periodically.
  Status Refresh();

  // Drops every cached key.
  void Clear();

 private:
  store::Store& store_;
  const crypto::SecretBox& box_;
  std::mutex mu_;
  int64_t generation_ = -1;
  // Looked up by string_view on every request, without building a std::string.
  struct IdHash {
    using is_transparent = void;
    size_t operator()(std::string_view k) const { return std::hash<std::string_view>{}(k); }
  };
  std::unordered_map<std::string, std::shared_ptr<const KeyInfo>, IdHash, std::equal_to<>> cache_;
};

}  // namespace obvpn::auth
