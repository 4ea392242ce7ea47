// `plexus serve`: builds the effective config (defaults < TOML file < PLEXUS_* environment <
// flags), opens the database and runs until SIGINT or SIGTERM.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plexus/base/config.h"
#include "plexus/status.h"

namespace plexus::app {

// Process exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the server could not start or stop cleanly
inline constexpr int kExitUsage = 2;    // bad command line or config

struct ServeFlags {
  std::string config_file;                // --config; empty: $PLEXUS_CONFIG, else no file
  std::vector<std::string> assignments;   // --set KEY=VALUE, in command-line order
  std::optional<std::string> data_dir;    // --data
  std::optional<std::string> log_level;   // --log-level
  std::optional<std::string> durability;  // --durability
  bool print_config = false;              // --print-config
};

// Applies every source in order of precedence. `environment` is as `environ`.
Result<base::Config> BuildConfig(const ServeFlags& flags, const char* const* environment);

// Runs `plexus serve` and returns the process exit code.
int RunServe(const ServeFlags& flags, const char* const* environment);

}  // namespace plexus::app
