// Evaluation of bound expressions over batches. Every node evaluates under a mask of the rows
// that need it; nodes that choose between children (AND, OR, CASE, COALESCE) narrow the mask.
#include "plexus/sql/exec/expression_evaluator.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "plexus/sql/exec/join_keys.h"
#include "plexus/sql/exec/operator.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/vector_compare.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/func/function.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

inline bool Active(const uint8_t* active, size_t row) { return active == nullptr || active[row]; }

// Copies the slot (not string bytes: they live in the source's arena, which stays valid until
// the source is evaluated again, after this result has been consumed).
void CopySlot(const Vector& from, size_t from_row, Vector* to, size_t to_row) {
  to->nulls()[to_row] = from.nulls()[from_row];
  const size_t width = PhysicalWidth(to->physical());
  std::memcpy(reinterpret_cast<char*>(to->values<uint8_t>()) + to_row * width,
              reinterpret_cast<const char*>(from.values<uint8_t>()) + from_row * width, width);
}

}  // namespace

struct ExpressionEvaluator::Node {
  explicit Node(const Expr& node_expr) : expr(node_expr), result(node_expr.type) {
    for (const ExprPtr& arg : expr.args) children.push_back(std::make_unique<Node>(*arg));
    if (expr.compare) compare = std::make_unique<Node>(*expr.compare);
  }

  const Expr& expr;
  Vector result;
  std::vector<std::unique_ptr<Node>> children;
  std::unique_ptr<Node> compare;
  uint8_t mask[kBatchRowsMax];
  uint8_t mask2[kBatchRowsMax];
  std::unique_ptr<Operator> subquery;
  uint64_t cached_execution = 0;  // an uncorrelated subquery runs once per execution
  Value cached;
  struct HashedSubplan;
  std::unique_ptr<HashedSubplan> hashed;  // SubqueryHashes: the subquery's keys
  struct Memo;
  std::unique_ptr<Memo> memo;  // a correlated scalar/EXISTS subquery's results by outer values
  bool memo_checked = false;
};

// Memoized results of a correlated scalar or EXISTS subquery (PostgreSQL 14's Memoize idea):
// within one execution, outer rows with the same values in the columns the subquery reads get
// the result the first of them got. Only for subqueries that read nothing of rows further out
// than their enclosing query's and call no volatile function.
struct ExpressionEvaluator::Node::Memo {
  std::vector<uint32_t> columns;  // of the enclosing query's row, read by the subquery
  uint64_t execution = 0;
  std::unordered_map<std::string, Value> results;
  size_t bytes = 0;  // roughly; no entries are added past work_mem
};

// A hashed subplan (PostgreSQL's): the key bytes of an uncorrelated IN / NOT IN subquery's
// values, built once per execution, and whether a value was NULL.
struct ExpressionEvaluator::Node::HashedSubplan {
  explicit HashedSubplan(const Expr& expr)
      : keys_input({expr.args[0]->type, expr.subquery->types[0]}) {}
  uint64_t execution = 0;
  bool overflow = false;  // the keys passed work_mem: this execution runs per row instead
  bool empty = true;
  bool saw_null = false;
  std::unordered_set<std::string> keys;
  Batch keys_input;  // (left value, subquery value), the comparison's input
};

