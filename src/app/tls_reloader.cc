#include "app/tls_reloader.h"

#include <openssl/ssl.h>

#include <utility>

namespace obvpn::app {

TlsReloader::TlsReloader(std::shared_ptr<boost::asio::ssl::context> server)
    : server_(std::move(server)), current_(server_) {
  SSL_CTX_set_cert_cb(server_->native_handle(), &TlsReloader::OnCertificate, this);
}

void TlsReloader::Replace(std::shared_ptr<boost::asio::ssl::context> next) {
  std::lock_guard lock(mu_);
  current_ = std::move(next);
}

// SSL_CTX_set_cert_cb(3): "called before a certificate will be used by a client or
// server. The callback can then inspect the passed ssl structure and set or clear any
// appropriate certificates." Returning 0 aborts the handshake.
int TlsReloader::OnCertificate(SSL* ssl, void* self) {
  auto* reloader = static_cast<TlsReloader*>(self);
  std::shared_ptr<boost::asio::ssl::context> current;
  {
    std::lock_guard lock(reloader->mu_);
    current = reloader->current_;
  }
  if (current == reloader->server_) return 1;  // the startup certificate is already set
  SSL_CTX* ctx = current->native_handle();
  X509* cert = SSL_CTX_get0_certificate(ctx);
  EVP_PKEY* key = SSL_CTX_get0_privatekey(ctx);
  STACK_OF(X509)* chain = nullptr;
  if (cert == nullptr || key == nullptr || SSL_CTX_get0_chain_certs(ctx, &chain) != 1) return 0;
  // Takes its own references; `current` may be replaced as soon as this returns.
  return SSL_use_cert_and_key(ssl, cert, key, chain, /*override=*/1) == 1 ? 1 : 0;
}

}  // namespace obvpn::app
