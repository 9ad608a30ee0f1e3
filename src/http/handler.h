// Handler: what the HTTP server calls for every complete request. Implementations are the
// API front ends and the admin endpoints; they never throw (the server catches anything
// that escapes, answers 500 and logs it with the request id).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <string_view>

#include "http/message.h"

namespace obvpn::http {

class Handler {
 public:
  virtual ~Handler() = default;

  // Called once the headers are read: the largest body accepted for this request (so the
  // v2 and v3 paths get different limits).
  virtual size_t BodyLimit(std::string_view path) const = 0;

  // The response for a request whose body was larger than BodyLimit.
  virtual Response TooLarge(const Request& request, size_t limit) const = 0;

  // The response for a complete request.
  virtual boost::asio::awaitable<Response> Handle(Request& request) = 0;
};

}  // namespace obvpn::http
