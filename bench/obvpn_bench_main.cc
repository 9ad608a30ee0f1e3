// obvpn-bench: the load generator of bench/ (SPEC §9). Two modes:
//
//   obvpn-bench http --port P [--action get|set|mix|plain] [--connections N] ...
//     keeps N keep-alive connections busy with API 2.0 requests, each signed with a
//     fresh Nonce (or plain GETs of --path for baselines such as nginx);
//   obvpn-bench radius --port P --secret S --kind accept|reject|status ...
//     keeps --concurrency RADIUS requests outstanding.
//
// Both print a short table and, last, one "RESULT key=value ..." line for scripts
// (bench/run.sh). Every run is bounded by --duration (and optionally --requests); only
// loopback addresses are accepted. Exit status: 0, or 1 when --expect-success is given
// and any request had an unexpected outcome, 2 on bad usage.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "http_load.h"
#include "radius_load.h"

namespace {

using namespace obvpn::bench;  // NOLINT(google-build-using-namespace): a main file

int Report(const std::string& label, const obvpn::Result<LoadResult>& r, bool expect_success) {
  if (!r.ok()) {
    std::cerr << "obvpn-bench: " << r.status().message() << "\n";
    return 2;
  }
  std::cout << FormatResultText(*r) << FormatResultLine(label, *r) << std::endl;
  if (expect_success && (r->errors != 0 || r->ok == 0)) {
    std::cerr << "obvpn-bench: " << r->errors << " requests had an unexpected outcome\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"obvpn-bench: load generator for obvpnd and its baselines (loopback only)"};
  app.require_subcommand(1);
  std::string label;
  bool expect_success = false;
  double duration = 10, warmup = 0;
  uint64_t max_requests = 0;
  std::string address = "127.0.0.1";
  uint16_t port = 0;
  auto add_common = [&](CLI::App* sub) {
    sub->add_option("--address", address, "server address (loopback only)");
    sub->add_option("--port", port, "server port")->required();
    sub->add_option("--duration", duration, "measured seconds (bounds every run)")
        ->check(CLI::Range(0.1, 3600.0));
    sub->add_option("--warmup", warmup, "seconds before measuring")->check(CLI::Range(0.0, 600.0));
    sub->add_option("--requests", max_requests, "stop after this many requests (0: no limit)");
    sub->add_option("--label", label, "name printed in the RESULT line");
    sub->add_flag("--expect-success", expect_success,
                  "exit 1 unless every request had the expected outcome");
  };

  HttpLoadOptions h;
  std::string action = "get", keys_file, sign = "HmacSHA1", method = "GET";
  double timeout_ms = 5000;
  CLI::App* http = app.add_subcommand("http", "HTTP load (API 2.0 or plain GET)");
  add_common(http);
  http->add_option("--action", action, "get | set | mix | plain")
      ->check(CLI::IsMember({"get", "set", "mix", "plain"}));
  http->add_option("--path", h.path, "path for --action plain (and the signed path)");
  http->add_option("--connections", h.connections, "keep-alive connections");
  http->add_option("--threads", h.threads, "client threads");
  http->add_option("--rate", h.rate, "total requests/s at a fixed rate (0: closed loop)");
  http->add_option("--set-fraction", h.set_fraction, "share of Set in --action mix")
      ->check(CLI::Range(0.0, 1.0));
  http->add_option("--keys", keys_file,
                   "file of 'appId secretId secretKey' lines (default: "
                   "TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY)");
  http->add_option("--region", h.v2.region, "Region parameter");
  http->add_option("--host", h.v2.host, "Host header and signed host (default address:port)");
  http->add_option("--sign", sign, "HmacSHA1 | HmacSHA256")
      ->check(CLI::IsMember({"HmacSHA1", "HmacSHA256"}));
  http->add_option("--method", method, "GET | POST")->check(CLI::IsMember({"GET", "POST"}));
  http->add_option("--password", h.v2.password, "password for SetOutBandVPNAuthPwd");
  http->add_option("--create-or-update", h.v2.create_or_update, "create | update");
  http->add_option("--timeout-ms", timeout_ms, "per-request timeout");

  RadiusLoadOptions r;
  std::string kind = "accept";
  double radius_timeout_ms = 2000;
  CLI::App* rad = app.add_subcommand("radius", "RADIUS load (Access-Request, Status-Server)");
  add_common(rad);
  rad->add_option("--secret", r.secret, "shared secret (default: OBVPN_BENCH_RADIUS_SECRET)");
  rad->add_option("--kind", kind, "accept | reject | status")
      ->check(CLI::IsMember({"accept", "reject", "status"}));
  rad->add_option("--user", r.user, "User-Name");
  rad->add_option("--password", r.password, "User-Password");
  rad->add_option("--concurrency", r.concurrency, "requests outstanding");
  rad->add_option("--timeout-ms", radius_timeout_ms, "per-request timeout");
  rad->add_flag("--require-reply-message-authenticator", r.require_reply_message_authenticator,
                "count a reply without Message-Authenticator as bad (obvpnd always sends it)");

  CLI11_PARSE(app, argc, argv);

  if (http->parsed()) {
    h.address = address;
    h.port = port;
    h.duration = std::chrono::duration<double>(duration);
    h.warmup = std::chrono::duration<double>(warmup);
    h.max_requests = max_requests;
    h.timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout_ms));
    h.mode = action == "plain" ? HttpMode::kPlain
             : action == "set" ? HttpMode::kSet
             : action == "mix" ? HttpMode::kMix
                               : HttpMode::kGet;
    h.v2.path = action == "plain" ? "/v2/index.php" : h.path;
    h.v2.post = method == "POST";
    h.v2.method = sign == "HmacSHA256" ? obvpn::http::signing::V2Method::kHmacSha256
                                       : obvpn::http::signing::V2Method::kHmacSha1;
    if (h.mode != HttpMode::kPlain) {
      if (!keys_file.empty()) {
        std::ifstream in(keys_file);
        if (!in) {
          std::cerr << "obvpn-bench: cannot read " << keys_file << "\n";
          return 2;
        }
        std::stringstream ss;
        ss << in.rdbuf();
        auto keys = ParseKeys(ss.str());
        if (!keys.ok()) {
          std::cerr << "obvpn-bench: " << keys_file << ": " << keys.status().message() << "\n";
          return 2;
        }
        h.keys = std::move(*keys);
      } else if (const char* id = std::getenv("TENCENTCLOUD_SECRET_ID")) {
        const char* key = std::getenv("TENCENTCLOUD_SECRET_KEY");
        if (key != nullptr) h.keys.push_back({0, id, key});
      }
    }
    return Report(label, RunHttpLoad(h), expect_success);
  }

  r.address = address;
  r.port = port;
  r.duration = std::chrono::duration<double>(duration);
  r.warmup = std::chrono::duration<double>(warmup);
  r.max_requests = max_requests;
  r.timeout = std::chrono::milliseconds(static_cast<int64_t>(radius_timeout_ms));
  r.kind = kind == "reject"   ? RadiusKind::kReject
           : kind == "status" ? RadiusKind::kStatus
                              : RadiusKind::kAccept;
  if (r.secret.empty()) {
    if (const char* s = std::getenv("OBVPN_BENCH_RADIUS_SECRET")) r.secret = s;
  }
  return Report(label, RunRadiusLoad(r), expect_success);
}
