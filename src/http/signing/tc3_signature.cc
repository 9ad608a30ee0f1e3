// TC3-HMAC-SHA256 (SPEC §4; PROTOCOL.md "TC3-HMAC-SHA256, step by step", which follows
// Tencent Cloud's "Signature v3" document).
#include "http/signing/tc3_signature.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "core/strings.h"
#include "crypto/crypto.h"

namespace obvpn::http::signing {
namespace {

constexpr size_t kSignatureHexLength = 64;  // hex(HMAC-SHA256)

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLowerHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }

bool IsHeaderNameChar(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || c == '-'; }

// Printable ASCII other than the delimiters of the Authorization grammar.
bool IsCredentialChar(char c) {
  return c > ' ' && c < 0x7f && c != '/' && c != ',' && c != ';' && c != '=';
}

bool IsDateShape(std::string_view s) {
  // "YYYY-MM-DD"
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i != 4 && i != 7 && !IsDigit(s[i])) return false;
  }
  return true;
}

// Consumes `prefix` at the start of `s`.
bool Consume(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

void SkipSpaces(std::string_view& s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
}

// Takes the text up to (not including) the next ',' and the ',' itself.
bool TakeField(std::string_view& s, std::string_view& field) {
  const size_t comma = s.find(',');
  if (comma == std::string_view::npos) return false;
  field = s.substr(0, comma);
  s.remove_prefix(comma + 1);
  return true;
}

Status Malformed(std::string_view what) {
  return InvalidArgument("malformed Authorization header: " + std::string(what) +
                         " (expected \"TC3-HMAC-SHA256 Credential=<SecretId>/<YYYY-MM-DD>/"
                         "<service>/tc3_request, SignedHeaders=content-type;host, "
                         "Signature=<hex>\")");
}

// Days since 1970-01-01 to a civil date (H. Hinnant, "chrono-Compatible Low-Level Date
// Algorithms", civil_from_days), exact for every int64 day count we can be given.
void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

}  // namespace

Result<Tc3Authorization> ParseTc3Authorization(std::string_view header) {
  std::string_view s = header;
  // "Authorization: TC3-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." —
  // the official SDKs (Node, Python, Go, Java) put one space after the algorithm and
  // ", " between fields; some hand-written signers omit the space after ','. Both are
  // accepted; anything else is refused so that one request has one reading.
  if (!Consume(s, kTc3Algorithm)) {
    return InvalidArgument("the Authorization header must use the TC3-HMAC-SHA256 algorithm");
  }
  if (s.empty() || s.front() != ' ') return Malformed("no space after the algorithm");
  SkipSpaces(s);

  Tc3Authorization out;
  std::string_view credential;
  if (!Consume(s, "Credential=") || !TakeField(s, credential)) {
    return Malformed("Credential= must come first, followed by ','");
  }
  const std::vector<std::string_view> parts = Split(credential, '/');
  if (parts.size() != 4) {
    return Malformed("Credential must be <SecretId>/<YYYY-MM-DD>/<service>/tc3_request");
  }
  for (std::string_view part : parts) {
    if (part.empty()) return Malformed("an empty Credential part");
    for (char c : part) {
      if (!IsCredentialChar(c)) return Malformed("a Credential part with a forbidden character");
    }
  }
  if (!IsDateShape(parts[1])) return Malformed("the Credential date must be YYYY-MM-DD");
  if (parts[3] != kTc3Terminator) return Malformed("the Credential must end with /tc3_request");
  out.secret_id = std::string(parts[0]);
  out.date = std::string(parts[1]);
  out.service = std::string(parts[2]);

  SkipSpaces(s);
  std::string_view signed_headers;
  if (!Consume(s, "SignedHeaders=") || !TakeField(s, signed_headers)) {
    return Malformed("SignedHeaders= must follow Credential, followed by ','");
  }
  // Tencent's document: header names lower case, sorted in ascending ASCII order, and at
  // least content-type and host. Strict ascending order also rules out duplicates, so a
  // header cannot be signed twice with two readings.
  bool has_content_type = false;
  bool has_host = false;
  std::string_view previous;
  for (std::string_view name : Split(signed_headers, ';')) {
    if (name.empty()) return Malformed("an empty SignedHeaders name");
    for (char c : name) {
      if (!IsHeaderNameChar(c)) {
        return Malformed("SignedHeaders names must be lower-case header names");
      }
    }
    if (!previous.empty() && !(previous < name)) {
      return Malformed("SignedHeaders must be sorted and unique");
    }
    previous = name;
    has_content_type = has_content_type || name == "content-type";
    has_host = has_host || name == "host";
    out.signed_headers.emplace_back(name);
  }
  if (!has_content_type || !has_host) {
    return Malformed("SignedHeaders must include content-type and host");
  }

  SkipSpaces(s);
  if (!Consume(s, "Signature=")) return Malformed("Signature= must follow SignedHeaders");
  if (s.size() != kSignatureHexLength) {
    return Malformed("Signature must be 64 lower-case hex digits");
  }
  for (char c : s) {
    if (!IsLowerHex(c)) return Malformed("Signature must be 64 lower-case hex digits");
  }
  out.signature = std::string(s);
  return out;
}

