// The metrics registry and its Prometheus text export (format 0.0.4:
// https://prometheus.io/docs/instrumenting/exposition_formats/).
#include "plexus/base/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>

#include "plexus/base/assert.h"

namespace plexus::base {
namespace {

// Updates must never take a lock (they sit on every request's path).
static_assert(std::atomic<uint64_t>::is_always_lock_free);
static_assert(std::atomic<int64_t>::is_always_lock_free);
static_assert(std::atomic<double>::is_always_lock_free);

bool IsNameCharacter(char c, bool first, bool colon_allowed) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') return true;
  if (c == ':') return colon_allowed;
  return !first && c >= '0' && c <= '9';
}

bool IsValidName(std::string_view name, bool colon_allowed) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!IsNameCharacter(name[i], i == 0, colon_allowed)) return false;
  }
  return true;
}

// Prometheus floats: the shortest text that reads back as the same double, in plain decimals
// for everyday magnitudes (le="0.0001", not le="1e-04"); +Inf, -Inf, NaN.
std::string FormatDouble(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  const double magnitude = std::fabs(value);
  const bool plain = magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e15);
  char text[64];
  const auto [end, error] =
      std::to_chars(text, text + sizeof(text), value,
                    plain ? std::chars_format::fixed : std::chars_format::general);
  PLEXUS_ASSERT(error == std::errc());
  return std::string(text, end);
}

// Help text escapes backslash and newline; label values also escape the double quote.
std::string Escape(std::string_view text, bool escape_quote) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '\n') {
      escaped += "\\n";
    } else if (c == '"' && escape_quote) {
      escaped += "\\\"";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

// `a="1",b="2"`, sorted by label name so that the same set in any order is the same series.
std::string RenderLabels(const MetricLabels& labels) {
  MetricLabels sorted = labels;
  std::sort(sorted.begin(), sorted.end());
  std::string text;
  for (size_t i = 0; i < sorted.size(); ++i) {
    const std::string& name = sorted[i].first;
    PLEXUS_ASSERT(IsValidName(name, /*colon_allowed=*/false));
    PLEXUS_ASSERT(!name.starts_with("__"));
    PLEXUS_ASSERT(name != "le");  // reserved for histogram buckets
    PLEXUS_ASSERT(i == 0 || sorted[i - 1].first != name);
    if (i > 0) text += ',';
    text += name + "=\"" + Escape(sorted[i].second, /*escape_quote=*/true) + "\"";
  }
  return text;
}

// `name{labels} value` (or `name value` without labels) and a newline.
void AppendSample(std::string_view name, std::string_view labels, std::string_view value,
                  std::string* out) {
  out->append(name);
  if (!labels.empty()) {
    *out += '{';
    out->append(labels);
    *out += '}';
  }
  *out += ' ';
  out->append(value);
  *out += '\n';
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      bucket_counts_(new std::atomic<uint64_t>[upper_bounds_.size() + 1]) {
  PLEXUS_ASSERT(upper_bounds_.size() <= kHistogramBucketsMax);
  for (size_t i = 0; i < upper_bounds_.size(); ++i) {
    PLEXUS_ASSERT(std::isfinite(upper_bounds_[i]));
    PLEXUS_ASSERT(i == 0 || upper_bounds_[i - 1] < upper_bounds_[i]);
  }
  for (size_t i = 0; i <= upper_bounds_.size(); ++i) {
    bucket_counts_[i].store(0, std::memory_order_relaxed);
  }
}

size_t Histogram::BucketIndex(double value) const {
  // The first bound >= value is the bucket whose `le` the value satisfies; NaN goes to +Inf.
  if (std::isnan(value)) return upper_bounds_.size();
  return static_cast<size_t>(std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) -
                             upper_bounds_.begin());
}

void Histogram::Observe(double value) {
  bucket_counts_[BucketIndex(value)].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

void Histogram::ObserveBatch(std::span<const uint32_t> counts, double sum) {
  PLEXUS_ASSERT(counts.size() == upper_bounds_.size() + 1);
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] != 0) bucket_counts_[i].fetch_add(counts[i], std::memory_order_relaxed);
  }
  sum_.fetch_add(sum, std::memory_order_relaxed);
}

uint64_t Histogram::bucket_count(size_t index) const {
  PLEXUS_ASSERT(index <= upper_bounds_.size());
  return bucket_counts_[index].load(std::memory_order_relaxed);
}

const std::vector<double>& DefaultLatencyBucketsSeconds() {
  static const std::vector<double> buckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                              0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                              1,      2.5,     5,      10};
  return buckets;
}

const std::vector<double>& RequestLatencyBucketsSeconds() {
  static const std::vector<double> buckets = {
      0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025,   0.05,     0.1,     0.25,   0.5,     1,      2.5,   5,      10};
  return buckets;
}

// One label set of a family: exactly one of the metric pointers or the callback is set.
struct Registry::Series {
  std::unique_ptr<Counter> counter;
  std::unique_ptr<Gauge> gauge;
  std::unique_ptr<Histogram> histogram;
  std::function<double()> read;
};

