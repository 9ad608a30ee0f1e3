#include "config/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace obvpn::config {
namespace {

constexpr std::string_view kName = "obvpn.toml";

Result<Config> Load(std::string_view text) { return LoadString(text, kName); }

// Asserts that `text` is refused with InvalidArgument naming the file and `key`.
void ExpectRejected(std::string_view text, std::string_view key) {
  SCOPED_TRACE(std::string(text));
  auto c = Load(text);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  const std::string& m = c.status().message();
  EXPECT_EQ(m.rfind(std::string(kName) + ":", 0), 0u) << m;
  EXPECT_NE(m.find("'" + std::string(key) + "'"), std::string::npos) << m;
}

void ExpectAccepted(std::string_view text) {
  SCOPED_TRACE(std::string(text));
  auto c = Load(text);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
}

TEST(Defaults, MatchSpec) {
  const Config c = Defaults();
  EXPECT_EQ(c.source, "");
  EXPECT_EQ(c.data_dir, "./var");
  EXPECT_EQ(c.api.listen, "127.0.0.1:8080");
  EXPECT_EQ(c.radius.listen, "127.0.0.1:1812");
  EXPECT_EQ(c.radius.accounting_listen, "127.0.0.1:1813");
  EXPECT_EQ(c.admin.listen, "127.0.0.1:9090");
  EXPECT_EQ(c.api.timestamp_window_s, 300);
  EXPECT_EQ(c.api.max_header_bytes, 16u * 1024);
  EXPECT_EQ(c.api.max_body_bytes, 64u * 1024);
  EXPECT_EQ(c.api.max_json_body_bytes, 1024u * 1024);
  EXPECT_EQ(c.api.max_params, 100u);
  EXPECT_EQ(c.radius.max_packet_bytes, 4096u);
  EXPECT_EQ(c.password.argon2_memory_kib, 19456u);
  EXPECT_EQ(c.password.argon2_iterations, 2u);
  EXPECT_EQ(c.store.kind, "sqlite");
  EXPECT_EQ(c.limits.v2_per_action_per_minute, 100u);
  EXPECT_EQ(c.limits.v2_per_app_per_minute, 1000u);
  EXPECT_EQ(c.limits.v3_per_second, 5u);
  EXPECT_EQ(c.log.level, "info");
  EXPECT_EQ(c.password.hash_priority, "low");
  ASSERT_EQ(c.zones.size(), 1u);
  EXPECT_EQ(c.zones[0].id, 1000100003u);
  EXPECT_EQ(c.zones[0].region, "gz");
  EXPECT_EQ(c.zones[0].vpn_gateway, "115.159.242.100:443");
}

TEST(Defaults, PassValidate) {
  const Status s = Validate(Defaults(), "defaults");
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(Defaults, DerivedPathsUseDataDir) {
  const Config c = Defaults();
  EXPECT_EQ(c.MasterKeyPath(), "./var/master.key");
  EXPECT_EQ(c.DatabasePath(), "./var/obvpn.db");
}

TEST(Config, DerivedPathsDoNotDoubleTheSlash) {
  Config c = Defaults();
  c.data_dir = "/srv/obvpn/";
  EXPECT_EQ(c.DatabasePath(), "/srv/obvpn/obvpn.db");
  EXPECT_EQ(c.MasterKeyPath(), "/srv/obvpn/master.key");
}

TEST(Config, MasterKeyFileOverridesDataDir) {
  Config c = Defaults();
  c.secrets.master_key_file = "/etc/obvpn/master.key";
  EXPECT_EQ(c.MasterKeyPath(), "/etc/obvpn/master.key");
}

TEST(LoadString, EmptyTextGivesDefaults) {
  auto c = Load("");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->api.listen, Defaults().api.listen);
  EXPECT_EQ(c->source, "");
  ASSERT_EQ(c->zones.size(), 1u);
  EXPECT_EQ(c->zones[0].id, 1000100003u);
}

TEST(LoadString, NoZoneGivesDemoZone) {
  auto c = Load("data_dir = \"/tmp/x\"\n[api]\nlisten = \"0.0.0.0:80\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->zones.size(), 1u);
  EXPECT_EQ(c->zones[0].id, 1000100003u);
  EXPECT_EQ(c->zones[0].region, "gz");
  EXPECT_EQ(c->zones[0].vpn_gateway, "115.159.242.100:443");
}

TEST(LoadString, ZonesReplaceDemoZone) {
  auto c = Load("[[zone]]\nid = 1000800001\nregion = \"bj\"\nvpn_gateway = \"10.0.0.1:443\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->zones.size(), 1u);
  EXPECT_EQ(c->zones[0].id, 1000800001u);
  EXPECT_EQ(c->FindZone(1000100003), nullptr);
}

constexpr std::string_view kFullFile = R"(
data_dir = "/var/lib/obvpn"
[api]
listen = "[::1]:8443"
tls_cert = "/etc/obvpn/api.crt"
tls_key = "/etc/obvpn/api.key"
require_tls = true
hosts = ["bm.api.example.com", "bm.api.example.com:8443"]
timestamp_window_s = 120
max_header_bytes = 8192
max_body_bytes = 32768
max_json_body_bytes = 524288
max_params = 50
max_connections = 1000
idle_timeout_s = 30
read_timeout_s = 5
io_threads = 4
[radius]
listen = "0.0.0.0:11812"
accounting_listen = "0.0.0.0:11813"
max_packet_bytes = 2048
max_attributes = 100
max_failures = 5
failure_window_s = 60
lockout_s = 900
max_sessions_per_tenant = 3
duplicate_cache_s = 2
[admin]
listen = "127.0.0.1:0"
[password]
argon2_memory_kib = 65536
argon2_iterations = 3
hash_workers = 8
hash_queue = 512
hash_priority = "idle"
[store]
kind = "postgres"
postgres_url = "postgresql://obvpn@db/obvpn"
[secrets]
master_key_file = "/etc/obvpn/master.key"
[limits]
v2_per_action_per_minute = 10
v2_per_app_per_minute = 20
v3_per_second = 2
[log]
level = "debug"
[[zone]]
id = 1000100003
region = "gz"
vpn_gateway = "115.159.242.100:443"
[[zone]]
id = 1000400001
region = "ap-shanghai"
vpn_gateway = "vpn.sh.example.com:8443"
)";

TEST(LoadString, FullFileRoundTripsEveryKey) {
  auto r = Load(kFullFile);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Config& c = *r;
  EXPECT_EQ(c.data_dir, "/var/lib/obvpn");
  EXPECT_EQ(c.api.listen, "[::1]:8443");
  EXPECT_EQ(c.api.tls_cert, "/etc/obvpn/api.crt");
  EXPECT_EQ(c.api.tls_key, "/etc/obvpn/api.key");
  EXPECT_TRUE(c.api.require_tls);
  EXPECT_EQ(c.api.hosts,
            (std::vector<std::string>{"bm.api.example.com", "bm.api.example.com:8443"}));
  EXPECT_EQ(c.api.timestamp_window_s, 120);
  EXPECT_EQ(c.api.max_header_bytes, 8192u);
  EXPECT_EQ(c.api.max_body_bytes, 32768u);
  EXPECT_EQ(c.api.max_json_body_bytes, 524288u);
  EXPECT_EQ(c.api.max_params, 50u);
  EXPECT_EQ(c.api.max_connections, 1000u);
  EXPECT_EQ(c.api.idle_timeout_s, 30);
  EXPECT_EQ(c.api.read_timeout_s, 5);
  EXPECT_EQ(c.api.io_threads, 4u);
  EXPECT_EQ(c.radius.listen, "0.0.0.0:11812");
  EXPECT_EQ(c.radius.accounting_listen, "0.0.0.0:11813");
  EXPECT_EQ(c.radius.max_packet_bytes, 2048u);
  EXPECT_EQ(c.radius.max_attributes, 100u);
  EXPECT_EQ(c.radius.max_failures, 5u);
  EXPECT_EQ(c.radius.failure_window_s, 60);
  EXPECT_EQ(c.radius.lockout_s, 900);
  EXPECT_EQ(c.radius.max_sessions_per_tenant, 3u);
  EXPECT_EQ(c.radius.duplicate_cache_s, 2);
  EXPECT_EQ(c.admin.listen, "127.0.0.1:0");
  EXPECT_EQ(c.password.argon2_memory_kib, 65536u);
  EXPECT_EQ(c.password.argon2_iterations, 3u);
  EXPECT_EQ(c.password.hash_workers, 8u);
  EXPECT_EQ(c.password.hash_queue, 512u);
  EXPECT_EQ(c.password.hash_priority, "idle");
  EXPECT_EQ(c.store.kind, "postgres");
  EXPECT_EQ(c.store.postgres_url, "postgresql://obvpn@db/obvpn");
  EXPECT_EQ(c.secrets.master_key_file, "/etc/obvpn/master.key");
  EXPECT_EQ(c.MasterKeyPath(), "/etc/obvpn/master.key");
  EXPECT_EQ(c.DatabasePath(), "/var/lib/obvpn/obvpn.db");
  EXPECT_EQ(c.limits.v2_per_action_per_minute, 10u);
  EXPECT_EQ(c.limits.v2_per_app_per_minute, 20u);
  EXPECT_EQ(c.limits.v3_per_second, 2u);
  EXPECT_EQ(c.log.level, "debug");
  ASSERT_EQ(c.zones.size(), 2u);
  EXPECT_EQ(c.zones[0].id, 1000100003u);
  EXPECT_EQ(c.zones[0].region, "gz");
  EXPECT_EQ(c.zones[0].vpn_gateway, "115.159.242.100:443");
  EXPECT_EQ(c.zones[1].id, 1000400001u);
  EXPECT_EQ(c.zones[1].region, "sh");
  EXPECT_EQ(c.zones[1].vpn_gateway, "vpn.sh.example.com:8443");
  EXPECT_EQ(c.source, "");  // only LoadFile sets it
}

TEST(LoadFile, ExampleFileLoads) {
  const std::string path = std::string(OBVPN_TESTDATA_DIR) + "/obvpn.example.toml";
  auto c = LoadFile(path);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->source, path);
  // The example documents the defaults: apart from zones it must equal Defaults().
  const Config d = Defaults();
  EXPECT_EQ(c->data_dir, d.data_dir);
  EXPECT_EQ(c->api.listen, d.api.listen);
  EXPECT_EQ(c->api.max_json_body_bytes, d.api.max_json_body_bytes);
  EXPECT_EQ(c->api.read_timeout_s, d.api.read_timeout_s);
  EXPECT_EQ(c->radius.max_attributes, d.radius.max_attributes);
  EXPECT_EQ(c->radius.max_failures, d.radius.max_failures);
  EXPECT_EQ(c->radius.failure_window_s, d.radius.failure_window_s);
  EXPECT_EQ(c->radius.lockout_s, d.radius.lockout_s);
  EXPECT_EQ(c->radius.max_sessions_per_tenant, d.radius.max_sessions_per_tenant);
  EXPECT_EQ(c->radius.duplicate_cache_s, d.radius.duplicate_cache_s);
  EXPECT_EQ(c->password.argon2_memory_kib, d.password.argon2_memory_kib);
  EXPECT_EQ(c->password.hash_queue, d.password.hash_queue);
  EXPECT_EQ(c->limits.v3_per_second, d.limits.v3_per_second);
  EXPECT_EQ(c->log.level, d.log.level);
  ASSERT_EQ(c->zones.size(), 4u);
  EXPECT_EQ(c->ZonesOf("bj").size(), 2u);
}

TEST(LoadFile, MissingFileIsNotFound) {
  auto c = LoadFile("no/such/dir/obvpn.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
  EXPECT_NE(c.status().message().find("no/such/dir/obvpn.toml"), std::string::npos);
}

TEST(LoadFile, DirectoryIsUnavailable) {
  auto c = LoadFile(OBVPN_TESTDATA_DIR);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kUnavailable);
}

class TempFile {
 public:
  explicit TempFile(std::string_view text) {
    path_ = (std::filesystem::temp_directory_path() /
             ("obvpn_config_test_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml"))
                .string();
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(LoadFile, SetsSourceToThePath) {
  TempFile f("[log]\nlevel = \"warn\"\n");
  auto c = LoadFile(f.path());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->source, f.path());
  EXPECT_EQ(c->log.level, "warn");
}

TEST(LoadFile, ErrorsNameThePath) {
  TempFile f("[api]\nfoo = 1\n");
  auto c = LoadFile(f.path());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message(), f.path() + ": unknown key 'api.foo'");
}

TEST(LoadString, SyntaxErrorGivesLineAndColumn) {
  auto c = Load("data_dir = \"x\"\n[api]\nlisten = \n");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message().rfind("obvpn.toml:3:", 0), 0u) << c.status().message();
}

