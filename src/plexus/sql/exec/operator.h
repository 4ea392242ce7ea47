// Operator: the execution state of one PlanNode. Operators pull batches from their children
// (Next), so a query runs as a pipeline of batches; one virtual call per batch, never per row.
#pragma once

#include <memory>

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

// The operator tree for `plan`. REQUIRES: plan outlives the operators.
Result<std::unique_ptr<Operator>> BuildOperator(const PlanNode& plan);

}  // namespace plexus::sql
