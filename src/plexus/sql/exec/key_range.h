// The key range an access path reads (PlanNode::key_prefix, key_lower, key_upper): a prefix of
// fixed key parts, then bounds on the next part — of the table's rows or of a secondary index.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/plan/plan.h"

namespace plexus::sql {

class KeyRangeEvaluator {
 public:
  // Appends the key encoding of row 0 of `value` as the key part at `position` (0-based).
  using AppendPart = std::function<Status(const Vector& value, size_t position, std::string* key)>;

  struct Range {
    std::string prefix;  // the fixed parts after the starting prefix
    std::string start;   // [start, end): empty when start == end
    std::string end;
    bool empty = false;  // a value was NULL: nothing equals or lies beyond it
  };

  // REQUIRES: `plan` outlives the evaluator.
  explicit KeyRangeEvaluator(const PlanNode& plan);

  // The range under `prefix` (the table's or the index's key prefix).
  Result<Range> Evaluate(ExecContext& context, std::string prefix, const AppendPart& append);

  size_t prefix_parts() const { return prefix_values_.size(); }
  bool bounded() const { return lower_ || upper_; }

 private:
  const PlanNode& plan_;
  std::vector<ExpressionEvaluator> prefix_values_;
  std::unique_ptr<ExpressionEvaluator> lower_;
  std::unique_ptr<ExpressionEvaluator> upper_;
};

// The conditions of `filter` (a kFilter) that its input's key range does not already enforce.
// The binder reads a primary key range off `column op value` conjuncts whose key encoding
// orders as the comparison does, and leaves them in the filter; over a primary key scan of the
// whole table row, those whose value is a parameter (or a cast of one) are dropped here, as the
// scan reads exactly their rows (a NULL value reads none, as the comparison passes none).
// nullopt: every conjunct stays (use the predicate as it is); a null expression: none does.
std::optional<ExprPtr> ResidualFilter(const PlanNode& filter);

}  // namespace plexus::sql
