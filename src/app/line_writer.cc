#include "app/line_writer.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace obvpn::app {
namespace {

constexpr int kWriterNice = 10;
constexpr auto kGatherPause = std::chrono::milliseconds(2);

}  // namespace

LineWriter::LineWriter(int fd, DroppedLine dropped_line, size_t max_pending)
    : fd_(fd),
      max_pending_(max_pending),
      dropped_line_(std::move(dropped_line)),
      thread_([this] { Run(); }) {}

LineWriter::~LineWriter() {
  (void)Flush();
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  has_lines_.notify_one();
  thread_.join();
}

void LineWriter::Append(std::string_view line) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    ++appended_;
    if (pending_.size() + line.size() > max_pending_) {
      ++dropped_unreported_;
      dropped_total_.fetch_add(1, std::memory_order_relaxed);
    } else {
      pending_.append(line);
    }
    wake = writer_waiting_;
    writer_waiting_ = false;  // one wake per batch, not one per line
  }
  if (wake) has_lines_.notify_one();
}

bool LineWriter::Flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  const uint64_t target = appended_;
  return written_.wait_for(lock, timeout, [&] { return written_upto_ >= target; });
}

void LineWriter::WriteAll(const std::string& batch) {
  const char* p = batch.data();
  size_t left = batch.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere to log that logging failed: the lines are lost
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

void LineWriter::Run() {
  // Linux keeps the nice value per thread (setpriority(2) with a thread id). Best effort.
  (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), kWriterNice);
  (void)::pthread_setname_np(::pthread_self(), "obvpn-log");
  std::string batch;
  std::unique_lock lock(mu_);
  for (;;) {
    while (pending_.empty() && dropped_unreported_ == 0 && !stop_) {
      writer_waiting_ = true;
      has_lines_.wait(lock);
    }
    if (pending_.empty() && dropped_unreported_ == 0) return;  // stopping, nothing left
    batch.clear();
    batch.swap(pending_);
    const uint64_t upto = appended_;
    const uint64_t dropped = dropped_unreported_;
    dropped_unreported_ = 0;
    lock.unlock();
    if (dropped > 0 && dropped_line_) batch += dropped_line_(dropped);
    WriteAll(batch);
    // Let the next lines gather for a moment instead of waking this thread for each one
    // (under load a wake per line cost a futex call and two context switches a request).
    // A waiting Flush() does not wait for this pause: it sees `upto` first.
    lock.lock();
    written_upto_ = upto;
    written_.notify_all();
    if (!stop_) {
      lock.unlock();
      std::this_thread::sleep_for(kGatherPause);
      lock.lock();
    }
    // The buffers are swapped back and forth; one grown by a burst is not kept.
    if (batch.capacity() > (size_t{1} << 20)) std::string().swap(batch);
  }
}

}  // namespace obvpn::app
