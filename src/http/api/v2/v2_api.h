// The API 2.0 front end (SPEC §3): `/v2/index.php`, GET query or POST form, the legacy
// HmacSHA1/HmacSHA256/TC2 signatures, and the {"code","message","codeDesc","data"}
// envelope. A codec over accounts::Service; the request path is
//   TLS rule → method → decode → common parameters → timestamp window → SecretId →
//   Host → signature → replay claim → Token/expiry → Action/Region → allow-list →
//   rate limit → action.
// Thread-safe; never throws.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string_view>

#include "accounts/errors.h"
#include "http/api/api_deps.h"
#include "http/message.h"

namespace obvpn::http::api {

inline constexpr std::string_view kV2Path = "/v2/index.php";
inline constexpr std::string_view kActionGetAuthInfo = "GetOutBandVPNAuthInfo";
inline constexpr std::string_view kActionSetPassword = "SetOutBandVPNAuthPwd";

class V2Api {
 public:
  explicit V2Api(ApiDeps deps) : deps_(deps) {}

  boost::asio::awaitable<Response> Handle(Request& request);

  // The envelope of a failure, e.g. for oversized bodies (no request was parsed).
  static Response Failure(const accounts::ApiFailure& failure);

 private:
  ApiDeps deps_;
};

}  // namespace obvpn::http::api
