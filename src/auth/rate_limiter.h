// RateLimiter: fixed-window request counters per key (SPEC §3.7: per appId, 100 per
// minute per action and 1000 per minute overall; §4: 5 per second). In memory, per
// process, unless given a store::SharedLimits (several nodes: see Admit); thread-safe
// (sharded locks). Time comes from the injected Clock.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "store/shared_limits.h"

namespace obvpn::auth {

class RateLimiter {
 public:
  explicit RateLimiter(const Clock& clock) : clock_(clock) {}
  // Cluster mode (SPEC §6: "rate limits hold across nodes"): Admit counts in `shared`
  // (every node counts in the same windows, aligned to wall-clock seconds) instead of in
  // memory. `shared` must outlive the limiter; null = in memory.
  RateLimiter(const Clock& clock, store::SharedLimits* shared) : clock_(clock), shared_(shared) {}

  // Counts one request against `key` in the current window of `window_ns` and returns
  // true if the count is within `limit`. A refused request is not counted.
  bool Allow(std::string_view key, uint32_t limit, int64_t window_ns);

  // Counts one request against every (key, limit) pair, all or nothing: either all
  // are within their limits and all are counted, or none is.
  struct Bucket {
    std::string_view key;
    uint32_t limit;
    int64_t window_ns;
  };
  bool AllowAll(std::initializer_list<Bucket> buckets);

  // AllowAll where the counters may be shared: in memory when no SharedLimits was given
  // (never kUnavailable), else in the shared store, where a store failure is
  // kUnavailable (the caller answers with its store error: 9001 / 10100 / InternalError)
  // and counts nothing. Windows shorter than a second count as one second there.
  enum class Verdict { kAllowed, kLimited, kUnavailable };
  Verdict Admit(std::initializer_list<Bucket> buckets);

 private:
  struct Window {
    int64_t start = 0;
    uint32_t count = 0;
  };
  static constexpr size_t kShards = 16;
  // Heterogeneous lookup: a request's keys are looked up as string_views, without
  // building a std::string per lookup (SPEC §9: this runs on every request).
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view k) const { return std::hash<std::string_view>{}(k); }
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Window, KeyHash, std::equal_to<>> windows;
  };
  std::mutex all_mu_;  // serialises AllowAll so its all-or-nothing holds
  const Clock& clock_;
  store::SharedLimits* const shared_ = nullptr;
  std::array<Shard, kShards> shards_;
  Shard& ShardFor(std::string_view key);
  bool Peek(std::string_view key, uint32_t limit, int64_t window_ns, int64_t now);
  void Count(std::string_view key, int64_t window_ns, int64_t now);
};

}  // namespace obvpn::auth
