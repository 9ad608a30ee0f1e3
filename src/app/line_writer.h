// LineWriter: hands finished log lines to one background thread that writes them to a
// file descriptor in batches (one write(2) for everything that accumulated).
//
// Why (docs/performance.md): a log line per request was one write(2) on the I/O thread,
// and a write to a file can wait behind a file-system journal commit (each Set fsyncs
// the database). Now an I/O thread only appends to a buffer; at low load a line still
// reaches the descriptor within microseconds, under load the writer batches.
//
// Contract:
// - Append never blocks on the descriptor. When `max_pending` bytes are already waiting
//   (the reader of stderr stopped reading), the line is dropped and counted; the writer
//   reports the count in a line of its own once it can write again. The service keeps
//   serving instead of stalling on its log.
// - Flush waits until every line appended before it was written (or dropped), at most
//   `timeout`. Lines of level warn and above are flushed by the caller (app/log.cc), so a
//   warning or error is on the descriptor when the call returns.
// - A line is lost when the process is killed before the writer wrote it (SIGKILL, a
//   crash): at most the lines of the last moments; the audit trail is in the store.
// - After each write the writer pauses 2 ms so that lines gather: a line waits at most
//   that long (plus the write) unless flushed.
// - The writer thread runs at a lower priority (nice 10, like the hash workers) so it
//   takes the CPU when the I/O threads leave it, instead of preempting them per line.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace obvpn::app {

class LineWriter {
 public:
  // The line that reports `n` dropped lines (ending with '\n'); may be empty.
  using DroppedLine = std::function<std::string(uint64_t n)>;
  // `fd` is not owned (stderr for the process log).
  LineWriter(int fd, DroppedLine dropped_line, size_t max_pending = size_t{8} << 20);
  // Writes what is pending (up to 2 s) and stops the thread.
  ~LineWriter();
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;

  // `line` must end with '\n'.
  void Append(std::string_view line);
  // True if everything appended before the call is written within `timeout`.
  bool Flush(std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));
  // Lines dropped because max_pending was reached, since the start.
  uint64_t dropped() const { return dropped_total_.load(std::memory_order_relaxed); }

 private:
  void Run();
  void WriteAll(const std::string& batch);

  const int fd_;
  const size_t max_pending_;
  const DroppedLine dropped_line_;
  std::mutex mu_;
  std::condition_variable has_lines_;  // the writer waits for lines (or stop)
  std::condition_variable written_;    // Flush() waits for the writer
  std::string pending_;
  uint64_t appended_ = 0;      // lines appended or dropped so far
  uint64_t written_upto_ = 0;  // every line before this number is written or dropped
  uint64_t dropped_unreported_ = 0;
  bool writer_waiting_ = false;
  bool stop_ = false;
  std::atomic<uint64_t> dropped_total_{0};
  std::thread thread_;
};

}  // namespace obvpn::app
