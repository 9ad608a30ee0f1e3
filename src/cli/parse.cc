#include "cli/parse.h"

#include <arpa/inet.h>

#include <array>
#include <ctime>
#include <limits>

#include "core/strings.h"

namespace obvpn::cli {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Relative durations and --since values are bounded so that now − n cannot overflow.
constexpr int64_t kMaxRelativeSeconds = int64_t{100} * 366 * 24 * 3600;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible
// low-level date algorithms", days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t DaysInMonth(int64_t y, int64_t m) {
  static constexpr std::array<int64_t, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[static_cast<size_t>(m - 1)];
}

// Reads exactly `n` digits at s[*pos], advancing *pos.
bool ReadDigits(std::string_view s, size_t* pos, size_t n, int64_t* out) {
  if (*pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[*pos + i];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

// RFC 3339 §5.6: date-time = full-date "T" full-time; full-time = partial-time
// time-offset; time-offset = "Z" / ("+" / "-") time-hour ":" time-minute. §5.6 NOTE:
// "T" and "Z" may be lower case. Fractions of a second are accepted and truncated.
std::optional<int64_t> ParseRfc3339(std::string_view s) {
  size_t p = 0;
  int64_t year, month, day, hour, minute, second;
  if (!ReadDigits(s, &p, 4, &year) || !Expect(s, &p, '-') || !ReadDigits(s, &p, 2, &month) ||
      !Expect(s, &p, '-') || !ReadDigits(s, &p, 2, &day)) {
    return std::nullopt;
  }
  if (p >= s.size() || (s[p] != 'T' && s[p] != 't')) return std::nullopt;
  ++p;
  if (!ReadDigits(s, &p, 2, &hour) || !Expect(s, &p, ':') || !ReadDigits(s, &p, 2, &minute) ||
      !Expect(s, &p, ':') || !ReadDigits(s, &p, 2, &second)) {
    return std::nullopt;
  }
  if (p < s.size() && s[p] == '.') {
    ++p;
    const size_t start = p;
    while (p < s.size() && IsDigit(s[p])) ++p;
    if (p == start) return std::nullopt;
  }
  int64_t offset = 0;
  if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
    ++p;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    const int64_t sign = s[p] == '-' ? -1 : 1;
    ++p;
    int64_t oh, om;
    if (!ReadDigits(s, &p, 2, &oh) || !Expect(s, &p, ':') || !ReadDigits(s, &p, 2, &om)) {
      return std::nullopt;
    }
    if (oh > 23 || om > 59) return std::nullopt;
    offset = sign * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  if (p != s.size()) return std::nullopt;
  // RFC 3339 §5.7 ranges; second 60 is a leap second and counts as the next second.
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 60) {
    return std::nullopt;
  }
  const int64_t days = DaysFromCivil(year, month, day);
  return days * 86400 + hour * 3600 + minute * 60 + second - offset;
}

std::optional<int64_t> UnitSeconds(char unit) {
  switch (unit) {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 3600;
    case 'd':
      return 86400;
    case 'w':
      return 7 * 86400;
    default:
      return std::nullopt;
  }
}

}  // namespace

Result<store::AppId> ParseAppId(std::string_view s) {
  const std::optional<uint64_t> v = ParseUint64(s);
  if (!v || *v == 0) {
    return InvalidArgument("invalid appId '" + EscapeForLog(s) +
                           "': expected a decimal number from 1 to 18446744073709551615");
  }
  return *v;
}

Result<int64_t> ParseTimeSpec(std::string_view s, int64_t now) {
  const std::string shown = "'" + EscapeForLog(s) + "'";
  if (s.empty()) return InvalidArgument("empty time: expected UNIX seconds, RFC 3339 or 15m/2h/7d");
  if (std::optional<int64_t> unix = ParseInt64(s)) return *unix;
  if (std::optional<int64_t> mult = UnitSeconds(s.back()); mult && s.size() > 1) {
    const std::optional<uint64_t> n = ParseUint64(s.substr(0, s.size() - 1));
    if (n) {
      if (*n > static_cast<uint64_t>(kMaxRelativeSeconds / *mult)) {
        return InvalidArgument("time " + shown + " is too far in the past");
      }
      return now - static_cast<int64_t>(*n) * *mult;
    }
  }
  if (std::optional<int64_t> t = ParseRfc3339(s)) return *t;
  return InvalidArgument("invalid time " + shown +
                         ": expected UNIX seconds, RFC 3339 (2026-12-01T08:00:00Z) or a "
                         "duration ago (30s, 15m, 2h, 7d, 1w)");
}