TEST(LoadString, DuplicateKeyIsSyntaxError) {
  auto c = Load("[api]\nlisten = \"a:1\"\nlisten = \"b:2\"\n");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().rfind("obvpn.toml:3:", 0), 0u) << c.status().message();
}

TEST(Strict, RejectsUnknownKeys) {
  const struct {
    std::string_view text;
    std::string_view key;
  } kCases[] = {
      {"foo = 1\n", "foo"},
      {"[bogus]\nx = 1\n", "bogus"},
      {"[api]\nfoo = 1\n", "api.foo"},
      {"[radius]\nsecret = \"x\"\n", "radius.secret"},
      {"[limits]\nv3_per_minute = 1\n", "limits.v3_per_minute"},
      {"[log]\nformat = \"json\"\n", "log.format"},
      {"[api.tls]\ncert = \"x\"\n", "api.tls"},
      {"\"api.listen\" = \"1.2.3.4:5\"\n", "\"api.listen\""},
      {"[[zone]]\nid = 1\nregion = \"gz\"\nvpn_gateway = \"a:1\"\nfoo = 1\n", "zone[0].foo"},
      {"[[zone]]\nid = 1\nregion = \"gz\"\nvpn_gateway = \"a:1\"\n"
       "[[zone]]\nid = 2\nregion = \"gz\"\nvpn_gateway = \"a:1\"\nname = \"x\"\n",
       "zone[1].name"},
  };
  for (const auto& tc : kCases) ExpectRejected(tc.text, tc.key);
}

