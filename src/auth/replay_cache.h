// ReplayCache: the in-memory first line of replay protection (SPEC §3.2). A claim is a
// digest of the request's identity (SecretId, Timestamp, Nonce, Signature) that lives
// until the end of the timestamp window; a second claim of a live key fails.
//
// This cache is per process. Requests that change state also claim their key durably
// in the store (shared by every node), in the same transaction as the change.
// Thread-safe (sharded locks).
//
// Cost (SPEC §9): every signed request claims a key and keeps it for the whole window
// (default 601 s), so at tens of thousands of requests per second the cache holds
// millions of claims. Each claim is stored as a 128-bit fingerprint and its expiry in
// an open-addressing table (24 bytes a slot, no allocation per claim); an expired slot
// is reused in place and dropped when the table is rebuilt, so a claim costs O(1)
// amortised and memory stays between 48 and 96 bytes per live claim (the table is kept
// between a quarter and a half full).
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace obvpn::auth {

class ReplayCache {
 public:
  // True if `key` was not live and is now claimed until `expires_at` (UNIX seconds). A
  // claim is live while now <= expires_at.
  bool Claim(std::string_view key, int64_t expires_at, int64_t now);
  // The same claim for the key whose raw SHA-256 digest (32 bytes) is `digest`, i.e. the
  // key hex(digest) as ReplayKey() makes it — without the hex round trip (SPEC §9: a Get
  // claims one per request). ClaimDigest(ReplayDigest(f...)) and Claim(ReplayKey(f...))
  // are the same claim.
  bool ClaimDigest(std::string_view digest, int64_t expires_at, int64_t now);
  // Drops expired claims (also done incrementally by Claim).
  void Purge(int64_t now);
  // Claims held, live or expired but not yet dropped.
  size_t size() const;

 private:
  // 128 bits that identify a key. Keys made by ReplayKey are SHA-256 digests in hex, so
  // their first 32 hex digits already are uniform; any other key is digested first.
  using Fingerprint = std::array<uint64_t, 2>;
  static Fingerprint FingerprintOf(std::string_view key);
  static Fingerprint FingerprintOfDigest(std::string_view digest);
  bool ClaimFingerprint(const Fingerprint& fp, int64_t expires_at, int64_t now);

  struct Slot {
    Fingerprint fp{};
    int64_t expires_at = 0;  // 0: empty (claims always expire after the epoch)
  };
  struct Shard {
    mutable std::mutex mu;
    std::vector<Slot> slots;  // size is a power of two (or 0 before the first claim)
    size_t used = 0;          // non-empty slots, live or expired
  };
  static constexpr size_t kShards = 16;
  static constexpr size_t kMinSlots = 1024;
  static void Rebuild(Shard& s, size_t capacity, int64_t now);  // requires s.mu
  Shard& ShardFor(const Fingerprint& fp);
  std::array<Shard, kShards> shards_;
};

// The replay key of a signed request: hex(SHA-256) over the fields that identify it,
// separated so that no two field lists collide.
std::string ReplayKey(std::string_view scheme, std::string_view secret_id,
                      std::string_view timestamp, std::string_view nonce,
                      std::string_view signature);
// The raw SHA-256 digest (32 bytes) whose hex is ReplayKey() of the same fields.
std::string ReplayDigest(std::string_view scheme, std::string_view secret_id,
                         std::string_view timestamp, std::string_view nonce,
                         std::string_view signature);

}  // namespace obvpn::auth