namespace {

using Node = ExpressionEvaluator::Node;

Result<const Vector*> Eval(Node& node, ExecContext& context, const Batch& input,
                           const uint8_t* active);

Result<const Vector*> EvalCall(Node& node, ExecContext& context, const Batch& input,
                               const uint8_t* active) {
  const size_t rows = input.rows();
  const Vector* args[kFunctionArgumentsMax + 1];
  if (node.children.size() > kFunctionArgumentsMax) {
    return SqlError(kProgramLimitExceeded, "too many arguments");
  }
  for (size_t i = 0; i < node.children.size(); ++i) {
    PLEXUS_ASSIGN_OR_RETURN(args[i], Eval(*node.children[i], context, input, active));
  }
  args[node.children.size()] = nullptr;  // variadic kernels count their arguments
  const ScalarFunction& function = *node.expr.function;
  uint8_t* nulls = node.result.nulls();
  for (size_t row = 0; row < rows; ++row) {
    bool any_null = false;
    if (function.strict) {
      for (size_t i = 0; i < node.children.size(); ++i) any_null |= args[i]->IsNull(row);
    }
    nulls[row] = any_null ? 1 : 0;
    node.mask[row] = Active(active, row) && !any_null;
  }
  node.result.ResetArena();
  PLEXUS_RETURN_IF_ERROR(function.kernel(args, rows, node.mask, &node.result, context));
  return &node.result;
}

// AND and OR, three-valued: `dominant` is false for AND, true for OR.
Result<const Vector*> EvalLogic(Node& node, ExecContext& context, const Batch& input,
                                const uint8_t* active, bool dominant) {
  const size_t rows = input.rows();
  uint8_t* values = node.result.values<uint8_t>();
  uint8_t* nulls = node.result.nulls();
  std::fill_n(values, rows, dominant ? 0 : 1);
  std::fill_n(nulls, rows, 0);
  for (auto& child : node.children) {
    for (size_t row = 0; row < rows; ++row) {
      node.mask[row] = Active(active, row) && !(nulls[row] == 0 && values[row] == dominant);
    }
    PLEXUS_ASSIGN_OR_RETURN(const Vector* operand, Eval(*child, context, input, node.mask));
    const uint8_t* operand_values = operand->values<uint8_t>();
    for (size_t row = 0; row < rows; ++row) {
      if (!node.mask[row]) continue;
      if (operand->IsNull(row)) {
        nulls[row] = 1;
      } else if ((operand_values[row] != 0) == dominant) {
        values[row] = dominant;
        nulls[row] = 0;
      }
    }
  }
  return &node.result;
}

Result<const Vector*> EvalCase(Node& node, ExecContext& context, const Batch& input,
                               const uint8_t* active) {
  const size_t rows = input.rows();
  uint8_t* remaining = node.mask;
  uint8_t* hits = node.mask2;
  for (size_t row = 0; row < rows; ++row) remaining[row] = Active(active, row);
  std::fill_n(node.result.nulls(), rows, 1);
  const size_t pairs = (node.children.size() - (node.expr.has_else ? 1 : 0)) / 2;
  for (size_t pair = 0; pair < pairs; ++pair) {
    PLEXUS_ASSIGN_OR_RETURN(const Vector* condition,
                            Eval(*node.children[2 * pair], context, input, remaining));
    bool any = false;
    for (size_t row = 0; row < rows; ++row) {
      hits[row] = remaining[row] && !condition->IsNull(row) &&
                  condition->values<uint8_t>()[row] != 0;
      any |= hits[row] != 0;
    }
    if (!any) continue;
    PLEXUS_ASSIGN_OR_RETURN(const Vector* value,
                            Eval(*node.children[2 * pair + 1], context, input, hits));
    for (size_t row = 0; row < rows; ++row) {
      if (!hits[row]) continue;
      CopySlot(*value, row, &node.result, row);
      remaining[row] = 0;
    }
  }
  if (node.expr.has_else) {
    PLEXUS_ASSIGN_OR_RETURN(const Vector* value,
                            Eval(*node.children.back(), context, input, remaining));
    for (size_t row = 0; row < rows; ++row) {
      if (remaining[row]) CopySlot(*value, row, &node.result, row);
    }
  }
  return &node.result;
}

Result<const Vector*> EvalCoalesce(Node& node, ExecContext& context, const Batch& input,
                                   const uint8_t* active) {
  const size_t rows = input.rows();
  for (size_t row = 0; row < rows; ++row) node.mask[row] = Active(active, row);
  std::fill_n(node.result.nulls(), rows, 1);
  for (auto& child : node.children) {
    PLEXUS_ASSIGN_OR_RETURN(const Vector* value, Eval(*child, context, input, node.mask));
    for (size_t row = 0; row < rows; ++row) {
      if (node.mask[row] && !value->IsNull(row)) {
        CopySlot(*value, row, &node.result, row);
        node.mask[row] = 0;
      }
    }
  }
  return &node.result;
}

// GREATEST / LEAST: the largest (smallest) non-NULL argument; NULL only when every one is.
Result<const Vector*> EvalMinMax(Node& node, ExecContext& context, const Batch& input,
                                 const uint8_t* active, bool greatest) {
  const size_t rows = input.rows();
  std::fill_n(node.result.nulls(), rows, 1);
  for (auto& child : node.children) {
    PLEXUS_ASSIGN_OR_RETURN(const Vector* value, Eval(*child, context, input, active));
    for (size_t row = 0; row < rows; ++row) {
      if (!Active(active, row) || value->IsNull(row)) continue;
      if (!node.result.IsNull(row)) {
        const int order = CompareSlots(*value, row, node.result, row);
        if (greatest ? order <= 0 : order >= 0) continue;
      }
      CopySlot(*value, row, &node.result, row);
    }
  }
  return &node.result;
}

Result<const Vector*> EvalNullTest(Node& node, ExecContext& context, const Batch& input,
                                   const uint8_t* active, bool want_null) {
  PLEXUS_ASSIGN_OR_RETURN(const Vector* value, Eval(*node.children[0], context, input, active));
  for (size_t row = 0; row < input.rows(); ++row) {
    node.result.nulls()[row] = 0;
    node.result.values<uint8_t>()[row] = value->IsNull(row) == want_null;
  }
  return &node.result;
}

// IS [NOT] DISTINCT FROM: args (a, b, a = b).
Result<const Vector*> EvalDistinct(Node& node, ExecContext& context, const Batch& input,
                                   const uint8_t* active, bool want_distinct) {
  const size_t rows = input.rows();
  PLEXUS_ASSIGN_OR_RETURN(const Vector* left, Eval(*node.children[0], context, input, active));
  PLEXUS_ASSIGN_OR_RETURN(const Vector* right, Eval(*node.children[1], context, input, active));
  for (size_t row = 0; row < rows; ++row) {
    node.mask[row] = Active(active, row) && !left->IsNull(row) && !right->IsNull(row);
  }
  PLEXUS_ASSIGN_OR_RETURN(const Vector* equal, Eval(*node.children[2], context, input, node.mask));
  for (size_t row = 0; row < rows; ++row) {
    bool distinct = node.mask[row] ? equal->values<uint8_t>()[row] == 0
                                   : left->IsNull(row) != right->IsNull(row);
    node.result.nulls()[row] = 0;
    node.result.values<uint8_t>()[row] = distinct == want_distinct;
  }
  return &node.result;
}

// NULLIF(a, b): args (a, b, a = b).
Result<const Vector*> EvalNullIf(Node& node, ExecContext& context, const Batch& input,
                                 const uint8_t* active) {
  const size_t rows = input.rows();
  PLEXUS_ASSIGN_OR_RETURN(const Vector* value, Eval(*node.children[0], context, input, active));
  PLEXUS_ASSIGN_OR_RETURN(const Vector* equal, Eval(*node.children[2], context, input, active));
  for (size_t row = 0; row < rows; ++row) {
    CopySlot(*value, row, &node.result, row);
    if (!equal->IsNull(row) && equal->values<uint8_t>()[row]) node.result.nulls()[row] = 1;
  }
  return &node.result;
}

Result<const Vector*> EvalNot(Node& node, ExecContext& context, const Batch& input,
                              const uint8_t* active) {
  PLEXUS_ASSIGN_OR_RETURN(const Vector* value, Eval(*node.children[0], context, input, active));
  for (size_t row = 0; row < input.rows(); ++row) {
    node.result.nulls()[row] = value->nulls()[row];
    node.result.values<uint8_t>()[row] = value->values<uint8_t>()[row] ? 0 : 1;
  }
  return &node.result;
}

Result<const Vector*> EvalCast(Node& node, ExecContext& context, const Batch& input,
                               const uint8_t* active) {
  PLEXUS_ASSIGN_OR_RETURN(const Vector* value, Eval(*node.children[0], context, input, active));
  for (size_t row = 0; row < input.rows(); ++row) {
    node.mask[row] = Active(active, row) && !value->IsNull(row);
    node.result.nulls()[row] = value->nulls()[row];
  }
  node.result.ResetArena();
  PLEXUS_RETURN_IF_ERROR(CastVector(*value, input.rows(), node.mask, &node.result));
  return &node.result;
}

}  // namespace