TEST(Strict, UnknownKeyMessageIsExact) {
  auto c = Load("[api]\nfoo = 1\n");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "obvpn.toml: unknown key 'api.foo'");
}

TEST(Strict, RejectsWrongTypes) {
  const struct {
    std::string_view text;
    std::string_view key;
    std::string_view what;
  } kCases[] = {
      {"data_dir = 1\n", "data_dir", "must be a string"},
      {"[api]\nrequire_tls = \"yes\"\n", "api.require_tls", "must be a boolean"},
      {"[api]\nrequire_tls = 1\n", "api.require_tls", "must be a boolean"},
      {"[api]\nlisten = 8080\n", "api.listen", "must be a string"},
      {"[api]\ntimestamp_window_s = \"300\"\n", "api.timestamp_window_s", "must be an integer"},
      {"[api]\ntimestamp_window_s = 300.0\n", "api.timestamp_window_s", "must be an integer"},
      {"[api]\nhosts = \"a.example.com\"\n", "api.hosts", "must be an array of strings"},
      {"[api]\nhosts = [\"a\", 1]\n", "api.hosts", "must be an array of strings"},
      {"[password]\nargon2_iterations = true\n", "password.argon2_iterations",
       "must be an integer"},
      {"[store]\nkind = [\"sqlite\"]\n", "store.kind", "must be a string"},
      {"[log]\nlevel = 3\n", "log.level", "must be a string"},
      {"[password]\nhash_priority = 0\n", "password.hash_priority", "must be a string"},
      {"api = 1\n", "api", "must be a table"},
      {"[zone]\nid = 1\n", "zone", "must be an array of tables"},
      {"zone = [1]\n", "zone[0]", "must be a table"},
      {"[[zone]]\nid = \"1\"\nregion = \"gz\"\nvpn_gateway = \"a:1\"\n", "zone[0].id",
       "must be an integer"},
      {"[[zone]]\nid = 1\nregion = 1\nvpn_gateway = \"a:1\"\n", "zone[0].region",
       "must be a string"},
      {"[[zone]]\nid = 1\nregion = \"gz\"\nvpn_gateway = 443\n", "zone[0].vpn_gateway",
       "must be a string"},
  };
  for (const auto& tc : kCases) {
    ExpectRejected(tc.text, tc.key);
    auto c = Load(tc.text);
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.status().message().find(tc.what), std::string::npos) << c.status().message();
  }
}

