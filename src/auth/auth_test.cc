#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "auth/rate_limiter.h"
#include "auth/replay_cache.h"
#include "core/clock.h"
#include "crypto/crypto.h"
#include "store/fake_shared_limits.h"

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

TEST(ReplayCache, DetectsReplaysAmongManyClaims) {
  // Enough claims to grow every shard's table several times.
  ReplayCache c;
  constexpr int kClaims = 200000;
  for (int i = 0; i < kClaims; ++i) {
    ASSERT_TRUE(c.Claim(ReplayKey("v2", "AKID", "1", std::to_string(i), "s"), 100, 0)) << i;
  }
  for (int i = 0; i < kClaims; i += 997) {
    EXPECT_FALSE(c.Claim(ReplayKey("v2", "AKID", "1", std::to_string(i), "s"), 100, 1)) << i;
  }
  EXPECT_EQ(c.size(), static_cast<size_t>(kClaims));
}

TEST(ReplayCache, ExpiredClaimsDoNotAccumulate) {
  // One live claim at a time: the table is rebuilt without the expired ones instead of
  // growing with every claim ever made.
  ReplayCache c;
  for (int64_t t = 1; t <= 100000; ++t) {
    ASSERT_TRUE(c.Claim(ReplayKey("v2", "AKID", std::to_string(t), "0", "s"), t, t));
  }
  EXPECT_LE(c.size(), 16u * 1024u);
}

TEST(ReplayCache, ExpiredSlotIsReusedWithoutLosingLaterClaims) {
  ReplayCache c;
  // Claims of one shard and probe chain are indistinguishable from outside; claim many,
  // let half expire, claim new keys, then check that every live old claim still holds.
  for (int i = 0; i < 5000; ++i) {
    ASSERT_TRUE(c.Claim("k" + std::to_string(i), i % 2 ? 1000 : 10, 0));
  }
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(c.Claim("n" + std::to_string(i), 1000, 20));
  for (int i = 1; i < 5000; i += 2) EXPECT_FALSE(c.Claim("k" + std::to_string(i), 1000, 20)) << i;
  for (int i = 0; i < 5000; i += 2) EXPECT_TRUE(c.Claim("k" + std::to_string(i), 1000, 20)) << i;
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

TEST(ReplayDigest, IsTheBytesOfReplayKey) {
  const std::string digest = ReplayDigest("v2", "AKID", "1", "2", "sig");
  ASSERT_EQ(digest.size(), 32u);
  EXPECT_EQ(crypto::HexEncode(digest), ReplayKey("v2", "AKID", "1", "2", "sig"));
}

// A claim made through the digest (the v2 Get path) and one made through the hex key
// (API 3.0, the durable claims) are the same claim, whichever comes first.
TEST(ReplayCache, ClaimDigestAndClaimOfTheHexKeyAreTheSameClaim) {
  ReplayCache cache;
  for (int i = 0; i < 200; ++i) {
    const std::string n = std::to_string(i);
    const std::string digest = ReplayDigest("v2", "AKID", "1", n, "sig");
    const std::string hex = ReplayKey("v2", "AKID", "1", n, "sig");
    if (i % 2 == 0) {
      EXPECT_TRUE(cache.ClaimDigest(digest, 100, 1));
      EXPECT_FALSE(cache.Claim(hex, 100, 1));
      EXPECT_FALSE(cache.ClaimDigest(digest, 100, 1));
    } else {
      EXPECT_TRUE(cache.Claim(hex, 100, 1));
      EXPECT_FALSE(cache.ClaimDigest(digest, 100, 1));
    }
  }
  EXPECT_TRUE(cache.ClaimDigest(ReplayDigest("v2", "AKID", "1", "x", "sig"), 100, 1));
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

// --- cluster mode: the counters in a store::SharedLimits (SPEC §6) ---

TEST(RateLimiter, AdmitWithoutSharedLimitsCountsInMemory) {
  FakeClock clock;
  RateLimiter rl(clock);
  const int64_t minute = 60'000'000'000;
  EXPECT_EQ(rl.Admit({{"app", 1, minute}}), RateLimiter::Verdict::kAllowed);
  EXPECT_EQ(rl.Admit({{"app", 1, minute}}), RateLimiter::Verdict::kLimited);
}

TEST(RateLimiter, AdmitWithSharedLimitsCountsThereInWallClockSeconds) {
  FakeClock clock(1700000040);
  store::FakeSharedLimits shared;
  RateLimiter a(clock, &shared);
  RateLimiter b(clock, &shared);  // another node
  const int64_t minute = 60'000'000'000;
  EXPECT_EQ(a.Admit({{"v2:1", 2, minute}}), RateLimiter::Verdict::kAllowed);
  EXPECT_EQ(b.Admit({{"v2:1", 2, minute}}), RateLimiter::Verdict::kAllowed);
  EXPECT_EQ(a.Admit({{"v2:1", 2, minute}}), RateLimiter::Verdict::kLimited);
  EXPECT_EQ(shared.last_now(), 1700000040);
  // Nothing was counted in memory.
  EXPECT_TRUE(a.Allow("v2:1", 1, minute));
}

TEST(RateLimiter, AdmitIsUnavailableWhenTheSharedStoreFails) {
  FakeClock clock;
  store::FakeSharedLimits shared;
  shared.available = false;
  RateLimiter rl(clock, &shared);
  EXPECT_EQ(rl.Admit({{"v3:1", 5, 1'000'000'000}}), RateLimiter::Verdict::kUnavailable);
  shared.available = true;
  EXPECT_EQ(rl.Admit({{"v3:1", 5, 1'000'000'000}}), RateLimiter::Verdict::kAllowed);
}

}  // namespace
}  // namespace obvpn::auth
