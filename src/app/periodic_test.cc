// Tests of app/periodic.h.
#include "app/periodic.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace obvpn::app {
namespace {

using std::chrono::milliseconds;

TEST(Periodic, RunsRepeatedlyOnItsOwnThread) {
  std::atomic<int> runs{0};
  std::atomic<bool> other_thread{true};
  const auto caller = std::this_thread::get_id();
  Periodic p("obvpn-test", milliseconds(5), [&] {
    if (std::this_thread::get_id() == caller) other_thread = false;
    ++runs;
  });
  for (int i = 0; i < 400 && runs.load() < 3; ++i) std::this_thread::sleep_for(milliseconds(5));
  p.Stop();
  EXPECT_GE(runs.load(), 3);
  EXPECT_TRUE(other_thread.load());
}

TEST(Periodic, StopWaitsForARunAndNoneStartsAfter) {
  std::atomic<int> runs{0};
  std::atomic<bool> in_run{false};
  Periodic p("obvpn-test", milliseconds(1), [&] {
    in_run = true;
    std::this_thread::sleep_for(milliseconds(20));
    ++runs;
    in_run = false;
  });
  while (!in_run.load()) std::this_thread::sleep_for(milliseconds(1));
  p.Stop();
  EXPECT_FALSE(in_run.load()) << "Stop returned during a run";
  const int after_stop = runs.load();
  std::this_thread::sleep_for(milliseconds(30));
  EXPECT_EQ(runs.load(), after_stop);
  p.Stop();  // idempotent
}

TEST(Periodic, StopsPromptlyWithALongPeriod) {
  std::atomic<int> runs{0};
  const auto t0 = std::chrono::steady_clock::now();
  {
    Periodic p("obvpn-test", std::chrono::hours(1), [&] { ++runs; });
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_EQ(runs.load(), 0);
}

}  // namespace
}  // namespace obvpn::app
