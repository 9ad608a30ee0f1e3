// The configuration loader (SPEC §8). Every scalar key is declared once, in VisitScalars,
// with its range; the TOML reader, the unknown-key check and Validate all walk that one
// list, so they cannot disagree about which keys exist or what values are allowed.
#include "config/config.h"

#include <toml++/toml.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <limits>
#include <set>
#include <unordered_set>
#include <utility>

#include "core/strings.h"

namespace obvpn::config {
namespace {

// SPEC §2: "Example zones seen in the public docs: 1000100003 (Guangzhou zone 1)". The
// gateway address is the one Tencent's API 2.0 documentation returns for that zone.
constexpr uint64_t kDemoZoneId = 1000100003;
constexpr std::string_view kDemoZoneRegion = "gz";
constexpr std::string_view kDemoZoneGateway = "115.159.242.100:443";

// A config file is a few kilobytes; the cap stops `--config /dev/zero` from eating memory.
constexpr size_t kMaxFileBytes = 1024 * 1024;

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kMiB = 1024 * 1024;
constexpr int64_t kGiB = 1024 * kMiB;
constexpr int64_t kUint32Max = std::numeric_limits<uint32_t>::max();
// libsodium's crypto_pwhash_MEMLIMIT_MIN is 8192 bytes (8 KiB); 4 GiB is far beyond any
// sane per-hash cost and keeps hash_workers x memory within a 64-bit address space.
constexpr int64_t kArgon2MinMemoryKib = 8;
constexpr int64_t kArgon2MaxMemoryKib = 4 * 1024 * 1024;
// RFC 2865 §3: "The minimum length is 20 and maximum length is 4096." RFC 7930 raises the
// maximum to 65535 (RADIUS over TCP), so the setting may go up to that, never below 20.
constexpr int64_t kRadiusMinPacket = 20;
constexpr int64_t kRadiusMaxPacket = 65535;

constexpr std::string_view kLogLevels[] = {"trace", "debug", "info", "warn", "error", "off"};

// Calls v.Str / v.Bool / v.Strings / v.Int(key, field, min, max) for every scalar key of
// SPEC §8 (everything except [[zone]]). Keys are "table.leaf" or a top-level "leaf".
// C is Config or const Config.
template <class C, class V>
void VisitScalars(C& c, V& v) {
  v.Str("data_dir", c.data_dir);

  v.Str("api.listen", c.api.listen);
  v.Str("api.tls_cert", c.api.tls_cert);
  v.Str("api.tls_key", c.api.tls_key);
  v.Bool("api.require_tls", c.api.require_tls);
  v.Strings("api.hosts", c.api.hosts);
  // SPEC §3.1: "within the configured window of server time (default ±300 s)".
  v.Int("api.timestamp_window_s", c.api.timestamp_window_s, 1, kSecondsPerDay);
  // SPEC §7: every limit is a setting with a safe default; zero would refuse everything.
  v.Int("api.max_header_bytes", c.api.max_header_bytes, 1, 16 * kMiB);
  v.Int("api.max_body_bytes", c.api.max_body_bytes, 1, kGiB);
  v.Int("api.max_json_body_bytes", c.api.max_json_body_bytes, 1, kGiB);
  v.Int("api.max_params", c.api.max_params, 1, 1000000);
  v.Int("api.max_connections", c.api.max_connections, 1, 1000000);
  v.Int("api.idle_timeout_s", c.api.idle_timeout_s, 1, kSecondsPerDay);
  v.Int("api.read_timeout_s", c.api.read_timeout_s, 1, kSecondsPerDay);
  v.Int("api.io_threads", c.api.io_threads, 0, 1024);

  v.Str("radius.listen", c.radius.listen);
  v.Str("radius.accounting_listen", c.radius.accounting_listen);
  v.Int("radius.max_packet_bytes", c.radius.max_packet_bytes, kRadiusMinPacket, kRadiusMaxPacket);
  v.Int("radius.max_attributes", c.radius.max_attributes, 1, 65535);
  // SPEC §5 defaults: 10 failures in 5 minutes lock an account out for 5 minutes.
  v.Int("radius.max_failures", c.radius.max_failures, 1, 1000000);
  v.Int("radius.failure_window_s", c.radius.failure_window_s, 1, kSecondsPerDay);
  v.Int("radius.lockout_s", c.radius.lockout_s, 1, kSecondsPerDay);
  // SPEC §5 / product documents: 10 concurrent VPN connections per tenant; 0 = no limit.
  v.Int("radius.max_sessions_per_tenant", c.radius.max_sessions_per_tenant, 0, 1000000);
  // RFC 5080 §2.2.2 suggests a few seconds; 0 disables duplicate detection.
  v.Int("radius.duplicate_cache_s", c.radius.duplicate_cache_s, 0, 300);

  v.Str("admin.listen", c.admin.listen);

  v.Int("password.argon2_memory_kib", c.password.argon2_memory_kib, kArgon2MinMemoryKib,
        kArgon2MaxMemoryKib);
  v.Int("password.argon2_iterations", c.password.argon2_iterations, 1, kUint32Max);
  v.Int("password.hash_workers", c.password.hash_workers, 0, 1024);
  v.Int("password.hash_queue", c.password.hash_queue, 1, 1000000);
  v.Str("password.hash_priority", c.password.hash_priority);

  v.Str("store.kind", c.store.kind);
  v.Str("store.postgres_url", c.store.postgres_url);
  // How long a store operation waits for a lock before it fails (then 9001 / 10100).
  v.Int("store.busy_timeout_ms", c.store.busy_timeout_ms, 1, 600000);
  v.Int("store.pool_size", c.store.pool_size, 1, 1000);
  // PostgreSQL (SPEC §6): bounds on opening a connection and on the statements of one
  // store call; an unreachable or stalled database fails requests within their sum.
  v.Int("store.connect_timeout_ms", c.store.connect_timeout_ms, 1, 600000);
  v.Int("store.statement_timeout_ms", c.store.statement_timeout_ms, 1, 600000);

  v.Str("secrets.master_key_file", c.secrets.master_key_file);

  // SPEC §3.7 / §4 defaults: 100 per minute per action, 1000 per minute, 5 per second.
  v.Int("limits.v2_per_action_per_minute", c.limits.v2_per_action_per_minute, 1, kUint32Max);
  v.Int("limits.v2_per_app_per_minute", c.limits.v2_per_app_per_minute, 1, kUint32Max);
  v.Int("limits.v3_per_second", c.limits.v3_per_second, 1, kUint32Max);

  v.Str("log.level", c.log.level);
}

// Collects the key names VisitScalars declares.
struct KeyCollector {
  std::set<std::string, std::less<>> leaves;  // "api.listen", "data_dir"
  std::set<std::string, std::less<>> tables;  // "api"

