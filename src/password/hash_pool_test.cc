#include "password/hash_pool.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>

namespace obvpn::password {
namespace {

// Occupies one worker until Release(); WaitStarted() returns once the worker is inside.
// The job owns its share of the state, so it stays valid whatever is destroyed first.
class Blocker {
 public:
  Blocker() = default;
  Blocker(const Blocker&) = delete;
  Blocker& operator=(const Blocker&) = delete;
  std::function<void()> Job() {
    return [state = state_] {
      state->started.set_value();
      state->release_future.wait();
    };
  }
  void WaitStarted() { started_future_.wait(); }
  void Release() {
    if (!released_) state_->release.set_value();
    released_ = true;
  }
  // Releases on destruction too, so a failed assertion cannot hang the pool's destructor.
  ~Blocker() { Release(); }

 private:
  struct State {
    std::promise<void> started;
    std::promise<void> release;
    std::shared_future<void> release_future = release.get_future().share();
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
  std::future<void> started_future_ = state_->started.get_future();
  bool released_ = false;
};

TEST(HashPool, RunsJobsOnWorkerThreads) {
  HashPool pool(2, 4);
  std::promise<std::thread::id> ran_on;
  ASSERT_TRUE(pool.TrySubmit([&] { ran_on.set_value(std::this_thread::get_id()); }));
  EXPECT_NE(ran_on.get_future().get(), std::this_thread::get_id());
}

TEST(HashPool, StartsRequestedNumberOfWorkers) {
  HashPool pool(3, 1);
  EXPECT_EQ(pool.workers(), 3u);
}

TEST(HashPool, ZeroWorkersMeansOnePerCore) {
  HashPool pool(0, 1);
  const size_t cores = std::thread::hardware_concurrency();
  EXPECT_EQ(pool.workers(), cores == 0 ? 1u : cores);
}

TEST(HashPool, QueueDepthCountsOnlyWaitingJobs) {
  HashPool pool(1, 8);
  Blocker blocker;
  ASSERT_TRUE(pool.TrySubmit(blocker.Job()));
  blocker.WaitStarted();
  EXPECT_EQ(pool.queue_depth(), 0u);  // the running job is not waiting
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(pool.TrySubmit([] {}));
  EXPECT_EQ(pool.queue_depth(), 3u);
  blocker.Release();
}

TEST(HashPool, RefusesWhenQueueIsFull) {
  HashPool pool(1, 2);
  Blocker blocker;
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.TrySubmit(blocker.Job()));
  blocker.WaitStarted();
  EXPECT_TRUE(pool.TrySubmit([&] { ++ran; }));
  EXPECT_TRUE(pool.TrySubmit([&] { ++ran; }));
  EXPECT_FALSE(pool.TrySubmit([&] { ran += 100; }));  // refused: never runs
  EXPECT_EQ(pool.queue_depth(), 2u);
  blocker.Release();
  std::promise<void> done;
  // Once a slot frees up, submissions are accepted again.
  while (!pool.TrySubmit([&] { done.set_value(); })) std::this_thread::yield();
  done.get_future().wait();
  EXPECT_EQ(ran.load(), 2);
}

TEST(HashPool, DestructorRunsQueuedJobsAndRefusesNewOnes) {
  std::optional<HashPool> pool;
  pool.emplace(1, std::numeric_limits<size_t>::max());
  Blocker blocker;
  std::atomic<int> queued_ran{0};
  ASSERT_TRUE(pool->TrySubmit(blocker.Job()));
  blocker.WaitStarted();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(pool->TrySubmit([&] { ++queued_ran; }));

  // Destroy on another thread; it cannot finish while the blocker holds the worker, so
  // the pool stays alive until Release(). Probe until the destructor has begun: the
  // queue is unbounded, so a refusal can only mean "stopping".
  std::thread destroyer([&] { pool.reset(); });
  std::atomic<int> probes_ran{0};
  int probes_accepted = 0;
  while (pool->TrySubmit([&] { ++probes_ran; })) ++probes_accepted;
  EXPECT_EQ(queued_ran.load(), 0);  // still queued when stopping began
  blocker.Release();
  destroyer.join();
  EXPECT_EQ(queued_ran.load(), 5);
  EXPECT_EQ(probes_ran.load(), probes_accepted);
}

// The worker's scheduling policy and nice value, seen from inside a job.
std::pair<int, int> WorkerScheduling(HashPool::Priority priority) {
  HashPool pool(1, 4, priority);
  std::promise<std::pair<int, int>> seen;
  auto got = seen.get_future();
  EXPECT_TRUE(pool.TrySubmit([&seen] {
    seen.set_value({::sched_getscheduler(0),
                    ::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)))});
  }));
  return got.get();
}

TEST(HashPool, LowWorkersRunAtAHigherNiceValue) {
  const auto [policy, nice] = WorkerScheduling(HashPool::Priority::kLow);
  EXPECT_EQ(policy, SCHED_OTHER);
  // At least kWorkerNice (a process that already runs nicer keeps its own value).
  EXPECT_GE(nice, HashPool::kWorkerNice);
}

TEST(HashPool, IdleWorkersRunWithSchedIdle) {
  const int policy = WorkerScheduling(HashPool::Priority::kIdle).first;
  EXPECT_EQ(policy, SCHED_IDLE) << "an unprivileged thread may always choose SCHED_IDLE";
  EXPECT_EQ(::sched_getscheduler(0), SCHED_OTHER) << "the caller keeps its own policy";
}

TEST(HashPool, WorkersAreNamed) {
  HashPool pool(1, 4);
  std::promise<std::string> name;
  auto got = name.get_future();
  ASSERT_TRUE(pool.TrySubmit([&name] {
    char buf[16] = {};
    ::pthread_getname_np(::pthread_self(), buf, sizeof buf);
    name.set_value(buf);
  }));
  EXPECT_EQ(got.get(), "obvpn-hash");
}

}  // namespace
}  // namespace obvpn::password