Result<const Vector*> EvalSubquery(Node& node, ExecContext& context, const Batch& input,
                                   const uint8_t* active);

namespace {

Result<const Vector*> Eval(Node& node, ExecContext& context, const Batch& input,
                           const uint8_t* active) {
  const Expr& expr = node.expr;
  switch (expr.kind) {
    case ExprKind::kColumn:
      return &input.column(expr.column);
    case ExprKind::kConstant:
      FillValue(&node.result, input.rows(), expr.constant);
      return &node.result;
    case ExprKind::kParameter: {
      if (expr.parameter >= context.parameters().size()) {
        return SqlError(kUndefinedParameter,
                        "there is no parameter $" + std::to_string(expr.parameter + 1));
      }
      FillValue(&node.result, input.rows(), context.parameters()[expr.parameter]);
      return &node.result;
    }
    case ExprKind::kOuterColumn: {
      auto& outer = context.outer_rows();
      if (expr.depth == 0 || expr.depth > outer.size()) {
        return SqlError(kInternalError, "outer column reference without an outer row");
      }
      FillValue(&node.result, input.rows(), outer[outer.size() - expr.depth][expr.column]);
      return &node.result;
    }
    case ExprKind::kCall: return EvalCall(node, context, input, active);
    case ExprKind::kCast: return EvalCast(node, context, input, active);
    case ExprKind::kAnd: return EvalLogic(node, context, input, active, /*dominant=*/false);
    case ExprKind::kOr: return EvalLogic(node, context, input, active, /*dominant=*/true);
    case ExprKind::kNot: return EvalNot(node, context, input, active);
    case ExprKind::kIsNull: return EvalNullTest(node, context, input, active, true);
    case ExprKind::kIsNotNull: return EvalNullTest(node, context, input, active, false);
    case ExprKind::kIsDistinctFrom: return EvalDistinct(node, context, input, active, true);
    case ExprKind::kIsNotDistinctFrom: return EvalDistinct(node, context, input, active, false);
    case ExprKind::kCase: return EvalCase(node, context, input, active);
    case ExprKind::kCoalesce: return EvalCoalesce(node, context, input, active);
    case ExprKind::kNullIf: return EvalNullIf(node, context, input, active);
    case ExprKind::kSubquery: return EvalSubquery(node, context, input, active);
    case ExprKind::kGreatest: return EvalMinMax(node, context, input, active, true);
    case ExprKind::kLeast: return EvalMinMax(node, context, input, active, false);
    case ExprKind::kInList:
      break;
  }
  return SqlError(kFeatureNotSupported, "expression kind is not supported yet");
}

}  // namespace