  void Add(std::string_view key) {
    leaves.emplace(key);
    if (auto dot = key.find('.'); dot != std::string_view::npos) {
      tables.emplace(key.substr(0, dot));
    }
  }
  void Str(std::string_view key, const std::string&) { Add(key); }
  void Bool(std::string_view key, const bool&) { Add(key); }
  void Strings(std::string_view key, const std::vector<std::string>&) { Add(key); }
  template <class T>
  void Int(std::string_view key, const T&, int64_t, int64_t) {
    Add(key);
  }
};

const KeyCollector& Schema() {
  static const KeyCollector* const kSchema = [] {
    auto* k = new KeyCollector;
    const Config c;
    VisitScalars(c, *k);
    return k;
  }();
  return *kSchema;
}

std::string Quote(std::string_view s) { return "'" + EscapeForLog(s) + "'"; }

Status KeyError(std::string_view name, std::string_view key, std::string_view what) {
  std::string m(name);
  m += ": key '";
  m += key;
  m += "' ";
  m += what;
  return InvalidArgument(std::move(m));
}

std::string RangeText(int64_t min, int64_t max) {
  return "must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

// A key as it appears in a dotted path: bare keys as they are, anything else quoted, so
// that `"api.listen" = ...` at top level is reported as '"api.listen"' and never matches
// the real api.listen.
std::string PathSegment(std::string_view k) {
  bool bare = !k.empty();
  for (char ch : k) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    if (!ok) bare = false;
  }
  return bare ? std::string(k) : "\"" + EscapeForLog(k) + "\"";
}

// Reads the keys VisitScalars names out of a parsed document, checking types and ranges.
// Absent keys keep their struct defaults. Stops at the first error.
class TomlReader {
 public:
  TomlReader(const toml::table& root, std::string_view name) : root_(root), name_(name) {}

