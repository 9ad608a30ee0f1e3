#include "http/server.h"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstring>
#include <exception>
#include <iterator>

#include "crypto/crypto.h"

namespace obvpn::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::string EndpointString(const tcp::endpoint& ep) {
  const auto addr = ep.address();
  std::string host = addr.to_string();
  if (addr.is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(ep.port());
}

// A minimal response for failures that happen before a request exists (SPEC §7: 431 for
// oversized headers, 408 for a read timeout, 400 for an unparseable request).
bhttp::response<bhttp::string_body> SimpleResponse(bhttp::status status, std::string_view text,
                                                   const std::string& request_id) {
  bhttp::response<bhttp::string_body> res{status, 11};
  res.set(bhttp::field::server, "obvpn");
  res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  res.set("X-Request-Id", request_id);
  res.keep_alive(false);
  res.body() = std::string(text) + "\n";
  res.prepare_payload();
  return res;
}

}  // namespace

std::string NewRequestId() {
  // 16 random bytes per id, drawn from a per-thread buffer refilled 256 ids at a time:
  // one getrandom(2) call per request was a measurable share of a Get (SPEC §9,
  // docs/performance.md). The bytes still come from the CSPRNG; a request id is public,
  // so keeping the rest of the batch in memory reveals nothing.
  constexpr size_t kIdBytes = 16;
  constexpr size_t kBatch = 256 * kIdBytes;
  thread_local std::string pool;
  thread_local size_t used = kBatch;
  if (used == kBatch) {
    pool = crypto::RandomBytes(kBatch);
    used = 0;
  }
  unsigned char b[kIdBytes];
  std::memcpy(b, pool.data() + used, kIdBytes);
  used += kIdBytes;
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(36, '-');
  size_t o = 0;
  for (size_t i = 0; i < kIdBytes; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++o;  // 8-4-4-4-12
    id[o++] = kHex[b[i] >> 4];
    id[o++] = kHex[b[i] & 15];
  }
  return id;
}

Result<std::shared_ptr<asio::ssl::context>> MakeTlsContext(const std::string& cert_file,
                                                           const std::string& key_file) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  SSL_CTX* native = ctx->native_handle();
  // TLS 1.2 and 1.3 only; for 1.2, forward-secret AEAD suites only.
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_cipher_list(native,
                          "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                          "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                          "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(cert_file, ec);
  if (ec) {
    return InvalidArgument("api.tls_cert: cannot load PEM certificate chain from '" + cert_file +
                           "': " + ec.message());
  }
  ctx->use_private_key_file(key_file, asio::ssl::context::pem, ec);
  if (ec) {
    return InvalidArgument("api.tls_key: cannot load PEM private key from '" + key_file +
                           "': " + ec.message());
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return InvalidArgument("api.tls_key: the private key in '" + key_file +
                           "' does not match the certificate in '" + cert_file + "'");
  }
  return ctx;
}

// Per-connection state shared between the connection's coroutine and Shutdown().
// Touched only on the connection's strand.
struct ConnState {
  bool busy = false;  // a request is being read, handled or written
  bool alive = true;
  beast::tcp_stream* stream = nullptr;
};

class Server::Connection {
 public:
  Connection(Server& server, std::shared_ptr<ConnState> state, std::string peer, bool tls)
      : server_(server), state_(std::move(state)), peer_(std::move(peer)), tls_(tls) {}

