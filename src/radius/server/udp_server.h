// UdpServer: one RADIUS UDP socket (the asio async UDP echo server shape): a receive
// loop that hands each datagram to the RequestHandler and sends back whatever reply the
// handler produces, to the datagram's source address and port (RFC 2865 §3). All socket
// code of the RADIUS side lives here.
//
// Threading: the socket lives on a strand of the io_context; the handler runs on any
// io_context thread (or a hash worker), and replies are posted back to the strand. Every
// datagram being handled holds work on the io_context, so io_context::run() returns only
// after every in-flight request is answered or dropped. Listen/Shutdown are thread-safe.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/strand.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "radius/server/handler.h"

namespace obvpn::radius {

struct UdpServerStats {
  std::atomic<uint64_t> datagrams_received{0};
  std::atomic<uint64_t> replies_sent{0};
  std::atomic<uint64_t> send_errors{0};
  std::atomic<uint64_t> receive_errors{0};
};

class UdpServer {
 public:
  UdpServer(boost::asio::io_context& io, RequestHandler& handler, Listener listener);
  ~UdpServer();
  UdpServer(const UdpServer&) = delete;
  UdpServer& operator=(const UdpServer&) = delete;

  // Binds host:port (an IP address, or "localhost" for 127.0.0.1; port 0 picks a free
  // one) and starts receiving. Returns the bound endpoint. Call once.
  Result<boost::asio::ip::udp::endpoint> Listen(const std::string& host, uint16_t port);

  // Stops receiving. Requests already being handled still get their replies.
  void Shutdown();

  UdpServerStats& stats() { return stats_; }

 private:
  boost::asio::awaitable<void> ReceiveLoop();
  void Send(std::shared_ptr<std::string> reply, boost::asio::ip::udp::endpoint to);

  boost::asio::io_context& io_;
  RequestHandler& handler_;
  const Listener listener_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::udp::socket socket_;
  std::atomic<bool> stopping_{false};
  UdpServerStats stats_;
};

// "127.0.0.1:1812", "[::1]:1812".
std::string EndpointString(const boost::asio::ip::udp::endpoint& endpoint);

}  // namespace obvpn::radius
