// Process-wide logging on spdlog: one default logger with a stderr sink and an optional file sink.
#include "plexus/base/logging.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "plexus/base/enum_names.h"
#include "plexus/base/status.h"

namespace plexus::base {
namespace {

constexpr NameTable<LogLevel, 6> kLogLevelNames{{
    {LogLevel::kTrace, "trace"},
    {LogLevel::kDebug, "debug"},
    {LogLevel::kInfo, "info"},
    {LogLevel::kWarn, "warn"},
    {LogLevel::kError, "error"},
    {LogLevel::kOff, "off"},
}};

// Time with milliseconds and zone offset, level, thread id, message.
constexpr const char* kLogPattern = "%Y-%m-%dT%H:%M:%S.%e%z %^%-5l%$ [%t] %v";

spdlog::level::level_enum ToSpdlogLevel(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace: return spdlog::level::trace;
    case LogLevel::kDebug: return spdlog::level::debug;
    case LogLevel::kInfo: return spdlog::level::info;
    case LogLevel::kWarn: return spdlog::level::warn;
    case LogLevel::kError: return spdlog::level::err;
    case LogLevel::kOff: return spdlog::level::off;
  }
  return spdlog::level::info;
}

}  // namespace

std::string_view LogLevelName(LogLevel level) { return NameOf(kLogLevelNames, level); }

Result<LogLevel> ParseLogLevel(std::string_view text) {
  return ParseName(kLogLevelNames, "log level", text);
}

Status InitLogging(LogLevel level, std::string_view file_path) {
  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (!file_path.empty()) {
    // spdlog reports an unopenable file by throwing; no exception leaves this layer.
    try {
      sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(std::string(file_path)));
    } catch (const spdlog::spdlog_ex& error) {
      return Status::IOError("cannot open log file " + std::string(file_path) + ": " +
                             error.what());
    }
  }
  auto logger = std::make_shared<spdlog::logger>("plexus", sinks.begin(), sinks.end());
  logger->set_pattern(kLogPattern);
  logger->set_level(ToSpdlogLevel(level));
  // A server logs little, and a line that is lost in a crash is the one that explains it.
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
  return Status::Ok();
}

void FlushLogging() { spdlog::default_logger_raw()->flush(); }

bool LogEnabled(LogLevel level) {
  return level != LogLevel::kOff && spdlog::default_logger_raw()->should_log(ToSpdlogLevel(level));
}

void LogMessage(LogLevel level, std::string_view message) {
  if (level == LogLevel::kOff) return;
  spdlog::default_logger_raw()->log(ToSpdlogLevel(level), message);
}

}  // namespace plexus::base
