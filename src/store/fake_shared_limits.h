// FakeSharedLimits: an in-memory SharedLimits for the tests of its users
// (auth::RateLimiter, radius::FailureThrottle), with the contract's semantics kept
// simple and a switch that makes every call fail as an unreachable database does. The
// real implementation is tested against PostgreSQL in postgres_store_test.cc.
// Thread-safe.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/shared_limits.h"

namespace obvpn::store {

class FakeSharedLimits final : public SharedLimits {
 public:
  // false: every call returns Unavailable and changes nothing.
  std::atomic<bool> available{true};

  Result<bool> AdmitAll(std::span<const Bucket> buckets, int64_t now) override {
    std::lock_guard lock(mu_);
    ++calls_;
    if (!available) return Unavailable("fake: database down");
    last_now_ = now;
    for (const Bucket& b : buckets) {
      auto it = windows_.find(std::string(b.key));
      const int64_t start = now - now % b.window_s;
      const int64_t count =
          it != windows_.end() && it->second.first == start ? it->second.second : 0;
      if (count >= b.limit) return false;
    }
    for (const Bucket& b : buckets) {
      auto& w = windows_[std::string(b.key)];
      const int64_t start = now - now % b.window_s;
      if (w.first != start) w = {start, 0};
      ++w.second;
    }
    return true;
  }

  Result<bool> IsLockedOut(std::string_view key, int64_t now) override {
    std::lock_guard lock(mu_);
    ++calls_;
    if (!available) return Unavailable("fake: database down");
    auto it = locked_until_.find(std::string(key));
    return it != locked_until_.end() && it->second > now;
  }

  Result<bool> RecordFailure(std::string_view key, int64_t now,
                             const FailurePolicy& policy) override {
    std::lock_guard lock(mu_);
    ++calls_;
    if (!available) return Unavailable("fake: database down");
    last_policy_ = policy;
    auto& f = failures_[std::string(key)];
    std::erase_if(f, [&](int64_t t) { return t <= now - policy.window_s; });
    f.push_back(now);
    if (f.size() < policy.max_failures) return false;
    f.clear();
    locked_until_[std::string(key)] = now + policy.lockout_s;
    return true;
  }

  Status ClearFailures(std::string_view key) override {
    std::lock_guard lock(mu_);
    ++calls_;
    if (!available) return Unavailable("fake: database down");
    failures_.erase(std::string(key));
    return Status::Ok();
  }

  Status PurgeLimits(int64_t) override {
    std::lock_guard lock(mu_);
    ++calls_;
    if (!available) return Unavailable("fake: database down");
    return Status::Ok();
  }

  int calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  int64_t last_now() const {
    std::lock_guard lock(mu_);
    return last_now_;
  }
  FailurePolicy last_policy() const {
    std::lock_guard lock(mu_);
    return last_policy_;
  }

 private:
  mutable std::mutex mu_;
  int calls_ = 0;
  int64_t last_now_ = 0;
  FailurePolicy last_policy_;
  std::map<std::string, std::pair<int64_t, int64_t>> windows_;  // key -> (start, count)
  std::map<std::string, std::vector<int64_t>> failures_;
  std::map<std::string, int64_t> locked_until_;
};

}  // namespace obvpn::store
