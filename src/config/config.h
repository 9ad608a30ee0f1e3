// Config: obvpnd's configuration (SPEC §8), loaded once from TOML, validated strictly
// (an unknown key or a bad value is an error naming the file and the key), then
// immutable and passed as const&. Flags are applied on top by the daemon.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace obvpn::config {

// A Tencent region with its two aliases: the API 2.0 short code and the 3.0 name.
struct Region {
  std::string_view code;  // "gz"
  std::string_view name;  // "ap-guangzhou"
  int id = 0;             // regionId, 1 for Guangzhou
};

// Looks up a region by either alias (exact, lower case as Tencent spells them).
const Region* FindRegion(std::string_view alias);
// Every region obvpn knows.
const std::vector<Region>& KnownRegions();

struct Zone {
  uint64_t id = 0;
  std::string region;       // canonical short code ("gz"), whatever alias the file used
  std::string vpn_gateway;  // "host:port"
};

struct ApiConfig {
  std::string listen = "127.0.0.1:8080";
  std::string tls_cert;  // PEM path; with tls_key the API speaks HTTPS
  std::string tls_key;
  bool require_tls = false;
  std::vector<std::string> hosts;  // if non-empty, the only Host values accepted
  int64_t timestamp_window_s = 300;
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 64 * 1024;         // API 2.0 form bodies
  size_t max_json_body_bytes = 1024 * 1024;  // API 3.0 JSON bodies
  size_t max_params = 100;
  size_t max_connections = 4096;
  int64_t idle_timeout_s = 60;  // keep-alive connection with no request
  int64_t read_timeout_s = 10;  // one request must arrive completely within this
  size_t io_threads = 0;        // 0 = number of cores
};

struct RadiusConfig {
  std::string listen = "127.0.0.1:1812";
  std::string accounting_listen = "127.0.0.1:1813";
  size_t max_packet_bytes = 4096;
  size_t max_attributes = 255;
  // SPEC §5 "Cost and abuse": after max_failures wrong passwords for one account within
  // failure_window_s, its logins are rejected for lockout_s without hashing.
  uint32_t max_failures = 10;
  int64_t failure_window_s = 300;
  int64_t lockout_s = 300;
  // SPEC §5: a login beyond this many active sessions of one tenant is rejected; 0 = no
  // limit.
  size_t max_sessions_per_tenant = 10;
  // RFC 5080 duplicate detection: how long a reply is kept for retransmissions; 0 = off.
  int64_t duplicate_cache_s = 5;
};

struct AdminConfig {
  std::string listen = "127.0.0.1:9090";
};

struct PasswordConfig {
  uint32_t argon2_memory_kib = 19456;
  uint32_t argon2_iterations = 2;
  size_t hash_workers = 0;   // 0 = number of cores
  size_t hash_queue = 1024;  // jobs waiting beyond this are refused
  // Scheduling of the hash workers against the I/O threads (password/hash_pool.h):
  // "low" (nice 10: a fair share of a busy machine) or "idle" (SCHED_IDLE: only cycles
  // nobody else wants, so cheap requests never wait behind a hash; for a machine that
  // runs obvpnd alone, docs/performance.md).
  std::string hash_priority = "low";
};

struct StoreConfig {
  std::string kind = "sqlite";  // or "postgres"
  std::string postgres_url;
  int64_t busy_timeout_ms = 5000;  // lock wait before a store operation fails
  // Connections per node (SQLite and PostgreSQL).
  size_t pool_size = 8;
  // PostgreSQL: every store call returns within connect + statement timeout, so API
  // requests fail with 9001 / 10100 / InternalError instead of hanging (SPEC §6).
  int64_t connect_timeout_ms = 3000;
  int64_t statement_timeout_ms = 5000;
};

struct SecretsConfig {
  std::string master_key_file;  // default <data_dir>/master.key
};

// Rate limits (SPEC §3.7, §4): per appId.
struct LimitsConfig {
  uint32_t v2_per_action_per_minute = 100;
  uint32_t v2_per_app_per_minute = 1000;
  uint32_t v3_per_second = 5;
};

struct LogConfig {
  std::string level = "info";  // trace, debug, info, warn, error, off
};

struct Config {
  std::string source;  // the file it came from, "" for built-in defaults
  std::string data_dir = "./var";
  ApiConfig api;
  RadiusConfig radius;
  AdminConfig admin;
  PasswordConfig password;
  StoreConfig store;
  SecretsConfig secrets;
  LimitsConfig limits;
  LogConfig log;
  std::vector<Zone> zones;  // never empty after loading: a demo zone if none given

  // master_key_file, or <data_dir>/master.key when unset.
  std::string MasterKeyPath() const;
  // <data_dir>/obvpn.db
  std::string DatabasePath() const;
  // The zones of one region (either alias), in file order.
  std::vector<const Zone*> ZonesOf(std::string_view region_alias) const;
  // The first zone of the region (either alias), or null; the zone `zone_id` if it is
  // one of the region's, or null. Without building a list (every request asks).
  const Zone* FirstZoneOf(std::string_view region_alias) const;
  const Zone* ZoneOf(std::string_view region_alias, uint64_t zone_id) const;
  const Zone* FindZone(uint64_t zone_id) const;
};

// The built-in defaults: what obvpnd runs with no file (one demo zone).
Config Defaults();

// Parses TOML text. `name` is used in messages ("obvpn.toml: unknown key 'api.foo'").
// InvalidArgument on syntax errors, unknown keys, wrong types and invalid values.
Result<Config> LoadString(std::string_view toml_text, std::string_view name);
// Reads and parses a file. NotFound/Unavailable if it cannot be read.
Result<Config> LoadFile(const std::string& path);

// Checks cross-field rules (also run by the loaders): listen addresses are host:port,
// tls_cert and tls_key both set or both empty, zone ids unique, regions known, limits
// positive. InvalidArgument naming the key ("api.listen"; zones as "zone[i].id" with i
// counted from 0 in file order, as toml++ paths count).
Status Validate(const Config& config, std::string_view name);

// Splits "host:port" / "[v6]:port". Port 0 is allowed (pick a free port).
Result<std::pair<std::string, uint16_t>> SplitHostPort(std::string_view s);

}  // namespace obvpn::config
