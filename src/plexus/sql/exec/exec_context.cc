// Execution ids, interrupts of a running statement (cancellation and statement_timeout), and
// what operators tell each other and EXPLAIN ANALYZE (row bounds, notes).
#include "plexus/sql/exec/exec_context.h"

#include "plexus/sql/exec/spill_file.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

ExecContext::~ExecContext() {
  // Detach unregisters, so take the list first.
  std::vector<SpillFile*> files = std::move(spill_files_);
  for (SpillFile* file : files) file->Detach();
}

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

void ExecContext::set_row_bound(const void* plan, uint64_t rows) {
  for (auto& [node, bound] : row_bounds_) {
    if (node == plan) {
      bound = rows;
      return;
    }
  }
  if (rows != 0) row_bounds_.emplace_back(plan, rows);
}

uint64_t ExecContext::row_bound(const void* plan) const {
  for (const auto& [node, bound] : row_bounds_) {
    if (node == plan) return bound;
  }
  return 0;
}

void ExecContext::set_explain_note(const void* plan, std::string line) {
  for (auto& [node, note] : explain_notes_) {
    if (node == plan) {
      note = std::move(line);
      return;
    }
  }
  explain_notes_.emplace_back(plan, std::move(line));
}

const std::string* ExecContext::explain_note(const void* plan) const {
  for (const auto& [node, note] : explain_notes_) {
    if (node == plan) return &note;
  }
  return nullptr;
}

}  // namespace plexus::sql
