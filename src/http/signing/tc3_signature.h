// API 3.0 TC3-HMAC-SHA256 request signatures (SPEC §4, PROTOCOL.md "TC3-HMAC-SHA256, step
// by step"): the Authorization header codec, the canonical request, the string to sign,
// the derived signing key and the signature. Pure functions, thread-safe; no I/O.
//
// The canonical request of a verified request is built from what was received (method,
// query, signed header values, body), so these functions serve both the server (verify)
// and the clients (obvpnctl call, tests) that sign.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace obvpn::http::signing {

inline constexpr std::string_view kTc3Algorithm = "TC3-HMAC-SHA256";
// The last element of every TC3 credential scope.
inline constexpr std::string_view kTc3Terminator = "tc3_request";

// A parsed "Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<Date>/<service>/
// tc3_request, SignedHeaders=<h1;h2>, Signature=<hex>" header.
struct Tc3Authorization {
  std::string secret_id;
  std::string date;                         // "YYYY-MM-DD" (format checked, not the value)
  std::string service;                      // e.g. "bm"
  std::vector<std::string> signed_headers;  // lower case, strictly ascending, unique
  std::string signature;                    // 64 lower-case hex digits
};

// Parses an Authorization header value. Accepted shape (what every official SDK sends):
//   "TC3-HMAC-SHA256" SP+ "Credential=" cred "," SP* "SignedHeaders=" list "," SP*
//   "Signature=" hex
// where SP is a space; nothing else may appear (no other fields, no reordering, no spaces
// around '=', no trailing text). `cred` is exactly four '/'-separated non-empty parts, the
// last "tc3_request" and the second a YYYY-MM-DD date. `list` is lower-case header names
// ([a-z0-9-]) joined by ';', strictly ascending, including "content-type" and "host".
// `hex` is 64 lower-case hex digits. InvalidArgument with a message naming the part that
// is wrong (never echoing the signature) otherwise.
Result<Tc3Authorization> ParseTc3Authorization(std::string_view header);

// The Authorization header value for the given parts, formatted as the official SDKs do
// (", " between fields). `signed_headers` is the ';'-joined list.
std::string FormatTc3Authorization(std::string_view secret_id, std::string_view date,
                                   std::string_view service, std::string_view signed_headers,
                                   std::string_view signature);

// UTC calendar date of a UNIX time, "YYYY-MM-DD" (proleptic Gregorian; any int64 input
// whose year fits in four digits; other years are printed with their full width).
std::string Tc3Date(int64_t unix_seconds);

// One header that takes part in the signature: its lower-case name and its value as
// received. The canonical form lower-cases and trims the value.
struct Tc3Header {
  std::string_view name;
  std::string_view value;
};

struct Tc3Request {
  std::string_view http_method;  // "POST" / "GET", upper case
  std::string_view canonical_uri = "/";
  std::string_view canonical_query;  // "" for POST; the query string as sent for GET
  std::vector<Tc3Header> headers;    // the signed headers, in SignedHeaders order
  std::string_view payload;          // the body as received ("" for GET)
};

// The ';'-joined names of request.headers (the SignedHeaders value).
std::string Tc3SignedHeaders(const Tc3Request& request);

// METHOD \n URI \n QUERY \n (name:lower(trim(value)) \n)* \n SignedHeaders \n
// hex(SHA256(payload)).
std::string Tc3CanonicalRequest(const Tc3Request& request);

// "<date>/<service>/tc3_request".
std::string Tc3CredentialScope(std::string_view date, std::string_view service);

// "TC3-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n" + hex(SHA256(canonical_request)).
// `timestamp` is the X-TC-Timestamp value exactly as sent.
std::string Tc3StringToSign(std::string_view timestamp, std::string_view credential_scope,
                            std::string_view canonical_request);

// kSigning = HMAC(HMAC(HMAC("TC3" + secret_key, date), service), "tc3_request"), raw bytes.
// The caller wipes it (crypto::Wipe) when done.
std::string Tc3SigningKey(std::string_view secret_key, std::string_view date,
                          std::string_view service);

// hex(HMAC-SHA256(Tc3SigningKey(...), string_to_sign)), lower case.
std::string Tc3Sign(std::string_view secret_key, std::string_view date, std::string_view service,
                    std::string_view string_to_sign);

// Computes the expected signature of `request` and compares it with `signature` in
// constant time.
bool Tc3Verify(const Tc3Request& request, std::string_view timestamp, std::string_view date,
               std::string_view service, std::string_view secret_key, std::string_view signature);

// `host` without a trailing ":port" ("a.b:8080" → "a.b", "[::1]:80" → "[::1]"); unchanged
// when it has no port. The official Node.js SDK signs the host without its port while its
// Host header carries one (PEERS.md).
std::string_view StripPort(std::string_view host);

}  // namespace obvpn::http::signing
