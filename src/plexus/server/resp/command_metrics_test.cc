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

TEST(CommandMetricsTest, BatchedCountsAndDurationsReachTheMetricsOnFlush) {
  const CommandSpec* get = FindCommand("get");
  const CommandSpec* set = FindCommand("set");
  ASSERT_NE(get, nullptr);
  ASSERT_NE(set, nullptr);
  FlushCommandMetrics();  // nothing of an earlier test pending
  const base::Counter& gets = CommandCounter(*get);
  const base::Counter& sets = CommandCounter(*set);
  base::Histogram& duration = CommandDurationHistogram();
  const uint64_t gets_before = gets.value();
  const uint64_t sets_before = sets.value();
  const uint64_t fast_before = duration.bucket_count(0);  // <= 10 us
  const uint64_t slow_before = duration.bucket_count(duration.BucketIndex(0.003));
  const double sum_before = duration.sum();

  CountCommand(*get);
  CountCommand(*get);
  CountCommand(*set);  // adds the two GETs
  EXPECT_EQ(gets.value() - gets_before, 2u);
  EXPECT_EQ(sets.value() - sets_before, 0u);
  CountCommand(*get);  // adds the SET; this GET waits
  RecordCommandDuration(0.000004);
  RecordCommandDuration(0.000006);
  RecordCommandDuration(0.003);
  EXPECT_EQ(gets.value() - gets_before, 2u);
  EXPECT_EQ(sets.value() - sets_before, 1u);
  EXPECT_EQ(duration.bucket_count(0), fast_before);

  FlushCommandMetrics();
  EXPECT_EQ(gets.value() - gets_before, 3u);
  EXPECT_EQ(sets.value() - sets_before, 1u);
  EXPECT_EQ(duration.bucket_count(0) - fast_before, 2u);
  EXPECT_EQ(duration.bucket_count(duration.BucketIndex(0.003)) - slow_before, 1u);
  EXPECT_NEAR(duration.sum() - sum_before, 0.00301, 1e-12);
  FlushCommandMetrics();  // idempotent
  EXPECT_EQ(gets.value() - gets_before, 3u);
}

TEST(CommandMetricsTest, DurationUsesRequestLatencyBuckets) {
  EXPECT_EQ(CommandDurationHistogram().upper_bounds(), base::RequestLatencyBucketsSeconds());
  const std::string text = base::DefaultRegistry().ExportPrometheus();
  EXPECT_NE(text.find("# TYPE plexus_resp_command_duration_seconds histogram\n"),
            std::string::npos);
}

}  // namespace
}  // namespace plexus::server::resp
