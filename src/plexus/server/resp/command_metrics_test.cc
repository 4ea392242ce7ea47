#include "plexus/server/resp/command_metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace plexus::server::resp {
namespace {

TEST(CommandMetricsTest, EachCommandHasItsOwnCounterResolvedOnce) {
  const CommandSpec* get = FindCommand("get");
  const CommandSpec* set = FindCommand("set");
  ASSERT_NE(get, nullptr);
  ASSERT_NE(set, nullptr);
  base::Counter& get_calls = CommandCounter(*get);
  EXPECT_EQ(&CommandCounter(*get), &get_calls);
  EXPECT_NE(&CommandCounter(*set), &get_calls);
  // The same series as the registry's, labelled by the command's name.
  EXPECT_EQ(&base::DefaultRegistry().RegisterCounter("plexus_resp_commands_total", "",
                                                     {{"command", "get"}}),
            &get_calls);
  const uint64_t before = get_calls.value();
  CommandCounter(*get).Increment();
  EXPECT_EQ(get_calls.value(), before + 1);
  EXPECT_EQ(&UnknownCommandCounter(), &base::DefaultRegistry().RegisterCounter(
                                          "plexus_resp_commands_total", "",
                                          {{"command", "unknown"}}));
}

TEST(CommandMetricsTest, DurationUsesRequestLatencyBuckets) {
  EXPECT_EQ(CommandDurationHistogram().upper_bounds(), base::RequestLatencyBucketsSeconds());
  const std::string text = base::DefaultRegistry().ExportPrometheus();
  EXPECT_NE(text.find("# TYPE plexus_resp_command_duration_seconds histogram\n"),
            std::string::npos);
}

}  // namespace
}  // namespace plexus::server::resp
