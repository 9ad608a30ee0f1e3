// FailureThrottle: per-account throttling of wrong RADIUS passwords (SPEC §5 "Cost and
// abuse": after max_failures failures within window, reject for lockout without hashing).
// Online guessing through a gateway is then bounded to max_failures tries per lockout
// period per account, and each blocked try costs no argon2id hash.
//
// State is in memory, per obvpnd node (a restart forgets it). Memory stays bounded by the
// accounts that failed recently: entries with nothing left to remember are swept.
// Times are monotonic nanoseconds (Clock::MonotonicNanos). Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <unordered_map>

namespace obvpn::radius {

struct ThrottleOptions {
  size_t max_failures = 10;
  int64_t window_ns = 300'000'000'000;   // 5 minutes
  int64_t lockout_ns = 300'000'000'000;  // 5 minutes
};

class FailureThrottle {
 public:
  explicit FailureThrottle(ThrottleOptions options);

  // True while `key` is locked out at `now_ns`.
  bool Blocked(uint64_t key, int64_t now_ns);
  // Counts one failure; the max_failures-th within the window starts a lockout.
  void RecordFailure(uint64_t key, int64_t now_ns);
  // A correct password clears the failures counted so far (not a running lockout: a
  // locked-out account is never hashed, so it cannot succeed until the lockout ends).
  void RecordSuccess(uint64_t key);

  // Accounts with failures or a lockout in memory.
  size_t tracked() const;

 private:
  struct Entry {
    std::deque<int64_t> failures;  // times within the window, oldest first
    int64_t locked_until = 0;
  };
  void ExpireLocked(Entry& e, int64_t now_ns) const;
  void SweepLocked(int64_t now_ns);

  const ThrottleOptions options_;
  mutable std::mutex mu_;
  std::unordered_map<uint64_t, Entry> entries_;  // guarded by mu_
  size_t calls_since_sweep_ = 0;                 // guarded by mu_
};

}  // namespace obvpn::radius
