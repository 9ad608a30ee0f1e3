// Periodic: runs a task every `period` on a thread of its own, until Stop().
//
// Why not a timer on the io_context: the cache refresh and purges read and write the
// store, and a store call can wait (a SQLite writer's checkpoint, a PostgreSQL round
// trip, a DELETE of expired replay claims with its fsync). On an I/O thread that wait
// delayed every request queued behind it — the tail of Get latency under Set load
// (SPEC §9, docs/performance.md). The task must be thread-safe against the I/O threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace obvpn::app {

class Periodic {
 public:
  // The first run is one period after construction. `thread_name` (at most 15
  // characters) names the thread for top -H / ps -L.
  Periodic(const char* thread_name, std::chrono::milliseconds period, std::function<void()> task);
  // Stops (see Stop()).
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  // Waits for a run in progress to finish; no run starts afterwards. Idempotent; not
  // from inside the task.
  void Stop();

 private:
  void Run();

  const char* const thread_name_;
  const std::chrono::milliseconds period_;
  const std::function<void()> task_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace obvpn::app
