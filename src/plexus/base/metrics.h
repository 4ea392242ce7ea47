// Metrics: counters, gauges and histograms kept in a Registry and exported in the Prometheus text
// exposition format 0.0.4. Updating a metric is lock-free (relaxed atomics); registering and
// exporting take the registry's mutex. Metric objects live as long as their registry.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plexus::base {

// Label name/value pairs of one series, e.g. {{"protocol", "pg"}}. Order doesn't matter.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// Bucket upper bounds of one histogram, not counting the implicit +Inf bucket.
inline constexpr size_t kHistogramBucketsMax = 64;

// A value that only goes up (events, bytes); resets only when the process restarts.
class Counter {
 public:
  Counter() = default;
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;

  void Increment(uint64_t amount = 1) { value_.fetch_add(amount, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A value that goes up and down (open connections, queue length).
class Gauge {
 public:
  Gauge() = default;
  Gauge(const Gauge&) = delete;
  Gauge& operator=(const Gauge&) = delete;

  void Set(int64_t value) { value_.store(value, std::memory_order_relaxed); }
  void Add(int64_t delta) { value_.fetch_add(delta, std::memory_order_relaxed); }
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

// Counts of observations in fixed buckets, plus their sum. Bucket i holds the values in
// (upper_bounds[i-1], upper_bounds[i]]; the last bucket, index upper_bounds().size(), is +Inf.
class Histogram {
 public:
  // REQUIRES: `upper_bounds` finite, strictly increasing, at most kHistogramBucketsMax of them.
  explicit Histogram(std::vector<double> upper_bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  void Observe(double value);
  // The bucket Observe(value) counts `value` in; upper_bounds().size() (+Inf) for NaN.
  size_t BucketIndex(double value) const;
  // Adds observations a caller sorted into buckets itself (a connection's pipelined requests),
  // one atomic update per non-empty bucket: `counts[i]` values in bucket i, whose sum is `sum`.
  // REQUIRES: counts.size() == upper_bounds().size() + 1.
  void ObserveBatch(std::span<const uint32_t> counts, double sum);

  const std::vector<double>& upper_bounds() const { return upper_bounds_; }
  // Not cumulative. REQUIRES: index <= upper_bounds().size().
  uint64_t bucket_count(size_t index) const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  const std::vector<double> upper_bounds_;
  const std::unique_ptr<std::atomic<uint64_t>[]> bucket_counts_;
  std::atomic<double> sum_{0.0};
};

// Latency buckets in seconds, 100 µs to 10 s: the default for RegisterHistogram.
const std::vector<double>& DefaultLatencyBucketsSeconds();
// Latency buckets in seconds, 10 µs to 10 s: for requests often served in microseconds (a Redis
// GET, a point SELECT), whose percentiles the default buckets would all put below 100 µs.
const std::vector<double>& RequestLatencyBucketsSeconds();

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Each returns the metric registered under `name` and `labels`, creating it on first use, so
  // registering twice gives the same object. Registering a name under a second type (or a
  // histogram with other bounds) is a programmer error and asserts. The first help text stays.
  // REQUIRES: `name` matches [a-zA-Z_:][a-zA-Z0-9_:]*; label names match [a-zA-Z_][a-zA-Z0-9_]*,
  // don't start with "__", aren't "le" and don't repeat.
  Counter& RegisterCounter(std::string_view name, std::string_view help,
                           const MetricLabels& labels = {});
  Gauge& RegisterGauge(std::string_view name, std::string_view help,
                       const MetricLabels& labels = {});
  Histogram& RegisterHistogram(
      std::string_view name, std::string_view help, const MetricLabels& labels = {},
      const std::vector<double>& upper_bounds = DefaultLatencyBucketsSeconds());

  // A gauge whose value `read` returns at export time, replacing any earlier callback for the
  // same name and labels. `read` runs under the registry's mutex: it must be quick and must not
  // call the registry. Callback and plain gauges may share a name, not a label set.
  void SetGaugeCallback(std::string_view name, std::string_view help, const MetricLabels& labels,
                        std::function<double()> read);
  // As SetGaugeCallback, for a value that only goes up and that something else counts (a
  // RocksDB statistics ticker): exported as a counter. Callback and plain counters may share a
  // name, not a label set.
  void SetCounterCallback(std::string_view name, std::string_view help,
                          const MetricLabels& labels, std::function<double()> read);
  // Removes a gauge or counter callback. After this returns, the callback is never called
  // again. No-op when there is none.
  void RemoveGaugeCallback(std::string_view name, const MetricLabels& labels);

  // Every family sorted by name, each series sorted by its label text.
  std::string ExportPrometheus() const;

 private:
  enum class Type : uint8_t { kCounter, kGauge, kHistogram };
  struct Series;
  struct Family;

  void SetCallback(std::string_view name, std::string_view help, Type type,
                   const MetricLabels& labels, std::function<double()> read);
  // REQUIRES: mutex_ held. `upper_bounds` is empty except for histograms.
  Series& FindOrAddSeries(std::string_view name, std::string_view help, Type type,
                          const MetricLabels& labels, const std::vector<double>& upper_bounds = {});
  static void ExportFamily(const std::string& name, const Family& family, std::string* out);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;  // guarded by mutex_
};

// The process-wide registry that /metrics exports. Never destroyed, so metrics updated by
// threads still running at exit stay valid.
Registry& DefaultRegistry();

}  // namespace plexus::base
