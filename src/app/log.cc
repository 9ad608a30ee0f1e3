#include "app/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <ctime>

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
    case LogLevel::kTrace: return "trace";
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
    case LogLevel::kOff: return "off";
  }
  return "info";
}

std::string NowIso() {
  const auto now = std::chrono::system_clock::now();
  const auto t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
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

void Log(LogLevel level, std::string_view event, nlohmann::json fields) {
  if (level == LogLevel::kOff || level < g_level.load()) return;
  nlohmann::ordered_json line;
  line["time"] = NowIso();
  line["level"] = LevelName(level);
  line["event"] = event;
  for (auto& [k, v] : fields.items()) line[k] = v;
  Logger()->info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace obvpn::app