  void Str(std::string_view key, std::string& out) {
    const toml::node* n = Find(key);
    if (n == nullptr) return;
    if (const auto* s = n->as_string()) {
      // TOML allows "\u0000"; a NUL would silently truncate a path handed to the OS.
      if (s->get().find('\0') != std::string::npos) {
        Fail(key, "must not contain a NUL character");
        return;
      }
      out = s->get();
    } else {
      Fail(key, "must be a string");
    }
  }

  void Bool(std::string_view key, bool& out) {
    const toml::node* n = Find(key);
    if (n == nullptr) return;
    if (const auto* b = n->as_boolean()) {
      out = b->get();
    } else {
      Fail(key, "must be a boolean");
    }
  }

  void Strings(std::string_view key, std::vector<std::string>& out) {
    const toml::node* n = Find(key);
    if (n == nullptr) return;
    const toml::array* a = n->as_array();
    std::vector<std::string> values;
    bool ok = a != nullptr;
    if (ok) {
      for (const toml::node& e : *a) {
        const auto* s = e.as_string();
        if (s == nullptr || s->get().find('\0') != std::string::npos) {
          ok = false;
          break;
        }
        values.push_back(s->get());
      }
    }
    if (!ok) {
      Fail(key, "must be an array of strings");
      return;
    }
    out = std::move(values);
  }

  template <class T>
  void Int(std::string_view key, T& out, int64_t min, int64_t max) {
    const toml::node* n = Find(key);
    if (n == nullptr) return;
    const auto* i = n->as_integer();
    if (i == nullptr) {
      Fail(key, "must be an integer");
      return;
    }
    const int64_t v = i->get();
    if (v < min || v > max) {
      Fail(key, RangeText(min, max) + ", got " + std::to_string(v));
      return;
    }
    out = static_cast<T>(v);
  }

  const Status& status() const { return status_; }

 private:
  // The node at "table.leaf" or "leaf", or null when absent or after an error.
  const toml::node* Find(std::string_view key) const {
    if (!status_.ok()) return nullptr;
    const toml::table* t = &root_;
    if (auto dot = key.find('.'); dot != std::string_view::npos) {
      const toml::node* tn = root_.get(key.substr(0, dot));
      t = tn != nullptr ? tn->as_table() : nullptr;  // non-tables rejected by CheckKeys
      if (t == nullptr) return nullptr;
      key.remove_prefix(dot + 1);
    }
    return t->get(key);
  }

  void Fail(std::string_view key, std::string_view what) {
    if (status_.ok()) status_ = KeyError(name_, key, what);
  }