  template <class Stream>
  asio::awaitable<void> Run(Stream& s, beast::flat_buffer& buffer) {
    const ServerOptions& opt = server_.options_;
    for (;;) {
      state_->busy = false;
      if (server_.Draining()) co_return;
      auto& low = beast::get_lowest_layer(s);
      if (buffer.size() == 0) {
        // Idle keep-alive wait: nothing to answer if the client goes away.
        low.expires_after(opt.idle_timeout);
        auto [ec, n] = co_await s.async_read_some(buffer.prepare(4096), kTuple);
        if (ec) co_return;
        buffer.commit(n);
      }
      state_->busy = true;
      const auto t0 = std::chrono::steady_clock::now();
      // The whole request (headers and body) must arrive within read_timeout: a slow
      // client (slowloris) is cut off instead of holding the connection. The deadline
      // cancels the read rather than closing the socket (as tcp_stream's own timeout
      // would), so the client still gets its 408.
      low.expires_never();
      asio::steady_timer deadline(low.get_executor());
      auto armed = std::make_shared<bool>(true);
      auto fired = std::make_shared<bool>(false);
      deadline.expires_after(opt.read_timeout);
      deadline.async_wait([state = state_, armed, fired](boost::system::error_code ec) {
        if (ec || !*armed || !state->alive || state->stream == nullptr) return;
        *fired = true;
        boost::system::error_code ignored;
        state->stream->socket().cancel(ignored);
      });
      auto disarm = [&] {
        *armed = false;
        deadline.cancel();
      };
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<uint32_t>(opt.max_header_bytes));
      parser.body_limit(boost::none);
      const std::string rid = NewRequestId();
      {
        auto [ec, n] = co_await bhttp::async_read_header(s, buffer, parser, kTuple);
        if (ec) {
          disarm();
          co_await Fail(s, *fired ? beast::error::timeout : ec, rid);
          co_return;
        }
      }
      Request req;
      req.request_id = rid;
      req.peer = peer_;
      req.tls = tls_;
      const auto& h = parser.get();
      req.headers.reserve(static_cast<size_t>(std::distance(h.begin(), h.end())));
      req.method = std::string(h.method_string());
      req.target = std::string(h.target());
      SplitTarget(req.target, req.path, req.query);
      for (const auto& f : h) {
        std::string name(f.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        req.headers.emplace_back(std::move(name), std::string(f.value()));
      }
      if (const std::string* host = req.Header("host")) req.host = *host;
      if (const std::string* ct = req.Header("content-type")) req.content_type = *ct;

      const size_t limit = server_.handler_.BodyLimit(req.path);
      Response resp;
      bool have_response = false;
      if (parser.content_length() && *parser.content_length() > limit) {
        ++server_.stats_.body_too_large;
        resp = server_.handler_.TooLarge(req, limit);
        resp.close = true;  // the unread body makes the stream unusable
        have_response = true;
      } else if (!parser.is_done()) {
        parser.body_limit(limit);
        if (const std::string* expect = req.Header("expect"); expect && *expect == "100-continue") {
          bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
          auto [wec, wn] = co_await bhttp::async_write(s, cont, kTuple);
          if (wec) co_return;
        }
        auto [ec, n] = co_await bhttp::async_read(s, buffer, parser, kTuple);
        disarm();
        if (*fired) ec = beast::error::timeout;
        if (ec == bhttp::error::body_limit) {
          ++server_.stats_.body_too_large;
          resp = server_.handler_.TooLarge(req, limit);
          resp.close = true;
          have_response = true;
        } else if (ec) {
          co_await Fail(s, ec, rid);
          co_return;
        }
      }
      disarm();
      const bool keep_alive = parser.get().keep_alive();
      if (!have_response) {
        req.body = std::move(parser.get().body());
        low.expires_never();  // the handler may wait for the hash pool
        try {
          resp = co_await server_.handler_.Handle(req);
        } catch (const std::exception& e) {
          resp = Response{};
          resp.status = 500;
          resp.content_type = "text/plain";
          resp.body = "internal error\n";
          resp.log.error = "Internal";
          resp.log.detail = std::string("handler threw: ") + e.what();
        }
      }
      ++server_.stats_.requests;
      bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(resp.status),
                                              parser.get().version()};
      res.set(bhttp::field::server, "obvpn");
      res.set(bhttp::field::content_type, resp.content_type);
      res.set("X-Request-Id", req.request_id);
      for (const auto& [k, v] : resp.headers) res.set(k, v);
      res.body() = std::move(resp.body);  // the access log below reads status and log only
      const bool close = !keep_alive || resp.close || server_.Draining();
      res.keep_alive(!close);
      res.prepare_payload();
      low.expires_after(opt.read_timeout);
      auto [wec, wn] = co_await bhttp::async_write(s, res, kTuple);
      if (server_.log_) {
        server_.log_(req, resp,
                     std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::steady_clock::now() - t0));
      }
      if (wec || close) co_return;
    }
  }

 private:
  template <class Stream>
  asio::awaitable<void> Fail(Stream& s, boost::system::error_code ec, const std::string& rid) {
    bhttp::status status;
    if (ec == bhttp::error::header_limit) {
      ++server_.stats_.header_too_large;
      status = bhttp::status::request_header_fields_too_large;
    } else if (ec == beast::error::timeout) {
      ++server_.stats_.timeouts;
      status = bhttp::status::request_timeout;
    } else if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
               ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
      co_return;  // the client left; nobody to answer
    } else {
      ++server_.stats_.bad_requests;
      status = bhttp::status::bad_request;
    }
    auto res = SimpleResponse(status, bhttp::obsolete_reason(status), rid);
    auto& low = beast::get_lowest_layer(s);
    low.expires_after(std::chrono::seconds(2));
    (void)co_await bhttp::async_write(s, res, kTuple);  // best effort: we close next
    if (server_.log_) {
      Request req;
      req.request_id = rid;
      req.peer = peer_;
      Response resp;
      resp.status = static_cast<unsigned>(status);
      resp.log.error = std::string(bhttp::obsolete_reason(status));
      resp.log.detail = ec.message();
      server_.log_(req, resp, std::chrono::microseconds(0));
    }
  }

  Server& server_;
  std::shared_ptr<ConnState> state_;
  std::string peer_;
  bool tls_;
};

Server::Server(asio::io_context& io, ServerOptions options, Handler& handler,
               std::shared_ptr<asio::ssl::context> tls, AccessLog log)
    : io_(io),
      options_(std::move(options)),
      handler_(handler),
      tls_(std::move(tls)),
      log_(std::move(log)) {}

