#include "http/api/router.h"

namespace obvpn::http::api {

size_t Router::BodyLimit(std::string_view path) const {
  const auto cfg = deps_.config.Get();
  // SPEC §7: body bytes 64 KiB v2 / 1 MiB v3 JSON (v3 "v1" forms share the v3 limit).
  if (path == kV3Path) return cfg->api.max_json_body_bytes;
  return cfg->api.max_body_bytes;
}

Response Router::TooLarge(const Request& request, size_t limit) const {
  accounts::ApiFailure f{accounts::ApiError::kRequestTooLarge,
                         "the request body is larger than " + std::to_string(limit) + " bytes"};
  if (request.path == kV2Path) return V2Api::Failure(f);
  // SPEC §4: RequestSizeLimitExceeded, in the 3.0 envelope with HTTP 200.
  if (request.path == kV3Path) return V3Api::Failure(request, f);
  Response r;
  r.status = 413;
  r.content_type = "text/plain; charset=utf-8";
  r.body = f.message + "\n";
  r.log.error = "RequestTooLarge";
  return r;
}

boost::asio::awaitable<Response> Router::Handle(Request& request) {
  if (request.path == kV2Path) co_return co_await v2_.Handle(request);
  if (request.path == kV3Path) co_return co_await v3_.Handle(request);
  Response r;
  r.status = 404;
  r.body =
      R"json({"error":"not found: the API endpoints are / (API 3.0) and /v2/index.php (API 2.0)"})json";
  r.log.error = "NotFound";
  co_return r;
}

}  // namespace obvpn::http::api
