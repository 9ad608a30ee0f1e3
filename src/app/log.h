// Structured logs (SPEC §8): one JSON object per line on stderr. Every caller passes
// already secret-free fields; this file adds time and level.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/status.h"

namespace obvpn::app {

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kOff };

// Parses "trace".."off"; InvalidArgument otherwise.
Result<LogLevel> ParseLogLevel(std::string_view s);
void SetLogLevel(LogLevel level);

// Writes {"time":..., "level":..., "event": event, ...fields} as one line.
void Log(LogLevel level, std::string_view event, nlohmann::json fields = nlohmann::json::object());

}  // namespace obvpn::app
