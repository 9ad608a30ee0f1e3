// Reload: what SIGHUP can apply and what needs a restart.
#include "app/reload.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "app/test_util.h"

namespace obvpn::app {
namespace {

using testing::HasCode;
using testing::IsOk;

TEST(Reload, IdenticalConfigsNeedNoRestart) {
  EXPECT_TRUE(RestartOnlyChanges(config::Defaults(), config::Defaults()).empty());
}

TEST(Reload, ReloadableChangesNeedNoRestart) {
  config::Config next = config::Defaults();
  next.zones.push_back({1000400001, "sh", "192.0.2.1:443"});
  next.limits.v2_per_app_per_minute = 1;
  next.log.level = "debug";
  next.api.hosts = {"api.example"};
  next.api.timestamp_window_s = 60;
  next.api.max_params = 10;
  EXPECT_TRUE(RestartOnlyChanges(config::Defaults(), next).empty());
}

TEST(Reload, NamesEveryRestartOnlyChange) {
  const struct {
    const char* key;
    std::function<void(config::Config&)> change;
  } kCases[] = {
      {"data_dir", [](config::Config& c) { c.data_dir = "/elsewhere"; }},
      {"api.listen", [](config::Config& c) { c.api.listen = "127.0.0.1:1"; }},
      {"api.io_threads", [](config::Config& c) { c.api.io_threads = 3; }},
      {"radius.max_failures", [](config::Config& c) { c.radius.max_failures = 3; }},
      {"admin.listen", [](config::Config& c) { c.admin.listen = "127.0.0.1:2"; }},
      {"password.hash_workers", [](config::Config& c) { c.password.hash_workers = 9; }},
      {"password.hash_priority", [](config::Config& c) { c.password.hash_priority = "idle"; }},
      {"store.kind", [](config::Config& c) { c.store.kind = "postgres"; }},
      {"secrets.master_key_file", [](config::Config& c) { c.secrets.master_key_file = "/k"; }},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.key);
    config::Config next = config::Defaults();
    c.change(next);
    EXPECT_EQ(RestartOnlyChanges(config::Defaults(), next), std::vector<std::string>{c.key});
  }
}

TEST(Reload, NewCertificatePathsAreReloadable) {
  config::Config running = config::Defaults();
  running.api.tls_cert = "/a.pem";
  running.api.tls_key = "/a.key";
  config::Config next = running;
  next.api.tls_cert = "/b.pem";
  next.api.tls_key = "/b.key";
  EXPECT_TRUE(IsOk(CheckReloadable(running, next)));
  EXPECT_TRUE(RestartOnlyChanges(running, next).empty());
}

TEST(Reload, EnablingTlsIsRefused) {
  config::Config next = config::Defaults();
  next.api.tls_cert = "/a.pem";
  next.api.tls_key = "/a.key";
  EXPECT_TRUE(HasCode(CheckReloadable(config::Defaults(), next), StatusCode::kInvalidArgument));
}

TEST(Reload, DisablingTlsIsRefused) {
  config::Config running = config::Defaults();
  running.api.tls_cert = "/a.pem";
  running.api.tls_key = "/a.key";
  EXPECT_TRUE(HasCode(CheckReloadable(running, config::Defaults()), StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace obvpn::app
