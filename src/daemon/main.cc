// obvpnd: wires config → store → services → io_context (STYLE.md), prints one line per
// listener once ready (SPEC §8), and runs until SIGTERM/SIGINT (drain, exit 0). SIGHUP
// reloads the configuration file's zones, limits, log level and TLS certificate
// (app/reload.h); a bad new configuration is refused and the running one kept.
#include <sys/prctl.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "accounts/service.h"
#include "app/counting_store.h"
#include "app/data_dir_lock.h"
#include "app/log.h"
#include "app/metrics.h"
#include "app/periodic.h"
#include "app/reload.h"
#include "app/runtime.h"
#include "app/tls_reloader.h"
#include "auth/key_ring.h"
#include "auth/rate_limiter.h"
#include "auth/replay_cache.h"
#include "config/config.h"
#include "core/clock.h"
#include "http/admin_handler.h"
#include "http/api/router.h"
#include "http/api/v3/v3_api.h"
#include "http/server.h"
#include "password/hash_pool.h"
#include "radius/server/handler.h"
#include "radius/server/udp_server.h"
#include "store/account_presence.h"

namespace obvpn {
namespace {

namespace asio = boost::asio;

struct Flags {
  std::string config_file;
  std::string data_dir;
  std::string api_listen;
  std::string radius_listen;
  std::string admin_listen;
  bool check_config = false;
};

// Loads the file (or the defaults) and applies the command-line overrides.
Result<config::Config> LoadConfig(const Flags& f) {
  config::Config c;
  if (!f.config_file.empty()) {
    OBVPN_ASSIGN_OR_RETURN(c, config::LoadFile(f.config_file));
  } else {
    c = config::Defaults();
  }
  if (!f.data_dir.empty()) c.data_dir = f.data_dir;
  if (!f.api_listen.empty()) c.api.listen = f.api_listen;
  if (!f.radius_listen.empty()) c.radius.listen = f.radius_listen;
  if (!f.admin_listen.empty()) c.admin.listen = f.admin_listen;
  OBVPN_RETURN_IF_ERROR(config::Validate(c, f.config_file.empty() ? "flags" : f.config_file));
  return c;
}

std::string EndpointString(const asio::ip::tcp::endpoint& ep) {
  std::string h = ep.address().to_string();
  if (ep.address().is_v6()) h = "[" + h + "]";
  return h + ":" + std::to_string(ep.port());
}

// Logs and counts every RADIUS decision (SPEC §8: one structured line per request;
// RADIUS accepts/rejects/drops by reason). Lines for dropped datagrams are capped per
// second, because anyone who can reach the port can send them: a flood must not turn
// into a flood of log lines (each one is still counted).
class RadiusObserver final : public radius::Observer {
 public:
  RadiusObserver(app::Metrics& metrics, const Clock& clock) : metrics_(metrics), clock_(clock) {}

  void OnDecision(const radius::Decision& d) override {
    const radius::Verdict verdict = d.verdict();
    const std::string_view reason = d.label();
    // The reasons are fixed names (radius::ReasonName, DiscardReasonName): no escaping.
    // A per-thread buffer, so a decision allocates nothing here after the first.
    thread_local std::string labels;
    labels.assign("reason=\"").append(reason).append("\"");
    switch (verdict) {
      case radius::Verdict::kAccept:
        metrics_.Add("obvpn_radius_accepts_total", "");
        break;
      case radius::Verdict::kReject:
        metrics_.Add("obvpn_radius_rejects_total", labels);
        break;
      case radius::Verdict::kDrop:
        metrics_.Add("obvpn_radius_drops_total", labels);
        break;
      case radius::Verdict::kRespond:
        metrics_.Add("obvpn_radius_responses_total", labels);
        break;
      case radius::Verdict::kResend:
        metrics_.Add("obvpn_radius_duplicates_total", "");
        break;
    }
    if (verdict == radius::Verdict::kDrop && !AllowDropLine()) {
      metrics_.Add("obvpn_radius_log_lines_suppressed_total", "");
      return;
    }
    const app::LogLevel level =
        verdict == radius::Verdict::kDrop ? app::LogLevel::kWarn : app::LogLevel::kInfo;
    if (!app::LogEnabled(level)) return;
    // Written as text, not through a JSON DOM: one line per request (docs/performance.md).
    thread_local app::LogFields f;  // reused: its buffer keeps its capacity
    f.Clear();
    // A request id per decision, as for API requests, so an operator can quote one line.
    f.Add("request_id", http::NewRequestId())
        .Add("listener", radius::ListenerName(d.listener))
        .Add("peer", d.peer.ToString())
        .Add("verdict", radius::VerdictName(verdict))
        .Add("reason", reason)
        .Add("latency_us", static_cast<int64_t>(d.latency.count()));
    if (!d.client.empty()) f.Add("client", d.client);
    if (d.code) f.Add("code", radius::CodeName(*d.code));
    if (d.code) f.Add("identifier", static_cast<unsigned>(d.identifier));
    if (d.app_id != 0) f.Add("app_id", d.app_id);
    if (!d.detail.empty()) f.Add("detail", d.detail);
    app::LogLine(level, "radius", f);
  }

