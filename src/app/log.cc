#include "app/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string>

#include "app/line_writer.h"
#include "core/json_text.h"

namespace obvpn::app {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};

std::string_view LevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kTrace:
      return "trace";
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
    case LogLevel::kOff:
      return "off";
  }
  return "info";
}

// Appends UTC with milliseconds, e.g. "2024-05-01T12:00:00.123Z". The part up to the
// seconds is formatted once per second per thread.
void AppendNowIso(std::string& out) {
  const auto now = std::chrono::system_clock::now();
  const auto t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  thread_local std::time_t cached_second = -1;
  thread_local char cached[64];
  thread_local size_t cached_len = 0;
  if (t != cached_second) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    const int n =
        std::snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                      tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_len = n > 0 ? static_cast<size_t>(n) : 0;
    cached_second = t;
  }
  out.append(cached, cached_len);
  const char frac[] = {'.', static_cast<char>('0' + ms / 100),
                       static_cast<char>('0' + ms / 10 % 10), static_cast<char>('0' + ms % 10),
                       'Z'};
  out.append(frac, sizeof frac);
}

// {"time":"...","level":"...","event":... (no closing brace).
void AppendLineStart(std::string& line, LogLevel level, std::string_view event) {
  line += R"({"time":")";
  AppendNowIso(line);
  line += R"(","level":")";
  line += LevelName(level);
  line += R"(","event":)";
  AppendJsonString(line, event);
}

std::string LineStart(LogLevel level, std::string_view event) {
  std::string line;
  AppendLineStart(line, level, event);
  return line;
}

// The process's one log sink, on stderr. Created on first use and never destroyed (a
// line may be logged from any thread until the process ends); what is pending when the
// process exits normally is written by the atexit handler.
LineWriter& Writer() {
  static LineWriter* writer = [] {
    auto* w = new LineWriter(STDERR_FILENO, [](uint64_t n) {
      return LineStart(LogLevel::kWarn, "log_lines_dropped") + ",\"count\":" + std::to_string(n) +
             ",\"detail\":\"stderr was not read fast enough\"}\n";
    });
    std::atexit([] { (void)Writer().Flush(); });
    return w;
  }();
  return *writer;
}

void Emit(LogLevel level, std::string& line) {
  line += '\n';
  LineWriter& w = Writer();
  w.Append(line);
  // Warnings and errors are on stderr when the call returns (an error is often the last
  // thing a process says before it exits).
  if (level >= LogLevel::kWarn) (void)w.Flush();
}

}  // namespace

bool FlushLogs() { return Writer().Flush(); }

uint64_t LogLinesDropped() { return Writer().dropped(); }

Result<LogLevel> ParseLogLevel(std::string_view s) {
  for (LogLevel l : {LogLevel::kTrace, LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn,
                     LogLevel::kError, LogLevel::kOff}) {
    if (s == LevelName(l)) return l;
  }
  return InvalidArgument("log level must be one of trace, debug, info, warn, error, off");
}

void SetLogLevel(LogLevel level) { g_level = level; }

bool LogEnabled(LogLevel level) { return level != LogLevel::kOff && level >= g_level.load(); }

void Log(LogLevel level, std::string_view event, nlohmann::json fields) {
  if (!LogEnabled(level)) return;
  // The fields are dumped once, in place, instead of being copied member by member into
  // a second JSON object first.
  std::string line = LineStart(level, event);
  if (fields.is_object() && !fields.empty()) {
    const std::string rest = fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    line += ',';
    line.append(rest, 1, std::string::npos);  // without the object's opening '{'
  } else {
    line += '}';
  }
  Emit(level, line);
}

void LogLine(LogLevel level, std::string_view event, const LogFields& fields) {
  if (!LogEnabled(level)) return;
  // A per-thread buffer: the line is copied into the writer's, so this one is reused.
  thread_local std::string line;
  line.clear();
  AppendLineStart(line, level, event);
  line += fields.text();
  line += '}';
  Emit(level, line);
}

LogFields::LogFields() {
  // A request line's fields are 200-300 bytes: one allocation instead of a growth series.
  text_.reserve(320);
}

void LogFields::Key(std::string_view key) {
  text_ += ",\"";
  text_ += key;
  text_ += "\":";
}

LogFields& LogFields::Add(std::string_view key, std::string_view value) {
  Key(key);
  AppendJsonString(text_, value);
  return *this;
}

LogFields& LogFields::Add(std::string_view key, int64_t value) {
  Key(key);
  text_ += std::to_string(value);
  return *this;
}

LogFields& LogFields::Add(std::string_view key, uint64_t value) {
  Key(key);
  text_ += std::to_string(value);
  return *this;
}

LogFields& LogFields::Add(std::string_view key, bool value) {
  Key(key);
  text_ += value ? "true" : "false";
  return *this;
}

}  // namespace obvpn::app
