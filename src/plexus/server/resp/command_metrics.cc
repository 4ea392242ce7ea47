// One lazily registered counter per command-table entry, in an array parallel to AllCommands().
#include "plexus/server/resp/command_metrics.h"

#include <array>
#include <atomic>
#include <memory>
#include <string>

#include "plexus/base/assert.h"

namespace plexus::server::resp {
namespace {

constexpr std::string_view kCommandsName = "plexus_resp_commands_total";
constexpr std::string_view kCommandsHelp = "Redis commands received, by command.";

// Counters are registered on first call, so that /metrics lists the commands in use rather
// than every one of the table's entries.
struct CounterSlots {
  const CommandSpec* first = nullptr;
  size_t count = 0;
  std::unique_ptr<std::atomic<base::Counter*>[]> slots;
};

CounterSlots& Slots() {
  static CounterSlots* const slots = [] {
    auto* built = new CounterSlots;
    const std::vector<CommandSpec>& table = AllCommands();
    built->first = table.data();
    built->count = table.size();
    built->slots = std::make_unique<std::atomic<base::Counter*>[]>(table.size());
    return built;
  }();
  return *slots;
}

// A thread's counts not yet added to the shared metrics. Consecutive calls of one command (a
// pipeline of GETs) add up in `calls`; another command flushes them first.
struct PendingMetrics {
  base::Counter* counter = nullptr;
  uint64_t calls = 0;
  std::array<uint32_t, base::kHistogramBucketsMax + 1> bucket_counts{};
  uint32_t observed = 0;
  double sum_seconds = 0;
};

thread_local PendingMetrics pending;

}  // namespace

base::Counter& CommandCounter(const CommandSpec& spec) {
  CounterSlots& slots = Slots();
  PLEXUS_DCHECK(&spec >= slots.first && &spec < slots.first + slots.count);
  std::atomic<base::Counter*>& slot = slots.slots[static_cast<size_t>(&spec - slots.first)];
  base::Counter* counter = slot.load(std::memory_order_acquire);
  if (counter == nullptr) [[unlikely]] {
    // Two threads may both get here: the registry gives them the same counter.
    counter = &base::DefaultRegistry().RegisterCounter(kCommandsName, kCommandsHelp,
                                                       {{"command", std::string(spec.name)}});
    slot.store(counter, std::memory_order_release);
  }
  return *counter;
}

base::Counter& UnknownCommandCounter() {
  static base::Counter& counter = base::DefaultRegistry().RegisterCounter(
      kCommandsName, kCommandsHelp, {{"command", "unknown"}});
  return counter;
}

base::Histogram& CommandDurationHistogram() {
  static base::Histogram& histogram = base::DefaultRegistry().RegisterHistogram(
      "plexus_resp_command_duration_seconds",
      "Time to parse and execute a Redis command, until its reply is queued.", {},
      base::RequestLatencyBucketsSeconds());
  return histogram;
}

void CountCommand(const CommandSpec& spec) {
  base::Counter* counter = &CommandCounter(spec);
  if (counter != pending.counter) {
    if (pending.calls != 0) pending.counter->Increment(pending.calls);
    pending.counter = counter;
    pending.calls = 0;
  }
  ++pending.calls;
}

void RecordCommandDuration(double seconds) {
  // The bucket counts are 32-bit: flush well before they could wrap.
  constexpr uint32_t kObservedMax = uint32_t{1} << 30;
  ++pending.bucket_counts[CommandDurationHistogram().BucketIndex(seconds)];
  pending.sum_seconds += seconds;
  if (++pending.observed == kObservedMax) FlushCommandMetrics();
}

void FlushCommandMetrics() {
  if (pending.calls != 0) {
    pending.counter->Increment(pending.calls);
    pending.calls = 0;
  }
  if (pending.observed == 0) return;
  base::Histogram& histogram = CommandDurationHistogram();
  histogram.ObserveBatch(
      std::span<const uint32_t>(pending.bucket_counts.data(), histogram.upper_bounds().size() + 1),
      pending.sum_seconds);
  pending.bucket_counts.fill(0);
  pending.observed = 0;
  pending.sum_seconds = 0;
}

}  // namespace plexus::server::resp
