#include "password/hash_pool.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <utility>

namespace obvpn::password {

HashPool::HashPool(size_t workers, size_t max_queue, Priority priority)
    : max_queue_(max_queue), priority_(priority) {
  if (workers == 0) workers = std::thread::hardware_concurrency();
  if (workers == 0) workers = 1;  // hardware_concurrency() may not know
  threads_.reserve(workers);
  for (size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { Run(); });
}

HashPool::~HashPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

// SPEC §5 "Cost and abuse", §9: a full queue means the hashes already waiting will take
// longer than a client waits; refusing now keeps latency bounded and memory bounded by
// (workers + max_queue) jobs instead of growing with the attack.
bool HashPool::TrySubmit(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || queue_.size() >= max_queue_) return false;
    queue_.push_back({std::move(job), std::chrono::steady_clock::now()});
  }
  cv_.notify_one();
  return true;
}

void HashPool::SetWaitObserver(std::function<void(std::chrono::nanoseconds)> observer) {
  wait_observer_ = std::move(observer);
}

size_t HashPool::queue_depth() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

// Workers leave only when stopping and the queue is empty, so every accepted job runs
// (an accepted job's caller is waiting for its result).
void HashPool::Run() {
  // SPEC §9: "Get p99 stays under 3× its idle value" while Set and RADIUS accepts keep
  // every worker hashing. A worker that competes as an equal with the I/O threads for a
  // core delays every cheap request queued behind its time slice.
  // - kLow (default): nice 10. The worker gets the cycles the I/O threads leave and a
  //   fair share of a machine busy with other work; but the scheduler (EEVDF) lets the
  //   running task finish a protected slice before a woken I/O thread runs, measured as
  //   a Get p99 of about 2 ms under Set load against 0.3-0.5 ms idle.
  // - kIdle: SCHED_IDLE. A waking I/O thread always preempts the worker at once (Get
  //   p99 under Set load about 1.2x idle), hash throughput on an otherwise idle machine
  //   is the same; but while other threads keep the CPUs busy, hashing waits — for a
  //   machine that runs obvpnd alone (docs/performance.md).
  // Linux keeps both per thread. Best effort: kIdle falls back to nice 10, and if that
  // fails the worker runs at normal priority.
  sched_param param{};  // SCHED_IDLE takes priority 0
  const bool idle = priority_ == Priority::kIdle &&
                    ::pthread_setschedparam(::pthread_self(), SCHED_IDLE, &param) == 0;
  if (!idle) {
    (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), kWorkerNice);
  }
  (void)::pthread_setname_np(::pthread_self(), "obvpn-hash");
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    if (wait_observer_) wait_observer_(std::chrono::steady_clock::now() - job.queued);
    job.run();
  }
}

}  // namespace obvpn::password
