// What the API front ends (v2, v3) share: the current configuration, the key ring,
// replay cache, rate limiter, the actions and the hash pool. Owned by the daemon; the
// front ends hold references. All members are thread-safe.
#pragma once

#include <atomic>
#include <memory>

#include "accounts/service.h"
#include "auth/key_ring.h"
#include "auth/rate_limiter.h"
#include "auth/replay_cache.h"
#include "config/config.h"
#include "core/clock.h"
#include "password/hash_pool.h"

namespace obvpn::http::api {

// The configuration in force; replaced whole on reload (SIGHUP), read lock-free.
class ConfigHolder {
 public:
  explicit ConfigHolder(std::shared_ptr<const config::Config> c) : current_(std::move(c)) {}
  std::shared_ptr<const config::Config> Get() const { return current_.load(); }
  void Set(std::shared_ptr<const config::Config> c) { current_.store(std::move(c)); }

 private:
  std::atomic<std::shared_ptr<const config::Config>> current_;
};

struct ApiDeps {
  ConfigHolder& config;
  auth::KeyRing& keys;
  auth::ReplayCache& replay;
  auth::RateLimiter& limiter;
  accounts::Service& service;
  password::HashPool& pool;
  const Clock& clock;
};

}  // namespace obvpn::http::api