  void OnClientsLoaded(size_t clients, const std::vector<std::string>& problems) override {
    app::Log(app::LogLevel::kInfo, "radius_clients_loaded", {{"clients", clients}});
    for (const std::string& p : problems) {
      app::Log(app::LogLevel::kError, "radius_client_skipped", {{"error", p}});
    }
  }

  void OnMessageAuthenticatorRequired(const std::string& client) override {
    app::Log(app::LogLevel::kInfo, "radius_message_authenticator_required", {{"client", client}});
  }

 private:
  static constexpr int kDropLinesPerSecond = 100;

  bool AllowDropLine() {
    std::lock_guard lock(mu_);
    const int64_t now = clock_.MonotonicNanos() / 1'000'000'000;
    if (now != window_) {
      window_ = now;
      lines_ = 0;
    }
    return ++lines_ <= kDropLinesPerSecond;
  }

  app::Metrics& metrics_;
  const Clock& clock_;
  std::mutex mu_;
  int64_t window_ = -1;  // guarded by mu_
  int lines_ = 0;        // guarded by mu_
};

// SPEC §8: "Port 0 picks a free port". The accounting listener defaults to 1813 beside
// 1812; when authentication asks for a free port and accounting was left at its default,
// accounting gets its own free port on the same host instead of a fixed 1813 (so tests and
// several instances on one machine do not collide).
std::string AccountingListen(const config::RadiusConfig& r) {
  auto auth = config::SplitHostPort(r.listen);
  if (!auth.ok() || auth->second != 0) return r.accounting_listen;
  if (r.accounting_listen != config::RadiusConfig{}.accounting_listen) return r.accounting_listen;
  const std::string& host = auth->first;
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":0";
}

// HELP and TYPE of every family obvpnd reports outside a callback (docs/operations.md
// "Monitor" lists them with alert suggestions).
void DescribeMetrics(app::Metrics& m) {
  using Type = app::Metrics::Type;
  m.Describe("obvpn_build_info", Type::kGauge, "The version of this obvpnd; always 1.");
  m.Describe("process_start_time_seconds", Type::kGauge,
             "Start time of the process since the UNIX epoch in seconds.");
  m.Describe("obvpn_api_requests_total", Type::kCounter,
             "API requests by API version, action and result code (the API 2.0 code; 0 = "
             "success).");
  m.Describe("obvpn_api_request_duration_seconds", Type::kHistogram,
             "API request latency by API version and action.");
  m.Describe("obvpn_radius_accepts_total", Type::kCounter, "RADIUS Access-Accepts.");
  m.Describe("obvpn_radius_rejects_total", Type::kCounter, "RADIUS Access-Rejects by reason.");
  m.Describe("obvpn_radius_drops_total", Type::kCounter,
             "RADIUS datagrams discarded without a reply, by reason.");
  m.Describe("obvpn_radius_responses_total", Type::kCounter,
             "RADIUS Accounting-Responses and Status-Server answers, by reason.");
  m.Describe("obvpn_radius_duplicates_total", Type::kCounter,
             "RADIUS retransmissions answered from the reply cache.");
  m.Describe("obvpn_radius_log_lines_suppressed_total", Type::kCounter,
             "RADIUS drop log lines left out by the per-second cap (still counted).");
  m.Describe("obvpn_store_errors_total", Type::kCounter,
             "Store operations that failed (unreachable, busy, corrupt), by Store method.");
  m.Describe("obvpn_hash_pool_wait_seconds", Type::kHistogram,
             "Time password hash jobs waited in the queue for a worker.");
  m.Describe("obvpn_config_reloads_total", Type::kCounter,
             "Configuration reloads (SIGHUP) by result.");
  m.Describe("obvpn_config_last_reload_success_timestamp_seconds", Type::kGauge,
             "Time of the last successful configuration reload, UNIX seconds.");
}

int Fatal(const std::string& what) {
  std::cerr << "obvpnd: " << what << "\n";
  return 1;
}

int Run(const Flags& flags) {
  auto loaded = LoadConfig(flags);
  if (!loaded.ok()) return Fatal(loaded.status().message());
  if (flags.check_config) {
    std::cout << "obvpnd: configuration OK\n";
    return 0;
  }
  // A credential service: no core dumps, no ptrace by other users (issue: secrets hygiene).
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  auto cfg = std::make_shared<const config::Config>(std::move(*loaded));
  if (auto lvl = app::ParseLogLevel(cfg->log.level); lvl.ok()) app::SetLogLevel(*lvl);

  std::shared_ptr<asio::ssl::context> tls;
  if (!cfg->api.tls_cert.empty()) {
    auto ctx = http::MakeTlsContext(cfg->api.tls_cert, cfg->api.tls_key);
    if (!ctx.ok()) return Fatal(ctx.status().message());
    tls = *ctx;
  }
  // Held for the life of the process: obvpnctl restore and rotate-master-key refuse to
  // run on this data directory meanwhile (app/data_dir_lock.h).
  auto dir_lock = app::DataDirLock::Acquire(cfg->data_dir, app::DataDirLock::Mode::kShared);
  if (!dir_lock.ok()) return Fatal(dir_lock.status().message());

  // Declared before everything that reports to it, so it outlives them all.
  app::Metrics metrics;
  auto rt = app::OpenRuntime(*cfg);
  if (!rt.ok()) return Fatal(rt.status().message());
  for (const std::string& w : rt->warnings) {
    app::Log(app::LogLevel::kWarn, "insecure_permissions", {{"detail", w}});
  }
  if (rt->created_master_key) {
    app::Log(app::LogLevel::kInfo, "master_key_created", {{"path", cfg->MasterKeyPath()}});
  }
  if (rt->used_old_master_key) {
    app::Log(app::LogLevel::kWarn, "master_key_rotation_incomplete",
             {{"path", cfg->MasterKeyPath() + std::string(app::kOldMasterKeySuffix)},
              {"detail",
               "the database is still sealed with the previous master key; stop "
               "obvpnd and run obvpnctl rotate-master-key again"}});
  }
  // SPEC §8 "store errors": every failed store call, by method.
  rt->store =
      app::MakeCountingStore(std::move(rt->store), [&metrics](std::string_view op, const Status&) {
        metrics.Add("obvpn_store_errors_total", app::Metrics::Labels({{"op", op}}));
      });

  const Clock& clock = SystemClock::Instance();
  http::api::ConfigHolder config_holder(cfg);
  auth::KeyRing keys(*rt->store, *rt->box);
  auth::ReplayCache replay;
  // SPEC §6: with several nodes (PostgreSQL) the rate limits count in the shared store.
  auth::RateLimiter limiter(clock, rt->shared_limits.get());
  // "Has an account?" in memory, for be_first and RADIUS rejects (store/account_presence.h),
  // with the embedded store only: there this node makes every account change itself (or
  // sees it through Generation()), and the answer is exact. With several nodes each Get
  // asks the shared store, so be_first is never stale across nodes and a store outage
  // reads as 9001, as an operator of a cluster expects (docs/deployment.md).
  std::optional<store::AccountPresence> presence;
  if (cfg->store.kind == "sqlite") presence.emplace(*rt->store);
  store::AccountPresence* const presence_ptr = presence ? &*presence : nullptr;
  accounts::Service service(*rt->store, clock,
                            {cfg->password.argon2_memory_kib, cfg->password.argon2_iterations},
                            presence_ptr);
  password::HashPool pool(cfg->password.hash_workers, cfg->password.hash_queue,
                          cfg->password.hash_priority == "idle"
                              ? password::HashPool::Priority::kIdle
                              : password::HashPool::Priority::kLow);
  pool.SetWaitObserver([&metrics](std::chrono::nanoseconds waited) {
    metrics.Observe("obvpn_hash_pool_wait_seconds", "",
                    std::chrono::duration<double>(waited).count());
  });

  http::api::ApiDeps deps{config_holder, keys, replay, limiter, service, pool, clock};
  http::api::Router router(deps);

  const size_t threads =
      cfg->api.io_threads ? cfg->api.io_threads : std::max(1u, std::thread::hardware_concurrency());
  asio::io_context io(static_cast<int>(threads));

  auto access_log = [&metrics](const http::Request& req, const http::Response& resp,
                               std::chrono::microseconds latency) {
    // Label values come from a fixed set, so a client cannot grow the series count.
    std::string action = "none";
    if (!resp.log.action.empty()) {
      action = resp.log.action == http::api::kActionGetAuthInfo ||
                       resp.log.action == http::api::kActionSetPassword ||
                       resp.log.action == http::api::kV3ActionSetPassword
                   ? resp.log.action
                   : "other";
    }
    metrics.ObserveRequest(resp.log.api.empty() ? "none" : resp.log.api, action, resp.log.code,
                           static_cast<double>(latency.count()) / 1e6);
    if (!app::LogEnabled(app::LogLevel::kInfo)) return;
    // Written as text, not through a JSON DOM: one line per request (docs/performance.md).
    thread_local app::LogFields f;  // reused: its buffer keeps its capacity
    f.Clear();
    f.Add("request_id", req.request_id)
        .Add("peer", req.peer)
        .Add("method", req.method)
        .Add("path", req.path)
        .Add("status", resp.status)
        .Add("latency_us", static_cast<int64_t>(latency.count()));
    if (!resp.log.api.empty()) f.Add("api", resp.log.api);
    if (!resp.log.action.empty()) f.Add("action", resp.log.action);
    if (resp.log.app_id != 0) f.Add("app_id", resp.log.app_id);
    if (!resp.log.secret_id.empty()) f.Add("secret_id", resp.log.secret_id);
    f.Add("code", resp.log.code);
    if (!resp.log.error.empty()) f.Add("error", resp.log.error);
    if (!resp.log.detail.empty()) f.Add("detail", resp.log.detail);
    app::LogLine(app::LogLevel::kInfo, "request", f);
  };

  // Lets SIGHUP swap the certificate under the running listener (app/tls_reloader.h).
  std::optional<app::TlsReloader> tls_reloader;
  if (tls) tls_reloader.emplace(tls);

  http::ServerOptions api_opts;
  api_opts.max_header_bytes = cfg->api.max_header_bytes;
  api_opts.max_connections = cfg->api.max_connections;
  api_opts.idle_timeout = std::chrono::seconds(cfg->api.idle_timeout_s);
  api_opts.read_timeout = std::chrono::seconds(cfg->api.read_timeout_s);
  api_opts.single_threaded = threads == 1;
  http::Server api_server(io, api_opts, router, tls, access_log);

  // RADIUS (SPEC §5): the decisions in radius::RequestHandler, argon2id on the shared
  // hash pool, one UDP socket each for authentication and accounting.
  RadiusObserver radius_observer(metrics, clock);
  radius::HandlerOptions radius_opts;
  radius_opts.check.max_packet_bytes = cfg->radius.max_packet_bytes;
  radius_opts.check.max_attributes = cfg->radius.max_attributes;
  radius_opts.throttle.max_failures = cfg->radius.max_failures;
  radius_opts.throttle.window_ns = cfg->radius.failure_window_s * 1'000'000'000;
  radius_opts.throttle.lockout_ns = cfg->radius.lockout_s * 1'000'000'000;
  radius_opts.throttle.shared = rt->shared_limits.get();  // cluster-wide lockouts
  radius_opts.throttle.clock = &clock;
  radius_opts.max_sessions_per_tenant = cfg->radius.max_sessions_per_tenant;
  radius_opts.duplicate_window = std::chrono::seconds(cfg->radius.duplicate_cache_s);
  radius_opts.presence = presence_ptr;
  radius::RequestHandler radius_handler(
      *rt->store, *rt->box, clock,
      [&pool](std::function<void()> job) { return pool.TrySubmit(std::move(job)); },
      &radius_observer, radius_opts);
  if (Status s = radius_handler.Refresh(); !s.ok()) {
    // The maintenance thread retries; until then no client is known and every datagram drops.
    app::Log(app::LogLevel::kError, "radius_clients_load_failed", {{"error", s.message()}});
  }
  radius::UdpServer radius_auth(io, radius_handler, radius::Listener::kAuthentication);
  radius::UdpServer radius_acct(io, radius_handler, radius::Listener::kAccounting);

  // /readyz (SPEC §8): every listener is up, the server is not draining, and the store
  // answers. A load balancer takes the node out of rotation as soon as one fails.
  std::atomic<bool> listening{false};
  http::AdminHandler admin_handler(
      [&metrics] { return metrics.Render(); },
      [&] { return listening.load() && !api_server.Draining() && rt->store->Generation().ok(); });
  http::ServerOptions admin_opts;
  admin_opts.name = "admin";
  admin_opts.max_connections = 64;
  http::Server admin_server(io, admin_opts, admin_handler, nullptr, nullptr);

  DescribeMetrics(metrics);
  metrics.Set("obvpn_build_info", app::Metrics::Labels({{"version", app::BuildVersion()}}), 1);
  metrics.Set("process_start_time_seconds", "", static_cast<double>(clock.NowUnix()));
  using Type = app::Metrics::Type;
  auto gauge = [](auto read) {
    return [read]() -> std::optional<double> { return static_cast<double>(read()); };
  };
  metrics.AddCallback("obvpn_hash_pool_queue_depth", Type::kGauge,
                      "Password hash jobs waiting for a worker.",
                      gauge([&pool] { return pool.queue_depth(); }));
  metrics.AddCallback("obvpn_hash_pool_workers", Type::kGauge, "Password hash worker threads.",
                      gauge([&pool] { return pool.workers(); }));
  metrics.AddCallback("obvpn_log_lines_dropped_total", Type::kCounter,
                      "Log lines dropped because stderr was not read fast enough.",
                      gauge([] { return app::LogLinesDropped(); }));
  metrics.AddCallback("obvpn_http_connections_active", Type::kGauge, "Open API connections.",
                      gauge([&] { return api_server.stats().connections_active.load(); }));
  metrics.AddCallback("obvpn_http_connections_rejected_total", Type::kCounter,
                      "API connections refused over the connection cap.",
                      gauge([&] { return api_server.stats().connections_rejected.load(); }));
  metrics.AddCallback("obvpn_replay_cache_entries", Type::kGauge, "Live replay claims in memory.",
                      gauge([&replay] { return replay.size(); }));
  metrics.AddCallback("obvpn_radius_clients", Type::kGauge, "RADIUS clients in use.",
                      gauge([&radius_handler] { return radius_handler.clients(); }));
  metrics.AddCallback("obvpn_radius_throttled_accounts", Type::kGauge,
                      "Accounts with recent RADIUS failures or a lockout in memory.",
                      gauge([&] { return radius_handler.throttled_accounts(); }));
  metrics.AddCallback("obvpn_radius_cached_replies", Type::kGauge,
                      "RADIUS replies kept for retransmissions (RFC 5080).",
                      gauge([&] { return radius_handler.cached_replies(); }));
  metrics.AddCallback("obvpn_radius_auth_datagrams_total", Type::kCounter,
                      "Datagrams received on the RADIUS authentication port.",
                      gauge([&] { return radius_auth.stats().datagrams_received.load(); }));
  metrics.AddCallback("obvpn_radius_acct_datagrams_total", Type::kCounter,
                      "Datagrams received on the RADIUS accounting port.",
                      gauge([&] { return radius_acct.stats().datagrams_received.load(); }));
  // Read from the store at scrape time (shared by every node of a cluster); left out of
  // a scrape when the store does not answer.
  metrics.AddCallback("obvpn_vpn_sessions_active", Type::kGauge,
                      "Active VPN sessions of all tenants (RADIUS accounting).",
                      [&rt]() -> std::optional<double> {
                        auto n = rt->store->CountAllActiveSessions();
                        if (!n.ok()) return std::nullopt;
                        return static_cast<double>(*n);
                      });

  auto listen = [](http::Server& s, const std::string& what,
                   const std::string& addr) -> Result<std::string> {
    auto hp = config::SplitHostPort(addr);
    if (!hp.ok()) return InvalidArgument(what + ".listen: " + hp.status().message());
    auto ep = s.Listen(hp->first, hp->second);
    if (!ep.ok()) return Status(ep.status().code(), what + ": " + ep.status().message());
    return EndpointString(*ep);
  };
  auto listen_udp = [](radius::UdpServer& s, const std::string& what,
                       const std::string& addr) -> Result<std::string> {
    auto hp = config::SplitHostPort(addr);
    if (!hp.ok()) return InvalidArgument(what + ": " + hp.status().message());
    auto ep = s.Listen(hp->first, hp->second);
    if (!ep.ok()) return Status(ep.status().code(), what + ": " + ep.status().message());
    return radius::EndpointString(*ep);
  };
  auto radius_ep = listen_udp(radius_auth, "radius.listen", cfg->radius.listen);
  if (!radius_ep.ok()) return Fatal(radius_ep.status().message());
  auto radius_acct_ep =
      listen_udp(radius_acct, "radius.accounting_listen", AccountingListen(cfg->radius));
  if (!radius_acct_ep.ok()) return Fatal(radius_acct_ep.status().message());
  auto api_ep = listen(api_server, "api", cfg->api.listen);
  if (!api_ep.ok()) return Fatal(api_ep.status().message());
  auto admin_ep = listen(admin_server, "admin", cfg->admin.listen);
  if (!admin_ep.ok()) return Fatal(admin_ep.status().message());
  listening = true;

  // Refresh cached keys within a second of an obvpnctl change; purge old replay claims.
  // Store failures here are counted by the CountingStore (obvpn_store_errors_total).
  // On a thread of its own, so a slow store call never holds up an I/O thread.
  int64_t last_purge = 0;
  app::Periodic maintenance("obvpn-maint", std::chrono::milliseconds(250), [&] {
    (void)keys.Refresh();
    if (presence) (void)presence->Refresh();
    // RADIUS clients added or removed with obvpnctl apply within a second (SPEC §8).
    (void)radius_handler.Refresh();
    const int64_t now = clock.NowUnix();
    if (now - last_purge >= 60) {
      last_purge = now;
      replay.Purge(now);
      (void)rt->store->PurgeReplay(now);
      if (rt->shared_limits) (void)rt->shared_limits->PurgeLimits(now);
    }
  });

  // SIGHUP (SPEC §8, app/reload.h): the whole new configuration is validated — file,
  // flags, TLS files — before any of it is applied; on any error the running one stays.
  std::shared_ptr<const config::Config> running = cfg;
  auto reload = [&]() -> Status {
    OBVPN_ASSIGN_OR_RETURN(config::Config next, LoadConfig(flags));
    OBVPN_RETURN_IF_ERROR(app::CheckReloadable(*running, next));
    OBVPN_ASSIGN_OR_RETURN(app::LogLevel level, app::ParseLogLevel(next.log.level));
    std::shared_ptr<asio::ssl::context> next_tls;
    if (!next.api.tls_cert.empty()) {
      OBVPN_ASSIGN_OR_RETURN(next_tls, http::MakeTlsContext(next.api.tls_cert, next.api.tls_key));
    }
    const std::vector<std::string> restart = app::RestartOnlyChanges(*running, next);
    // Applied from here on; nothing below can fail.
    auto applied = std::make_shared<const config::Config>(std::move(next));
    config_holder.Set(applied);
    app::SetLogLevel(level);
    if (next_tls && tls_reloader) tls_reloader->Replace(std::move(next_tls));
    running = applied;
    if (!restart.empty()) {
      app::Log(app::LogLevel::kWarn, "reload_restart_required",
               {{"keys", restart},
                {"detail", "these settings keep their running values until obvpnd restarts"}});
    }
    app::Log(app::LogLevel::kInfo, "reloaded",
             {{"zones", applied->zones.size()}, {"tls", tls_reloader.has_value()}});
    return Status::Ok();
  };

  asio::signal_set signals(io, SIGTERM, SIGINT, SIGHUP);
  std::function<void()> wait_signal = [&] {
    signals.async_wait([&](boost::system::error_code ec, int sig) {
      if (ec) return;
      if (sig == SIGHUP) {
        if (Status s = reload(); !s.ok()) {
          metrics.Add("obvpn_config_reloads_total", app::Metrics::Labels({{"result", "failed"}}));
          app::Log(app::LogLevel::kError, "reload_failed",
                   {{"error", s.message()}, {"detail", "the running configuration is kept"}});
        } else {
          metrics.Add("obvpn_config_reloads_total", app::Metrics::Labels({{"result", "ok"}}));
          metrics.Set("obvpn_config_last_reload_success_timestamp_seconds", "",
                      static_cast<double>(clock.NowUnix()));
        }
        wait_signal();
        return;
      }
      app::Log(app::LogLevel::kInfo, "shutdown", {{"signal", sig}});
      api_server.Shutdown();
      admin_server.Shutdown();
      radius_auth.Shutdown();
      radius_acct.Shutdown();
      maintenance.Stop();
    });
  };
  wait_signal();

  std::cout << "obvpnd: radius listening on " << *radius_ep << "\n"
            << "obvpnd: radius-acct listening on " << *radius_acct_ep << "\n"
            << "obvpnd: api listening on " << *api_ep << "\n"
            << "obvpnd: admin listening on " << *admin_ep << "\n"
            << std::flush;
  app::Log(app::LogLevel::kInfo, "started",
           {{"api", *api_ep},
            {"admin", *admin_ep},
            {"radius", *radius_ep},
            {"radius_acct", *radius_acct_ep},
            {"tls", tls != nullptr},
            {"data_dir", cfg->data_dir}});

  std::vector<std::thread> workers;
  for (size_t i = 1; i < threads; ++i) workers.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : workers) t.join();
  app::Log(app::LogLevel::kInfo, "stopped", {});
  (void)app::FlushLogs();
  return 0;
}

}  // namespace
}  // namespace obvpn

int main(int argc, char** argv) {
  obvpn::Flags flags;
  CLI::App app{"obvpnd: out-of-band VPN account service"};
  app.add_option("--config", flags.config_file, "TOML configuration file");
  app.add_option("--data-dir", flags.data_dir, "data directory (database, master key)");
  app.add_option("--api-listen", flags.api_listen, "HOST:PORT of the API (port 0: any free)");
  app.add_option("--radius-listen", flags.radius_listen, "HOST:PORT of RADIUS authentication");
  app.add_option("--admin-listen", flags.admin_listen, "HOST:PORT of /healthz and /metrics");
  app.add_flag("--check-config", flags.check_config, "validate the configuration and exit");
  CLI11_PARSE(app, argc, argv);
  std::signal(SIGPIPE, SIG_IGN);
  // Files obvpnd creates (database, WAL, master key) are the owner's alone.
  ::umask(077);
  try {
    return obvpn::Run(flags);
  } catch (const std::exception& e) {
    std::cerr << "obvpnd: fatal: " << e.what() << "\n";
    return 1;
  }
}