  const toml::table& root_;
  std::string_view name_;
  Status status_;
};

// SPEC §8: "validated strictly (unknown keys ... are errors naming the file and key)".
// Rejects every key VisitScalars does not declare, and known tables given as non-tables.
// The top-level "zone" array is checked by ReadZones.
Status CheckKeys(const toml::table& root, std::string_view name) {
  const KeyCollector& schema = Schema();
  for (auto&& [k, v] : root) {
    const std::string top = PathSegment(k.str());
    if (top == "zone") continue;
    if (schema.leaves.contains(top)) continue;
    if (!schema.tables.contains(top)) {
      return InvalidArgument(std::string(name) + ": unknown key '" + top + "'");
    }
    const toml::table* t = v.as_table();
    if (t == nullptr) return KeyError(name, top, "must be a table");
    for (auto&& [k2, v2] : *t) {
      const std::string path = top + "." + PathSegment(k2.str());
      if (!schema.leaves.contains(path)) {
        return InvalidArgument(std::string(name) + ": unknown key '" + path + "'");
      }
    }
  }
  return Status::Ok();
}

// Reads the [[zone]] array (SPEC §2: a zone is an id, a region and a vpnGwAddr). Keys are
// named "zone[i].key" with i counted from 0, as toml++ paths count. Regions are stored by
// their canonical short code whatever alias the file used.
Status ReadZones(const toml::table& root, std::string_view name, std::vector<Zone>* zones) {
  const toml::node* zn = root.get("zone");
  if (zn == nullptr) return Status::Ok();
  const toml::array* arr = zn->as_array();
  if (arr == nullptr) return KeyError(name, "zone", "must be an array of tables ([[zone]])");
  std::vector<Zone> out;
  for (size_t i = 0; i < arr->size(); ++i) {
    const std::string prefix = "zone[" + std::to_string(i) + "]";
    const toml::table* t = (*arr)[i].as_table();
    if (t == nullptr) return KeyError(name, prefix, "must be a table");
    for (auto&& [k, v] : *t) {
      const std::string seg = PathSegment(k.str());
      if (seg != "id" && seg != "region" && seg != "vpn_gateway") {
        return InvalidArgument(std::string(name) + ": unknown key '" + prefix + "." + seg + "'");
      }
    }
    Zone z;
    const toml::node* id = t->get("id");
    if (id == nullptr) return KeyError(name, prefix + ".id", "is required");
    const auto* id_int = id->as_integer();
    if (id_int == nullptr) return KeyError(name, prefix + ".id", "must be an integer");
    if (id_int->get() <= 0) {
      return KeyError(name, prefix + ".id",
                      "must be a positive integer, got " + std::to_string(id_int->get()));
    }
    z.id = static_cast<uint64_t>(id_int->get());

    const toml::node* region = t->get("region");
    if (region == nullptr) return KeyError(name, prefix + ".region", "is required");
    const auto* region_str = region->as_string();
    if (region_str == nullptr) return KeyError(name, prefix + ".region", "must be a string");
    const Region* r = FindRegion(region_str->get());
    if (r == nullptr) {
      return KeyError(name, prefix + ".region",
                      "names an unknown region " + Quote(region_str->get()));
    }
    z.region = std::string(r->code);

    const toml::node* gw = t->get("vpn_gateway");
    if (gw == nullptr) return KeyError(name, prefix + ".vpn_gateway", "is required");
    const auto* gw_str = gw->as_string();
    if (gw_str == nullptr) return KeyError(name, prefix + ".vpn_gateway", "must be a string");
    z.vpn_gateway = gw_str->get();
    out.push_back(std::move(z));
  }
  *zones = std::move(out);
  return Status::Ok();
}

// Range checks of VisitScalars applied to values already in a Config (for Validate).
class RangeChecker {
 public:
  explicit RangeChecker(std::string_view name) : name_(name) {}

  void Str(std::string_view, const std::string&) {}
  void Bool(std::string_view, const bool&) {}
  void Strings(std::string_view, const std::vector<std::string>&) {}
  template <class T>
  void Int(std::string_view key, const T& v, int64_t min, int64_t max) {
    if (!status_.ok()) return;
    if (std::cmp_less(v, min) || std::cmp_greater(v, max)) {
      status_ = KeyError(name_, key, RangeText(min, max) + ", got " + std::to_string(v));
    }
  }