TEST(Strict, RejectsNegativeIntegers) {
  const std::string_view kKeys[][2] = {
      {"api", "max_header_bytes"},       {"api", "max_body_bytes"},
      {"api", "max_json_body_bytes"},    {"api", "max_params"},
      {"api", "max_connections"},        {"api", "idle_timeout_s"},
      {"api", "read_timeout_s"},         {"api", "io_threads"},
      {"api", "timestamp_window_s"},     {"radius", "max_packet_bytes"},
      {"radius", "max_attributes"},      {"password", "argon2_memory_kib"},
      {"password", "argon2_iterations"}, {"password", "hash_workers"},
      {"password", "hash_queue"},        {"limits", "v3_per_second"},
  };
  for (const auto& k : kKeys) {
    ExpectRejected("[" + std::string(k[0]) + "]\n" + std::string(k[1]) + " = -1\n",
                   std::string(k[0]) + "." + std::string(k[1]));
  }
}

TEST(Strict, RejectsZeroForLimitsThatMustBePositive) {
  const std::string_view kKeys[][2] = {
      {"api", "max_header_bytes"},
      {"api", "max_body_bytes"},
      {"api", "max_json_body_bytes"},
      {"api", "max_params"},
      {"api", "max_connections"},
      {"api", "idle_timeout_s"},
      {"api", "read_timeout_s"},
      {"radius", "max_packet_bytes"},
      {"radius", "max_attributes"},
      {"password", "hash_queue"},
      {"limits", "v2_per_action_per_minute"},
      {"limits", "v2_per_app_per_minute"},
      {"limits", "v3_per_second"},
  };
  for (const auto& k : kKeys) {
    ExpectRejected("[" + std::string(k[0]) + "]\n" + std::string(k[1]) + " = 0\n",
                   std::string(k[0]) + "." + std::string(k[1]));
  }
}

