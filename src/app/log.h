// Structured logs (SPEC §8): one JSON object per line on stderr. Every caller passes
// already secret-free fields; this file adds time and level.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"

namespace obvpn::app {

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kOff };

// Parses "trace".."off"; InvalidArgument otherwise.
Result<LogLevel> ParseLogLevel(std::string_view s);
void SetLogLevel(LogLevel level);

// Lines are handed to a background writer (app/line_writer.h): info and below reach
// stderr a moment later, warn and above before the call returns. FlushLogs() waits (up
// to 2 s) until every line logged so far is written; it also runs at exit.
bool FlushLogs();
// Lines dropped because stderr was not read (obvpn_log_lines_dropped_total).
uint64_t LogLinesDropped();

// True when a line of this level is written (so a caller can skip building its fields).
bool LogEnabled(LogLevel level);

// Writes {"time":..., "level":..., "event": event, ...fields} as one line.
void Log(LogLevel level, std::string_view event, nlohmann::json fields = nlohmann::json::object());

// The fields of one line, written straight as JSON text in the order they are added —
// for the lines written per request (SPEC §8), where building a JSON DOM per line was a
// measurable share of the request (SPEC §9, docs/performance.md). Keys must be plain
// ASCII names (they are not escaped); values are escaped (core/json_text.h). Adding a
// key twice writes it twice: don't.
class LogFields {
 public:
  LogFields();
  LogFields& Add(std::string_view key, std::string_view value);
  LogFields& Add(std::string_view key, const char* value) {
    return Add(key, std::string_view(value));
  }
  LogFields& Add(std::string_view key, const std::string& value) {
    return Add(key, std::string_view(value));
  }
  LogFields& Add(std::string_view key, int64_t value);
  LogFields& Add(std::string_view key, uint64_t value);
  LogFields& Add(std::string_view key, int value) { return Add(key, static_cast<int64_t>(value)); }
  LogFields& Add(std::string_view key, unsigned value) {
    return Add(key, static_cast<uint64_t>(value));
  }
  LogFields& Add(std::string_view key, bool value);

  // Forgets the fields (the buffer is kept, for a LogFields reused per thread).
  void Clear() { text_.clear(); }

  // ,"k":v,"k2":v2 (empty when no field was added).
  const std::string& text() const { return text_; }

 private:
  void Key(std::string_view key);
  std::string text_;
};

// Writes {"time":..., "level":..., "event": event, <fields>} as one line. (Not an
// overload of Log: `Log(level, event, {})` must stay unambiguous.)
void LogLine(LogLevel level, std::string_view event, const LogFields& fields);

}  // namespace obvpn::app
