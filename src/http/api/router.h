// Router: the http::Handler of the API listener. Sends `/v2/index.php` to the API 2.0
// front end and `/` to API 3.0, applies each path's body limit (api.max_body_bytes for
// 2.0 forms, api.max_json_body_bytes for 3.0), answers oversized bodies in the envelope of
// the path's API version, and unknown paths with 404.
#pragma once

#include "http/api/api_deps.h"
#include "http/api/v2/v2_api.h"
#include "http/api/v3/v3_api.h"
#include "http/handler.h"

namespace obvpn::http::api {

class Router final : public Handler {
 public:
  explicit Router(ApiDeps deps) : deps_(deps), v2_(deps), v3_(deps) {}

  size_t BodyLimit(std::string_view path) const override;
  Response TooLarge(const Request& request, size_t limit) const override;
  boost::asio::awaitable<Response> Handle(Request& request) override;

 private:
  ApiDeps deps_;
  V2Api v2_;
  V3Api v3_;
};

}  // namespace obvpn::http::api
