// HTTP load: keeps N keep-alive connections to one 127.0.0.1 endpoint busy with signed
// API 2.0 requests (or plain GETs for baselines) for a bounded time, on Boost.Beast with
// C++20 coroutines, and measures each request from send (or, at a fixed rate, from its
// scheduled send time, so a stalled server cannot hide its queue) to the last byte of
// the response.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "load_result.h"
#include "requests.h"

namespace obvpn::bench {

enum class HttpMode {
  kPlain,  // GET `path`, any 200 counts as success (baselines)
  kGet,    // signed GetOutBandVPNAuthInfo
  kSet,    // signed SetOutBandVPNAuthPwd
  kMix,    // Get, with a `set_fraction` share of Set
};

struct HttpLoadOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;
  std::string path = "/v2/index.php";  // kPlain: the path (and query) to GET
  HttpMode mode = HttpMode::kGet;
  double set_fraction = 0.1;     // kMix
  std::vector<Credential> keys;  // signed modes: used round-robin
  V2Options v2;                  // host is filled from address:port when empty
  size_t connections = 64;
  size_t threads = 1;  // client threads, each with its own io_context
  std::chrono::duration<double> warmup{0};
  std::chrono::duration<double> duration{10};  // always bounds the run
  uint64_t max_requests = 0;                   // 0 = only the duration bounds the run
  double rate = 0;                             // total requests/s at a fixed rate; 0 = closed loop
  std::chrono::milliseconds timeout{5000};     // per request
};

// Runs the load. InvalidArgument when the options cannot work (no key for a signed mode,
// zero connections, a non-loopback address). Transport failures are outcomes
// ("io_connect", "io_timeout", ...), not errors of this function.
Result<LoadResult> RunHttpLoad(const HttpLoadOptions& options);

}  // namespace obvpn::bench
