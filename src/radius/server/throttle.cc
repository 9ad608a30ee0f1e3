#include "radius/server/throttle.h"

#include <algorithm>
#include <cstdint>
#include <string>

namespace obvpn::radius {
namespace {

// Sweeping walks every entry; doing it once per this many failures keeps its cost
// amortised O(1) per call.
constexpr size_t kSweepEvery = 1024;

constexpr int64_t kNanosPerSecond = 1'000'000'000;

// max_failures 0 would lock an account out before it ever failed; treat it as 1.
ThrottleOptions Sanitize(ThrottleOptions o) {
  o.max_failures = std::max<size_t>(o.max_failures, 1);
  return o;
}

}  // namespace

FailureThrottle::FailureThrottle(ThrottleOptions options) : options_(Sanitize(options)) {}

void FailureThrottle::ExpireLocked(Entry& e, int64_t now_ns) const {
  while (!e.failures.empty() && now_ns - e.failures.front() >= options_.window_ns) {
    e.failures.pop_front();
  }
}

bool FailureThrottle::Blocked(uint64_t key, int64_t now_ns) {
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.locked_until > now_ns) return true;
  }
  if (options_.shared == nullptr) return false;
  auto locked = options_.shared->IsLockedOut(SharedKey(key), WallNow());
  if (!locked.ok()) {
    ++shared_errors_;
    return true;
  }
  return *locked;
}

void FailureThrottle::RecordFailureLocal(uint64_t key, int64_t now_ns) {
  std::lock_guard lock(mu_);
  Entry& e = entries_[key];
  ExpireLocked(e, now_ns);
  e.failures.push_back(now_ns);
  // SPEC §5: "after 10 failures in 5 minutes, reject for 5 minutes without hashing".
  if (e.failures.size() >= options_.max_failures) {
    e.locked_until = now_ns + options_.lockout_ns;
    e.failures.clear();
  }
  if (++calls_since_sweep_ >= kSweepEvery) {
    calls_since_sweep_ = 0;
    SweepLocked(now_ns);
  }
}

void FailureThrottle::RecordFailure(uint64_t key, int64_t now_ns) {
  RecordFailureLocal(key, now_ns);
  if (options_.shared == nullptr) return;
  const store::SharedLimits::FailurePolicy policy{
      static_cast<uint32_t>(std::min<size_t>(options_.max_failures, UINT32_MAX)),
      std::max<int64_t>(options_.window_ns / kNanosPerSecond, 1),
      std::max<int64_t>(options_.lockout_ns / kNanosPerSecond, 1)};
  // The failure still counts in memory when the store fails.
  if (!options_.shared->RecordFailure(SharedKey(key), WallNow(), policy).ok()) ++shared_errors_;
}

void FailureThrottle::RecordSuccess(uint64_t key) {
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      if (it->second.locked_until == 0) {
        entries_.erase(it);
      } else {
        it->second.failures.clear();
      }
    }
  }
  if (options_.shared != nullptr && !options_.shared->ClearFailures(SharedKey(key)).ok()) {
    ++shared_errors_;
  }
}

std::string FailureThrottle::SharedKey(uint64_t key) { return "radius:" + std::to_string(key); }

int64_t FailureThrottle::WallNow() const {
  return (options_.clock != nullptr ? *options_.clock : SystemClock::Instance()).NowUnix();
}

void FailureThrottle::SweepLocked(int64_t now_ns) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    ExpireLocked(it->second, now_ns);
    if (it->second.failures.empty() && it->second.locked_until <= now_ns) {
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

size_t FailureThrottle::tracked() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace obvpn::radius
