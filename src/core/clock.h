// Injected time (STYLE.md "Interfaces"): production code asks a Clock, tests use a
// FakeClock they can move.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace obvpn {

// Thread-safe source of the current time.
class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time, UNIX seconds (compared with client timestamps).
  virtual int64_t NowUnix() const = 0;
  // Monotonic time for durations and windows, nanoseconds since an arbitrary epoch.
  virtual int64_t MonotonicNanos() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowUnix() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  int64_t MonotonicNanos() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  // A process-wide instance.
  static SystemClock& Instance() {
    static SystemClock clock;
    return clock;
  }
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t unix_now = 1700000000) : unix_(unix_now) {}
  int64_t NowUnix() const override { return unix_.load(); }
  int64_t MonotonicNanos() const override { return mono_.load(); }
  void SetUnix(int64_t t) { unix_ = t; }
  void Advance(std::chrono::nanoseconds d) {
    mono_ += d.count();
    unix_ += std::chrono::duration_cast<std::chrono::seconds>(d).count();
  }

 private:
  std::atomic<int64_t> unix_;
  std::atomic<int64_t> mono_{0};
};

}  // namespace obvpn
