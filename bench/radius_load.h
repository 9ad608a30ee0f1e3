// RADIUS load: keeps `concurrency` RADIUS requests outstanding against one 127.0.0.1 UDP
// endpoint for a bounded time, each from its own socket, and checks every reply the way a
// gateway would (RFC 2865 §3 Response Authenticator, RFC 3579 §3.2 Message-Authenticator,
// via the obvpn radius/packet codec). Three kinds of request:
//   accept — Access-Request (PAP) for a user whose password is right: expects Accept,
//   reject — Access-Request for a user the server does not know: expects Reject,
//   status — Status-Server (RFC 5997): expects Access-Accept.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "core/status.h"
#include "load_result.h"

namespace obvpn::bench {

enum class RadiusKind { kAccept, kReject, kStatus };

struct RadiusLoadOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 1812;
  std::string secret;  // the shared secret of this client at the server
  RadiusKind kind = RadiusKind::kAccept;
  std::string user;      // User-Name
  std::string password;  // User-Password (accept and reject)
  size_t concurrency = 16;
  std::chrono::duration<double> warmup{0};
  std::chrono::duration<double> duration{10};  // always bounds the run
  uint64_t max_requests = 0;                   // 0 = only the duration bounds the run
  std::chrono::milliseconds timeout{2000};     // per request; then it counts as "timeout"
  // A reply's Message-Authenticator is always verified when present; with this it must be
  // present (obvpnd: SPEC §5). FreeRADIUS 3.2 adds one only when configured to.
  bool require_reply_message_authenticator = false;
};

// Runs the load. Outcomes: "accept", "reject", "other" (another reply code), "timeout",
// "bad_reply_<discard reason>", "io_error".
// InvalidArgument when the options cannot work.
Result<LoadResult> RunRadiusLoad(const RadiusLoadOptions& options);

}  // namespace obvpn::bench
