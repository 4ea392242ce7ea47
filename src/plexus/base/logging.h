// Process-wide logging: InitLogging sets up spdlog (stderr, plus a file when configured) and the
// Log* wrappers format with fmt. spdlog stays out of this header; only fmt/core.h comes in.
#pragma once

#include <fmt/core.h>

#include <cstdint>
#include <string_view>
#include <utility>

#include "plexus/status.h"

namespace plexus::base {

enum class LogLevel : uint8_t { kTrace, kDebug, kInfo, kWarn, kError, kOff };

std::string_view LogLevelName(LogLevel level);  // "trace", "debug", "info", "warn", "error", "off"
// Case-insensitive; the error names the accepted values.
Result<LogLevel> ParseLogLevel(std::string_view text);

// Replaces the default logger: stderr always, plus `file_path` (appended to) when not empty.
// Every line carries time, level and thread id. Fails with kIOError when the file can't be opened.
// REQUIRES: no other thread is logging (call it at startup, before threads start).
Status InitLogging(LogLevel level, std::string_view file_path);
// Writes out anything the sinks still buffer (before exit).
void FlushLogging();

// Whether a message at `level` would be written (so callers can skip expensive formatting).
bool LogEnabled(LogLevel level);
void LogMessage(LogLevel level, std::string_view message);

template <typename... Args>
void Log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) {
  if (!LogEnabled(level)) return;
  LogMessage(level, fmt::format(format, std::forward<Args>(args)...));
}

template <typename... Args>
void LogDebug(fmt::format_string<Args...> format, Args&&... args) {
  Log(LogLevel::kDebug, format, std::forward<Args>(args)...);
}

template <typename... Args>
void LogInfo(fmt::format_string<Args...> format, Args&&... args) {
  Log(LogLevel::kInfo, format, std::forward<Args>(args)...);
}

template <typename... Args>
void LogWarn(fmt::format_string<Args...> format, Args&&... args) {
  Log(LogLevel::kWarn, format, std::forward<Args>(args)...);
}

template <typename... Args>
void LogError(fmt::format_string<Args...> format, Args&&... args) {
  Log(LogLevel::kError, format, std::forward<Args>(args)...);
}

}  // namespace plexus::base
