// The RESP front end's metrics: plexus_resp_commands_total{command} per command-table entry and
// plexus_resp_command_duration_seconds. Resolved once (an entry's counter on its first call),
// then updated with relaxed atomics: no registry lookup, string or lock per command.
#pragma once

#include "plexus/base/metrics.h"
#include "plexus/server/resp/command.h"

namespace plexus::server::resp {

// The calls counter of `spec`. REQUIRES: `spec` is an entry of AllCommands().
base::Counter& CommandCounter(const CommandSpec& spec);

// Calls of names that are not commands (label command="unknown").
base::Counter& UnknownCommandCounter();

// Time from the start of a command's parsing to the end of its execution (its reply queued).
base::Histogram& CommandDurationHistogram();

}  // namespace plexus::server::resp
