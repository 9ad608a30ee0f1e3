// Pure argument parsing for obvpnctl (SPEC §8): appIds, times, CIDRs, endpoint URLs,
// action allow-lists and name=value pairs. No I/O; every function is thread-safe.
// Failures are InvalidArgument with a message that names the argument (obvpnctl prints
// it and exits 2, a usage error).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "http/signing/form.h"
#include "store/store.h"

namespace obvpn::cli {

// A tenant id (SPEC §2): unsigned 64-bit decimal, > 0.
Result<store::AppId> ParseAppId(std::string_view s);

// A point in time, as UNIX seconds:
//   - UNIX seconds ("1764576000"),
//   - RFC 3339 ("2026-12-01T08:00:00Z", optional fraction, 'Z' or a "+08:00" offset),
//   - a relative duration "<N><unit>" with unit s, m, h, d or w, meaning now minus that.
Result<int64_t> ParseTimeSpec(std::string_view s, int64_t now);

// UNIX seconds as RFC 3339 UTC, "2026-12-01T08:00:00Z".
std::string FormatRfc3339(int64_t unix_seconds);

// An IPv4 or IPv6 address with an optional "/prefix" (0..32, 0..128). Host bits beyond
// the prefix must be zero ("10.0.0.1/24" is refused, naming 10.0.0.0/24), so the stored
// network is what the operator meant. Zone ids ("fe80::1%eth0") are refused.
Status ValidateCidr(std::string_view s);

// A parsed --endpoint URL: "http[s]://host[:port][/path]".
struct Endpoint {
  bool tls = false;
  std::string host;         // without IPv6 brackets: what to resolve/connect
  uint16_t port = 0;        // 80 / 443 when the URL names none
  std::string host_header;  // host[:port] exactly as written in the URL (signed, SPEC §3.2)
  std::string path;         // "" when the URL has none (or only "/")
  bool host_is_ip = false;  // an address literal: no SNI, verify the certificate's IP SAN
};
// No userinfo, query or fragment; the port, if written, is 1..65535.
Result<Endpoint> ParseEndpoint(std::string_view url);

// The action names API keys may be limited to (SPEC §2, §3.1, §4).
bool IsKnownAction(std::string_view action);

// "A,B" → {"A","B"}: names must be non-empty and [A-Za-z0-9]; duplicates are dropped.
// Unknown names are accepted (callers warn; see IsKnownAction).
Result<std::vector<std::string>> ParseActionList(std::string_view s);

// "yes" / "no" / "auto".
Result<store::RequireMessageAuthenticator> ParseRequireMessageAuthenticator(std::string_view s);
std::string_view RequireMessageAuthenticatorName(store::RequireMessageAuthenticator r);

// A RADIUS client name: 1..64 characters of [A-Za-z0-9._-].
Status ValidateRadiusClientName(std::string_view s);

// "name=value" arguments of `call`, in order. The name must be non-empty; the value may
// be empty and may contain '='. A name given twice is refused.
Result<http::signing::Params> ParseNameValues(const std::vector<std::string>& args);

}  // namespace obvpn::cli
