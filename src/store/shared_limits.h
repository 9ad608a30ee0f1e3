// SharedLimits: the abuse counters that must hold across every node of a cluster (SPEC
// §6 "replay protection and rate limits hold across nodes"): fixed-window request
// counters (SPEC §3.7 4400, §4 RequestLimitExceeded) and the RADIUS wrong-password
// lockout (SPEC §5 "Cost and abuse"). Kept in the shared database, so a client that
// spreads its requests over several nodes meets the same limit as on one.
//
// Only cluster stores implement it (PostgresStore). A single node keeps these counters
// in memory (auth::RateLimiter, radius::FailureThrottle), which is exact there and costs
// no database round trip; those classes use a SharedLimits only when one is given.
//
// Times are UNIX seconds from the caller's wall clock, so the nodes of a cluster must
// keep their clocks in sync (NTP), as the API timestamp window already requires.
//
// Error contract as store.h: Unavailable when the database cannot be reached or is
// slower than its timeout; a failed call counts nothing. Thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/status.h"

namespace obvpn::store {

class SharedLimits {
 public:
  virtual ~SharedLimits() = default;

  // One counter: at most `limit` events per aligned window of `window_s` seconds
  // (windows start at multiples of window_s since the epoch, as in the in-memory
  // limiter).
  struct Bucket {
    std::string_view key;
    uint32_t limit = 0;
    int64_t window_s = 1;  // >= 1
  };

  // Counts one event at `now` against every bucket, all or nothing: true if every
  // bucket was within its limit and all are now counted; false if any was full, and
  // then none is counted (a refused request does not use up the limit). Concurrent
  // calls on any node never admit more than `limit` events into one window.
  virtual Result<bool> AdmitAll(std::span<const Bucket> buckets, int64_t now) = 0;

  // Wrong-password throttling: `max_failures` failures of one key within a sliding
  // `window_s` lock it out for `lockout_s` (SPEC §5 defaults: 10 in 300 s, 300 s).
  struct FailurePolicy {
    uint32_t max_failures = 10;  // >= 1
    int64_t window_s = 300;
    int64_t lockout_s = 300;
  };

  // True while `key` is locked out at `now`.
  virtual Result<bool> IsLockedOut(std::string_view key, int64_t now) = 0;
  // Counts one failure at `now`; the max_failures-th within the window starts a lockout
  // (and forgets the failures counted so far). Returns true if this failure started one.
  virtual Result<bool> RecordFailure(std::string_view key, int64_t now,
                                     const FailurePolicy& policy) = 0;
  // Forgets the failures counted for `key` (a correct password); a running lockout
  // stays.
  virtual Status ClearFailures(std::string_view key) = 0;

  // Deletes windows and throttle entries that ended before `now`. Called periodically;
  // never changes a decision.
  virtual Status PurgeLimits(int64_t now) = 0;
};

}  // namespace obvpn::store