TEST(Defaults, RadiusHardeningMatchesSpec) {
  const Config c = Defaults();
  EXPECT_EQ(c.radius.max_failures, 10u);
  EXPECT_EQ(c.radius.failure_window_s, 300);
  EXPECT_EQ(c.radius.lockout_s, 300);
  EXPECT_EQ(c.radius.max_sessions_per_tenant, 10u);
  EXPECT_EQ(c.radius.duplicate_cache_s, 5);
}

TEST(Strict, RadiusThrottleAndSessionRanges) {
  ExpectRejected("[radius]\nmax_failures = 0\n", "radius.max_failures");
  ExpectRejected("[radius]\nfailure_window_s = 0\n", "radius.failure_window_s");
  ExpectRejected("[radius]\nlockout_s = 86401\n", "radius.lockout_s");
  ExpectRejected("[radius]\nmax_sessions_per_tenant = -1\n", "radius.max_sessions_per_tenant");
  ExpectRejected("[radius]\nduplicate_cache_s = 301\n", "radius.duplicate_cache_s");
  ExpectRejected("[radius]\nmax_failures = \"10\"\n", "radius.max_failures");
  ExpectAccepted("[radius]\nmax_sessions_per_tenant = 0\nduplicate_cache_s = 0\n");
  ExpectAccepted("[radius]\nmax_failures = 1\nfailure_window_s = 86400\nlockout_s = 1\n");
}

TEST(Strict, AcceptsZeroMeaningNumberOfCores) {
  ExpectAccepted("[api]\nio_threads = 0\n");
  ExpectAccepted("[password]\nhash_workers = 0\n");
}

TEST(Strict, TimestampWindowIsOneSecondToOneDay) {
  ExpectRejected("[api]\ntimestamp_window_s = 0\n", "api.timestamp_window_s");
  ExpectRejected("[api]\ntimestamp_window_s = 86401\n", "api.timestamp_window_s");
  ExpectAccepted("[api]\ntimestamp_window_s = 1\n");
  ExpectAccepted("[api]\ntimestamp_window_s = 86400\n");
}

TEST(Strict, Argon2MemoryIsEightKibToFourGib) {
  ExpectRejected("[password]\nargon2_memory_kib = 7\n", "password.argon2_memory_kib");
  ExpectRejected("[password]\nargon2_memory_kib = 4194305\n", "password.argon2_memory_kib");
  ExpectAccepted("[password]\nargon2_memory_kib = 8\n");
  ExpectAccepted("[password]\nargon2_memory_kib = 4194304\n");
}

TEST(Strict, Argon2IterationsAtLeastOne) {
  ExpectRejected("[password]\nargon2_iterations = 0\n", "password.argon2_iterations");
  ExpectAccepted("[password]\nargon2_iterations = 1\n");
}

