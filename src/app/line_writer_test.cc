// Tests of app/line_writer.h against a real pipe.
#include "app/line_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace obvpn::app {
namespace {

class Pipe {
 public:
  Pipe() {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    read_ = fds[0];
    write_ = fds[1];
  }
  ~Pipe() {
    ::close(read_);
    ::close(write_);
  }
  int write_fd() const { return write_; }
  // Writes 'f' until the pipe is full; returns what it wrote.
  std::string Fill() {
    const int flags = ::fcntl(write_, F_GETFL);
    ::fcntl(write_, F_SETFL, flags | O_NONBLOCK);
    std::string all;
    const std::string chunk(4096, 'f');
    for (ssize_t n; (n = ::write(write_, chunk.data(), chunk.size())) > 0;) {
      all.append(chunk, 0, static_cast<size_t>(n));
    }
    ::fcntl(write_, F_SETFL, flags);
    return all;
  }
  // Everything written so far (the write end stays open: non-blocking read until empty).
  std::string Drain() {
    ::fcntl(read_, F_SETFL, O_NONBLOCK);
    std::string out;
    char buf[65536];
    for (;;) {
      const ssize_t n = ::read(read_, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  int read_ = -1;
  int write_ = -1;
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    out.push_back(text.substr(start, nl - start));
  }
  EXPECT_EQ(start, text.size()) << "text does not end with a whole line";
  return out;
}

LineWriter::DroppedLine Report() {
  return [](uint64_t n) { return "dropped " + std::to_string(n) + "\n"; };
}

TEST(LineWriter, FlushWritesEveryLineInOrder) {
  Pipe p;
  LineWriter w(p.write_fd(), Report());
  for (int i = 0; i < 1000; ++i) w.Append("line " + std::to_string(i) + "\n");
  ASSERT_TRUE(w.Flush());
  const auto lines = Lines(p.Drain());
  ASSERT_EQ(lines.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(lines[i], "line " + std::to_string(i));
  EXPECT_EQ(w.dropped(), 0u);
}

TEST(LineWriter, LinesFromManyThreadsStayWhole) {
  Pipe p;
  LineWriter w(p.write_fd(), Report());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&w, t] {
      for (int i = 0; i < 500; ++i) {
        w.Append("thread " + std::to_string(t) + " line " + std::to_string(i) + "\n");
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(w.Flush());
  // 2000 lines of up to 22 bytes fit in the pipe's 64 KiB without a reader.
  const auto lines = Lines(p.Drain());
  ASSERT_EQ(lines.size(), 2000u);
  std::vector<int> next(4, 0);
  for (const auto& l : lines) {
    int t = -1;
    int i = -1;
    ASSERT_EQ(std::sscanf(l.c_str(), "thread %d line %d", &t, &i), 2) << l;
    ASSERT_TRUE(t >= 0 && t < 4) << l;
    EXPECT_EQ(i, next[t]++) << "lines of one thread out of order";
  }
}

TEST(LineWriter, AnUnreadDescriptorDropsLinesInsteadOfBlocking) {
  Pipe p;
  // Nobody reads and the pipe is already full: the writer blocks in write(2), the
  // pending buffer (4 KiB here) fills, and Append keeps returning.
  const std::string filler = p.Fill();
  LineWriter w(p.write_fd(), Report(), 4096);
  const std::string line(100, 'x');
  for (int i = 0; i < 5000; ++i) w.Append(line + "\n");  // 505 KB
  EXPECT_GT(w.dropped(), 0u);
  EXPECT_FALSE(w.Flush(std::chrono::milliseconds(50)));
  // Reading again lets the writer finish and report what it dropped.
  std::string out;
  for (int i = 0; i < 200 && out.find("dropped") == std::string::npos; ++i) {
    out += p.Drain();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(w.Flush());
  out += p.Drain();
  ASSERT_EQ(out.compare(0, filler.size(), filler), 0);
  out.erase(0, filler.size());
  uint64_t reported = 0;
  size_t written = 0;
  for (const auto& l : Lines(out)) {
    if (l.rfind("dropped ", 0) == 0) {
      reported += std::stoull(l.substr(8));
    } else {
      EXPECT_EQ(l, line);
      ++written;
    }
  }
  EXPECT_EQ(reported, w.dropped()) << "every drop is reported";
  EXPECT_EQ(written + w.dropped(), 5000u) << "every line is written or counted";
}

TEST(LineWriter, DestructorWritesWhatIsPending) {
  Pipe p;
  {
    LineWriter w(p.write_fd(), Report());
    w.Append("last words\n");
  }
  EXPECT_EQ(p.Drain(), "last words\n");
}

}  // namespace
}  // namespace obvpn::app