ExpressionEvaluator::ExpressionEvaluator(const Expr& expr)
    : expr_(&expr), root_(std::make_unique<Node>(expr)) {}
ExpressionEvaluator::~ExpressionEvaluator() = default;
ExpressionEvaluator::ExpressionEvaluator(ExpressionEvaluator&&) noexcept = default;
ExpressionEvaluator& ExpressionEvaluator::operator=(ExpressionEvaluator&&) noexcept = default;

Result<const Vector*> ExpressionEvaluator::Evaluate(ExecContext& context, const Batch& input,
                                                    const uint8_t* active) {
  PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
  return Eval(*root_, context, input, active);
}

Status ExpressionEvaluator::EvaluatePredicate(ExecContext& context, const Batch& input,
                                              uint8_t* keep) {
  PLEXUS_ASSIGN_OR_RETURN(const Vector* result, Evaluate(context, input, nullptr));
  const uint8_t* values = result->values<uint8_t>();
  const uint8_t* nulls = result->nulls();
  for (size_t row = 0; row < input.rows(); ++row) keep[row] = values[row] && !nulls[row];
  return Status::Ok();
}

}  // namespace plexus::sql

namespace plexus::sql {

namespace {

// ANY/ALL of `left` (a value, or a row's fields) against every row of the subquery,
// three-valued.
Result<Value> CompareWithSubquery(Node& node, ExecContext& context, const std::vector<Value>& left,
                                  Batch& rows_batch) {
  const bool any = node.expr.subquery_kind == SubqueryKind::kAny;
  bool saw_null = false;
  const size_t width = left.size();
  std::vector<Type> types;
  for (const ExprPtr& arg : node.expr.args) types.push_back(arg->type);
  types.insert(types.end(), node.expr.subquery->types.begin(), node.expr.subquery->types.end());
  Batch compare_input(types);
  while (true) {
    rows_batch.Reset();
    PLEXUS_RETURN_IF_ERROR(node.subquery->Next(context, &rows_batch));
    if (rows_batch.rows() == 0) break;
    compare_input.set_rows(rows_batch.rows());
    for (size_t i = 0; i < width; ++i) {
      FillValue(&compare_input.column(i), rows_batch.rows(), left[i]);
      for (size_t row = 0; row < rows_batch.rows(); ++row) {
        CopySlot(rows_batch.column(i), row, &compare_input.column(width + i), row);
      }
    }
    PLEXUS_ASSIGN_OR_RETURN(const Vector* result,
                            Eval(*node.compare, context, compare_input, nullptr));
    for (size_t row = 0; row < rows_batch.rows(); ++row) {
      if (result->IsNull(row)) {
        saw_null = true;
      } else if ((result->values<uint8_t>()[row] != 0) == any) {
        return Value::Bool(any);  // ANY found a match / ALL found a counterexample
      }
    }
  }
  return saw_null ? Value::Null(Type::Of(TypeId::kBool)) : Value::Bool(!any);
}

Result<Value> RunSubquery(Node& node, ExecContext& context, const std::vector<Value>& left) {
  PLEXUS_RETURN_IF_ERROR(node.subquery->Open(context));
  Batch batch(node.expr.subquery->types);
  switch (node.expr.subquery_kind) {
    case SubqueryKind::kExists:
      PLEXUS_RETURN_IF_ERROR(node.subquery->Next(context, &batch));
      return Value::Bool(batch.rows() > 0);
    case SubqueryKind::kScalar: {
      Value value = Value::Null(node.expr.type);
      size_t seen = 0;
      while (true) {
        batch.Reset();
        PLEXUS_RETURN_IF_ERROR(node.subquery->Next(context, &batch));
        if (batch.rows() == 0) break;
        seen += batch.rows();
        if (seen > 1) {
          return SqlError(kCardinalityViolation,
                          "more than one row returned by a subquery used as an expression");
        }
        value = GetValue(batch.column(0), 0);
      }
      return value;
    }
    case SubqueryKind::kAny:
    case SubqueryKind::kAll:
      if (left.size() == 1 && left[0].is_null()) {
        // NULL = ANY(empty) is false and NULL = ALL(empty) true; otherwise NULL. (A row with
        // NULL fields may still be unequal to every row: it is compared.)
        PLEXUS_RETURN_IF_ERROR(node.subquery->Next(context, &batch));
        if (batch.rows() == 0) return Value::Bool(node.expr.subquery_kind == SubqueryKind::kAll);
        return Value::Null(Type::Of(TypeId::kBool));
      }
      return CompareWithSubquery(node, context, left, batch);
  }
  return SqlError(kInternalError, "bad subquery kind");
}

// Runs the subquery of a hashed subplan and keeps its values' keys (the comparison's right
// operand, encoded); past hash_mem (2 x work_mem) it gives up and the execution compares per
// row instead.
Status BuildHashedSubplan(Node& node, ExecContext& context) {
  Node::HashedSubplan& hashed = *node.hashed;
  hashed.execution = context.execution();
  hashed.keys.clear();
  hashed.overflow = false;
  hashed.empty = true;
  hashed.saw_null = false;
  PLEXUS_RETURN_IF_ERROR(node.subquery->Open(context));
  Batch batch(node.expr.subquery->types);
  Batch& input = hashed.keys_input;
  size_t bytes = 0;
  std::string key;
  while (true) {
    batch.Reset();
    PLEXUS_RETURN_IF_ERROR(node.subquery->Next(context, &batch));
    const size_t rows = batch.rows();
    if (rows == 0) break;
    hashed.empty = false;
    input.set_rows(rows);
    for (size_t row = 0; row < rows; ++row) CopySlot(batch.column(0), row, &input.column(1), row);
    PLEXUS_ASSIGN_OR_RETURN(const Vector* values,
                            Eval(*node.compare->children[1], context, input, nullptr));
    for (size_t row = 0; row < rows; ++row) {
      if (values->IsNull(row)) {
        hashed.saw_null = true;
        continue;
      }
      key.clear();
      PLEXUS_RETURN_IF_ERROR(AppendKeyPart(*values, row, &key));
      // (the string, its node and bucket: about 64 bytes besides the key)
      if (hashed.keys.insert(key).second) bytes += key.size() + 64;
    }
    // hash_mem: PostgreSQL 15's hash_mem_multiplier (2) times work_mem.
    if (bytes > 2 * context.work_mem()) {
      hashed.overflow = true;
      hashed.keys = {};
      // (on the node EXPLAIN shows first: projections are shown as part of their input)
      const PlanNode* shown = node.expr.subquery.get();
      while (shown->kind == PlanKind::kProject && shown->children[0]->kind != PlanKind::kOneRow) {
        shown = shown->children[0].get();
      }
      context.set_explain_note(shown, "Hashed: no (keys past work_mem; compared per row)");
      return Status::Ok();
    }
  }
  return Status::Ok();
}

// x = ANY (hashed subquery): true when x's key is among the subquery's; else NULL when x is NULL
// or the subquery had a NULL (and any row at all), false otherwise. x <> ALL is its negation.
Status ProbeHashedSubplan(Node& node, const Vector& keys, size_t rows, const uint8_t* active) {
  const Node::HashedSubplan& hashed = *node.hashed;
  const bool all = node.expr.subquery_kind == SubqueryKind::kAll;
  uint8_t* values = node.result.values<uint8_t>();
  uint8_t* nulls = node.result.nulls();
  std::string key;
  for (size_t row = 0; row < rows; ++row) {
    if (!Active(active, row)) continue;
    bool found = false;
    bool unknown = false;
    if (hashed.empty) {
      found = false;
    } else if (keys.IsNull(row)) {
      unknown = true;
    } else {
      key.clear();
      PLEXUS_RETURN_IF_ERROR(AppendKeyPart(keys, row, &key));
      found = hashed.keys.count(key) > 0;
      unknown = !found && hashed.saw_null;
    }
    nulls[row] = unknown ? 1 : 0;
    values[row] = (found != all) ? 1 : 0;
  }
  return Status::Ok();
}

// Visits every expression of `plan` and its inputs with its nesting level (0: the plan's own
// query; the plans of subqueries inside are visited one level deeper).
void VisitPlan(const PlanNode& plan, uint32_t level,
               const std::function<void(const Expr&, uint32_t)>& visit);

void VisitExpr(const Expr* expr, uint32_t level,
               const std::function<void(const Expr&, uint32_t)>& visit) {
  if (expr == nullptr) return;
  visit(*expr, level);
  for (const ExprPtr& arg : expr->args) VisitExpr(arg.get(), level, visit);
  VisitExpr(expr->compare.get(), level, visit);
  if (expr->kind == ExprKind::kSubquery && expr->subquery) {
    VisitPlan(*expr->subquery, level + 1, visit);
  }
}

void VisitPlan(const PlanNode& plan, uint32_t level,
               const std::function<void(const Expr&, uint32_t)>& visit) {
  auto list = [&](const std::vector<ExprPtr>& exprs) {
    for (const ExprPtr& expr : exprs) VisitExpr(expr.get(), level, visit);
  };
  list(plan.key_prefix);
  VisitExpr(plan.key_lower.get(), level, visit);
  VisitExpr(plan.key_upper.get(), level, visit);
  for (const auto& row : plan.rows) list(row);
  VisitExpr(plan.predicate.get(), level, visit);
  list(plan.expressions);
  list(plan.groups);
  for (const AggregateCall& call : plan.aggregates) {
    list(call.args);
    VisitExpr(call.filter.get(), level, visit);
    for (const SortKey& key : call.order) VisitExpr(key.expr.get(), level, visit);
  }
  for (const SortKey& key : plan.sort_keys) VisitExpr(key.expr.get(), level, visit);
  VisitExpr(plan.limit.get(), level, visit);
  VisitExpr(plan.offset.get(), level, visit);
  list(plan.defaults);
  list(plan.returning);
  list(plan.checks);
  for (const TableFunctionCall& call : plan.functions) list(call.args);
  for (size_t i = 0; i < plan.children.size(); ++i) {
    // A LATERAL subquery's enclosing row is its apply's input row: one level deeper.
    const bool lateral = plan.kind == PlanKind::kApply && i == 1;
    VisitPlan(*plan.children[i], level + (lateral ? 1 : 0), visit);
  }
}

// The memo of a correlated scalar/EXISTS subquery, or null when its result may depend on more
// than the enclosing row's columns it reads (rows further out, volatile functions).
std::unique_ptr<Node::Memo> MakeMemo(const Expr& expr) {
  const bool kind_fits = expr.subquery_kind == SubqueryKind::kScalar ||
                         expr.subquery_kind == SubqueryKind::kExists;
  if (!expr.correlated || !expr.subquery || !kind_fits) {
    return nullptr;
  }
  bool usable = true;
  std::vector<uint32_t> columns;
  VisitPlan(*expr.subquery, 0, [&](const Expr& e, uint32_t level) {
    if (e.kind == ExprKind::kCall && e.function != nullptr && e.function->volatile_) usable = false;
    if (e.kind != ExprKind::kOuterColumn || e.depth <= level) return;
    if (e.depth != level + 1) {
      usable = false;
    } else if (std::find(columns.begin(), columns.end(), e.column) == columns.end()) {
      columns.push_back(e.column);
    }
  });
  if (!usable || columns.empty()) return nullptr;
  auto memo = std::make_unique<Node::Memo>();
  memo->columns = std::move(columns);
  return memo;
}

// The memo key of row `row`: the exact slot bytes of the columns the subquery reads (not key
// encodings: 1.0 and 1.00 are equal but print differently).
void MemoKey(const Node::Memo& memo, const Batch& input, size_t row, std::string* key) {
  key->clear();
  for (uint32_t column : memo.columns) {
    const Vector& vector = input.column(column);
    if (vector.IsNull(row)) {
      key->push_back('\0');
      continue;
    }
    key->push_back('\1');
    if (vector.physical() == PhysicalType::kString) {
      const std::string_view bytes = vector.GetString(row);
      const uint32_t size = static_cast<uint32_t>(bytes.size());
      key->append(reinterpret_cast<const char*>(&size), sizeof(size));
      key->append(bytes);
    } else {
      const size_t width = PhysicalWidth(vector.physical());
      key->append(reinterpret_cast<const char*>(vector.values<uint8_t>()) + row * width, width);
    }
  }
}

}  // namespace

Result<const Vector*> EvalSubquery(Node& node, ExecContext& context, const Batch& input,
                                   const uint8_t* active) {
  const Expr& expr = node.expr;
  if (!node.subquery) {
    PLEXUS_ASSIGN_OR_RETURN(node.subquery, BuildOperator(*expr.subquery));
    if (SubqueryHashes(expr)) node.hashed = std::make_unique<Node::HashedSubplan>(expr);
  }
  // The left operand's fields (one but for a row compared with the subquery's rows).
  std::vector<const Vector*> left;
  const bool compares = expr.subquery_kind == SubqueryKind::kAny ||
                        expr.subquery_kind == SubqueryKind::kAll;
  if (compares) {
    for (const std::unique_ptr<Node>& child : node.children) {
      PLEXUS_ASSIGN_OR_RETURN(const Vector* field, Eval(*child, context, input, active));
      left.push_back(field);
    }
  }
  if (node.hashed != nullptr) {
    if (node.hashed->execution != context.execution()) {
      PLEXUS_RETURN_IF_ERROR(BuildHashedSubplan(node, context));
    }
    if (node.hashed->empty) {
      // x = ANY (no rows) is false and x <> ALL (no rows) true, whatever x (not even evaluated
      // as the comparison's operand, as when comparing per row: 'hello' IN (empty int column)).
      const bool all = expr.subquery_kind == SubqueryKind::kAll;
      for (size_t row = 0; row < input.rows(); ++row) {
        node.result.nulls()[row] = 0;
        node.result.values<uint8_t>()[row] = all ? 1 : 0;
      }
      return &node.result;
    }
    if (!node.hashed->overflow) {
      Batch& keys_input = node.hashed->keys_input;
      keys_input.set_rows(input.rows());
      for (size_t row = 0; row < input.rows(); ++row) {
        if (Active(active, row)) CopySlot(*left[0], row, &keys_input.column(0), row);
      }
      PLEXUS_ASSIGN_OR_RETURN(const Vector* keys,
                              Eval(*node.compare->children[0], context, keys_input, active));
      PLEXUS_RETURN_IF_ERROR(ProbeHashedSubplan(node, *keys, input.rows(), active));
      return &node.result;
    }
  }
  node.result.ResetArena();
  if (!node.memo_checked) {
    node.memo_checked = true;
    node.memo = MakeMemo(expr);
  }
  Node::Memo* memo = node.memo.get();
  if (memo != nullptr && memo->execution != context.execution()) {
    memo->execution = context.execution();
    memo->results.clear();
    memo->bytes = 0;
  }
  std::string memo_key;
  std::vector<Value> left_values(left.size());
  for (size_t row = 0; row < input.rows(); ++row) {
    if (!Active(active, row)) continue;
    if (memo != nullptr) {
      MemoKey(*memo, input, row, &memo_key);
      if (auto found = memo->results.find(memo_key); found != memo->results.end()) {
        SetValue(&node.result, row, found->second);
        continue;
      }
    }
    const bool cacheable = !expr.correlated && !compares;
    if (cacheable && node.cached_execution == context.execution()) {
      SetValue(&node.result, row, node.cached);
      continue;
    }
    if (expr.correlated) {
      std::vector<Value> outer_row;
      outer_row.reserve(input.column_count());
      for (size_t column = 0; column < input.column_count(); ++column) {
        outer_row.push_back(GetValue(input.column(column), row));
      }
      context.outer_rows().push_back(std::move(outer_row));
    }
    for (size_t i = 0; i < left.size(); ++i) left_values[i] = GetValue(*left[i], row);
    Result<Value> value = RunSubquery(node, context, left_values);
    if (expr.correlated) context.outer_rows().pop_back();
    PLEXUS_RETURN_IF_ERROR(value.status());
    if (cacheable) {
      node.cached = *value;
      node.cached_execution = context.execution();
    }
    if (memo != nullptr && memo->bytes <= context.work_mem()) {
      // (the key, the value and the map's node: about 96 bytes besides the key's)
      memo->bytes += memo_key.size() + value->string_value().size() + 96;
      memo->results.emplace(memo_key, *value);
    }
    SetValue(&node.result, row, *value);
  }
  return &node.result;
}

}  // namespace plexus::sql