TEST(Strict, RejectsIntegersBeyondTheFieldType) {
  // 2^32 does not fit the uint32_t fields; it must be refused, not truncated to 0.
  ExpectRejected("[limits]\nv3_per_second = 4294967296\n", "limits.v3_per_second");
  ExpectRejected("[password]\nargon2_iterations = 4294967296\n", "password.argon2_iterations");
  ExpectRejected("[api]\nmax_connections = 9223372036854775807\n", "api.max_connections");
}

TEST(Strict, RangeErrorSaysTheRange) {
  auto c = Load("[api]\ntimestamp_window_s = 0\n");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "obvpn.toml: key 'api.timestamp_window_s' must be an integer from 1 to 86400, got 0");
}

TEST(Strict, RejectsUnknownStoreKind) {
  ExpectRejected("[store]\nkind = \"mysql\"\n", "store.kind");
  ExpectRejected("[store]\nkind = \"SQLite\"\n", "store.kind");
  ExpectRejected("[password]\nhash_priority = \"high\"\n", "password.hash_priority");
}

TEST(Strict, PostgresNeedsUrl) {
  ExpectRejected("[store]\nkind = \"postgres\"\n", "store.postgres_url");
  ExpectAccepted("[store]\nkind = \"postgres\"\npostgres_url = \"postgresql://db/obvpn\"\n");
}

TEST(Strict, RejectsUnknownLogLevel) {
  ExpectRejected("[log]\nlevel = \"verbose\"\n", "log.level");
  ExpectRejected("[log]\nlevel = \"INFO\"\n", "log.level");
  ExpectRejected("[log]\nlevel = \"\"\n", "log.level");
}

TEST(Strict, AcceptsEveryLogLevel) {
  for (std::string_view level : {"trace", "debug", "info", "warn", "error", "off"}) {
    ExpectAccepted("[log]\nlevel = \"" + std::string(level) + "\"\n");
  }
}

TEST(Strict, RejectsBadListenAddresses) {
  const std::string_view kKeys[][2] = {
      {"api", "listen"},
      {"radius", "listen"},
      {"radius", "accounting_listen"},
      {"admin", "listen"},
  };
  for (const auto& k : kKeys) {
    for (std::string_view bad : {"localhost", "127.0.0.1:65536", ":8080", "::1:80", ""}) {
      ExpectRejected(
          "[" + std::string(k[0]) + "]\n" + std::string(k[1]) + " = \"" + std::string(bad) + "\"\n",
          std::string(k[0]) + "." + std::string(k[1]));
    }
  }
}

TEST(Strict, AcceptsListenOnPortZeroAndIpv6) {
  ExpectAccepted("[api]\nlisten = \"127.0.0.1:0\"\n[admin]\nlisten = \"[::1]:9090\"\n");
}

TEST(Strict, RejectsBadVpnGateway) {
  for (std::string_view bad : {"10.0.0.1", "10.0.0.1:0", "10.0.0.1:65536", ":443", ""}) {
    ExpectRejected(
        "[[zone]]\nid = 1\nregion = \"gz\"\nvpn_gateway = \"" + std::string(bad) + "\"\n",
        "zone[0].vpn_gateway");
  }
}

TEST(Strict, AcceptsVpnGatewayHostnameAndIpv6) {
  ExpectAccepted("[[zone]]\nid = 1\nregion = \"gz\"\nvpn_gateway = \"vpn.example.com:443\"\n");
  ExpectAccepted("[[zone]]\nid = 1\nregion = \"gz\"\nvpn_gateway = \"[2001:db8::1]:65535\"\n");
}

TEST(Strict, RejectsZoneIdNotPositive) {
  ExpectRejected("[[zone]]\nid = 0\nregion = \"gz\"\nvpn_gateway = \"a:1\"\n", "zone[0].id");
  ExpectRejected("[[zone]]\nid = -5\nregion = \"gz\"\nvpn_gateway = \"a:1\"\n", "zone[0].id");
}

TEST(Strict, RejectsDuplicateZoneId) {
  ExpectRejected(
      "[[zone]]\nid = 7\nregion = \"gz\"\nvpn_gateway = \"a:1\"\n"
      "[[zone]]\nid = 7\nregion = \"sh\"\nvpn_gateway = \"b:1\"\n",
      "zone[1].id");
}

