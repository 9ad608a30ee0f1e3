#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "auth/rate_limiter.h"
#include "auth/replay_cache.h"
#include "core/clock.h"

namespace obvpn::auth {
namespace {

TEST(ReplayCache, SecondClaimOfLiveKeyFails) {
  ReplayCache c;
  EXPECT_TRUE(c.Claim("k", 100, 50));
  EXPECT_FALSE(c.Claim("k", 100, 60));
  EXPECT_TRUE(c.Claim("other", 100, 60));
}

TEST(ReplayCache, ExpiredClaimCanBeTakenAgain) {
  ReplayCache c;
  EXPECT_TRUE(c.Claim("k", 100, 50));
  EXPECT_TRUE(c.Claim("k", 300, 101));
  EXPECT_FALSE(c.Claim("k", 300, 102));
}

TEST(ReplayCache, PurgeDropsOnlyExpired) {
  ReplayCache c;
  ASSERT_TRUE(c.Claim("a", 10, 0));
  ASSERT_TRUE(c.Claim("b", 100, 0));
  c.Purge(50);
  EXPECT_EQ(c.size(), 1u);
}

TEST(ReplayCache, ExactlyOneOfConcurrentClaimsWins) {
  ReplayCache c;
  std::atomic<int> wins{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < 8; ++i) {
    ts.emplace_back([&] {
      if (c.Claim("same", 100, 0)) ++wins;
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(wins.load(), 1);
}

TEST(ReplayKey, DiffersWhenAnyFieldDiffers) {
  const std::string base = ReplayKey("v2", "AKID", "1", "2", "sig");
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(base, ReplayKey("v2", "AKID", "1", "2", "sig"));
  EXPECT_NE(base, ReplayKey("v3", "AKID", "1", "2", "sig"));
  EXPECT_NE(base, ReplayKey("v2", "AKIE", "1", "2", "sig"));
  EXPECT_NE(base, ReplayKey("v2", "AKID", "12", "", "sig"));  // no field-boundary collision
  EXPECT_NE(base, ReplayKey("v2", "AKID", "1", "2", "sih"));
}

TEST(RateLimiter, RefusesBeyondLimitWithinWindow) {
  FakeClock clock;
  RateLimiter rl(clock);
  const int64_t minute = 60'000'000'000;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(rl.Allow("app", 3, minute));
  EXPECT_FALSE(rl.Allow("app", 3, minute));
  EXPECT_TRUE(rl.Allow("other", 3, minute));
}

TEST(RateLimiter, NewWindowResetsCount) {
  FakeClock clock;
  RateLimiter rl(clock);
  const int64_t second = 1'000'000'000;
  EXPECT_TRUE(rl.Allow("app", 1, second));
  EXPECT_FALSE(rl.Allow("app", 1, second));
  clock.Advance(std::chrono::seconds(1));
  EXPECT_TRUE(rl.Allow("app", 1, second));
}

TEST(RateLimiter, AllowAllCountsNothingWhenOneBucketIsFull) {
  FakeClock clock;
  RateLimiter rl(clock);
  const int64_t minute = 60'000'000'000;
  ASSERT_TRUE(rl.Allow("overall", 1, minute));
  EXPECT_FALSE(rl.AllowAll({{"action", 5, minute}, {"overall", 1, minute}}));
  // "action" was not counted by the refused call: 5 more still fit.
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(rl.Allow("action", 5, minute));
  EXPECT_FALSE(rl.Allow("action", 5, minute));
}

}  // namespace
}  // namespace obvpn::auth