std::string FormatTc3Authorization(std::string_view secret_id, std::string_view date,
                                   std::string_view service, std::string_view signed_headers,
                                   std::string_view signature) {
  std::string out(kTc3Algorithm);
  out += " Credential=";
  out += secret_id;
  out += '/';
  out += Tc3CredentialScope(date, service);
  out += ", SignedHeaders=";
  out += signed_headers;
  out += ", Signature=";
  out += signature;
  return out;
}

std::string Tc3Date(int64_t unix_seconds) {
  // Floor division, so that times before 1970 land on the right day.
  int64_t days = unix_seconds / 86400;
  if (unix_seconds % 86400 < 0) --days;
  int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  CivilFromDays(days, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

std::string Tc3SignedHeaders(const Tc3Request& request) {
  std::string out;
  for (const Tc3Header& h : request.headers) {
    if (!out.empty()) out += ';';
    out += h.name;
  }
  return out;
}

std::string Tc3CanonicalRequest(const Tc3Request& request) {
  // Tencent's document, step 1: HTTPRequestMethod \n CanonicalURI \n CanonicalQueryString
  // \n CanonicalHeaders \n SignedHeaders \n HashedRequestPayload, where CanonicalHeaders
  // is "key:value\n" per signed header, "key and value converted to lower case, leading
  // and trailing spaces removed", in the order of SignedHeaders.
  std::string out;
  out += request.http_method;
  out += '\n';
  out += request.canonical_uri;
  out += '\n';
  out += request.canonical_query;
  out += '\n';
  for (const Tc3Header& h : request.headers) {
    out += AsciiLower(h.name);
    out += ':';
    out += AsciiLower(TrimSpace(h.value));
    out += '\n';
  }
  out += '\n';
  out += Tc3SignedHeaders(request);
  out += '\n';
  // "HashedRequestPayload = Lowercase(HexEncode(Hash.SHA256(RequestPayload)))"; for GET
  // the payload is the empty string.
  out += crypto::HexEncode(crypto::Sha256(request.payload));
  return out;
}

std::string Tc3CredentialScope(std::string_view date, std::string_view service) {
  std::string out(date);
  out += '/';
  out += service;
  out += '/';
  out += kTc3Terminator;
  return out;
}

std::string Tc3StringToSign(std::string_view timestamp, std::string_view credential_scope,
                            std::string_view canonical_request) {
  // Step 2: Algorithm \n RequestTimestamp \n CredentialScope \n HashedCanonicalRequest.
  std::string out(kTc3Algorithm);
  out += '\n';
  out += timestamp;
  out += '\n';
  out += credential_scope;
  out += '\n';
  out += crypto::HexEncode(crypto::Sha256(canonical_request));
  return out;
}

std::string Tc3SigningKey(std::string_view secret_key, std::string_view date,
                          std::string_view service) {
  // Step 3: SecretDate = HMAC_SHA256("TC3" + SecretKey, Date); SecretService =
  // HMAC_SHA256(SecretDate, Service); SecretSigning = HMAC_SHA256(SecretService,
  // "tc3_request").
  std::string k0 = "TC3";
  k0 += secret_key;
  std::string k_date = crypto::HmacSha256(k0, date);
  crypto::Wipe(k0);
  std::string k_service = crypto::HmacSha256(k_date, service);
  crypto::Wipe(k_date);
  std::string k_signing = crypto::HmacSha256(k_service, kTc3Terminator);
  crypto::Wipe(k_service);
  return k_signing;
}

std::string Tc3Sign(std::string_view secret_key, std::string_view date, std::string_view service,
                    std::string_view string_to_sign) {
  // Step 3 (end): Signature = HexEncode(HMAC_SHA256(SecretSigning, StringToSign)).
  std::string key = Tc3SigningKey(secret_key, date, service);
  std::string signature = crypto::HexEncode(crypto::HmacSha256(key, string_to_sign));
  crypto::Wipe(key);
  return signature;
}

bool Tc3Verify(const Tc3Request& request, std::string_view timestamp, std::string_view date,
               std::string_view service, std::string_view secret_key, std::string_view signature) {
  const std::string to_sign =
      Tc3StringToSign(timestamp, Tc3CredentialScope(date, service), Tc3CanonicalRequest(request));
  std::string expected = Tc3Sign(secret_key, date, service, to_sign);
  // STYLE.md: constant-time comparison for every MAC — an early-exit compare lets an
  // attacker forge a signature one byte at a time by timing.
  const bool ok = crypto::ConstantTimeEquals(expected, signature);
  crypto::Wipe(expected);
  return ok;
}

std::string_view StripPort(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    // "[v6]" or "[v6]:port".
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return host;
    if (close + 1 < host.size() && host[close + 1] == ':') return host.substr(0, close + 1);
    return host;
  }
  const size_t colon = host.rfind(':');
  // Exactly one ':' (more would be an unbracketed IPv6 literal, which has no port).
  if (colon == std::string_view::npos || host.find(':') != colon) return host;
  return host.substr(0, colon);
}

}  // namespace obvpn::http::signing
