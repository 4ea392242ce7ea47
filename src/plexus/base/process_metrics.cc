// Process metrics from /proc/self/stat (CPU time, memory, start time) and /proc/self/fd.
#include "plexus/base/process_metrics.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace plexus::base {
namespace {

std::string ReadFile(const char* path) {
  std::ifstream file(path);
  if (!file) return {};
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// /proc/stat's "btime <seconds>" line: when the machine booted.
double BootTimeSeconds() {
  const std::string stat = ReadFile("/proc/stat");
  const size_t at = stat.find("\nbtime ");
  if (at == std::string::npos) return 0;
  return std::strtod(stat.c_str() + at + 7, nullptr);
}

// Entries of /proc/self/fd, less the one opendir itself holds.
double OpenDescriptors() {
  DIR* directory = opendir("/proc/self/fd");
  if (directory == nullptr) return 0;
  double count = 0;
  while (const dirent* entry = readdir(directory)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(directory);
  return count > 0 ? count - 1 : 0;
}

// Each series reads /proc/self/stat itself (a few microseconds): sharing one read between the
// series of an export would need a hook in the registry.
double ReadField(double ProcessStats::*field) {
  const std::optional<ProcessStats> stats = ReadProcessStats();
  return stats ? (*stats).*field : 0;
}

double ReadField(uint64_t ProcessStats::*field) {
  const std::optional<ProcessStats> stats = ReadProcessStats();
  return stats ? static_cast<double>((*stats).*field) : 0;
}

}  // namespace

std::optional<ProcessStats> ParseProcessStat(std::string_view stat, double ticks_per_second,
                                             uint64_t page_bytes, double boot_time_seconds) {
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields are counted
  // from the last ')'. After it, field 3 (state) is the first.
  const size_t close = stat.rfind(')');
  if (close == std::string_view::npos || ticks_per_second <= 0) return std::nullopt;
  std::vector<std::string_view> fields;  // fields[0] is field 3 (state)
  std::string_view rest = stat.substr(close + 1);
  constexpr size_t kFieldsNeeded = 22;  // up to field 24 (rss)
  while (fields.size() < kFieldsNeeded) {
    const size_t begin = rest.find_first_not_of(" \n");
    if (begin == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(begin);
    const size_t end = std::min(rest.find_first_of(" \n"), rest.size());
    fields.push_back(rest.substr(0, end));
    rest.remove_prefix(end);
  }
  const auto number = [&](size_t field_number, uint64_t* value) {
    const std::string_view text = fields[field_number - 3];
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
    return error == std::errc() && end == text.data() + text.size();
  };
  uint64_t user_ticks = 0, system_ticks = 0, start_ticks = 0, virtual_bytes = 0, rss_pages = 0;
  if (!number(14, &user_ticks) || !number(15, &system_ticks) || !number(22, &start_ticks) ||
      !number(23, &virtual_bytes) || !number(24, &rss_pages)) {
    return std::nullopt;
  }
  ProcessStats stats;
  stats.cpu_seconds = static_cast<double>(user_ticks + system_ticks) / ticks_per_second;
  stats.resident_bytes = rss_pages * page_bytes;
  stats.virtual_bytes = virtual_bytes;
  stats.start_time_seconds = boot_time_seconds + static_cast<double>(start_ticks) / ticks_per_second;
  return stats;
}

std::optional<ProcessStats> ReadProcessStats() {
  static const double boot_time_seconds = BootTimeSeconds();
  const std::string stat = ReadFile("/proc/self/stat");
  if (stat.empty()) return std::nullopt;
  return ParseProcessStat(stat, static_cast<double>(sysconf(_SC_CLK_TCK)),
                          static_cast<uint64_t>(sysconf(_SC_PAGESIZE)), boot_time_seconds);
}

void RegisterProcessMetrics(Registry& registry) {
  registry.SetCounterCallback("process_cpu_seconds_total",
                              "Total user and system CPU time spent in seconds.", {},
                              [] { return ReadField(&ProcessStats::cpu_seconds); });
  registry.SetGaugeCallback("process_resident_memory_bytes", "Resident memory size in bytes.", {},
                            [] { return ReadField(&ProcessStats::resident_bytes); });
  registry.SetGaugeCallback("process_virtual_memory_bytes", "Virtual memory size in bytes.", {},
                            [] { return ReadField(&ProcessStats::virtual_bytes); });
  registry.SetGaugeCallback("process_start_time_seconds",
                            "Start time of the process since unix epoch in seconds.", {},
                            [] { return ReadField(&ProcessStats::start_time_seconds); });
  registry.SetGaugeCallback("process_open_fds", "Number of open file descriptors.", {},
                            OpenDescriptors);
}

}  // namespace plexus::base
