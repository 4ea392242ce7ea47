// ExecContext: what a running statement's operators and expressions share — the transaction,
// the catalog, bound parameters, the rows of enclosing queries for correlated subqueries, and
// cancellation.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/sql/types/value.h"

namespace plexus::txn {
class Transaction;
}  // namespace plexus::txn
namespace plexus::catalog {
class Catalog;
class SequenceValues;
struct SessionSequences;
}  // namespace plexus::catalog

namespace plexus::sql {

class SpillFile;

class ExecContext {
 public:
  ExecContext(txn::Transaction* transaction, catalog::Catalog* catalog)
      : transaction_(transaction), catalog_(catalog), execution_(NextExecution()) {}
  // Closes the statement's spill files that operators still hold (a tree kept for the next
  // execution of a prepared statement, stopped early under a LIMIT).
  ~ExecContext();
  ExecContext(const ExecContext&) = delete;
  ExecContext& operator=(const ExecContext&) = delete;

  // Unique per context (per statement execution), never 0: what an operator tree kept across
  // executions of a prepared statement compares to know that a cached result is stale.
  uint64_t execution() const { return execution_; }

  txn::Transaction& transaction() { return *transaction_; }
  catalog::Catalog& catalog() { return *catalog_; }

  std::vector<Value>& parameters() { return parameters_; }

  // The current row of each enclosing query, innermost last, for kOuterColumn expressions.
  std::vector<std::vector<Value>>& outer_rows() { return outer_rows_; }

  // WITH RECURSIVE work tables by id: the rows of the previous round (kWorkTableScan).
  std::vector<const class WorkTable*>& work_tables() { return work_tables_; }

  // Rows inserted, updated or deleted by the statement (for the command tag).
  uint64_t& affected_rows() { return affected_rows_; }

  // Hands out hidden row ids for tables without a primary key. Set by the engine.
  void set_row_ids(class RowIdAllocator* row_ids) { row_ids_ = row_ids; }
  class RowIdAllocator* row_ids() { return row_ids_; }

  // Sequence values (the engine's) and what the session remembers of them. Set by the session.
  void set_sequences(catalog::SequenceValues* values, catalog::SessionSequences* session) {
    sequences_ = values;
    session_sequences_ = session;
  }
  // Null where no session set them (sequence functions then fail).
  catalog::SequenceValues* sequences() { return sequences_; }
  catalog::SessionSequences* session_sequences() { return session_sequences_; }

  void Cancel() { canceled_.store(true, std::memory_order_relaxed); }
  bool canceled() const {
    return canceled_.load(std::memory_order_relaxed) ||
           (cancel_flag_ != nullptr && cancel_flag_->load(std::memory_order_relaxed));
  }
  // A flag owned by the session's front end (pgwire's CancelRequest) that cancels too.
  void set_cancel_flag(const std::atomic<bool>* flag) { cancel_flag_ = flag; }
  // statement_timeout: the statement fails once this time has passed.
  void set_deadline(std::chrono::steady_clock::time_point deadline) {
    deadline_ = deadline;
    has_deadline_ = true;
  }
  // 57014 when the statement was canceled or ran out of time; operators call it once per batch.
  Status CheckInterrupts() const;

  // work_mem: what a sort or hash aggregate may hold before it spills to temporary files.
  void set_work_mem(size_t bytes) { work_mem_ = bytes; }
  size_t work_mem() const { return work_mem_; }
  // Where spill files go; empty: the process's temporary directory (spill_file.h).
  void set_temp_directory(std::string dir) { temp_directory_ = std::move(dir); }
  const std::string& temp_directory() const { return temp_directory_; }
  // The open spill files of the statement (SpillFile adds and removes itself).
  std::vector<SpillFile*>& spill_files() { return spill_files_; }
  // A LIMIT reads at most `rows` rows of the node `plan` (0: no bound): a sort keeps the top N.
  void set_row_bound(const void* plan, uint64_t rows);
  uint64_t row_bound(const void* plan) const;
  // EXPLAIN ANALYZE: one line an operator reports under its node ("Sort Method: ..."); the
  // last run's line wins.
  void set_explain_note(const void* plan, std::string line);
  const std::string* explain_note(const void* plan) const;

 private:
  static uint64_t NextExecution();

  txn::Transaction* transaction_;
  catalog::Catalog* catalog_;
  uint64_t execution_;
  std::vector<Value> parameters_;
  std::vector<std::vector<Value>> outer_rows_;
  std::vector<const class WorkTable*> work_tables_;
  uint64_t affected_rows_ = 0;
  class RowIdAllocator* row_ids_ = nullptr;
  catalog::SequenceValues* sequences_ = nullptr;
  catalog::SessionSequences* session_sequences_ = nullptr;
  std::atomic<bool> canceled_{false};
  const std::atomic<bool>* cancel_flag_ = nullptr;
  std::chrono::steady_clock::time_point deadline_;
  bool has_deadline_ = false;
  size_t work_mem_ = size_t{4} << 20;
  std::string temp_directory_;
  std::vector<SpillFile*> spill_files_;
  std::vector<std::pair<const void*, uint64_t>> row_bounds_;
  std::vector<std::pair<const void*, std::string>> explain_notes_;
};

}  // namespace plexus::sql
