// JSON text for the hot paths: a string encoder that writes straight into a response
// body or a log line (RFC 8259 §7), so the API 2.0 envelope and the log line of every
// request are built without a JSON DOM (SPEC §9; docs/performance.md). Pure,
// thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace obvpn {

// Appends `s` as a JSON string, quotes included: '"' and '\' are escaped, control
// characters become \b \f \n \r \t or \u00XX, valid UTF-8 is copied as is, and each byte
// that does not start a valid UTF-8 sequence becomes U+FFFD — the same text
// nlohmann::json::dump(..., error_handler_t::replace) writes for valid input, and always
// valid JSON for any input.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace obvpn
