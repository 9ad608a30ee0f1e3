#include "app/periodic.h"

#include <pthread.h>

#include <utility>

namespace obvpn::app {

Periodic::Periodic(const char* thread_name, std::chrono::milliseconds period,
                   std::function<void()> task)
    : thread_name_(thread_name),
      period_(period),
      task_(std::move(task)),
      thread_([this] { Run(); }) {}

Periodic::~Periodic() { Stop(); }

void Periodic::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Periodic::Run() {
  (void)::pthread_setname_np(::pthread_self(), thread_name_);
  std::unique_lock lock(mu_);
  for (;;) {
    // Fixed delay between runs (not a fixed rate): a slow run is not followed by a burst.
    if (cv_.wait_for(lock, period_, [this] { return stop_; })) return;
    lock.unlock();
    task_();
    lock.lock();
  }
}

}  // namespace obvpn::app
