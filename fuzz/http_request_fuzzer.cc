// libFuzzer target: the HTTP request path (cpp-httplib's fuzz seam idea). Bytes go through
// the same Beast request parser and limits the server uses, into the real API router
// (API 2.0 and 3.0 front ends, key ring, replay cache, rate limiter, actions, hash pool,
// SQLite store) — everything but the socket. A known tenant and key, and a fixed clock,
// let signed seeds reach the actions. Invariants: no crash; every response is 200, 404 or
// 413, and a 200 body is a JSON object.
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "accounts/service.h"
#include "auth/key_ring.h"
#include "auth/rate_limiter.h"
#include "auth/replay_cache.h"
#include "config/config.h"
#include "core/clock.h"
#include "crypto/crypto.h"
#include "crypto/secret_box.h"
#include "http/api/router.h"
#include "http/message.h"
#include "password/hash_pool.h"
#include "store/sqlite_store.h"

namespace {

using namespace obvpn;
namespace bhttp = boost::beast::http;

// The seeds in tests/testdata/fuzz/http_request are signed with this tenant's key at
// this time.
constexpr uint64_t kAppId = 1251001002;
constexpr std::string_view kSecretId = "AKIDfuzz0000000000000000000000000000";
constexpr std::string_view kSecretKey = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz";
constexpr int64_t kNow = 1700000000;

struct World {
  std::filesystem::path dir;
  FakeClock clock{kNow};
  std::unique_ptr<store::Store> store;
  std::unique_ptr<crypto::SecretBox> box;
  std::unique_ptr<http::api::ConfigHolder> config;
  std::unique_ptr<auth::KeyRing> keys;
  auth::ReplayCache replay;
  std::unique_ptr<auth::RateLimiter> limiter;
  std::unique_ptr<accounts::Service> service;
  std::unique_ptr<password::HashPool> pool;
  std::unique_ptr<http::api::Router> router;

  World() {
    dir = std::filesystem::temp_directory_path() / ("obvpn-fuzz-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::move(store::OpenSqliteStore({(dir / "obvpn.db").string()})).value();
    box = std::make_unique<crypto::SecretBox>(
        std::move(*crypto::SecretBox::FromKey(crypto::Secret(crypto::RandomBytes(32)))));
    (void)store->AddTenant(kAppId, kNow);
    store::ApiKey k;
    k.secret_id = std::string(kSecretId);
    k.app_id = kAppId;
    k.sealed_secret_key = box->Seal(kSecretKey, kSecretId);
    k.created_at = kNow;
    (void)store->AddKey(k);
    auto cfg = std::make_shared<config::Config>(config::Defaults());
    cfg->limits.v2_per_action_per_minute = 1u << 30;
    cfg->limits.v2_per_app_per_minute = 1u << 30;
    cfg->limits.v3_per_second = 1u << 30;
    config = std::make_unique<http::api::ConfigHolder>(cfg);
    keys = std::make_unique<auth::KeyRing>(*store, *box);
    limiter = std::make_unique<auth::RateLimiter>(clock);
    // The cheapest argon2id, so Set requests stay fast under fuzzing.
    service = std::make_unique<accounts::Service>(*store, clock, password::HashParams{8, 1});
    pool = std::make_unique<password::HashPool>(1, 64);
    router = std::make_unique<http::api::Router>(
        http::api::ApiDeps{*config, *keys, replay, *limiter, *service, *pool, clock});
  }
};

// A named coroutine (not a lambda: GCC 12 mangles coroutine lambdas inside extern "C"
// functions into clashing symbols).
boost::asio::awaitable<void> HandleInto(http::api::Router& router, http::Request& req,
                                        http::Response& out) {
  out = co_await router.Handle(req);
}

World& TheWorld() {
  static World* w = new World();  // never destroyed: libFuzzer exits without unwinding
  return *w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& w = TheWorld();
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;

  http::Request req;
  const auto& m = parser.get();
  req.method = std::string(m.method_string());
  req.target = std::string(m.target());
  http::SplitTarget(req.target, req.path, req.query);
  for (const auto& f : m) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers.emplace_back(std::move(name), std::string(f.value()));
  }
  if (const std::string* h = req.Header("host")) req.host = *h;
  if (const std::string* ct = req.Header("content-type")) req.content_type = *ct;
  req.body = m.body();
  req.peer = "127.0.0.1:1";
  req.request_id = "00000000-0000-4000-8000-000000000000";

  http::Response resp;
  if (req.body.size() > w.router->BodyLimit(req.path)) {
    resp = w.router->TooLarge(req, w.router->BodyLimit(req.path));
  } else {
    boost::asio::io_context io;
    boost::asio::co_spawn(io, HandleInto(*w.router, req, resp), boost::asio::detached);
    io.run();
  }
  if (std::getenv("OBVPN_FUZZ_VERBOSE") != nullptr) {
    std::fprintf(stderr, "%u %s\n", resp.status, resp.body.c_str());
  }
  if (resp.status != 200 && resp.status != 404 && resp.status != 413) std::abort();
  if (resp.status == 200) {
    auto j = nlohmann::json::parse(resp.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) std::abort();
  }
  return 0;
}
