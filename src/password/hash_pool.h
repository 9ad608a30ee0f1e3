// HashPool: a fixed set of worker threads that run the memory-hard password hashes off
// the I/O threads, with a bounded queue so load beyond the machine's capacity is refused
// quickly instead of piling up (SPEC §5 "Cost and abuse", §9).
//
// Workers run below the threads that serve requests: at nice kWorkerNice, or with
// SCHED_IDLE (see Priority and Run()). They are named "obvpn-hash" (top -H, ps -L).
//
// Thread-safe. The destructor stops accepting work, finishes queued jobs and joins.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace obvpn::password {

class HashPool {
 public:
  // How the workers are scheduled against the threads that serve requests (Run()).
  enum class Priority {
    kLow,   // nice kWorkerNice: a fair (smaller) share of a busy machine
    kIdle,  // SCHED_IDLE: only cycles no other thread wants; requests never wait behind
            // a hash, but hashing waits while anything else keeps the CPUs busy
  };

  // `workers` == 0 means std::thread::hardware_concurrency(). `max_queue` bounds the
  // jobs waiting for a worker (not counting the ones running).
  HashPool(size_t workers, size_t max_queue, Priority priority = Priority::kLow);
  ~HashPool();
  HashPool(const HashPool&) = delete;
  HashPool& operator=(const HashPool&) = delete;

  // Queues `job`. Returns false, without running it, when the queue is full or the pool
  // is stopping. The job runs on a worker thread and must not throw.
  bool TrySubmit(std::function<void()> job);

  // Called on the worker thread, just before each job runs, with the time it waited in
  // the queue (the obvpn_hash_pool_wait_seconds metric). Set it before the first
  // TrySubmit; it must be thread-safe and quick.
  void SetWaitObserver(std::function<void(std::chrono::nanoseconds)> observer);

  size_t workers() const { return threads_.size(); }
  // Jobs waiting for a worker right now.
  size_t queue_depth() const;

  // The nice value of kLow workers, and of kIdle ones where SCHED_IDLE is refused (the
  // I/O threads keep 0).
  static constexpr int kWorkerNice = 10;

 private:
  void Run();

  struct Job {
    std::function<void()> run;
    std::chrono::steady_clock::time_point queued;
  };

  const size_t max_queue_;
  const Priority priority_;
  std::function<void(std::chrono::nanoseconds)> wait_observer_;  // set before use
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace obvpn::password
