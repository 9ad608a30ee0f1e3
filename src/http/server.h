// Server: the HTTP/1.1 listener of the API and admin endpoints (asio example shape:
// server → connection → parser → handler). Keep-alive, pipelining, plain HTTP and TLS on
// one port (the first bytes decide), and the limits of SPEC §7: header bytes (431), body
// bytes (handler's answer), idle and read timeouts (408 / close), connection cap.
//
// Threading: the server runs on the io_context it is given; each connection runs on its
// own strand. Start/Shutdown must be called from outside the io_context threads or on
// them; both are thread-safe.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/status.h"
#include "http/handler.h"

namespace obvpn::http {

struct ServerOptions {
  size_t max_header_bytes = 16 * 1024;
  size_t max_connections = 4096;
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds read_timeout{10};
  std::string name = "api";  // for logs
  // True when exactly one thread runs the io_context: connections then need no strand
  // (every handler runs on that thread anyway), which saves a strand dispatch (a lock
  // and executor copies) on every completion — measurable per request (SPEC §9).
  bool single_threaded = false;
};

// Counters the server keeps (read by /metrics).
struct ServerStats {
  std::atomic<uint64_t> connections_accepted{0};
  std::atomic<uint64_t> connections_rejected{0};  // over the connection cap
  std::atomic<uint64_t> connections_active{0};
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> header_too_large{0};
  std::atomic<uint64_t> body_too_large{0};
  std::atomic<uint64_t> timeouts{0};
  std::atomic<uint64_t> bad_requests{0};
  std::atomic<uint64_t> tls_handshake_failures{0};
};

// Called after every response with the request, response and latency.
using AccessLog = std::function<void(const Request&, const Response&, std::chrono::microseconds)>;

class Server {
 public:
  // `tls` may be null (plain HTTP only). With a context, each connection is TLS if its
  // first byte is a TLS handshake and plain HTTP otherwise (the handler decides whether
  // plain HTTP is allowed: require_tls).
  Server(boost::asio::io_context& io, ServerOptions options, Handler& handler,
         std::shared_ptr<boost::asio::ssl::context> tls, AccessLog log);
  ~Server();

  // Binds and listens. Port 0 picks a free port. Returns the bound endpoint.
  Result<boost::asio::ip::tcp::endpoint> Listen(const std::string& host, uint16_t port);

  // Stops accepting, closes idle connections, lets in-flight requests finish (their
  // connections close after the response).
  void Shutdown();

  // True once Shutdown() was called.
  bool Draining();

  ServerStats& stats() { return stats_; }

 private:
  class Connection;
  boost::asio::awaitable<void> AcceptLoop(boost::asio::ip::tcp::acceptor& acceptor);
  boost::asio::awaitable<void> Serve(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  const ServerOptions options_;
  Handler& handler_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  AccessLog log_;
  ServerStats stats_;

  std::mutex mu_;
  std::atomic<bool> shutting_down_{false};  // read on every request, without mu_
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
  uint64_t next_id_ = 0;
  // Live connections: id → function that closes it if it is idle.
  std::unordered_map<uint64_t, std::function<void(bool force)>> connections_;
  friend class Connection;
};

// A fresh random UUID v4 string.
std::string NewRequestId();

// Loads a PEM certificate chain and private key into a TLS server context (TLS 1.2+,
// modern ciphers only). InvalidArgument with a clear message on any failure.
Result<std::shared_ptr<boost::asio::ssl::context>> MakeTlsContext(const std::string& cert_file,
                                                                  const std::string& key_file);

}  // namespace obvpn::http
