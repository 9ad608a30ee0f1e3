// FailureThrottle: SPEC §5 "after 10 failures in 5 minutes, reject for 5 minutes".
#include "radius/server/throttle.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace obvpn::radius
