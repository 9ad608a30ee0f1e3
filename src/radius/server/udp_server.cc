#include "radius/server/udp_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <vector>

namespace obvpn::radius {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// The largest UDP payload: the buffer must hold any datagram whole, so that Check sees
// its real length and applies the configured limit (a truncated read would look short).
constexpr size_t kMaxDatagram = 65535;

Peer ToPeer(const udp::endpoint& ep) {
  Peer p;
  p.port = ep.port();
  const asio::ip::address a = ep.address();
  if (a.is_v4()) {
    p.address = IpAddress::V4(a.to_v4().to_bytes());
  } else {
    p.address = IpAddress::V6(a.to_v6().to_bytes());  // maps ::ffff:a.b.c.d to IPv4
  }
  return p;
}

}  // namespace

std::string EndpointString(const udp::endpoint& endpoint) {
  std::string h = endpoint.address().to_string();
  if (endpoint.address().is_v6()) h = "[" + h + "]";
  return h + ":" + std::to_string(endpoint.port());
}

UdpServer::UdpServer(asio::io_context& io, RequestHandler& handler, Listener listener)
    : io_(io),
      handler_(handler),
      listener_(listener),
      strand_(asio::make_strand(io)),
      socket_(strand_) {}

UdpServer::~UdpServer() = default;

Result<udp::endpoint> UdpServer::Listen(const std::string& host, uint16_t port) {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) return InvalidArgument("'" + host + "' is not an IP address");
  const udp::endpoint ep(addr, port);
  socket_.open(ep.protocol(), ec);
  if (!ec) socket_.bind(ep, ec);
  if (!ec) {
    // A deep receive queue, so a burst of garbage from anywhere (dropped cheaply, but one
    // datagram at a time) does not make the kernel drop a gateway's valid request. The
    // kernel caps this at net.core.rmem_max; failure to raise it is not fatal.
    boost::system::error_code ignored;
    socket_.set_option(asio::socket_base::receive_buffer_size(8 << 20), ignored);
  }
  if (ec) {
    boost::system::error_code ignored;
    socket_.close(ignored);
    return Unavailable("cannot listen on " + EndpointString(ep) + " (udp): " + ec.message());
  }
  const udp::endpoint bound = socket_.local_endpoint(ec);
  if (ec) return Unavailable("cannot read the bound address: " + ec.message());
  asio::co_spawn(strand_, ReceiveLoop(), asio::detached);
  return bound;
}

void UdpServer::Shutdown() {
  stopping_ = true;
  asio::post(strand_, [this] {
    boost::system::error_code ignored;
    socket_.cancel(ignored);
  });
}

asio::awaitable<void> UdpServer::ReceiveLoop() {
  std::vector<char> buffer(kMaxDatagram);
  udp::endpoint sender;
  while (!stopping_) {
    auto [ec, n] = co_await socket_.async_receive_from(asio::buffer(buffer), sender, kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || stopping_ || !socket_.is_open()) co_return;
      // ICMP port-unreachable from an earlier send and similar per-datagram errors: the
      // socket is still good, keep serving everyone else.
      ++stats_.receive_errors;
      continue;
    }
    ++stats_.datagrams_received;
    // Handled off the strand, so one slow store call does not stall the socket; the work
    // guard keeps io_context::run() going until the reply is out (SIGTERM drains).
    auto datagram = std::make_shared<std::string>(buffer.data(), n);
    auto guard = std::make_shared<asio::executor_work_guard<asio::io_context::executor_type>>(
        io_.get_executor());
    const udp::endpoint from = sender;
    asio::post(io_, [this, datagram, guard, from] {
      handler_.Handle(listener_, ToPeer(from), *datagram, [this, guard, from](Response response) {
        if (response.reply) Send(std::make_shared<std::string>(std::move(*response.reply)), from);
        guard->reset();
      });
    });
  }
}

void UdpServer::Send(std::shared_ptr<std::string> reply, udp::endpoint to) {
  asio::post(strand_, [this, reply, to] {
    socket_.async_send_to(asio::buffer(*reply), to,
                          [this, reply](boost::system::error_code ec, size_t) {
                            if (ec) {
                              ++stats_.send_errors;
                            } else {
                              ++stats_.replies_sent;
                            }
                          });
  });
}

}  // namespace obvpn::radius