struct Registry::Family {
  std::string help;
  Type type;
  std::vector<double> upper_bounds;                   // histograms only; the same for every series
  std::map<std::string, Series, std::less<>> series;  // by rendered labels
};

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Series& Registry::FindOrAddSeries(std::string_view name, std::string_view help, Type type,
                                            const MetricLabels& labels,
                                            const std::vector<double>& upper_bounds) {
  PLEXUS_ASSERT(IsValidName(name, /*colon_allowed=*/true));
  auto family_it = families_.find(name);
  if (family_it == families_.end()) {
    auto family = std::make_unique<Family>();
    family->help = help;
    family->type = type;
    family->upper_bounds = upper_bounds;
    family_it = families_.emplace(std::string(name), std::move(family)).first;
  }
  Family& family = *family_it->second;
  PLEXUS_ASSERT(family.type == type);
  PLEXUS_ASSERT(family.upper_bounds == upper_bounds);
  return family.series[RenderLabels(labels)];
}

Counter& Registry::RegisterCounter(std::string_view name, std::string_view help,
                                   const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  Series& series = FindOrAddSeries(name, help, Type::kCounter, labels);
  PLEXUS_ASSERT(series.read == nullptr);  // this label set is a callback counter
  if (series.counter == nullptr) series.counter = std::make_unique<Counter>();
  return *series.counter;
}

Gauge& Registry::RegisterGauge(std::string_view name, std::string_view help,
                               const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  Series& series = FindOrAddSeries(name, help, Type::kGauge, labels);
  PLEXUS_ASSERT(series.read == nullptr);  // this label set is a callback gauge
  if (series.gauge == nullptr) series.gauge = std::make_unique<Gauge>();
  return *series.gauge;
}

Histogram& Registry::RegisterHistogram(std::string_view name, std::string_view help,
                                       const MetricLabels& labels,
                                       const std::vector<double>& upper_bounds) {
  std::lock_guard lock(mutex_);
  Series& series = FindOrAddSeries(name, help, Type::kHistogram, labels, upper_bounds);
  if (series.histogram == nullptr) series.histogram = std::make_unique<Histogram>(upper_bounds);
  return *series.histogram;
}

void Registry::SetGaugeCallback(std::string_view name, std::string_view help,
                                const MetricLabels& labels, std::function<double()> read) {
  SetCallback(name, help, Type::kGauge, labels, std::move(read));
}

void Registry::SetCounterCallback(std::string_view name, std::string_view help,
                                  const MetricLabels& labels, std::function<double()> read) {
  SetCallback(name, help, Type::kCounter, labels, std::move(read));
}

void Registry::SetCallback(std::string_view name, std::string_view help, Type type,
                           const MetricLabels& labels, std::function<double()> read) {
  PLEXUS_ASSERT(read != nullptr);
  std::lock_guard lock(mutex_);
  Series& series = FindOrAddSeries(name, help, type, labels);
  PLEXUS_ASSERT(series.gauge == nullptr);    // this label set is a plain gauge
  PLEXUS_ASSERT(series.counter == nullptr);  // this label set is a plain counter
  series.read = std::move(read);
}

void Registry::RemoveGaugeCallback(std::string_view name, const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  const auto family_it = families_.find(name);
  if (family_it == families_.end()) return;
  Family& family = *family_it->second;
  const auto series_it = family.series.find(RenderLabels(labels));
  if (series_it == family.series.end() || series_it->second.read == nullptr) return;
  family.series.erase(series_it);
  if (family.series.empty()) families_.erase(family_it);
}

void Registry::ExportFamily(const std::string& name, const Family& family, std::string* out) {
  static constexpr std::string_view kTypeNames[] = {"counter", "gauge", "histogram"};
  static_assert(std::size(kTypeNames) == static_cast<size_t>(Type::kHistogram) + 1);
  *out += "# HELP " + name + " " + Escape(family.help, /*escape_quote=*/false) + "\n";
  *out += "# TYPE " + name + " ";
  out->append(kTypeNames[static_cast<size_t>(family.type)]);
  *out += '\n';
  for (const auto& [labels, series] : family.series) {
    if (series.counter != nullptr) {
      AppendSample(name, labels, std::to_string(series.counter->value()), out);
    } else if (series.gauge != nullptr) {
      AppendSample(name, labels, std::to_string(series.gauge->value()), out);
    } else if (series.read != nullptr) {
      AppendSample(name, labels, FormatDouble(series.read()), out);
    } else {
      PLEXUS_ASSERT(series.histogram != nullptr);
      const Histogram& histogram = *series.histogram;
      const std::string prefix = labels.empty() ? "" : labels + ",";
      // Buckets are read one by one while others observe, so _count is taken as the +Inf
      // bucket's cumulative count: the two always agree, as the format requires.
      uint64_t cumulative = 0;
      for (size_t i = 0; i <= histogram.upper_bounds().size(); ++i) {
        cumulative += histogram.bucket_count(i);
        const std::string bound = i < histogram.upper_bounds().size()
                                      ? FormatDouble(histogram.upper_bounds()[i])
                                      : "+Inf";
        AppendSample(name + "_bucket", prefix + "le=\"" + bound + "\"", std::to_string(cumulative),
                     out);
      }
      AppendSample(name + "_sum", labels, FormatDouble(histogram.sum()), out);
      AppendSample(name + "_count", labels, std::to_string(cumulative), out);
    }
  }
}

std::string Registry::ExportPrometheus() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, family] : families_) ExportFamily(name, *family, &out);
  return out;
}

Registry& DefaultRegistry() {
  static Registry* const registry = new Registry();
  return *registry;
}

}  // namespace plexus::base