TEST(Strict, RejectsUnknownZoneRegion) {
  ExpectRejected("[[zone]]\nid = 1\nregion = \"mars\"\nvpn_gateway = \"a:1\"\n", "zone[0].region");
  ExpectRejected("[[zone]]\nid = 1\nregion = \"GZ\"\nvpn_gateway = \"a:1\"\n", "zone[0].region");
}

TEST(Strict, RejectsZoneMissingAKey) {
  ExpectRejected("[[zone]]\nregion = \"gz\"\nvpn_gateway = \"a:1\"\n", "zone[0].id");
  ExpectRejected("[[zone]]\nid = 1\nvpn_gateway = \"a:1\"\n", "zone[0].region");
  ExpectRejected("[[zone]]\nid = 1\nregion = \"gz\"\n", "zone[0].vpn_gateway");
}

TEST(Strict, TlsCertAndKeyComeTogether) {
  ExpectRejected("[api]\ntls_cert = \"api.crt\"\n", "api.tls_key");
  ExpectRejected("[api]\ntls_key = \"api.key\"\n", "api.tls_cert");
  ExpectAccepted("[api]\ntls_cert = \"api.crt\"\ntls_key = \"api.key\"\n");
}

TEST(Strict, RejectsEmptyHostsEntry) {
  ExpectRejected("[api]\nhosts = [\"a.example.com\", \"\"]\n", "api.hosts");
  ExpectAccepted("[api]\nhosts = []\n");
}

TEST(Strict, RejectsNulInStrings) {
  ExpectRejected("data_dir = \"var\\u0000x\"\n", "data_dir");
  ExpectRejected("[api]\nhosts = [\"a\\u0000b\"]\n", "api.hosts");
}

TEST(Strict, RejectsEmptyDataDir) { ExpectRejected("data_dir = \"\"\n", "data_dir"); }

TEST(Validate, ChecksValuesSetInCode) {
  Config c = Defaults();
  c.password.argon2_iterations = 0;
  Status s = Validate(c, "flags");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("flags: key 'password.argon2_iterations'"), std::string::npos)
      << s.message();

  c = Defaults();
  c.api.listen = "no-port";
  s = Validate(c, "flags");
  EXPECT_NE(s.message().find("'api.listen'"), std::string::npos) << s.message();
}

TEST(Validate, RejectsConfigWithoutZones) {
  Config c = Defaults();
  c.zones.clear();
  const Status s = Validate(c, "x");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("'zone'"), std::string::npos) << s.message();
}

