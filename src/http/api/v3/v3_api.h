// The API 3.0 front end (SPEC §4): path `/`, action SetOutBandVpnAuthPassword, Version
// 2018-04-23, the {"Response": {...}} envelope, and two signature styles:
//   - TC3-HMAC-SHA256: POST application/json (or GET with the parameters in the query),
//     X-TC-* headers and an Authorization header;
//   - "v1" HmacSHA1/HmacSHA256: GET query or POST form with Action, Version, Region,
//     Timestamp, Nonce, SecretId, Signature (the API 2.0 algorithm with path "/" and no
//     underscore rewriting).
// A second codec over accounts::Service, sharing the KeyRing, ReplayCache, RateLimiter and
// HashPool with API 2.0. The request path is
//   TLS rule → method → style → credentials → timestamp window → credential scope →
//   SecretId → Host → signature → replay claim → Token/expiry → Version/Action/Region →
//   allow-list → rate limit → parameters → action.
// Every failure after the replay claim also claims the key durably and is audited
// (Service::RecordFailedMutation): TC3 does not sign X-TC-Action/Region/Version, so a
// captured request re-sent with other headers must not find its key unclaimed on
// another node. See docs/api-v3.md.
// Thread-safe; never throws.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string_view>

#include "accounts/errors.h"
#include "http/api/api_deps.h"
#include "http/message.h"

namespace obvpn::http::api {

inline constexpr std::string_view kV3Path = "/";
inline constexpr std::string_view kV3Version = "2018-04-23";
inline constexpr std::string_view kV3ActionSetPassword = "SetOutBandVpnAuthPassword";
// The TC3 credential scope service of Black Stone.
inline constexpr std::string_view kV3Service = "bm";

class V3Api {
 public:
  explicit V3Api(ApiDeps deps) : deps_(deps) {}

  boost::asio::awaitable<Response> Handle(Request& request);

  // The envelope of a failure, e.g. for oversized bodies (no request was parsed). Its
  // RequestId is request.request_id.
  static Response Failure(const Request& request, const accounts::ApiFailure& failure);

 private:
  ApiDeps deps_;
};

}  // namespace obvpn::http::api