  const Status& status() const { return status_; }

 private:
  std::string_view name_;
  Status status_;
};

Status CheckListen(std::string_view name, std::string_view key, const std::string& value) {
  auto hp = SplitHostPort(value);
  if (!hp.ok()) return KeyError(name, key, "must be host:port: " + hp.status().message());
  return Status::Ok();
}

std::string JoinPath(const std::string& dir, std::string_view file) {
  std::string out = dir;
  if (!out.empty() && out.back() != '/') out += '/';
  out += file;
  return out;
}

}  // namespace

// Tencent's region list: the API 2.0 short code, the API 3.0 name and the numeric
// regionId, as the public region tables give them (the regionId is also the prefix of
// the region's CVM zone ids, e.g. 100001 = ap-guangzhou-1).
const std::vector<Region>& KnownRegions() {
  // Never destroyed (no static destructor order issues at exit).
  static const auto* const kRegions = new std::vector<Region>{
      {"gz", "ap-guangzhou", 1},  {"sh", "ap-shanghai", 4},        {"hk", "ap-hongkong", 5},
      {"ca", "na-toronto", 6},    {"shjr", "ap-shanghai-fsi", 7},  {"bj", "ap-beijing", 8},
      {"sg", "ap-singapore", 9},  {"szjr", "ap-shenzhen-fsi", 11}, {"usw", "na-siliconvalley", 15},
      {"cd", "ap-chengdu", 16},   {"de", "eu-frankfurt", 17},      {"kr", "ap-seoul", 18},
      {"cq", "ap-chongqing", 19}, {"in", "ap-mumbai", 21},         {"use", "na-ashburn", 22},
      {"th", "ap-bangkok", 23},   {"ru", "eu-moscow", 24},         {"jp", "ap-tokyo", 25},
      {"nj", "ap-nanjing", 33},   {"tpe", "ap-taipei", 39},        {"bjjr", "ap-beijing-fsi", 46},
  };
  return *kRegions;
}

const Region* FindRegion(std::string_view alias) {
  // SPEC §2: the short 2.0 codes and the 3.0 names are aliases of one region. Matching is
  // exact: Tencent spells both in lower case and the API rejects other spellings.
  for (const Region& r : KnownRegions()) {
    if (r.code == alias || r.name == alias) return &r;
  }
  return nullptr;
}

std::string Config::MasterKeyPath() const {
  return secrets.master_key_file.empty() ? JoinPath(data_dir, "master.key")
                                         : secrets.master_key_file;
}

std::string Config::DatabasePath() const { return JoinPath(data_dir, "obvpn.db"); }

std::vector<const Zone*> Config::ZonesOf(std::string_view region_alias) const {
  std::vector<const Zone*> out;
  const Region* r = FindRegion(region_alias);
  if (r == nullptr) return out;
  for (const Zone& z : zones) {
    if (FindRegion(z.region) == r) out.push_back(&z);
  }
  return out;
}

const Zone* Config::FirstZoneOf(std::string_view region_alias) const {
  const Region* r = FindRegion(region_alias);
  if (r == nullptr) return nullptr;
  for (const Zone& z : zones) {
    if (FindRegion(z.region) == r) return &z;
  }
  return nullptr;
}

const Zone* Config::ZoneOf(std::string_view region_alias, uint64_t zone_id) const {
  const Region* r = FindRegion(region_alias);
  if (r == nullptr) return nullptr;
  for (const Zone& z : zones) {
    if (z.id == zone_id && FindRegion(z.region) == r) return &z;
  }
  return nullptr;
}

const Zone* Config::FindZone(uint64_t zone_id) const {
  for (const Zone& z : zones) {
    if (z.id == zone_id) return &z;
  }
  return nullptr;
}

Config Defaults() {
  Config c;
  c.zones.push_back(Zone{kDemoZoneId, std::string(kDemoZoneRegion), std::string(kDemoZoneGateway)});
  return c;
}

Result<std::pair<std::string, uint16_t>> SplitHostPort(std::string_view s) {
  const std::string shown = "\"" + EscapeForLog(s) + "\"";
  std::string_view host;
  std::string_view port;
  if (!s.empty() && s.front() == '[') {
    // RFC 3986 §3.2.2: an IPv6 literal is enclosed in brackets, so its colons are not
    // mistaken for the port separator.
    const size_t close = s.find(']');
    if (close == std::string_view::npos) return InvalidArgument("unclosed '[' in " + shown);
    host = s.substr(1, close - 1);
    std::string_view rest = s.substr(close + 1);
    if (rest.empty() || rest.front() != ':') return InvalidArgument("missing port in " + shown);
    port = rest.substr(1);
    if (host.find_first_of("[]") != std::string_view::npos) {
      return InvalidArgument("bad IPv6 literal in " + shown);
    }
  } else {
    const size_t colon = s.rfind(':');
    if (colon == std::string_view::npos) return InvalidArgument("missing port in " + shown);
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return InvalidArgument("an IPv6 address must be in brackets ([::1]:port) in " + shown);
    }
    if (host.find_first_of("[]") != std::string_view::npos) {
      return InvalidArgument("stray bracket in " + shown);
    }
  }
  if (host.empty()) return InvalidArgument("empty host in " + shown);
  for (char ch : host) {
    const auto u = static_cast<unsigned char>(ch);
    if (u <= 0x20 || u == 0x7F || ch == '/' || ch == '@') {
      return InvalidArgument("invalid character in host of " + shown);
    }
  }
  if (port.empty()) return InvalidArgument("missing port in " + shown);
  // Digits only (no sign, no spaces); at most 5 of them so the value cannot overflow.
  const auto p = port.size() <= 5 ? ParseUint64(port) : std::nullopt;
  if (!p || *p > 65535) return InvalidArgument("port must be 0..65535 in " + shown);
  return std::pair<std::string, uint16_t>(std::string(host), static_cast<uint16_t>(*p));
}