std::string FormatRfc3339(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (::gmtime_r(&t, &tm) == nullptr) return std::to_string(unix_seconds);
  char buf[32];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return n == 0 ? std::to_string(unix_seconds) : std::string(buf, n);
}

Status ValidateCidr(std::string_view s) {
  const std::string shown = "'" + EscapeForLog(s) + "'";
  const size_t slash = s.find('/');
  const std::string addr(s.substr(0, slash));
  std::array<unsigned char, 16> bytes{};
  size_t bits = 0;
  int family = AF_UNSPEC;
  if (addr.find('%') != std::string::npos) {
    return InvalidArgument("address " + shown + ": zone ids (%...) are not supported");
  }
  if (::inet_pton(AF_INET, addr.c_str(), bytes.data()) == 1) {
    family = AF_INET;
    bits = 32;
  } else if (::inet_pton(AF_INET6, addr.c_str(), bytes.data()) == 1) {
    family = AF_INET6;
    bits = 128;
  } else {
    return InvalidArgument("address " + shown +
                           ": expected an IPv4 or IPv6 address with an optional /prefix");
  }
  if (slash == std::string_view::npos) return Status::Ok();
  const std::string_view prefix_text = s.substr(slash + 1);
  const std::optional<uint64_t> prefix =
      prefix_text.size() <= 3 ? ParseUint64(prefix_text) : std::nullopt;
  if (!prefix || *prefix > bits) {
    return InvalidArgument("address " + shown + ": the prefix length must be 0.." +
                           std::to_string(bits));
  }
  // Clear the host bits and compare: a set host bit means the operator wrote an address
  // inside a network rather than the network itself.
  std::array<unsigned char, 16> network = bytes;
  bool host_bits = false;
  for (size_t i = 0; i < bits / 8; ++i) {
    const size_t lo = i * 8;
    unsigned char keep = 0;
    if (*prefix >= lo + 8) {
      keep = 0xFF;
    } else if (*prefix > lo) {
      keep = static_cast<unsigned char>(0xFF << (8 - (*prefix - lo)));
    }
    network[i] = static_cast<unsigned char>(bytes[i] & keep);
    host_bits = host_bits || network[i] != bytes[i];
  }
  if (host_bits) {
    char buf[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(family, network.data(), buf, sizeof buf);
    return InvalidArgument("address " + shown + " has host bits set; did you mean " +
                           std::string(buf) + "/" + std::to_string(*prefix) + "?");
  }
  return Status::Ok();
}

Result<Endpoint> ParseEndpoint(std::string_view url) {
  const std::string shown = "'" + EscapeForLog(url) + "'";
  const auto bad = [&shown](std::string_view why) {
    return InvalidArgument("endpoint " + shown + ": " + std::string(why));
  };
  Endpoint ep;
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return bad("expected http://host[:port] or https://host[:port]");
  }
  const std::string scheme = AsciiLower(url.substr(0, scheme_end));
  if (scheme == "https") {
    ep.tls = true;
  } else if (scheme != "http") {
    return bad("the scheme must be http or https");
  }
  std::string_view rest = url.substr(scheme_end + 3);
  const size_t authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  if (authority_end != std::string_view::npos) {
    const std::string_view path = rest.substr(authority_end);
    if (path.find_first_of("?#") != std::string_view::npos) {
      return bad("a query or fragment is not allowed");
    }
    if (path != "/") ep.path = std::string(path);
  }
  if (authority.empty()) return bad("the host is missing");
  if (authority.find('@') != std::string_view::npos) return bad("user info is not allowed");
  ep.host_header = std::string(authority);

  std::string_view port_text;
  bool has_port = false;
  if (authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated [IPv6] address");
    ep.host = std::string(authority.substr(1, close - 1));
    std::array<unsigned char, 16> bytes{};
    if (::inet_pton(AF_INET6, ep.host.c_str(), bytes.data()) != 1) {
      return bad("invalid IPv6 address in brackets");
    }
    ep.host_is_ip = true;
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("unexpected text after ]");
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    const size_t colon = authority.find(':');
    ep.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      has_port = true;
    }
    if (ep.host.empty()) return bad("the host is missing");
    for (char c : ep.host) {
      if (!IsAlnum(c) && c != '.' && c != '-') return bad("invalid character in the host");
    }
    std::array<unsigned char, 4> v4{};
    ep.host_is_ip = ::inet_pton(AF_INET, ep.host.c_str(), v4.data()) == 1;
  }
  if (has_port) {
    const std::optional<uint64_t> port =
        port_text.size() <= 5 ? ParseUint64(port_text) : std::nullopt;
    if (!port || *port == 0 || *port > 65535) return bad("the port must be 1..65535");
    ep.port = static_cast<uint16_t>(*port);
  } else {
    ep.port = ep.tls ? 443 : 80;
  }
  return ep;
}

