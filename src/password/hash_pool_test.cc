#include "password/hash_pool.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <limits>
#include <memory>
#include <optional>
#include <thread>

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

TEST(HashPool, WorkersRunBelowTheCallersPriority) {
  HashPool pool(1, 4);
  std::promise<int> nice;
  auto got = nice.get_future();
  ASSERT_TRUE(pool.TrySubmit([&nice] {
    nice.set_value(::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid))));
  }));
  // At least kWorkerNice (a process that already runs nicer keeps its own value).
  EXPECT_GE(got.get(), HashPool::kWorkerNice);
}

}  // namespace
}  // namespace obvpn::password
