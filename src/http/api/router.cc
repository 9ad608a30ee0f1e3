#include "http/api/router.h"

namespace obvpn::http::api {

size_t Router::BodyLimit(std::string_view path) const {
  const auto cfg = deps_.config.Get();
  if (path == kV2Path) return cfg->api.max_body_bytes;
  return cfg->api.max_body_bytes;
}

Response Router::TooLarge(const Request& request, size_t limit) const {
  accounts::ApiFailure f{accounts::ApiError::kRequestTooLarge,
                         "the request body is larger than " + std::to_string(limit) + " bytes"};
  if (request.path == kV2Path) return V2Api::Failure(f);
  Response r;
  r.status = 413;
  r.content_type = "text/plain; charset=utf-8";
  r.body = f.message + "\n";
  r.log.error = "RequestTooLarge";
  return r;
}

boost::asio::awaitable<Response> Router::Handle(Request& request) {
  if (request.path == kV2Path) co_return co_await v2_.Handle(request);
  Response r;
  r.status = 404;
  r.body = R"({"error":"not found: the API 2.0 endpoint is /v2/index.php"})";
  r.log.error = "NotFound";
  co_return r;
}

}  // namespace obvpn::http::api
