// RateLimiter: fixed-window request counters per key (SPEC §3.7: per appId, 100 per
// minute per action and 1000 per minute overall; §4: 5 per second). In memory, per
// process; thread-safe (sharded locks). Time comes from the injected Clock.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"

namespace obvpn::auth {

class RateLimiter {
 public:
  explicit RateLimiter(const Clock& clock) : clock_(clock) {}

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

 private:
  struct Window {
    int64_t start = 0;
    uint32_t count = 0;
  };
  static constexpr size_t kShards = 16;
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Window> windows;
  };
  std::mutex all_mu_;  // serialises AllowAll so its all-or-nothing holds
  const Clock& clock_;
  std::array<Shard, kShards> shards_;
  Shard& ShardFor(std::string_view key);
  bool Peek(std::string_view key, uint32_t limit, int64_t window_ns, int64_t now);
  void Count(std::string_view key, int64_t window_ns, int64_t now);
};

}  // namespace obvpn::auth
