// application/x-www-form-urlencoded codec (SPEC §3 "Form decoding", §7 "parameter count").
#include "http/signing/form.h"

#include <algorithm>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "core/strings.h"

namespace obvpn::http::signing {
namespace {

// A parameter name shown in a message is cut to this many bytes (before escaping) so that
// a hostile client cannot make us build and log megabyte-long messages.
constexpr size_t kMaxShownNameBytes = 64;

// "'name'" for a message: escaped with EscapeForLog so control bytes, quotes and invalid
// UTF-8 cannot forge log lines, and truncated. Only names are ever shown; values may be
// passwords (SPEC §3.6: "the password itself never appears in a response or a log").
std::string QuoteName(std::string_view name) {
  std::string out = "'";
  out += EscapeForLog(name.substr(0, kMaxShownNameBytes));
  if (name.size() > kMaxShownNameBytes) out += "...";
  out += "'";
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// WHATWG URL "application/x-www-form-urlencoded parsing" (and HTML 4 §17.13.4): '+' is a
// space and "%XX" is the byte 0xXX. Unlike the WHATWG parser (which keeps a stray '%'
// literally) SPEC §3 makes a malformed escape an error, so the request cannot be signed
// over one string by the client and interpreted as another by us. False on a '%' not
// followed by two hex digits.
bool PercentDecode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  // Runs without '%' or '+' (nearly all of a signed request) are copied whole.
  for (size_t i = 0; i < in.size();) {
    const size_t special = std::min(in.find_first_of("%+", i), in.size());
    out.append(in.data() + i, special - i);
    i = special;
    if (i == in.size()) break;
    if (in[i] == '+') {
      out += ' ';
      ++i;
      continue;
    }
    if (in.size() - i < 3) return false;
    const int hi = HexValue(in[i + 1]);
    const int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>((hi << 4) | lo);
    i += 3;
  }
  return true;
}

// The checks SPEC §3 applies to every decoded key and value: no NUL (it would truncate
// the string in C APIs and logs further down) and well-formed UTF-8 (SPEC §3: "UTF-8").
// Messages start with `what` ("parameter" or "parameter name") and the quoted key; they
// are built only on failure.
Status CheckDecoded(std::string_view decoded, std::string_view what, std::string_view key) {
  const char* problem = nullptr;
  if (decoded.find('\0') != std::string_view::npos) {
    problem = " contains a NUL byte";
  } else if (!IsValidUtf8(decoded)) {
    problem = " is not valid UTF-8";
  } else {
    return Status::Ok();
  }
  return InvalidArgument(std::string(what) + " " + QuoteName(key) + problem);
}

bool IsUnreserved(unsigned char c) {
  // RFC 3986 §2.3: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

Result<Params> DecodeForm(std::string_view text, size_t max_params) {
  // SPEC §7: the parameter count is limited (default 100). Count the non-empty segments
  // first, with no allocation or decoding, so an oversized request costs one scan.
  size_t count = 0;
  for (size_t start = 0; start <= text.size();) {
    const size_t end = std::min(text.find('&', start), text.size());
    if (end > start && ++count > max_params) {
      return InvalidArgument("too many parameters (limit " + std::to_string(max_params) + ")");
    }
    start = end + 1;
  }

  Params params;
  params.reserve(count);
  for (size_t start = 0; start <= text.size();) {
    const size_t end = std::min(text.find('&', start), text.size());
    const std::string_view segment = text.substr(start, end - start);
    start = end + 1;
    // WHATWG form parsing: empty sequences between '&' are skipped.
    if (segment.empty()) continue;
    // The first '=' separates name from value; a segment without one is a name with an
    // empty value.
    const size_t eq = segment.find('=');
    const std::string_view raw_key = segment.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : segment.substr(eq + 1);
    if (raw_key.empty()) return InvalidArgument("empty parameter name");

    Param param;
    // A name that cannot be decoded is shown as it came on the wire.
    if (!PercentDecode(raw_key, param.key)) {
      return InvalidArgument("parameter name " + QuoteName(raw_key) +
                             " has a malformed percent escape");
    }
    OBVPN_RETURN_IF_ERROR(CheckDecoded(param.key, "parameter name", param.key));
    // From here on the name is known good; value errors name it but never show the value.
    if (!PercentDecode(raw_value, param.value)) {
      return InvalidArgument("parameter " + QuoteName(param.key) +
                             " has a malformed percent escape");
    }
    OBVPN_RETURN_IF_ERROR(CheckDecoded(param.value, "parameter", param.key));
    params.push_back(std::move(param));
  }

  // SPEC §3: "A parameter given twice is a 4000 error", compared after decoding so that
  // "a=1&%61=2" cannot smuggle a second value past whichever copy another layer reads.
  // A real request has a dozen parameters: compared pairwise, without allocating. Past
  // that, a balanced tree keeps this O(n log n) whatever keys an attacker picks (no hash
  // flooding); the views point into `params`, which no longer changes.
  auto twice = [](const Param& p) {
    return InvalidArgument("parameter " + QuoteName(p.key) + " is given more than once");
  };
  constexpr size_t kPairwise = 32;
  if (params.size() <= kPairwise) {
    for (size_t i = 1; i < params.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (params[i].key == params[j].key) return twice(params[i]);
      }
    }
    return params;
  }
  std::set<std::string_view> seen;
  for (const Param& param : params) {
    if (!seen.insert(param.key).second) return twice(param);
  }
  return params;
}

const Param* FindParam(const Params& params, std::string_view key) {
  for (const Param& param : params) {
    if (param.key == key) return &param;
  }
  return nullptr;
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c)) {
      out += ch;
    } else {
      // RFC 3986 §2.1: "producers ... should use uppercase hexadecimal digits".
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string EncodeForm(const Params& params) {
  std::string out;
  bool first = true;
  for (const Param& param : params) {
    if (!first) out += '&';
    first = false;
    out += UrlEncode(param.key);
    out += '=';
    out += UrlEncode(param.value);
  }
  return out;
}

}  // namespace obvpn::http::signing
