// The standard process metrics of Prometheus' client libraries (process_cpu_seconds_total,
// process_resident_memory_bytes, ...), read from /proc/self when /metrics is exported.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "plexus/base/metrics.h"

namespace plexus::base {

struct ProcessStats {
  double cpu_seconds = 0;         // user + system time
  uint64_t resident_bytes = 0;    // RSS
  uint64_t virtual_bytes = 0;
  double start_time_seconds = 0;  // since the Unix epoch
};

// Parses the text of /proc/<pid>/stat. `ticks_per_second` is sysconf(_SC_CLK_TCK), `page_bytes`
// the page size, `boot_time_seconds` /proc/stat's btime. Nullopt when the text is malformed.
std::optional<ProcessStats> ParseProcessStat(std::string_view stat, double ticks_per_second,
                                             uint64_t page_bytes, double boot_time_seconds);

// This process's statistics now; nullopt when /proc cannot be read.
std::optional<ProcessStats> ReadProcessStats();

// Registers process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_start_time_seconds and process_open_fds in `registry`
// as callbacks. Idempotent.
void RegisterProcessMetrics(Registry& registry);

}  // namespace plexus::base
