#include "radius_load.h"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <vector>

#include "crypto/crypto.h"
#include "radius/packet/packet.h"

namespace obvpn::bench {
namespace {

namespace asio = boost::asio;
using udp = asio::ip::udp;
using Clock = std::chrono::steady_clock;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

struct Shared {
  const RadiusLoadOptions& options;
  udp::endpoint server;
  Clock::time_point measure_start;
  Clock::time_point end;
  std::atomic<int64_t> budget;
};

radius::Authenticator RandomAuthenticator() {
  // RFC 2865 §3: the Request Authenticator "SHOULD exhibit global and temporal uniqueness"
  // and be unpredictable; it also keys the User-Password hiding.
  const std::string r = crypto::RandomBytes(radius::kAuthenticatorLength);
  radius::Authenticator a{};
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint8_t>(r[i]);
  return a;
}

// The request bytes for one attempt; "" on an encoder failure (bad options).
std::string BuildRequest(const RadiusLoadOptions& o, uint8_t identifier) {
  const radius::Authenticator auth = RandomAuthenticator();
  std::vector<radius::Attribute> attrs;
  attrs.push_back(radius::StringAttribute(radius::attr::kNasIdentifier, "obvpn-bench"));
  if (o.kind == RadiusKind::kStatus) {
    auto p = radius::EncodeStatusServer(identifier, auth, attrs, o.secret);
    return p.ok() ? *p : std::string();
  }
  attrs.push_back(radius::StringAttribute(radius::attr::kUserName, o.user));
  auto hidden = radius::EncryptUserPassword(o.password, auth, o.secret);
  if (!hidden.ok()) return {};
  attrs.push_back(radius::StringAttribute(radius::attr::kUserPassword, *hidden));
  attrs.push_back(radius::Ipv4Attribute(radius::attr::kNasIpAddress, {127, 0, 0, 1}));
  // radclient and strongSwan always send Message-Authenticator (PEERS.md); so does this
  // client, so it passes the BlastRADIUS policy of both servers.
  auto p = radius::EncodeAccessRequest(identifier, auth, attrs, o.secret, true);
  return p.ok() ? *p : std::string();
}

class Slot {
 public:
  Slot(Shared& shared, size_t index) : s_(shared), identifier_(static_cast<uint8_t>(index)) {}

  asio::awaitable<void> Run() {
    auto ex = co_await asio::this_coro::executor;
    const auto& o = s_.options;
    udp::socket socket(ex);
    boost::system::error_code ec;
    socket.open(s_.server.protocol(), ec);
    if (!ec) socket.connect(s_.server, ec);
    if (ec) {
      ++result_.outcomes["io_error"];
      ++result_.errors;
      co_return;
    }
    asio::steady_timer deadline(ex);
    std::string reply(radius::kMaxPacketLength, '\0');
    const radius::Code want =
        o.kind == RadiusKind::kReject ? radius::Code::kAccessReject : radius::Code::kAccessAccept;
    while (Clock::now() < s_.end) {
      if (o.max_requests && s_.budget.fetch_sub(1, std::memory_order_relaxed) <= 0) break;
      ++identifier_;
      const std::string request = BuildRequest(o, identifier_);
      auto checked = radius::Check(request);
      if (request.empty() || !checked.ok()) {
        ++result_.outcomes["bad_request"];
        ++result_.errors;
        co_return;
      }
      const Clock::time_point t0 = Clock::now();
      auto [sec, sn] = co_await socket.async_send(asio::buffer(request), kTuple);
      if (sec) {
        Count(t0, Clock::now(), "io_error", false);
        continue;
      }
      // The deadline cancels the receive; late replies to earlier identifiers are read
      // and skipped until the one for this request arrives.
      // A handler of an earlier attempt that was already queued when its wait was
      // cancelled sees another attempt number and does nothing.
      const uint64_t attempt = ++attempt_;
      timed_out_ = false;
      deadline.expires_at(t0 + o.timeout);
      auto on_deadline = [this, attempt, &socket](boost::system::error_code tec) {
        if (tec || attempt != attempt_) return;
        timed_out_ = true;
        boost::system::error_code ignored;
        socket.cancel(ignored);
      };
      deadline.async_wait(on_deadline);
      std::string outcome;
      bool success = false;
      for (;;) {
        auto [rec, n] = co_await socket.async_receive(asio::buffer(reply), kTuple);
        if (rec) {
          outcome = timed_out_ ? "timeout" : "io_error";
          break;
        }
        auto got = radius::Check(std::string_view(reply.data(), n));
        if (!got.ok()) {
          outcome = "bad_reply_" + std::string(radius::DiscardReasonName(got.reason()));
          break;
        }
        if (got.packet().identifier != identifier_) continue;  // a late earlier reply
        radius::VerifyPolicy policy;
        policy.require_message_authenticator = o.require_reply_message_authenticator;
        if (auto bad = radius::VerifyReply(got.packet(), checked.packet(), o.secret, policy)) {
          outcome = "bad_reply_" + std::string(radius::DiscardReasonName(*bad));
          break;
        }
        const radius::Code code = got.packet().code;
        outcome = code == radius::Code::kAccessAccept   ? "accept"
                  : code == radius::Code::kAccessReject ? "reject"
                                                        : "other";
        success = code == want;
        break;
      }
      deadline.cancel();
      Count(t0, Clock::now(), outcome, success);
    }
  }

  const LoadResult& result() const { return result_; }

 private:
  void Count(Clock::time_point t0, Clock::time_point t1, const std::string& outcome, bool success) {
    if (t0 < s_.measure_start || t1 > s_.end) return;
    result_.latency.Record(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
    ++result_.outcomes[outcome];
    if (success) {
      ++result_.ok;
    } else {
      ++result_.errors;
    }
  }

  Shared& s_;
  uint8_t identifier_;
  uint64_t attempt_ = 0;
  bool timed_out_ = false;
  LoadResult result_;
};

}  // namespace

Result<LoadResult> RunRadiusLoad(const RadiusLoadOptions& o) {
  if (o.concurrency == 0) return InvalidArgument("--concurrency must be at least 1");
  if (o.secret.empty()) return InvalidArgument("--secret is required");
  if (o.kind != RadiusKind::kStatus && o.user.empty()) {
    return InvalidArgument("--user is required for Access-Requests");
  }
  boost::system::error_code ec;
  const auto addr = asio::ip::make_address(o.address, ec);
  if (ec || !addr.is_loopback()) return InvalidArgument("--address must be a loopback address");
  Shared shared{o, udp::endpoint(addr, o.port), {}, {}, {}};
  shared.budget = static_cast<int64_t>(o.max_requests);
  const Clock::time_point start = Clock::now();
  shared.measure_start = start + std::chrono::duration_cast<Clock::duration>(o.warmup);
  shared.end = shared.measure_start + std::chrono::duration_cast<Clock::duration>(o.duration);

  asio::io_context io(1);
  std::vector<std::unique_ptr<Slot>> slots;
  for (size_t i = 0; i < o.concurrency; ++i) {
    slots.push_back(std::make_unique<Slot>(shared, i));
    asio::co_spawn(io, slots.back()->Run(), asio::detached);
  }
  io.run();
  LoadResult total;
  for (const auto& s : slots) total.Merge(s->result());
  total.seconds =
      std::chrono::duration<double>(std::min(Clock::now(), shared.end) - shared.measure_start)
          .count();
  return total;
}

}  // namespace obvpn::bench
