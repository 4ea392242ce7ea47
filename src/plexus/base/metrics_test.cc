// Tests of the metrics registry: identity of registered metrics, exact Prometheus text, escaping,
// histogram buckets, concurrent updates and the assertions on misuse.
#include "plexus/base/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

namespace plexus::base {
namespace {

TEST(MetricsTest, CountersAndGaugesExportExactly) {
  Registry registry;
  Counter& commits = registry.RegisterCounter("plexus_commits_total", "Committed transactions.");
  Counter& pg = registry.RegisterCounter("plexus_requests_total", "Requests by protocol.",
                                         {{"protocol", "pg"}});
  Counter& resp = registry.RegisterCounter("plexus_requests_total", "Requests by protocol.",
                                           {{"protocol", "resp"}});
  Gauge& connections = registry.RegisterGauge("plexus_connections", "Open connections.");
  commits.Increment();
  commits.Increment(41);
  pg.Increment(3);
  resp.Increment();
  connections.Set(10);
  connections.Add(-12);
  EXPECT_EQ(registry.ExportPrometheus(),
            "# HELP plexus_commits_total Committed transactions.\n"
            "# TYPE plexus_commits_total counter\n"
            "plexus_commits_total 42\n"
            "# HELP plexus_connections Open connections.\n"
            "# TYPE plexus_connections gauge\n"
            "plexus_connections -2\n"
            "# HELP plexus_requests_total Requests by protocol.\n"
            "# TYPE plexus_requests_total counter\n"
            "plexus_requests_total{protocol=\"pg\"} 3\n"
            "plexus_requests_total{protocol=\"resp\"} 1\n");
}

TEST(MetricsTest, RegisteringAgainReturnsTheSameMetric) {
  Registry registry;
  Counter& first = registry.RegisterCounter("c", "help", {{"a", "1"}, {"b", "2"}});
  Counter& again = registry.RegisterCounter("c", "other help", {{"b", "2"}, {"a", "1"}});
  Counter& other = registry.RegisterCounter("c", "help", {{"a", "1"}, {"b", "3"}});
  EXPECT_EQ(&first, &again);
  EXPECT_NE(&first, &other);
  EXPECT_EQ(&registry.RegisterGauge("g", "help"), &registry.RegisterGauge("g", "help"));
  EXPECT_EQ(&registry.RegisterHistogram("h", "help"), &registry.RegisterHistogram("h", "help"));
  first.Increment();
  EXPECT_EQ(registry.ExportPrometheus().find("# HELP c help\n"), 0u);  // the first help stays
  EXPECT_NE(registry.ExportPrometheus().find("c{a=\"1\",b=\"2\"} 1\n"), std::string::npos);
}

TEST(MetricsTest, HistogramExportsCumulativeBuckets) {
  Registry registry;
  Histogram& histogram = registry.RegisterHistogram("plexus_query_seconds", "Query latency.",
                                                    {{"protocol", "pg"}}, {0.001, 0.01, 1});
  for (const double value : {0.0005, 0.001, 0.002, 0.5, 3.0}) histogram.Observe(value);
  EXPECT_EQ(histogram.bucket_count(0), 2u);  // 0.001 is in le="0.001": bounds are inclusive
  EXPECT_EQ(histogram.bucket_count(3), 1u);
  EXPECT_EQ(registry.ExportPrometheus(),
            "# HELP plexus_query_seconds Query latency.\n"
            "# TYPE plexus_query_seconds histogram\n"
            "plexus_query_seconds_bucket{protocol=\"pg\",le=\"0.001\"} 2\n"
            "plexus_query_seconds_bucket{protocol=\"pg\",le=\"0.01\"} 3\n"
            "plexus_query_seconds_bucket{protocol=\"pg\",le=\"1\"} 4\n"
            "plexus_query_seconds_bucket{protocol=\"pg\",le=\"+Inf\"} 5\n"
            "plexus_query_seconds_sum{protocol=\"pg\"} 3.5035\n"
            "plexus_query_seconds_count{protocol=\"pg\"} 5\n");
}

TEST(MetricsTest, HistogramWithoutLabelsOrObservations) {
  Registry registry;
  registry.RegisterHistogram("h", "h.", {}, {2.5});
  EXPECT_EQ(registry.ExportPrometheus(),
            "# HELP h h.\n"
            "# TYPE h histogram\n"
            "h_bucket{le=\"2.5\"} 0\n"
            "h_bucket{le=\"+Inf\"} 0\n"
            "h_sum 0\n"
            "h_count 0\n");
}

TEST(MetricsTest, HistogramNanGoesToInfBucket) {
  Histogram histogram({1.0});
  histogram.Observe(std::numeric_limits<double>::quiet_NaN());
  histogram.Observe(-5);
  EXPECT_EQ(histogram.bucket_count(0), 1u);
  EXPECT_EQ(histogram.bucket_count(1), 1u);
}

TEST(MetricsTest, ObserveBatchAddsBucketCountsAndSum) {
  Histogram histogram({1, 2});
  EXPECT_EQ(histogram.BucketIndex(0.5), 0u);
  EXPECT_EQ(histogram.BucketIndex(1), 0u);  // le="1" holds 1
  EXPECT_EQ(histogram.BucketIndex(1.5), 1u);
  EXPECT_EQ(histogram.BucketIndex(7), 2u);
  EXPECT_EQ(histogram.BucketIndex(std::nan("")), 2u);
  histogram.Observe(0.25);
  const uint32_t counts[] = {2, 0, 1};
  histogram.ObserveBatch(counts, 4.5);
  EXPECT_EQ(histogram.bucket_count(0), 3u);
  EXPECT_EQ(histogram.bucket_count(1), 0u);
  EXPECT_EQ(histogram.bucket_count(2), 1u);
  EXPECT_DOUBLE_EQ(histogram.sum(), 4.75);
}

TEST(MetricsTest, RequestLatencyBucketsAreIncreasingSecondsFrom10Microseconds) {
  const std::vector<double>& buckets = RequestLatencyBucketsSeconds();
  EXPECT_LE(buckets.size(), kHistogramBucketsMax);
  EXPECT_DOUBLE_EQ(buckets.front(), 0.00001);
  EXPECT_DOUBLE_EQ(buckets.back(), 10);
  for (size_t i = 1; i < buckets.size(); ++i) EXPECT_LT(buckets[i - 1], buckets[i]);
  Histogram histogram(buckets);  // asserts the bounds are valid
  histogram.Observe(0.000003);
  EXPECT_EQ(histogram.bucket_count(0), 1u);
}

TEST(MetricsTest, DefaultLatencyBucketsAreIncreasingSeconds) {
  const std::vector<double>& buckets = DefaultLatencyBucketsSeconds();
  ASSERT_FALSE(buckets.empty());
  EXPECT_LE(buckets.size(), kHistogramBucketsMax);
  EXPECT_DOUBLE_EQ(buckets.front(), 0.0001);
  EXPECT_DOUBLE_EQ(buckets.back(), 10);
  for (size_t i = 1; i < buckets.size(); ++i) EXPECT_LT(buckets[i - 1], buckets[i]);
  Registry registry;
  registry.RegisterHistogram("latency_seconds", "Latency.");
  const std::string text = registry.ExportPrometheus();
  EXPECT_NE(text.find("latency_seconds_bucket{le=\"0.0001\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("latency_seconds_bucket{le=\"0.00025\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("latency_seconds_bucket{le=\"10\"} 0\n"), std::string::npos) << text;
}

TEST(MetricsTest, EscapesHelpAndLabelValues) {
  Registry registry;
  registry
      .RegisterCounter("escaped_total", "Back\\slash, \"quote\" and\nnewline.",
                       {{"path", "C:\\dir \"x\"\nnext"}})
      .Increment();
  EXPECT_EQ(registry.ExportPrometheus(),
            "# HELP escaped_total Back\\\\slash, \"quote\" and\\nnewline.\n"
            "# TYPE escaped_total counter\n"
            "escaped_total{path=\"C:\\\\dir \\\"x\\\"\\nnext\"} 1\n");
}

TEST(MetricsTest, CallbackGaugeIsReadAtExport) {
  Registry registry;
  double value = 1.5;
  registry.SetGaugeCallback("plexus_uptime_seconds", "Uptime.", {}, [&value] { return value; });
  registry.RegisterGauge("plexus_uptime_seconds", "Uptime.", {{"kind", "plain"}}).Set(7);
  EXPECT_EQ(registry.ExportPrometheus(),
            "# HELP plexus_uptime_seconds Uptime.\n"
            "# TYPE plexus_uptime_seconds gauge\n"
            "plexus_uptime_seconds 1.5\n"
            "plexus_uptime_seconds{kind=\"plain\"} 7\n");
  value = std::numeric_limits<double>::infinity();
  EXPECT_NE(registry.ExportPrometheus().find("plexus_uptime_seconds +Inf\n"), std::string::npos);
  registry.SetGaugeCallback("plexus_uptime_seconds", "Uptime.", {}, [] { return 1e21; });
  EXPECT_NE(registry.ExportPrometheus().find("plexus_uptime_seconds 1e+21\n"), std::string::npos);
  registry.RemoveGaugeCallback("plexus_uptime_seconds", {});
  registry.RemoveGaugeCallback("plexus_uptime_seconds", {{"kind", "plain"}});  // not a callback
  registry.RemoveGaugeCallback("missing", {});
  EXPECT_EQ(registry.ExportPrometheus(),
            "# HELP plexus_uptime_seconds Uptime.\n"
            "# TYPE plexus_uptime_seconds gauge\n"
            "plexus_uptime_seconds{kind=\"plain\"} 7\n");
}

TEST(MetricsTest, CallbackCounterIsExportedAsACounter) {
  Registry registry;
  uint64_t hits = 41;
  registry.SetCounterCallback("cache_hits_total", "Hits.", {{"cache", "block"}},
                              [&hits] { return static_cast<double>(hits); });
  registry.RegisterCounter("cache_hits_total", "Hits.", {{"cache", "row"}}).Increment(2);
  ++hits;
  EXPECT_EQ(registry.ExportPrometheus(),
            "# HELP cache_hits_total Hits.\n"
            "# TYPE cache_hits_total counter\n"
            "cache_hits_total{cache=\"block\"} 42\n"
            "cache_hits_total{cache=\"row\"} 2\n");
  registry.RemoveGaugeCallback("cache_hits_total", {{"cache", "block"}});
  EXPECT_EQ(registry.ExportPrometheus().find("block"), std::string::npos);
}

TEST(MetricsTest, RemovingTheLastCallbackRemovesTheFamily) {
  Registry registry;
  registry.SetGaugeCallback("g", "help", {{"a", "b"}}, [] { return -0.25; });
  EXPECT_EQ(registry.ExportPrometheus(), "# HELP g help\n# TYPE g gauge\ng{a=\"b\"} -0.25\n");
  registry.RemoveGaugeCallback("g", {{"a", "b"}});
  EXPECT_EQ(registry.ExportPrometheus(), "");
}

TEST(MetricsTest, ConcurrentUpdatesAreNotLost) {
  Registry registry;
  Counter& counter = registry.RegisterCounter("c_total", "c");
  Gauge& gauge = registry.RegisterGauge("g", "g");
  Histogram& histogram = registry.RegisterHistogram("h", "h", {}, {1});
  constexpr int kThreads = 4;
  constexpr int kIterations = 10'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIterations; ++i) {
        counter.Increment();
        gauge.Add(2);
        histogram.Observe(0.5);
        if (i % 1000 == 0) {
          EXPECT_FALSE(registry.ExportPrometheus().empty());
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(counter.value(), uint64_t{kThreads} * kIterations);
  EXPECT_EQ(gauge.value(), int64_t{2} * kThreads * kIterations);
  EXPECT_EQ(histogram.bucket_count(0), uint64_t{kThreads} * kIterations);
  EXPECT_DOUBLE_EQ(histogram.sum(), 0.5 * kThreads * kIterations);
}

TEST(MetricsTest, DefaultRegistryIsOneObject) { EXPECT_EQ(&DefaultRegistry(), &DefaultRegistry()); }

TEST(MetricsDeathTest, MisuseAsserts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Registry registry;
  registry.RegisterCounter("used_total", "help");
  registry.RegisterHistogram("h", "help", {}, {1, 2});
  registry.SetGaugeCallback("g", "help", {}, [] { return 1.0; });
  EXPECT_DEATH(registry.RegisterGauge("used_total", "help"), "assertion failed");
  EXPECT_DEATH(registry.RegisterHistogram("h", "help", {{"a", "b"}}, {1, 3}), "assertion failed");
  EXPECT_DEATH(registry.RegisterGauge("g", "help"), "assertion failed");
  EXPECT_DEATH(registry.RegisterCounter("bad-name", "help"), "assertion failed");
  EXPECT_DEATH(registry.RegisterCounter("c", "help", {{"le", "1"}}), "assertion failed");
  EXPECT_DEATH(registry.RegisterCounter("c", "help", {{"__x", "1"}}), "assertion failed");
  EXPECT_DEATH(registry.RegisterCounter("c", "help", {{"a", "1"}, {"a", "2"}}), "assertion failed");
  EXPECT_DEATH(Histogram({2, 1}), "assertion failed");
  EXPECT_DEATH(Histogram({1, std::numeric_limits<double>::infinity()}), "assertion failed");
}

}  // namespace
}  // namespace plexus::base
