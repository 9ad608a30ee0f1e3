// AdminHandler: the admin listener's endpoints (SPEC §8): `/healthz` (liveness) and
// `/metrics` (Prometheus text format, rendered by the daemon's metrics registry).
#pragma once

#include <functional>
#include <string>

#include "http/handler.h"

namespace obvpn::http {

class AdminHandler final : public Handler {
 public:
  // `metrics` renders the Prometheus exposition text; `ready` says whether the store is
  // reachable (for /readyz).
  AdminHandler(std::function<std::string()> metrics, std::function<bool()> ready)
      : metrics_(std::move(metrics)), ready_(std::move(ready)) {}

  size_t BodyLimit(std::string_view) const override { return 0; }
  Response TooLarge(const Request&, size_t) const override;
  boost::asio::awaitable<Response> Handle(Request& request) override;

 private:
  std::function<std::string()> metrics_;
  std::function<bool()> ready_;
};

}  // namespace obvpn::http
