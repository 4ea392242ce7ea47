// Execution ids, and interrupts of a running statement: cancellation and statement_timeout.
#include "plexus/sql/exec/exec_context.h"

#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

uint64_t ExecContext::NextExecution() {
  static std::atomic<uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

Status ExecContext::CheckInterrupts() const {
  if (canceled()) return SqlError(kQueryCanceled, "canceling statement due to user request");
  if (has_deadline_ && std::chrono::steady_clock::now() >= deadline_) {
    return SqlError(kQueryCanceled, "canceling statement due to statement timeout");
  }
  return Status::Ok();
}

}  // namespace plexus::sql
