// Row constructors, ROW(a, b) or (a, b), where PostgreSQL compares rows: comparison operators,
// IN lists, IS [NOT] DISTINCT FROM, and (bind_expression.cc's BindSubLink) a subquery's rows.
#include "plexus/sql/bind/binder_internal.h"

namespace plexus::sql {

using Impl = Binder::Impl;
using Scope = Binder::Scope;

const PgQuery__RowExpr* RowConstructor(const PgQuery__Node* node) {
  return node != nullptr && node->node_case == PG_QUERY__NODE__NODE_ROW_EXPR ? node->row_expr
                                                                             : nullptr;
}

Result<std::vector<ExprPtr>> BindRowFields(Impl& impl, const PgQuery__RowExpr& row, Scope& scope,
                                           AggregateBinding* aggregates) {
  std::vector<ExprPtr> fields;
  for (size_t i = 0; i < row.n_args; ++i) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr field, impl.BindExpression(*row.args[i], scope, aggregates));
    fields.push_back(std::move(field));
  }
  return fields;
}

// `left op right` for two rows of the same arity, as PostgreSQL compares rows: = and <> field by
// field (= is true when every pair is equal, false when one is unequal, else NULL; <> its
// negation); <, <=, > and >= by the first pair that is not equal, NULL when that pair has a NULL.
// The ordering comparisons begin with `left[0] >= right[0]` (for > and >=; <= for < and <=),
// implied by the rest but a bound on the first field that index and key ranges can use, as they
// use (created_at, id) > ($1, $2) in keyset pagination.
Result<ExprPtr> RowComparison(Impl& impl, std::string_view op, std::vector<ExprPtr> left,
                              std::vector<ExprPtr> right, int location) {
  if (left.size() != right.size()) {
    return WithPosition(SqlError(kSyntaxError, "unequal number of entries in row expressions"),
                        location);
  }
  if (left.empty()) {
    return WithPosition(SqlError(kFeatureNotSupported, "cannot compare rows of zero length"),
                        location);
  }
  if (op == "=" || op == "<>") {
    std::vector<ExprPtr> pairs;
    for (size_t i = 0; i < left.size(); ++i) {
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr pair, Comparison(impl, op, std::move(left[i]),
                                                       std::move(right[i]), location));
      pairs.push_back(std::move(pair));
    }
    return Combine(op == "=" ? ExprKind::kAnd : ExprKind::kOr, std::move(pairs));
  }
  if (op != "<" && op != "<=" && op != ">" && op != ">=") {
    return WithPosition(SqlError(kUndefinedFunction,
                                 "could not determine interpretation of row comparison operator " +
                                     std::string(op)),
                        location);
  }
  const std::string strict(op.substr(0, 1));
  const size_t last = left.size() - 1;
  // From the last pair back: a[i] strict b[i] OR (a[i] = b[i] AND <the rest>).
  PLEXUS_ASSIGN_OR_RETURN(ExprPtr result, Comparison(impl, op, left[last]->Clone(),
                                                     right[last]->Clone(), location));
  for (size_t i = last; i-- > 0;) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr before, Comparison(impl, strict, left[i]->Clone(),
                                                       right[i]->Clone(), location));
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr equal, Comparison(impl, "=", left[i]->Clone(),
                                                      right[i]->Clone(), location));
    std::vector<ExprPtr> both;
    both.push_back(std::move(equal));
    both.push_back(std::move(result));
    std::vector<ExprPtr> either;
    either.push_back(std::move(before));
    either.push_back(Combine(ExprKind::kAnd, std::move(both)));
    result = Combine(ExprKind::kOr, std::move(either));
  }
  if (last == 0) return result;
  PLEXUS_ASSIGN_OR_RETURN(ExprPtr bound, Comparison(impl, strict + "=", std::move(left[0]),
                                                    std::move(right[0]), location));
  std::vector<ExprPtr> conjuncts;
  conjuncts.push_back(std::move(bound));
  conjuncts.push_back(std::move(result));
  return Combine(ExprKind::kAnd, std::move(conjuncts));
}

// Both operands of a binary operator bound as rows, when either is a row constructor: the other
// must be one too (PostgreSQL has no record = integer operator).
Result<ExprPtr> BindRowOperator(Impl& impl, std::string_view op, const PgQuery__Node& left_node,
                                const PgQuery__Node& right_node, Scope& scope,
                                AggregateBinding* aggregates, int location) {
  const PgQuery__RowExpr* left = RowConstructor(&left_node);
  const PgQuery__RowExpr* right = RowConstructor(&right_node);
  if (left == nullptr || right == nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr other, impl.BindExpression(left ? right_node : left_node,
                                                               scope, aggregates));
    const std::string other_type = other->type.id == TypeId::kUnknown
                                       ? std::string("unknown")
                                       : catalog::FormatType(other->type);
    return WithPosition(
        SqlError(kUndefinedFunction, "operator does not exist: " +
                                         (left ? "record " + std::string(op) + " " + other_type
                                               : other_type + " " + std::string(op) + " record")),
        location);
  }
  PLEXUS_ASSIGN_OR_RETURN(std::vector<ExprPtr> left_fields,
                          BindRowFields(impl, *left, scope, aggregates));
  PLEXUS_ASSIGN_OR_RETURN(std::vector<ExprPtr> right_fields,
                          BindRowFields(impl, *right, scope, aggregates));
  return RowComparison(impl, op, std::move(left_fields), std::move(right_fields), location);
}

// Rows are distinct when any pair of their fields is (NULLs compare as values).
Result<ExprPtr> RowDistinctTest(Impl& impl, const PgQuery__AExpr& a, Scope& scope,
                                AggregateBinding* aggregates) {
  const bool distinct = a.kind == PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT;
  const PgQuery__RowExpr* left = RowConstructor(a.lexpr);
  const PgQuery__RowExpr* right = RowConstructor(a.rexpr);
  if (left == nullptr || right == nullptr) {
    // The operator PostgreSQL looks for, and does not find, is record = <the other type>.
    return BindRowOperator(impl, "=", *a.lexpr, *a.rexpr, scope, aggregates, a.location);
  }
  PLEXUS_ASSIGN_OR_RETURN(std::vector<ExprPtr> left_fields,
                          BindRowFields(impl, *left, scope, aggregates));
  PLEXUS_ASSIGN_OR_RETURN(std::vector<ExprPtr> right_fields,
                          BindRowFields(impl, *right, scope, aggregates));
  if (left_fields.size() != right_fields.size()) {
    return WithPosition(SqlError(kSyntaxError, "unequal number of entries in row expressions"),
                        a.location);
  }
  std::vector<ExprPtr> tests;
  for (size_t i = 0; i < left_fields.size(); ++i) {
    PLEXUS_ASSIGN_OR_RETURN(
        ExprPtr test, EqualityTest(impl, distinct ? ExprKind::kIsDistinctFrom
                                                  : ExprKind::kIsNotDistinctFrom,
                                   std::move(left_fields[i]), std::move(right_fields[i]),
                                   a.location));
    tests.push_back(std::move(test));
  }
  if (tests.empty()) return Expr::Constant(Value::Bool(!distinct));
  return Combine(distinct ? ExprKind::kOr : ExprKind::kAnd, std::move(tests));
}

}  // namespace plexus::sql
