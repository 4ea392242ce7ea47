// `plexus sql`: a psql-like shell on the embedded engine. Interactive with readline when stdin is
// a terminal and no -c/-f is given; otherwise runs the -c commands, then the -f files (or piped
// stdin) as scripts, stopping at the first failing statement (psql's ON_ERROR_STOP).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace plexus::app {

struct SqlShellFlags {
  std::string config_file;               // --config; empty: $PLEXUS_CONFIG, else none
  std::optional<std::string> data_dir;   // --data; default as `plexus serve` (./data)
  std::vector<std::string> commands;     // -c, in order: SQL text or one backslash command
  std::vector<std::string> files;        // -f, in order; "-" is stdin
};

// Runs the shell and returns the exit code: 0 success, 1 a statement or meta-command failed (or
// the data directory could not be opened), 2 usage or config errors.
int RunSqlShell(const SqlShellFlags& flags, const char* const* environment);

}  // namespace plexus::app
