#include "auth/rate_limiter.h"

#include <algorithm>
#include <functional>
#include <vector>

namespace obvpn::auth {

RateLimiter::Shard& RateLimiter::ShardFor(std::string_view key) {
  return shards_[KeyHash{}(key) % kShards];
}

bool RateLimiter::Peek(std::string_view key, uint32_t limit, int64_t window_ns, int64_t now) {
  Shard& s = ShardFor(key);
  std::lock_guard lock(s.mu);
  auto it = s.windows.find(key);
  if (it == s.windows.end()) return limit > 0;
  const int64_t start = now - (now % window_ns);
  if (it->second.start != start) return limit > 0;
  return it->second.count < limit;
}

void RateLimiter::Count(std::string_view key, int64_t window_ns, int64_t now) {
  Shard& s = ShardFor(key);
  std::lock_guard lock(s.mu);
  const int64_t start = now - (now % window_ns);
  // Bound memory: windows that ended are dropped when a shard grows large.
  if (s.windows.size() > 65536) {
    std::erase_if(s.windows, [start](const auto& kv) { return kv.second.start < start; });
  }
  auto it = s.windows.find(key);
  if (it == s.windows.end()) it = s.windows.emplace(std::string(key), Window{start, 0}).first;
  Window& w = it->second;
  if (w.start != start) w = Window{start, 0};
  ++w.count;
}

bool RateLimiter::Allow(std::string_view key, uint32_t limit, int64_t window_ns) {
  return AllowAll({{key, limit, window_ns}});
}

bool RateLimiter::AllowAll(std::initializer_list<Bucket> buckets) {
  const int64_t now = clock_.MonotonicNanos();
  std::lock_guard lock(all_mu_);
  for (const Bucket& b : buckets) {
    if (!Peek(b.key, b.limit, b.window_ns, now)) return false;
  }
  for (const Bucket& b : buckets) Count(b.key, b.window_ns, now);
  return true;
}

RateLimiter::Verdict RateLimiter::Admit(std::initializer_list<Bucket> buckets) {
  if (shared_ == nullptr) return AllowAll(buckets) ? Verdict::kAllowed : Verdict::kLimited;
  constexpr int64_t kNanosPerSecond = 1'000'000'000;
  std::vector<store::SharedLimits::Bucket> shared;
  shared.reserve(buckets.size());
  for (const Bucket& b : buckets) {
    shared.push_back({b.key, b.limit, std::max<int64_t>(b.window_ns / kNanosPerSecond, 1)});
  }
  auto admitted = shared_->AdmitAll(shared, clock_.NowUnix());
  if (!admitted.ok()) return Verdict::kUnavailable;
  return *admitted ? Verdict::kAllowed : Verdict::kLimited;
}

}  // namespace obvpn::auth
