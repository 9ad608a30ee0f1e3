// What an obvpnctl command prints: one JSON document (--json, or always for commands
// whose output is a credential) or a human rendering as aligned columns or
// "key: value" lines. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace obvpn::cli {

// Keys keep their insertion order so output reads in the documented order.
using Json = nlohmann::ordered_json;

struct Output {
  Json json;                 // the --json document
  std::string text;          // the human rendering, ending in a newline ("" prints nothing)
  bool always_json = false;  // print `json` even without --json (tenant add, key add)

  // The bytes to write to stdout.
  std::string Render(bool as_json) const;
};

// Columns separated by two spaces, each as wide as its widest cell; `headers` first.
std::string RenderTable(const std::vector<std::string>& headers,
                        const std::vector<std::vector<std::string>>& rows);

// "key:   value" lines with the values aligned.
std::string RenderFields(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace obvpn::cli