Status Validate(const Config& config, std::string_view name) {
  // An empty data_dir would put the master key and database at "/master.key".
  if (config.data_dir.empty()) return KeyError(name, "data_dir", "must not be empty");

  RangeChecker ranges(name);
  VisitScalars(config, ranges);
  OBVPN_RETURN_IF_ERROR(ranges.status());

  OBVPN_RETURN_IF_ERROR(CheckListen(name, "api.listen", config.api.listen));
  OBVPN_RETURN_IF_ERROR(CheckListen(name, "radius.listen", config.radius.listen));
  OBVPN_RETURN_IF_ERROR(
      CheckListen(name, "radius.accounting_listen", config.radius.accounting_listen));
  OBVPN_RETURN_IF_ERROR(CheckListen(name, "admin.listen", config.admin.listen));

  // SPEC §8: "tls_cert ... with tls_key, the API speaks HTTPS" — one without the other is
  // a half-configured listener, refused rather than silently served in plain text.
  if (config.api.tls_cert.empty() != config.api.tls_key.empty()) {
    return config.api.tls_cert.empty()
               ? KeyError(name, "api.tls_cert", "must be set when 'api.tls_key' is set")
               : KeyError(name, "api.tls_key", "must be set when 'api.tls_cert' is set");
  }
  for (size_t i = 0; i < config.api.hosts.size(); ++i) {
    if (config.api.hosts[i].empty()) {
      return KeyError(name, "api.hosts", "entry " + std::to_string(i) + " is empty");
    }
  }

  if (config.store.kind != "sqlite" && config.store.kind != "postgres") {
    return KeyError(name, "store.kind",
                    "must be \"sqlite\" or \"postgres\", got " + Quote(config.store.kind));
  }
  // The URL may carry a password, so it is never echoed.
  if (config.password.hash_priority != "low" && config.password.hash_priority != "idle") {
    return KeyError(name, "password.hash_priority",
                    "must be \"low\" or \"idle\", got " + Quote(config.password.hash_priority));
  }
  if (config.store.kind == "postgres" && config.store.postgres_url.empty()) {
    return KeyError(name, "store.postgres_url", "must be set when store.kind is \"postgres\"");
  }

  bool level_ok = false;
  for (std::string_view l : kLogLevels) level_ok = level_ok || config.log.level == l;
  if (!level_ok) {
    return KeyError(
        name, "log.level",
        "must be one of trace, debug, info, warn, error, off, got " + Quote(config.log.level));
  }

  if (config.zones.empty()) return KeyError(name, "zone", "must list at least one zone");
  std::unordered_set<uint64_t> ids;
  for (size_t i = 0; i < config.zones.size(); ++i) {
    const Zone& z = config.zones[i];
    const std::string prefix = "zone[" + std::to_string(i) + "]";
    if (z.id == 0) return KeyError(name, prefix + ".id", "must be a positive integer");
    if (!ids.insert(z.id).second) {
      return KeyError(name, prefix + ".id", "duplicates zone id " + std::to_string(z.id));
    }
    if (FindRegion(z.region) == nullptr) {
      return KeyError(name, prefix + ".region", "names an unknown region " + Quote(z.region));
    }
    // The gateway is an address clients connect to: port 0 makes no sense there.
    auto hp = SplitHostPort(z.vpn_gateway);
    if (!hp.ok()) {
      return KeyError(name, prefix + ".vpn_gateway", "must be host:port: " + hp.status().message());
    }
    if (hp->second == 0)
      return KeyError(name, prefix + ".vpn_gateway", "must have a port 1..65535");
  }
  return Status::Ok();
}

