#include "http_load.h"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <ctime>
#include <memory>
#include <random>
#include <thread>

#include "crypto/crypto.h"

namespace obvpn::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// State shared by every connection of a run.
struct Shared {
  const HttpLoadOptions& options;
  tcp::endpoint endpoint;
  Clock::time_point start;          // first request may be sent
  Clock::time_point measure_start;  // end of warm-up
  Clock::time_point end;            // nothing is sent after this
  std::atomic<int64_t> budget;      // requests left when max_requests is set
  std::atomic<uint64_t> nonce;      // fresh per request (SPEC §3.2 replay key)
};

bool TakeBudget(Shared& s) {
  if (s.options.max_requests == 0) return true;
  return s.budget.fetch_sub(1, std::memory_order_relaxed) > 0;
}

class Connection {
 public:
  Connection(Shared& shared, size_t index)
      : s_(shared), index_(index), rng_(std::random_device{}() ^ index) {}

  asio::awaitable<void> Run() {
    auto ex = co_await asio::this_coro::executor;
    beast::tcp_stream stream(ex);
    asio::steady_timer pace(ex);
    beast::flat_buffer buffer;
    bool connected = false;
    const auto& o = s_.options;
    const auto interval =
        o.rate > 0 ? std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(static_cast<double>(o.connections) / o.rate))
                   : Clock::duration::zero();
    // Spread the connections' schedules evenly over one interval.
    Clock::time_point next =
        s_.start + interval * static_cast<int64_t>(index_) / static_cast<int64_t>(o.connections);
    uint64_t sent = 0;
    pace.expires_at(s_.start);
    (void)co_await pace.async_wait(kTuple);
    while (Clock::now() < s_.end) {
      if (o.rate > 0) {
        if (next >= s_.end) break;
        if (Clock::now() < next) {
          pace.expires_at(next);
          (void)co_await pace.async_wait(kTuple);
        }
      }
      if (!TakeBudget(s_)) break;
      if (!connected) {
        stream.expires_after(o.timeout);
        auto [cec] = co_await stream.async_connect(s_.endpoint, kTuple);
        if (cec) {
          Count(Clock::now(), Clock::now(), "io_connect");
          // Back off instead of spinning on a refused port.
          pace.expires_after(std::chrono::milliseconds(20));
          (void)co_await pace.async_wait(kTuple);
          continue;
        }
        stream.socket().set_option(tcp::no_delay(true));
        connected = true;
        buffer.clear();
      }
      const bool set = o.mode == HttpMode::kSet ||
                       (o.mode == HttpMode::kMix &&
                        std::uniform_real_distribution<double>(0, 1)(rng_) < o.set_fraction);
      bhttp::request<bhttp::string_body> req;
      req.version(11);
      if (o.mode == HttpMode::kPlain) {
        req.method(bhttp::verb::get);
        req.target(o.path);
      } else {
        const Credential& key = o.keys[(index_ + sent) % o.keys.size()];
        const uint64_t nonce = s_.nonce.fetch_add(1, std::memory_order_relaxed);
        WireRequest w = BuildV2Request(key, set ? V2Action::kSet : V2Action::kGet, o.v2,
                                       static_cast<int64_t>(std::time(nullptr)), nonce);
        req.method_string(w.method);
        req.target(w.target);
        if (!w.body.empty()) {
          req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
          req.body() = std::move(w.body);
        }
      }
      ++sent;
      req.set(bhttp::field::host, o.v2.host);
      req.set(bhttp::field::user_agent, "obvpn-bench");
      req.keep_alive(true);
      req.prepare_payload();

      const Clock::time_point t0 = o.rate > 0 ? next : Clock::now();
      if (o.rate > 0) next += interval;
      stream.expires_after(o.timeout);
      auto [wec, wn] = co_await bhttp::async_write(stream, req, kTuple);
      bhttp::response<bhttp::string_body> res;
      boost::system::error_code rec = wec;
      if (!wec) {
        auto [ec, n] = co_await bhttp::async_read(stream, buffer, res, kTuple);
        rec = ec;
      }
      const Clock::time_point t1 = Clock::now();
      if (rec) {
        Count(t0, t1,
              rec == beast::error::timeout                                    ? "io_timeout"
              : rec == bhttp::error::end_of_stream || rec == asio::error::eof ? "io_closed"
                                                                              : "io_error");
        boost::system::error_code ignored;
        stream.socket().close(ignored);
        connected = false;
        continue;
      }
      if (res.result_int() != 200) {
        Count(t0, t1, "http_" + std::to_string(res.result_int()));
      } else if (o.mode == HttpMode::kPlain) {
        Count(t0, t1, "http_200", true);
      } else {
        const int64_t code = V2Code(res.body());
        Count(t0, t1, code < 0 ? std::string("no_code") : std::to_string(code), code == 0);
      }
      if (!res.keep_alive()) {
        boost::system::error_code ignored;
        stream.socket().close(ignored);
        connected = false;
      }
    }
    if (connected) {
      boost::system::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream.socket().close(ignored);
    }
  }

  const LoadResult& result() const { return result_; }
  Clock::time_point last_done() const { return last_done_; }

 private:
  // Records a request sent at t0 and finished at t1 if it falls in the measured interval.
  void Count(Clock::time_point t0, Clock::time_point t1, const std::string& outcome,
             bool success = false) {
    if (t0 < s_.measure_start || t1 > s_.end) return;
    result_.latency.Record(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
    ++result_.outcomes[outcome];
    if (success) {
      ++result_.ok;
    } else {
      ++result_.errors;
    }
    if (t1 > last_done_) last_done_ = t1;
  }

  Shared& s_;
  const size_t index_;
  std::mt19937_64 rng_;
  LoadResult result_;
  Clock::time_point last_done_{};
};

}  // namespace

