// FailureThrottle: SPEC §5 "after 10 failures in 5 minutes, reject for 5 minutes".
#include "radius/server/throttle.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "store/fake_shared_limits.h"

namespace obvpn::radius {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr uint64_t kApp = 1251001002;

ThrottleOptions Options() {
  ThrottleOptions o;
  o.max_failures = 3;
  o.window_ns = 300 * kSecond;
  o.lockout_ns = 300 * kSecond;
  return o;
}

TEST(FailureThrottle, LocksAfterMaxFailuresWithinWindow) {
  FailureThrottle t(Options());
  t.RecordFailure(kApp, 0);
  t.RecordFailure(kApp, 1 * kSecond);
  EXPECT_FALSE(t.Blocked(kApp, 2 * kSecond));
  t.RecordFailure(kApp, 2 * kSecond);
  EXPECT_TRUE(t.Blocked(kApp, 2 * kSecond));
}

TEST(FailureThrottle, LockoutEndsAfterLockoutPeriod) {
  FailureThrottle t(Options());
  for (int i = 0; i < 3; ++i) t.RecordFailure(kApp, 10 * kSecond);
  EXPECT_TRUE(t.Blocked(kApp, 309 * kSecond));
  EXPECT_FALSE(t.Blocked(kApp, 310 * kSecond));
}

TEST(FailureThrottle, FailuresOutsideWindowDoNotCount) {
  FailureThrottle t(Options());
  t.RecordFailure(kApp, 0);
  t.RecordFailure(kApp, 1 * kSecond);
  t.RecordFailure(kApp, 301 * kSecond);  // the first one left the window
  EXPECT_FALSE(t.Blocked(kApp, 301 * kSecond));
}

TEST(FailureThrottle, AccountsAreIndependent) {
  FailureThrottle t(Options());
  for (int i = 0; i < 3; ++i) t.RecordFailure(kApp, 0);
  EXPECT_TRUE(t.Blocked(kApp, 0));
  EXPECT_FALSE(t.Blocked(kApp + 1, 0));
}

TEST(FailureThrottle, SuccessClearsFailures) {
  FailureThrottle t(Options());
  t.RecordFailure(kApp, 0);
  t.RecordFailure(kApp, 0);
  t.RecordSuccess(kApp);
  t.RecordFailure(kApp, 0);
  EXPECT_FALSE(t.Blocked(kApp, 0));
  EXPECT_EQ(t.tracked(), 1u);
}

TEST(FailureThrottle, ZeroMaxFailuresActsAsOne) {
  ThrottleOptions o = Options();
  o.max_failures = 0;
  FailureThrottle t(o);
  EXPECT_FALSE(t.Blocked(kApp, 0));
  t.RecordFailure(kApp, 0);
  EXPECT_TRUE(t.Blocked(kApp, 0));
}

TEST(FailureThrottle, SweepForgetsIdleAccounts) {
  FailureThrottle t(Options());
  t.RecordFailure(kApp, 0);
  // Enough failures of other accounts, much later, to trigger a sweep.
  for (uint64_t i = 0; i < 2048; ++i) t.RecordFailure(i + 1, 1000 * kSecond);
  EXPECT_EQ(t.tracked(), 2048u);  // kApp was swept
  EXPECT_FALSE(t.Blocked(kApp, 1000 * kSecond));
}

// --- cluster mode: the lockout shared by every node (SPEC §6) ---

ThrottleOptions SharedOptions(store::SharedLimits* shared, const Clock* clock) {
  ThrottleOptions o = Options();
  o.shared = shared;
  o.clock = clock;
  return o;
}

TEST(FailureThrottle, FailuresOnTwoNodesAddUpToALockoutOnBoth) {
  FakeClock clock;
  store::FakeSharedLimits shared;
  FailureThrottle a(SharedOptions(&shared, &clock));
  FailureThrottle b(SharedOptions(&shared, &clock));
  a.RecordFailure(kApp, 0);
  b.RecordFailure(kApp, 0);
  EXPECT_FALSE(a.Blocked(kApp, 0));
  a.RecordFailure(kApp, 0);
  EXPECT_TRUE(b.Blocked(kApp, 0)) << "node b saw only one failure itself";
  EXPECT_TRUE(a.Blocked(kApp, 0));
  const auto policy = shared.last_policy();
  EXPECT_EQ(policy.max_failures, 3u);
  EXPECT_EQ(policy.window_s, 300);
  EXPECT_EQ(policy.lockout_s, 300);
}

TEST(FailureThrottle, SuccessClearsTheSharedFailures) {
  FakeClock clock;
  store::FakeSharedLimits shared;
  FailureThrottle a(SharedOptions(&shared, &clock));
  FailureThrottle b(SharedOptions(&shared, &clock));
  a.RecordFailure(kApp, 0);
  a.RecordFailure(kApp, 0);
  b.RecordSuccess(kApp);
  a.RecordFailure(kApp, 0);
  EXPECT_FALSE(b.Blocked(kApp, 0));
}

TEST(FailureThrottle, BlocksWhenTheSharedStoreCannotBeAsked) {
  FakeClock clock;
  store::FakeSharedLimits shared;
  FailureThrottle t(SharedOptions(&shared, &clock));
  shared.available = false;
  EXPECT_TRUE(t.Blocked(kApp, 0));
  EXPECT_EQ(t.shared_errors(), 1u);
  shared.available = true;
  EXPECT_FALSE(t.Blocked(kApp, 0));
}

TEST(FailureThrottle, CountsInMemoryWhileTheSharedStoreFails) {
  FakeClock clock;
  store::FakeSharedLimits shared;
  FailureThrottle t(SharedOptions(&shared, &clock));
  shared.available = false;
  for (int i = 0; i < 3; ++i) t.RecordFailure(kApp, i * kSecond);
  shared.available = true;
  EXPECT_TRUE(t.Blocked(kApp, 3 * kSecond)) << "the node's own lockout still holds";
}

}  // namespace
}  // namespace obvpn::radius
