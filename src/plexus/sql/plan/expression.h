// Bound expressions: the binder's output for every scalar expression of a statement. Names are
// resolved (a column is a position in the operator's input batch), types are known and implicit
// casts are explicit nodes. Plans own their expressions; execution never changes them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "plexus/catalog/type.h"
#include "plexus/sql/types/value.h"

namespace plexus::sql {

struct ScalarFunction;
class PlanNode;

enum class ExprKind : uint8_t {
  kConstant,     // constant
  kColumn,       // input column `column`
  kOuterColumn,  // column `column` of the row of the enclosing query `depth` levels up
  kParameter,    // $<parameter + 1>
  kCall,         // function(args...)
  kCast,         // args[0]::type
  kAnd,          // args[0] AND args[1] AND ... (three-valued)
  kOr,
  kNot,
  kIsNull,       // args[0] IS NULL
  kIsNotNull,
  kIsDistinctFrom,     // args[0] IS DISTINCT FROM args[1]
  kIsNotDistinctFrom,
  kCase,         // args: when1, then1, when2, then2, ..., [else]; has_else says if the last is else
  kCoalesce,
  kNullIf,       // NULLIF(args[0], args[1]): args[2] is the equality test args[0] = args[1]
  kGreatest,     // args...; comparison functions in `compare`
  kLeast,
  kInList,       // args[0] IN (args[1..]); `compare` holds the equality test for each
  kSubquery,     // scalar subquery / EXISTS / IN / ANY / ALL over `subquery`
};

enum class SubqueryKind : uint8_t { kScalar, kExists, kAny, kAll };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind = ExprKind::kConstant;
  Type type;
  Value constant;                            // kConstant
  uint32_t column = 0;                       // kColumn, kOuterColumn
  uint32_t depth = 0;                        // kOuterColumn: 1 = the immediately enclosing query
  uint32_t parameter = 0;                    // kParameter
  const ScalarFunction* function = nullptr;  // kCall
  std::vector<ExprPtr> args;
  bool has_else = false;                     // kCase
  // kSubquery: the plan, run once per outer row when correlated (once in all otherwise).
  std::shared_ptr<const PlanNode> subquery;
  SubqueryKind subquery_kind = SubqueryKind::kScalar;
  bool correlated = false;
  // kSubquery with kAny/kAll: tests args[0] against the subquery's single column with
  // `compare`, whose args are (kColumn 0 = left value, kColumn 1 = subquery value).
  ExprPtr compare;
  std::string name;  // for EXPLAIN and output column names

  static ExprPtr Constant(Value value) {
    auto expr = std::make_unique<Expr>();
    expr->kind = ExprKind::kConstant;
    expr->type = value.type();
    expr->constant = std::move(value);
    return expr;
  }
  static ExprPtr Column(uint32_t column, const Type& type, std::string name = {}) {
    auto expr = std::make_unique<Expr>();
    expr->kind = ExprKind::kColumn;
    expr->type = type;
    expr->column = column;
    expr->name = std::move(name);
    return expr;
  }
  static ExprPtr Make(ExprKind kind, const Type& type, std::vector<ExprPtr> args) {
    auto expr = std::make_unique<Expr>();
    expr->kind = kind;
    expr->type = type;
    expr->args = std::move(args);
    return expr;
  }

  ExprPtr Clone() const;
};

}  // namespace plexus::sql