Result<LoadResult> RunHttpLoad(const HttpLoadOptions& in) {
  HttpLoadOptions o = in;
  if (o.connections == 0) return InvalidArgument("--connections must be at least 1");
  if (o.threads == 0) o.threads = 1;
  if (o.threads > o.connections) o.threads = o.connections;
  if (o.mode != HttpMode::kPlain && o.keys.empty()) {
    return InvalidArgument(
        "a signed mode needs a key (--keys, or TENCENTCLOUD_SECRET_ID and "
        "TENCENTCLOUD_SECRET_KEY)");
  }
  if (o.mode != HttpMode::kGet && o.mode != HttpMode::kPlain && o.v2.password.empty()) {
    return InvalidArgument("SetOutBandVPNAuthPwd needs --password");
  }
  boost::system::error_code ec;
  const auto addr = asio::ip::make_address(o.address, ec);
  // The benchmark only ever talks to this machine (never load someone else's server).
  if (ec || !addr.is_loopback()) return InvalidArgument("--address must be a loopback address");
  if (o.v2.host.empty()) o.v2.host = o.address + ":" + std::to_string(o.port);

  Shared shared{o, tcp::endpoint(addr, o.port), {}, {}, {}, {}, {}};
  shared.budget = static_cast<int64_t>(o.max_requests);
  // A random start below 2^62 so that two runs (or two processes) never share a nonce.
  uint64_t base = 0;
  for (unsigned char c : crypto::RandomBytes(8)) base = (base << 8) | c;
  shared.nonce = base >> 2;
  shared.start = Clock::now() + std::chrono::milliseconds(10);
  shared.measure_start = shared.start + std::chrono::duration_cast<Clock::duration>(o.warmup);
  shared.end = shared.measure_start + std::chrono::duration_cast<Clock::duration>(o.duration);

  std::vector<std::unique_ptr<Connection>> conns;
  for (size_t i = 0; i < o.connections; ++i)
    conns.push_back(std::make_unique<Connection>(shared, i));
  std::vector<std::unique_ptr<asio::io_context>> ios;
  for (size_t t = 0; t < o.threads; ++t) ios.push_back(std::make_unique<asio::io_context>(1));
  for (size_t i = 0; i < o.connections; ++i) {
    asio::co_spawn(*ios[i % o.threads], conns[i]->Run(), asio::detached);
  }
  std::vector<std::thread> threads;
  for (size_t t = 1; t < o.threads; ++t) threads.emplace_back([&ios, t] { ios[t]->run(); });
  ios[0]->run();
  for (auto& t : threads) t.join();

  LoadResult total;
  Clock::time_point last = shared.measure_start;
  for (const auto& c : conns) {
    total.Merge(c->result());
    if (c->last_done() > last) last = c->last_done();
  }
  // With a request budget the run may end before the deadline: measure to the last
  // response. Otherwise the interval is the configured duration.
  const Clock::time_point stop = o.max_requests ? std::min(last, shared.end) : shared.end;
  total.seconds = std::chrono::duration<double>(stop - shared.measure_start).count();
  return total;
}

}  // namespace obvpn::bench