Result<Config> LoadString(std::string_view toml_text, std::string_view name) {
  // toml++ reports syntax errors by exception; it is caught here so none escapes the API.
  try {
    const toml::table root = toml::parse(toml_text, name);
    OBVPN_RETURN_IF_ERROR(CheckKeys(root, name));
    Config c;
    TomlReader reader(root, name);
    VisitScalars(c, reader);
    OBVPN_RETURN_IF_ERROR(reader.status());
    OBVPN_RETURN_IF_ERROR(ReadZones(root, name, &c.zones));
    if (c.zones.empty()) c.zones = Defaults().zones;
    OBVPN_RETURN_IF_ERROR(Validate(c, name));
    return c;
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    return InvalidArgument(std::string(name) + ":" + std::to_string(begin.line) + ":" +
                           std::to_string(begin.column) + ": " + std::string(e.description()));
  } catch (const std::exception& e) {
    return Internal(std::string(name) + ": " + e.what());
  }
}

Result<Config> LoadFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int err = errno;
    const std::string m = path + ": " + std::strerror(err);
    if (err == ENOENT || err == ENOTDIR) return NotFound(m);
    return Unavailable(m);
  }
  std::string text;
  char buf[8192];
  bool failed = false;
  int err = 0;
  while (true) {
    const size_t n = std::fread(buf, 1, sizeof(buf), f);
    text.append(buf, n);
    if (text.size() > kMaxFileBytes) break;
    if (n < sizeof(buf)) {
      if (std::ferror(f)) {
        failed = true;
        err = errno;
      }
      break;
    }
  }
  std::fclose(f);
  if (failed) return Unavailable(path + ": " + std::strerror(err));
  if (text.size() > kMaxFileBytes) {
    return InvalidArgument(path + ": larger than " + std::to_string(kMaxFileBytes) + " bytes");
  }
  auto c = LoadString(text, path);
  if (!c.ok()) return c.status();
  c->source = path;
  return c;
}

}  // namespace obvpn::config