bool IsKnownAction(std::string_view action) {
  // API 2.0 (SPEC §3.4, §3.5) and API 3.0 (SPEC §4) action names.
  return action == "GetOutBandVPNAuthInfo" || action == "SetOutBandVPNAuthPwd" ||
         action == "SetOutBandVpnAuthPassword";
}

Result<std::vector<std::string>> ParseActionList(std::string_view s) {
  std::vector<std::string> out;
  for (std::string_view name : Split(s, ',')) {
    name = TrimSpace(name);
    if (name.empty())
      return InvalidArgument("--actions: empty action name in '" + EscapeForLog(s) + "'");
    for (char c : name) {
      if (!IsAlnum(c)) {
        return InvalidArgument("--actions: invalid action name '" + EscapeForLog(name) +
                               "' (letters and digits only)");
      }
    }
    bool seen = false;
    for (const std::string& n : out) seen = seen || n == name;
    if (!seen) out.emplace_back(name);
  }
  return out;
}

Result<store::RequireMessageAuthenticator> ParseRequireMessageAuthenticator(std::string_view s) {
  using store::RequireMessageAuthenticator;
  const std::string v = AsciiLower(s);
  if (v == "yes") return RequireMessageAuthenticator::kYes;
  if (v == "no") return RequireMessageAuthenticator::kNo;
  if (v == "auto") return RequireMessageAuthenticator::kAuto;
  return InvalidArgument("--require-message-authenticator: expected yes, no or auto, got '" +
                         EscapeForLog(s) + "'");
}

std::string_view RequireMessageAuthenticatorName(store::RequireMessageAuthenticator r) {
  switch (r) {
    case store::RequireMessageAuthenticator::kYes:
      return "yes";
    case store::RequireMessageAuthenticator::kNo:
      return "no";
    case store::RequireMessageAuthenticator::kAuto:
      return "auto";
  }
  return "yes";
}

Status ValidateRadiusClientName(std::string_view s) {
  bool ok = !s.empty() && s.size() <= 64;
  for (char c : s) ok = ok && (IsAlnum(c) || c == '.' || c == '_' || c == '-');
  if (!ok) {
    return InvalidArgument("invalid RADIUS client name '" + EscapeForLog(s) +
                           "': 1 to 64 characters of A-Z a-z 0-9 . _ -");
  }
  return Status::Ok();
}

Result<http::signing::Params> ParseNameValues(const std::vector<std::string>& args) {
  http::signing::Params out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const size_t eq = arg.find('=');
    if (eq == std::string::npos || eq == 0) {
      // The argument is not echoed: it may be a password typed without its name.
      return InvalidArgument("parameter " + std::to_string(i + 1) +
                             " after the action: expected name=value");
    }
    std::string name = arg.substr(0, eq);
    for (const auto& p : out) {
      if (p.key == name)
        return InvalidArgument("parameter '" + EscapeForLog(name) + "' is given twice");
    }
    out.push_back({std::move(name), arg.substr(eq + 1)});
  }
  return out;
}

}  // namespace obvpn::cli
