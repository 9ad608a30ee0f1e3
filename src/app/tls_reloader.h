// TlsReloader: lets a running TLS listener present a new certificate and key after a
// reload (SIGHUP) without closing a connection or re-creating the listener. Connections
// keep the certificate they were established with; every handshake after Replace() gets
// the new one.
//
// It attaches an OpenSSL certificate callback (SSL_CTX_set_cert_cb) to the context the
// server handshakes with; the callback installs the current certificate, chain and key
// on each new connection (SSL_use_cert_and_key).
//
// Thread-safe: Replace() may run while handshakes call the callback on I/O threads. The
// reloader must outlive the server context it is attached to.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <mutex>

namespace obvpn::app {

class TlsReloader {
 public:
  // `server` is the context the listener was built with (it already holds the startup
  // certificate, which stays in use until the first Replace()).
  explicit TlsReloader(std::shared_ptr<boost::asio::ssl::context> server);
  TlsReloader(const TlsReloader&) = delete;
  TlsReloader& operator=(const TlsReloader&) = delete;

  // From now on, new handshakes use the certificate chain and key loaded into `next`
  // (e.g. by http::MakeTlsContext, which checks that they match).
  void Replace(std::shared_ptr<boost::asio::ssl::context> next);

 private:
  static int OnCertificate(SSL* ssl, void* self);

  const std::shared_ptr<boost::asio::ssl::context> server_;
  std::mutex mu_;
  std::shared_ptr<boost::asio::ssl::context> current_;  // guarded by mu_
};

}  // namespace obvpn::app
