// ReplayCache: the in-memory first line of replay protection (SPEC §3.2). A claim is a
// digest of the request's identity (SecretId, Timestamp, Nonce, Signature) that lives
// until the end of the timestamp window; a second claim of a live key fails.
//
// This cache is per process. Requests that change state also claim their key durably
// in the store (shared by every node), in the same transaction as the change.
// Thread-safe (sharded locks).
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace obvpn::auth {

class ReplayCache {
 public:
  // True if `key` was not live and is now claimed until `expires_at` (UNIX seconds).
  bool Claim(std::string_view key, int64_t expires_at, int64_t now);
  // Drops expired claims (also done incrementally by Claim).
  void Purge(int64_t now);
  size_t size() const;

 private:
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, int64_t> claims;
    size_t inserts_since_purge = 0;
  };
  static constexpr size_t kShards = 16;
  Shard& ShardFor(std::string_view key);
  std::array<Shard, kShards> shards_;
};

// The replay key of a signed request: hex(SHA-256) over the fields that identify it,
// separated so that no two field lists collide.
std::string ReplayKey(std::string_view scheme, std::string_view secret_id,
                      std::string_view timestamp, std::string_view nonce,
                      std::string_view signature);

}  // namespace obvpn::auth