Server::~Server() = default;

bool Server::Draining() { return shutting_down_.load(std::memory_order_acquire); }

Result<tcp::endpoint> Server::Listen(const std::string& host, uint16_t port) {
  boost::system::error_code ec;
  tcp::endpoint ep;
  auto addr = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) return InvalidArgument("'" + host + "' is not an IP address");
  ep = tcp::endpoint(addr, port);
  auto acc = std::make_unique<tcp::acceptor>(asio::make_strand(io_));
  acc->open(ep.protocol(), ec);
  if (!ec) acc->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc->bind(ep, ec);
  if (!ec) acc->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Unavailable("cannot listen on " + EndpointString(ep) + ": " + ec.message());
  const tcp::endpoint bound = acc->local_endpoint();
  tcp::acceptor& ref = *acc;
  {
    std::lock_guard lock(mu_);
    acceptors_.push_back(std::move(acc));
  }
  asio::co_spawn(ref.get_executor(), AcceptLoop(ref), asio::detached);
  return bound;
}

asio::awaitable<void> Server::AcceptLoop(tcp::acceptor& acceptor) {
  for (;;) {
    // Each connection's handlers are serialised by a strand, or by the one I/O thread.
    const asio::any_io_executor conn_ex = options_.single_threaded
                                              ? asio::any_io_executor(io_.get_executor())
                                              : asio::any_io_executor(asio::make_strand(io_));
    auto [ec, socket] = co_await acceptor.async_accept(conn_ex, kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open() || Draining()) co_return;
      // Out of descriptors or a transient error: back off briefly instead of spinning.
      asio::steady_timer t(acceptor.get_executor(), std::chrono::milliseconds(50));
      co_await t.async_wait(kTuple);
      continue;
    }
    if (stats_.connections_active.load() >= options_.max_connections) {
      // Connection cap (SPEC §7): refuse at once so accepted clients keep their service.
      ++stats_.connections_rejected;
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    ++stats_.connections_accepted;
    auto ex = socket.get_executor();
    asio::co_spawn(ex, Serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> Server::Serve(tcp::socket socket) {
  ++stats_.connections_active;
  auto ex = socket.get_executor();
  auto state = std::make_shared<ConnState>();
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  const std::string peer = ec ? std::string("unknown") : EndpointString(remote);
  socket.set_option(tcp::no_delay(true), ec);
  beast::tcp_stream stream(std::move(socket));
  state->stream = &stream;
  uint64_t id = 0;
  {
    std::lock_guard lock(mu_);
    id = next_id_++;
    connections_[id] = [state, ex](bool force) {
      asio::post(ex, [state, force] {
        if (state->alive && state->stream && (force || !state->busy)) {
          boost::system::error_code ignored;
          state->stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
          state->stream->socket().close(ignored);
        }
      });
    };
  }
  try {
    beast::flat_buffer buffer;
    bool is_tls = false;
    bool proceed = true;
    if (tls_) {
      stream.expires_after(options_.read_timeout);
      auto [dec, detected] = co_await beast::async_detect_ssl(stream, buffer, kTuple);
      is_tls = !dec && detected;
      proceed = !dec;
    }
    if (!proceed) {
      // The client sent nothing usable before the read timeout.
    } else if (is_tls) {
      beast::ssl_stream<beast::tcp_stream> ssl(std::move(stream), *tls_);
      state->stream = &beast::get_lowest_layer(ssl);
      beast::get_lowest_layer(ssl).expires_after(options_.read_timeout);
      auto [hec, used] =
          co_await ssl.async_handshake(asio::ssl::stream_base::server, buffer.data(), kTuple);
      if (hec) {
        ++stats_.tls_handshake_failures;
      } else {
        buffer.consume(used);
        Connection conn(*this, state, peer, true);
        co_await conn.Run(ssl, buffer);
        beast::get_lowest_layer(ssl).expires_after(std::chrono::seconds(2));
        co_await ssl.async_shutdown(kTuple);
      }
      state->alive = false;
      state->stream = nullptr;
    } else {
      Connection conn(*this, state, peer, false);
      co_await conn.Run(stream, buffer);
      stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    }
  } catch (const std::exception&) {
    // A connection's failure never reaches the other connections.
  }
  state->alive = false;
  state->stream = nullptr;
  {
    std::lock_guard lock(mu_);
    connections_.erase(id);
  }
  --stats_.connections_active;
}

void Server::Shutdown() {
  std::lock_guard lock(mu_);
  shutting_down_.store(true, std::memory_order_release);
  for (auto& acc : acceptors_) {
    tcp::acceptor* a = acc.get();
    asio::post(a->get_executor(), [a] {
      boost::system::error_code ignored;
      a->close(ignored);
    });
  }
  for (auto& [id, closer] : connections_) closer(false);
}

}  // namespace obvpn::http
