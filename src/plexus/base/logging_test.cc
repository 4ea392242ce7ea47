// Tests of log level names and of logging to a file.
#include "plexus/base/logging.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace plexus::base {
namespace {

TEST(LoggingTest, LevelNamesRoundTrip) {
  for (const LogLevel level : {LogLevel::kTrace, LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn,
                               LogLevel::kError, LogLevel::kOff}) {
    const Result<LogLevel> parsed = ParseLogLevel(LogLevelName(level));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, level);
  }
  EXPECT_EQ(*ParseLogLevel("WARN"), LogLevel::kWarn);
  EXPECT_EQ(ParseLogLevel("warning").status().message(),
            "unknown log level \"warning\"; expected one of: trace, debug, info, warn, error, off");
}

TEST(LoggingTest, WritesLevelAndMessageToFile) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("plexus_logging_test_" + std::to_string(getpid()));
  ASSERT_TRUE(InitLogging(LogLevel::kInfo, path.string()).ok());
  LogDebug("hidden {}", 1);
  LogInfo("shown {} {}", 2, "words");
  EXPECT_FALSE(LogEnabled(LogLevel::kDebug));
  EXPECT_TRUE(LogEnabled(LogLevel::kError));
  FlushLogging();
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  std::filesystem::remove(path);
  EXPECT_EQ(text.str().find("hidden"), std::string::npos);
  EXPECT_NE(text.str().find("info  ["), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("] shown 2 words\n"), std::string::npos) << text.str();
  ASSERT_TRUE(InitLogging(LogLevel::kInfo, "").ok());
}

TEST(LoggingTest, UnopenableFileIsAnIOError) {
  const Status status = InitLogging(LogLevel::kInfo, "/dev/null/plexus.log");
  EXPECT_TRUE(status.IsIOError()) << status.ToString();
}

}  // namespace
}  // namespace plexus::base
