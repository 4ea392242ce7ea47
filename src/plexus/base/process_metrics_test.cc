#include "plexus/base/process_metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace plexus::base {
namespace {

// A real /proc/<pid>/stat line, with a command name holding ") (" to test the parsing from the
// last parenthesis.
constexpr std::string_view kStat =
    "4242 (odd) (name) S 1 4242 4242 0 -1 4194560 5000 0 0 0 250 50 0 0 20 0 9 0 12345 "
    "104857600 2560 18446744073709551615 1 1 0 0 0 0 0 4096 17642 0 0 0 17 1 0 0 0 0 0\n";

TEST(ProcessMetricsTest, ParsesCpuMemoryAndStartTime) {
  const std::optional<ProcessStats> stats = ParseProcessStat(kStat, 100, 4096, 1'700'000'000);
  ASSERT_TRUE(stats.has_value());
  EXPECT_DOUBLE_EQ(stats->cpu_seconds, 3.0);  // (250 + 50) ticks at 100 per second
  EXPECT_EQ(stats->resident_bytes, 2560u * 4096);
  EXPECT_EQ(stats->virtual_bytes, 104857600u);
  EXPECT_DOUBLE_EQ(stats->start_time_seconds, 1'700'000'000 + 123.45);
}

TEST(ProcessMetricsTest, MalformedStatIsNotParsed) {
  EXPECT_FALSE(ParseProcessStat("", 100, 4096, 0).has_value());
  EXPECT_FALSE(ParseProcessStat("4242 (cut) S 1 2 3", 100, 4096, 0).has_value());
  EXPECT_FALSE(ParseProcessStat("4242 no parenthesis S 1", 100, 4096, 0).has_value());
  std::string bad(kStat);
  bad.replace(bad.find(" 250 "), 5, " 2x0 ");
  EXPECT_FALSE(ParseProcessStat(bad, 100, 4096, 0).has_value());
  EXPECT_FALSE(ParseProcessStat(kStat, 0, 4096, 0).has_value());
}

TEST(ProcessMetricsTest, ThisProcessIsReadAndExported) {
  const std::optional<ProcessStats> stats = ReadProcessStats();
  ASSERT_TRUE(stats.has_value());
  EXPECT_GT(stats->resident_bytes, 0u);
  EXPECT_GT(stats->start_time_seconds, 1e9);

  Registry registry;
  RegisterProcessMetrics(registry);
  RegisterProcessMetrics(registry);  // idempotent
  const std::string text = registry.ExportPrometheus();
  EXPECT_NE(text.find("# TYPE process_cpu_seconds_total counter\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE process_resident_memory_bytes gauge\n"), std::string::npos);
  EXPECT_NE(text.find("\nprocess_open_fds "), std::string::npos);
  EXPECT_EQ(text.find("process_resident_memory_bytes 0\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace plexus::base
