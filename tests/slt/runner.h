// Runs sqllogictest scripts against an Engine and counts, per record, what passed, failed and was
// skipped (by skipif/onlyif), the way POSTGRES_BASELINE.txt counts them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "slt/engine.h"

namespace plexus::slt {

// sqllogictest's default: results with more values than this are compared by hash.
inline constexpr int kDefaultHashThreshold = 8;

struct RunOptions {
  // Failure messages kept per file (the counts are always complete).
  int max_failures_shown = 10;
  // In force until a script's `hash-threshold` record; 0 never hashes.
  int hash_threshold = kDefaultHashThreshold;
};

struct FileReport {
  std::string path;
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  // The first max_failures_shown failures, each "<path>:<line>: <what went wrong>".
  std::vector<std::string> failures;
};

// Resets the engine, then runs the script in `path`. Fails only when the file cannot be read or
// the engine cannot be reset; a record that goes wrong is counted in the report.
Result<FileReport> RunFile(const std::string& path, Engine& engine, const RunOptions& options);

// Runs a script already in memory (no Reset); `path` only names it in failure messages.
Result<FileReport> RunScript(std::string_view script, std::string_view path, Engine& engine,
                             const RunOptions& options);

}  // namespace plexus::slt
