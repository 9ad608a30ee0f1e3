// DuplicateCache: the RFC 5080 §2.2.2 duplicate detection cache. A retransmitted request
// (same listener, client address, source port, Identifier and Request Authenticator)
// gets the reply already sent, byte for byte, instead of a second argon2id verification
// and a second store write; a retransmission that arrives while the first copy is still
// being processed is dropped (the client will get that first reply).
//
// Bounded: entries live `window_ns` after their reply is stored, and at most
// `max_entries` entries and `max_bytes` reply bytes are held; beyond that, requests are
// processed without caching. Times are monotonic nanoseconds. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace obvpn::radius {

enum class DuplicateState {
  kNew,         // not seen: process it (and Complete or Abandon the key afterwards)
  kInProgress,  // the first copy is still being processed: drop this one
  kCached,      // answered before: resend DuplicateLookup::reply
  kMismatch,    // same key but different octets: not a retransmission, drop it
};

struct DuplicateLookup {
  DuplicateState state = DuplicateState::kNew;
  std::string reply;  // kCached only
};

class DuplicateCache {
 public:
  // window_ns <= 0 disables the cache (every lookup is kNew, nothing is stored).
  DuplicateCache(int64_t window_ns, size_t max_entries, size_t max_bytes);

  // Looks `key` up; a new key is remembered as in progress. `digest` identifies the
  // request's octets, so a packet that reuses a key with other content is told apart.
  DuplicateLookup Begin(const std::string& key, uint64_t digest, int64_t now_ns);
  // Stores the reply sent for `key` (a no-op if the key was not remembered).
  void Complete(const std::string& key, std::string reply, int64_t now_ns);
  // Forgets `key` without a reply (the request was dropped: a retransmission should be
  // processed afresh, e.g. after a store outage).
  void Abandon(const std::string& key);

  size_t size() const;

 private:
  struct Entry {
    uint64_t digest = 0;
    bool done = false;
    std::string reply;
    uint64_t serial = 0;  // matches the newest expiry_ record of this entry
  };
  struct Expiry {
    int64_t at = 0;
    std::string key;
    uint64_t serial = 0;
  };
  void ExpireLocked(int64_t now_ns);
  void EraseLocked(std::unordered_map<std::string, Entry>::iterator it);

  const int64_t window_ns_;
  const size_t max_entries_;
  const size_t max_bytes_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
  std::deque<Expiry> expiry_;                       // guarded by mu_; ordered by `at`
  uint64_t next_serial_ = 1;                        // guarded by mu_
  size_t bytes_ = 0;                                // guarded by mu_; sum of reply sizes
};

}  // namespace obvpn::radius
