// DuplicateCache: RFC 5080 §2.2.2 duplicate detection.
#include "radius/server/duplicate_cache.h"

#include <gtest/gtest.h>

namespace obvpn::radius {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

TEST(DuplicateCache, NewKeyThenInProgressThenCached) {
  DuplicateCache c(5 * kSecond, 100, 1 << 20);
  EXPECT_EQ(c.Begin("k", 1, 0).state, DuplicateState::kNew);
  EXPECT_EQ(c.Begin("k", 1, 0).state, DuplicateState::kInProgress);
  c.Complete("k", "reply", 0);
  DuplicateLookup l = c.Begin("k", 1, 1 * kSecond);
  EXPECT_EQ(l.state, DuplicateState::kCached);
  EXPECT_EQ(l.reply, "reply");
}

TEST(DuplicateCache, OtherContentUnderSameKeyIsMismatch) {
  DuplicateCache c(5 * kSecond, 100, 1 << 20);
  ASSERT_EQ(c.Begin("k", 1, 0).state, DuplicateState::kNew);
  c.Complete("k", "reply", 0);
  EXPECT_EQ(c.Begin("k", 2, 0).state, DuplicateState::kMismatch);
}

TEST(DuplicateCache, EntriesExpireAfterWindow) {
  DuplicateCache c(5 * kSecond, 100, 1 << 20);
  ASSERT_EQ(c.Begin("k", 1, 0).state, DuplicateState::kNew);
  c.Complete("k", "reply", 1 * kSecond);
  EXPECT_EQ(c.Begin("k", 1, 5 * kSecond).state, DuplicateState::kCached);
  EXPECT_EQ(c.Begin("k", 1, 6 * kSecond).state, DuplicateState::kNew);
}

TEST(DuplicateCache, AbandonForgetsKey) {
  DuplicateCache c(5 * kSecond, 100, 1 << 20);
  ASSERT_EQ(c.Begin("k", 1, 0).state, DuplicateState::kNew);
  c.Abandon("k");
  EXPECT_EQ(c.Begin("k", 1, 0).state, DuplicateState::kNew);
}

TEST(DuplicateCache, FullCacheProcessesWithoutRemembering) {
  DuplicateCache c(5 * kSecond, 1, 1 << 20);
  ASSERT_EQ(c.Begin("a", 1, 0).state, DuplicateState::kNew);
  EXPECT_EQ(c.Begin("b", 1, 0).state, DuplicateState::kNew);
  EXPECT_EQ(c.Begin("b", 1, 0).state, DuplicateState::kNew);
  EXPECT_EQ(c.size(), 1u);
}

TEST(DuplicateCache, ReplyBytesAreBounded) {
  DuplicateCache c(5 * kSecond, 100, 8);
  ASSERT_EQ(c.Begin("a", 1, 0).state, DuplicateState::kNew);
  c.Complete("a", std::string(9, 'x'), 0);
  EXPECT_EQ(c.Begin("a", 1, 0).state, DuplicateState::kNew);
}

TEST(DuplicateCache, ZeroWindowDisablesCache) {
  DuplicateCache c(0, 100, 1 << 20);
  EXPECT_EQ(c.Begin("k", 1, 0).state, DuplicateState::kNew);
  c.Complete("k", "reply", 0);
  EXPECT_EQ(c.Begin("k", 1, 0).state, DuplicateState::kNew);
  EXPECT_EQ(c.size(), 0u);
}

}  // namespace
}  // namespace obvpn::radius
