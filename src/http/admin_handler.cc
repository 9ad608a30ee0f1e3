#include "http/admin_handler.h"

namespace obvpn::http {

Response AdminHandler::TooLarge(const Request&, size_t) const {
  Response r;
  r.status = 413;
  r.content_type = "text/plain";
  r.body = "request body not allowed\n";
  r.log.api = "admin";
  return r;
}

boost::asio::awaitable<Response> AdminHandler::Handle(Request& request) {
  Response r;
  r.log.api = "admin";
  r.content_type = "text/plain; charset=utf-8";
  if (request.method != "GET" && request.method != "HEAD") {
    r.status = 405;
    r.body = "method not allowed\n";
  } else if (request.path == "/healthz") {
    r.body = "ok\n";
  } else if (request.path == "/readyz") {
    const bool ok = ready_ ? ready_() : true;
    r.status = ok ? 200 : 503;
    r.body = ok ? "ready\n" : "not ready: store unreachable\n";
  } else if (request.path == "/metrics") {
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics_ ? metrics_() : "";
  } else {
    r.status = 404;
    r.body = "not found\n";
  }
  co_return r;
}

}  // namespace obvpn::http
