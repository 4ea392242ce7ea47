// Operator: the execution state of one PlanNode. Operators pull batches from their children
// (Next), so a query runs as a pipeline of batches; one virtual call per batch, never per row.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

#include "plexus/base/status.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/vector.h"
#include "plexus/sql/plan/plan.h"

namespace plexus::sql {

class Operator {
 public:
  explicit Operator(const PlanNode& plan) : plan_(plan) {}
  virtual ~Operator() = default;
  Operator(const Operator&) = delete;
  Operator& operator=(const Operator&) = delete;

  // Prepares for a (re)run: a correlated subquery opens its plan once per outer row.
  virtual Status Open(ExecContext& context) = 0;
  // Fills `out` (built from plan().types) with the next rows; out->rows() == 0 means the end.
  virtual Status Next(ExecContext& context, Batch* out) = 0;

  const PlanNode& plan() const { return plan_; }

 private:
  const PlanNode& plan_;
};

// What EXPLAIN ANALYZE reports for one plan node, summed over its runs (loops: Open calls).
// Times include the node's inputs, as PostgreSQL's do.
struct OperatorStats {
  uint64_t loops = 0;
  uint64_t rows = 0;
  double startup_ms = 0;  // until each run's first row (or its end)
  double total_ms = 0;
};
using OperatorStatsMap = std::unordered_map<const PlanNode*, OperatorStats>;

// The operator tree for `plan`. With `stats`, every operator also counts its rows and time there.
// REQUIRES: plan (and stats) outlive the operators.
Result<std::unique_ptr<Operator>> BuildOperator(const PlanNode& plan,
                                                OperatorStatsMap* stats = nullptr);

}  // namespace plexus::sql
