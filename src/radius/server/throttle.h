// FailureThrottle: per-account throttling of wrong RADIUS passwords (SPEC §5 "Cost and
// abuse": after max_failures failures within window, reject for lockout without hashing).
// Online guessing through a gateway is then bounded to max_failures tries per lockout
// period per account, and each blocked try costs no argon2id hash.
//
// State is in memory, per obvpnd node (a restart forgets it), and with
// ThrottleOptions::shared also in the shared store, so the lockout holds on every node of
// a cluster. Memory stays bounded by the accounts that failed recently: entries with
// nothing left to remember are swept.
// Times are monotonic nanoseconds (Clock::MonotonicNanos). Thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "store/shared_limits.h"

namespace obvpn::radius {

struct ThrottleOptions {
  size_t max_failures = 10;
  int64_t window_ns = 300'000'000'000;   // 5 minutes
  int64_t lockout_ns = 300'000'000'000;  // 5 minutes
  // Cluster mode (several nodes on one PostgreSQL, SPEC §6): failures are also counted
  // in `shared`, keyed "radius:<appId>", so a lockout started on one node holds on every
  // node. Null = memory only. Must outlive the throttle. `clock` gives the wall time the
  // shared counters use (default: the system clock).
  store::SharedLimits* shared = nullptr;
  const Clock* clock = nullptr;
};

class FailureThrottle {
 public:
  explicit FailureThrottle(ThrottleOptions options);

  // True while `key` is locked out at `now_ns`. With a shared store, also true while
  // the shared entry is locked, and true when the store cannot be asked (fail closed:
  // an unverifiable account is not hashed; shared_errors() counts it).
  bool Blocked(uint64_t key, int64_t now_ns);
  // Counts one failure; the max_failures-th within the window starts a lockout.
  void RecordFailure(uint64_t key, int64_t now_ns);
  // A correct password clears the failures counted so far (not a running lockout: a
  // locked-out account is never hashed, so it cannot succeed until the lockout ends).
  void RecordSuccess(uint64_t key);

  // Accounts with failures or a lockout in memory.
  size_t tracked() const;
  // Calls to the shared store that failed.
  uint64_t shared_errors() const { return shared_errors_.load(); }

 private:
  struct Entry {
    std::deque<int64_t> failures;  // times within the window, oldest first
    int64_t locked_until = 0;
  };
  void RecordFailureLocal(uint64_t key, int64_t now_ns);
  static std::string SharedKey(uint64_t key);
  int64_t WallNow() const;
  void ExpireLocked(Entry& e, int64_t now_ns) const;
  void SweepLocked(int64_t now_ns);

  const ThrottleOptions options_;
  std::atomic<uint64_t> shared_errors_{0};
  mutable std::mutex mu_;
  std::unordered_map<uint64_t, Entry> entries_;  // guarded by mu_
  size_t calls_since_sweep_ = 0;                 // guarded by mu_
};

}  // namespace obvpn::radius
