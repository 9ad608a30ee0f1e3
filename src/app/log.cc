#include "app/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <string>

#include "core/json_text.h"

namespace obvpn::app {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};

std::shared_ptr<spdlog::logger> Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_logger_mt("obvpn");
    l->set_pattern("%v");
    l->set_level(spdlog::level::trace);
    l->flush_on(spdlog::level::trace);
    return l;
  }();
  return logger;
}

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

// UTC with milliseconds, e.g. "2024-05-01T12:00:00.123Z". The part up to the seconds is
// formatted once per second per thread.
std::string NowIso() {
  const auto now = std::chrono::system_clock::now();
  const auto t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  thread_local std::time_t cached_second = -1;
  thread_local char cached[64];
  if (t != cached_second) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_second = t;
  }
  char buf[80];
  std::snprintf(buf, sizeof buf, "%s.%03dZ", cached, static_cast<int>(ms));
  return buf;
}

// {"time":"...","level":"...","event":... (no closing brace).
std::string LineStart(LogLevel level, std::string_view event) {
  std::string line = R"({"time":")";
  line += NowIso();
  line += R"(","level":")";
  line += LevelName(level);
  line += R"(","event":)";
  AppendJsonString(line, event);
  return line;
}

}  // namespace

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
  Logger()->info(line);
}

void LogLine(LogLevel level, std::string_view event, const LogFields& fields) {
  if (!LogEnabled(level)) return;
  std::string line = LineStart(level, event);
  line += fields.text();
  line += '}';
  Logger()->info(line);
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
