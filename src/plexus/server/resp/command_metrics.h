// The RESP front end's metrics: plexus_resp_commands_total{command} per command-table entry and
// plexus_resp_command_duration_seconds. A counter is resolved once per table entry (on its
// first call); a thread's counts and durations gather in thread-local batches that
// FlushCommandMetrics adds to the shared metrics, so that a pipeline of N commands costs a few
// atomic operations rather than 3N contended ones (RESP is benchmarked against Redis).
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

// Counts a call of `spec` in this thread's batch.
void CountCommand(const CommandSpec& spec);
// Observes a command's duration in this thread's batch.
void RecordCommandDuration(double seconds);
// Adds this thread's batch to the shared metrics (at the end of each input a connection handles,
// so nothing waits in a batch while the thread is idle).
void FlushCommandMetrics();

}  // namespace plexus::server::resp