TEST(Validate, NeverEchoesPostgresUrl) {
  Config c = Defaults();
  c.store.kind = "mysql";
  c.store.postgres_url = "postgresql://u:hunter2@db/obvpn";
  const Status s = Validate(c, "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().find("hunter2"), std::string::npos) << s.message();
}

TEST(Regions, ZoneRegionStoredAsShortCode) {
  auto c = Load("[[zone]]\nid = 1\nregion = \"ap-guangzhou\"\nvpn_gateway = \"a:1\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->zones[0].region, "gz");
}

TEST(Regions, ZonesOfAcceptsEitherAliasInFileOrder) {
  auto c = Load(
      "[[zone]]\nid = 3\nregion = \"gz\"\nvpn_gateway = \"a:1\"\n"
      "[[zone]]\nid = 2\nregion = \"sh\"\nvpn_gateway = \"b:1\"\n"
      "[[zone]]\nid = 1\nregion = \"ap-guangzhou\"\nvpn_gateway = \"c:1\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto by_code = c->ZonesOf("gz");
  const auto by_name = c->ZonesOf("ap-guangzhou");
  ASSERT_EQ(by_code.size(), 2u);
  EXPECT_EQ(by_code, by_name);
  EXPECT_EQ(by_code[0]->id, 3u);
  EXPECT_EQ(by_code[1]->id, 1u);
  EXPECT_EQ(c->ZonesOf("ap-shanghai").size(), 1u);
  EXPECT_TRUE(c->ZonesOf("bj").empty());
  EXPECT_TRUE(c->ZonesOf("nowhere").empty());
}

TEST(Regions, FirstZoneOfAndZoneOfAgreeWithZonesOf) {
  auto c = Load(
      "[[zone]]\nid = 3\nregion = \"gz\"\nvpn_gateway = \"a:1\"\n"
      "[[zone]]\nid = 2\nregion = \"sh\"\nvpn_gateway = \"b:1\"\n"
      "[[zone]]\nid = 1\nregion = \"ap-guangzhou\"\nvpn_gateway = \"c:1\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  for (std::string_view region : {"gz", "ap-guangzhou", "sh", "ap-shanghai", "bj", "nowhere"}) {
    const auto all = c->ZonesOf(region);
    EXPECT_EQ(c->FirstZoneOf(region), all.empty() ? nullptr : all.front()) << region;
    for (uint64_t id : {1u, 2u, 3u, 4u}) {
      const Zone* want = nullptr;
      for (const Zone* z : all) want = z->id == id ? z : want;
      EXPECT_EQ(c->ZoneOf(region, id), want) << region << " " << id;
    }
  }
  EXPECT_EQ(c->ZoneOf("ap-guangzhou", 1)->vpn_gateway, "c:1");
  EXPECT_EQ(c->ZoneOf("gz", 2), nullptr) << "zone 2 is in sh";
}

TEST(Regions, FindZoneById) {
  auto c = Load(kFullFile);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const Zone* z = c->FindZone(1000400001);
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(z->region, "sh");
  EXPECT_EQ(c->FindZone(1000400002), nullptr);
}

TEST(Regions, KnowsTheSpecRegions) {
  const struct {
    std::string_view code;
    std::string_view name;
    int id;
  } kCases[] = {
      {"gz", "ap-guangzhou", 1},
      {"sh", "ap-shanghai", 4},
      {"bj", "ap-beijing", 8},
      {"cq", "ap-chongqing", 19},
  };
  for (const auto& tc : kCases) {
    const Region* by_code = FindRegion(tc.code);
    ASSERT_NE(by_code, nullptr) << tc.code;
    EXPECT_EQ(by_code, FindRegion(tc.name)) << tc.name;
    EXPECT_EQ(by_code->code, tc.code);
    EXPECT_EQ(by_code->name, tc.name);
    EXPECT_EQ(by_code->id, tc.id);
  }
}

TEST(Regions, AliasesAreUniqueAndLowerCase) {
  std::set<std::string_view> aliases;
  std::set<int> ids;
  for (const Region& r : KnownRegions()) {
    EXPECT_TRUE(aliases.insert(r.code).second) << r.code;
    EXPECT_TRUE(aliases.insert(r.name).second) << r.name;
    EXPECT_TRUE(ids.insert(r.id).second) << r.id;
    for (char ch : std::string(r.code) + std::string(r.name)) {
      EXPECT_FALSE(ch >= 'A' && ch <= 'Z') << r.name;
    }
    EXPECT_EQ(FindRegion(r.code), &r);
    EXPECT_EQ(FindRegion(r.name), &r);
  }
}

TEST(Regions, LookupIsExact) {
  EXPECT_EQ(FindRegion("GZ"), nullptr);
  EXPECT_EQ(FindRegion("ap-guangzhou "), nullptr);
  EXPECT_EQ(FindRegion(""), nullptr);
}

TEST(SplitHostPort, AcceptsValidAddresses) {
  const struct {
    std::string_view in;
    std::string_view host;
    uint16_t port;
  } kCases[] = {
      {"127.0.0.1:8080", "127.0.0.1", 8080},
      {"[::1]:443", "::1", 443},
      {"[2001:db8::1]:65535", "2001:db8::1", 65535},
      {"example.com:0", "example.com", 0},
      {"0.0.0.0:1812", "0.0.0.0", 1812},
  };
  for (const auto& tc : kCases) {
    auto hp = SplitHostPort(tc.in);
    ASSERT_TRUE(hp.ok()) << tc.in << ": " << hp.status().ToString();
    EXPECT_EQ(hp->first, tc.host);
    EXPECT_EQ(hp->second, tc.port);
  }
}

TEST(SplitHostPort, RejectsInvalidAddresses) {
  for (std::string_view in :
       {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:99999999999", ":80", "[]:80",
        "::1:80", "[::1]", "[::1]80", "[::1:80", "host:-1", "host:+80", "host:8 0", "host:http",
        "ho st:80"}) {
    auto hp = SplitHostPort(in);
    EXPECT_FALSE(hp.ok()) << "accepted \"" << in << "\"";
    EXPECT_EQ(hp.status().code(), StatusCode::kInvalidArgument) << in;
  }
}

}  // namespace
}  // namespace obvpn::config
