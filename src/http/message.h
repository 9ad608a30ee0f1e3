// Transport-independent HTTP request and response, as the API front ends see them. The
// server fills a Request from the wire (plain or TLS) and writes the Response back; the
// fuzz seam and the unit tests build them directly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obvpn::http {

struct Request {
  std::string method;                                        // as received, e.g. "GET"
  std::string target;                                        // "/v2/index.php?Action=..."
  std::string path;                                          // target before '?'
  std::string query;                                         // target after '?', "" if none
  std::string host;                                          // Host header exactly as received
  std::string content_type;                                  // Content-Type header as received
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string peer;  // "127.0.0.1:53412"
  bool tls = false;
  std::string request_id;  // assigned by the server (UUID v4)

  // First header with this lower-case name; nullptr if absent.
  const std::string* Header(std::string_view lower_name) const;
};

// What the front end tells the server to log about a request (never a secret).
struct RequestLog {
  std::string api;  // "v2", "v3", "admin"
  std::string action;
  uint64_t app_id = 0;
  std::string secret_id;
  int code = 0;        // API 2.0 code, or 0
  std::string error;   // ApiError name or ""
  std::string detail;  // server-side detail for operators (no secrets)
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  // close the connection after this response
  RequestLog log;
};

// Splits "path?query".
void SplitTarget(std::string_view target, std::string& path, std::string& query);

}  // namespace obvpn::http
