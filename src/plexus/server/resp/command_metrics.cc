// One lazily registered counter per command-table entry, in an array parallel to AllCommands().
#include "plexus/server/resp/command_metrics.h"

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

}  // namespace plexus::server::resp
