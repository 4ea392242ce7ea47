// ExpressionEvaluator: evaluates one bound expression over a batch, vector at a time. Each node
// owns a scratch vector allocated once, so evaluating a batch allocates nothing. Conditional
// parts (CASE branches, the right side of AND/OR, COALESCE fallbacks) run only on the rows that
// reach them, so `CASE WHEN x <> 0 THEN 1 / x END` never divides by zero.
#pragma once

#include <memory>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/vector.h"
#include "plexus/sql/plan/expression.h"

namespace plexus::sql {

class Operator;

class ExpressionEvaluator {
 public:
  // REQUIRES: `expr` outlives the evaluator.
  explicit ExpressionEvaluator(const Expr& expr);
  ~ExpressionEvaluator();
  ExpressionEvaluator(ExpressionEvaluator&&) noexcept;
  ExpressionEvaluator& operator=(ExpressionEvaluator&&) noexcept;

  // Evaluates the rows of `input` whose `active` flag is 1 (every row when active is null); the
  // other rows of the result are unspecified. The result stays valid until the next call.
  Result<const Vector*> Evaluate(ExecContext& context, const Batch& input, const uint8_t* active);

  // Evaluates a predicate: keep[i] = 1 where it is true (not false, not NULL).
  Status EvaluatePredicate(ExecContext& context, const Batch& input, uint8_t* keep);

  const Expr& expr() const { return *expr_; }

  struct Node;  // evaluation state of one expression node (expression_evaluator.cc)

 private:
  const Expr* expr_;
  std::unique_ptr<Node> root_;
};

}  // namespace plexus::sql
