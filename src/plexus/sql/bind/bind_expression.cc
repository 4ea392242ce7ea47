// Binding scalar expressions: column references (with correlation to outer queries), literals,
// operators and functions with PostgreSQL's overload resolution, CASE, COALESCE, NULLIF,
// IN / BETWEEN (rewritten to comparisons), subqueries and aggregates.
#include <algorithm>
#include <cstdlib>
#include <limits>

#include "plexus/sql/bind/bind_system.h"
#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/func/aggregate.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/types/numeric.h"

namespace plexus::sql {

namespace {

Type BoolType() { return Type::Of(TypeId::kBool); }

std::string FormatArgTypes(const std::vector<ExprPtr>& args) {
  std::string text;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) text += ", ";
    text += catalog::FormatType(args[i]->type);
  }
  return text;
}

// Cost of calling `function` with `args`: -1 when impossible. An "any" parameter takes every
// argument as it is.
int MatchCost(const std::vector<ExprPtr>& args, const ScalarFunction& function) {
  if (!function.AcceptsArgumentCount(args.size())) return -1;
  int cost = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    const Type& from = args[i]->type;
    const Type& to = function.ParameterType(i);
    if (from.id == to.id) continue;
    if (IsAnyArgument(to)) {
      cost += 1;  // an exact match wins over "any"; for a literal, text and "any" tie
      continue;
    }
    if (from.id == TypeId::kUnknown) {
      cost += 1;
    } else if (IsImplicitCast(from, to)) {
      cost += 2;
    } else {
      return -1;
    }
  }
  return cost;
}

Result<Value> ConstantValue(const PgQuery__AConst& constant) {
  if (constant.isnull) return Value::Null(Type::Of(TypeId::kUnknown));
  switch (constant.val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL: return Value::Int32(constant.ival->ival);
    case PG_QUERY__A__CONST__VAL_FVAL: {
      // Integers too large for int4 arrive as "Float" nodes; they are bigint when they fit.
      std::string_view text = constant.fval->fval;
      char* end = nullptr;
      errno = 0;
      long long integer = std::strtoll(text.data(), &end, 10);
      if (errno == 0 && end == text.data() + text.size()) return Value::Int64(integer);
      // A decimal point, an exponent or an integer beyond bigint: numeric, as in PostgreSQL.
      PLEXUS_ASSIGN_OR_RETURN(Numeric number, Numeric::Parse(text));
      std::string encoded;
      number.EncodeTo(&encoded);
      return Value::String(Type::Of(TypeId::kNumeric), encoded);
    }
    case PG_QUERY__A__CONST__VAL_BOOLVAL: return Value::Bool(constant.boolval->boolval);
    case PG_QUERY__A__CONST__VAL_SVAL:
      return Value::String(Type::Of(TypeId::kUnknown), constant.sval->sval);
    default: return SqlError(kFeatureNotSupported, "bit string literals are not supported yet");
  }
}

}  // namespace

bool Binder::Impl::SameExpression(const Expr& a, const Expr& b) {
  if (a.kind != b.kind || !(a.type == b.type) || a.args.size() != b.args.size()) return false;
  switch (a.kind) {
    case ExprKind::kColumn:
    case ExprKind::kOuterColumn:
      if (a.column != b.column || a.depth != b.depth) return false;
      break;
    case ExprKind::kConstant:
      if (a.constant.is_null() != b.constant.is_null() ||
          a.constant.integer_value() != b.constant.integer_value() ||
          a.constant.float_value() != b.constant.float_value() ||
          a.constant.string_value() != b.constant.string_value()) {
        return false;
      }
      break;
    case ExprKind::kCall:
      if (a.function != b.function) return false;
      break;
    case ExprKind::kSubquery:
      return false;
    default:
      break;
  }
  for (size_t i = 0; i < a.args.size(); ++i) {
    if (!SameExpression(*a.args[i], *b.args[i])) return false;
  }
  return true;
}

Result<ExprPtr> Binder::Impl::BindCall(std::string_view name, std::vector<ExprPtr> args,
                                       bool is_operator, int location) {
  // Operands that are all unknown literals ('1' = '2') are text, as PostgreSQL resolves them.
  if (is_operator && !args.empty() &&
      std::all_of(args.begin(), args.end(),
                  [](const ExprPtr& arg) { return arg->type.id == TypeId::kUnknown; })) {
    for (ExprPtr& arg : args) {
      PLEXUS_ASSIGN_OR_RETURN(arg, Coerce(std::move(arg), Type::Of(TypeId::kText), false));
    }
  }
  // An unknown literal beside a typed operand takes that operand's type, unless the operator has
  // no overload for two of that type but one taking "any" there ('v' || 1 is text || anynonarray).
  if (is_operator && args.size() == 2) {
    const auto overloads = FunctionRegistry::BuiltIn().Overloads(name);
    for (int side = 0; side < 2; ++side) {
      if (args[side]->type.id != TypeId::kUnknown || args[1 - side]->type.id == TypeId::kUnknown) {
        continue;
      }
      const TypeId other = args[1 - side]->type.id;
      bool same_type = false;
      bool any_here = false;
      for (const ScalarFunction* candidate : overloads) {
        if (!candidate->AcceptsArgumentCount(2)) continue;
        same_type |= candidate->ParameterType(0).id == other && candidate->ParameterType(1).id == other;
        any_here |= IsAnyArgument(candidate->ParameterType(static_cast<size_t>(side)));
      }
      if (!same_type && any_here) continue;
      PLEXUS_ASSIGN_OR_RETURN(args[side], Coerce(std::move(args[side]), args[1 - side]->type, false));
    }
  }
  const ScalarFunction* best = nullptr;
  int best_cost = std::numeric_limits<int>::max();
  for (const ScalarFunction* candidate : FunctionRegistry::BuiltIn().Overloads(name)) {
    int cost = MatchCost(args, *candidate);
    if (cost >= 0 && cost < best_cost) {
      best = candidate;
      best_cost = cost;
    }
  }
  if (best == nullptr) {
    Status status = is_operator
        ? SqlError(kUndefinedFunction, "operator does not exist: " +
                                           (args.size() == 2
                                                ? catalog::FormatType(args[0]->type) + " " +
                                                      std::string(name) + " " +
                                                      catalog::FormatType(args[1]->type)
                                                : std::string(name) + " " + FormatArgTypes(args)))
        : SqlError(kUndefinedFunction,
                   "function " + std::string(name) + "(" + FormatArgTypes(args) + ") does not exist");
    status.SetHint(std::string("No ") + (is_operator ? "operator" : "function") +
                   " matches the given name and argument types. You might need to add explicit "
                   "type casts.");
    return WithPosition(std::move(status), location);
  }
  for (size_t i = 0; i < args.size(); ++i) {
    Type parameter = best->ParameterType(i);
    if (IsAnyArgument(parameter)) {
      if (args[i]->type.id != TypeId::kUnknown) continue;
      parameter = Type::Of(TypeId::kText);
    }
    PLEXUS_ASSIGN_OR_RETURN(args[i], Coerce(std::move(args[i]), parameter, false));
  }
  ExprPtr call = Expr::Make(ExprKind::kCall, best->result_type, std::move(args));
  call->function = best;
  call->name = std::string(name);
  return call;
}

Result<ExprPtr> Comparison(Binder::Impl& impl, std::string_view op, ExprPtr left, ExprPtr right,
                           int location) {
  std::vector<ExprPtr> args;
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  return impl.BindCall(op, std::move(args), /*is_operator=*/true, location);
}

ExprPtr Combine(ExprKind kind, std::vector<ExprPtr> args) {
  if (args.size() == 1) return std::move(args[0]);
  return Expr::Make(kind, BoolType(), std::move(args));
}

// NULLIF(left, right), left IS DISTINCT FROM right or left IS NOT DISTINCT FROM right, over the
// operand types that `=` chooses.
Result<ExprPtr> EqualityTest(Binder::Impl& impl, ExprKind kind, ExprPtr left, ExprPtr right,
                             int location) {
  PLEXUS_ASSIGN_OR_RETURN(ExprPtr equal,
                          Comparison(impl, "=", left->Clone(), right->Clone(), location));
  // The comparison chose the operand types; use the same (cast) operands for the result.
  ExprPtr cast_left = equal->args[0]->Clone();
  ExprPtr cast_right = equal->args[1]->Clone();
  std::vector<ExprPtr> args;
  const bool nullif = kind == ExprKind::kNullIf;
  args.push_back(nullif ? std::move(left) : std::move(cast_left));
  args.push_back(std::move(cast_right));
  args.push_back(std::move(equal));
  const Type type = nullif ? args[0]->type : BoolType();
  return Expr::Make(kind, type, std::move(args));
}

namespace {

using Impl = Binder::Impl;
using Scope = Binder::Scope;

// x BETWEEN low AND high is x >= low AND x <= high; NOT BETWEEN is x < low OR x > high.
Result<ExprPtr> BetweenTest(Impl& impl, ExprPtr value, ExprPtr low, ExprPtr high, bool negated,
                            int location) {
  std::vector<ExprPtr> tests;
  PLEXUS_ASSIGN_OR_RETURN(ExprPtr first, Comparison(impl, negated ? "<" : ">=", value->Clone(),
                                                    std::move(low), location));
  PLEXUS_ASSIGN_OR_RETURN(ExprPtr second, Comparison(impl, negated ? ">" : "<=", std::move(value),
                                                     std::move(high), location));
  tests.push_back(std::move(first));
  tests.push_back(std::move(second));
  return Combine(negated ? ExprKind::kOr : ExprKind::kAnd, std::move(tests));
}

Result<ExprPtr> BindAExpr(Impl& impl, const PgQuery__AExpr& a, Scope& scope,
                          AggregateBinding* aggregates) {
  std::string_view op = a.n_name > 0 ? StringValue(a.name[a.n_name - 1]) : "";
  auto bind = [&](const PgQuery__Node* node) { return impl.BindExpression(*node, scope, aggregates); };
  switch (a.kind) {
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP: {
      if (a.lexpr == nullptr) {  // prefix operator
        PLEXUS_ASSIGN_OR_RETURN(ExprPtr operand, bind(a.rexpr));
        if (op == "+") return operand;
        std::vector<ExprPtr> args;
        args.push_back(std::move(operand));
        return impl.BindCall(op, std::move(args), true, a.location);
      }
      if (RowConstructor(a.lexpr) != nullptr || RowConstructor(a.rexpr) != nullptr) {
        return BindRowOperator(impl, op, *a.lexpr, *a.rexpr, scope, aggregates, a.location);
      }
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr left, bind(a.lexpr));
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr right, bind(a.rexpr));
      return BindOperator(impl, op, std::move(left), std::move(right), a.location);
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY:
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL:
      return BindArrayAnyAll(impl, a, scope, aggregates);
    case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
    case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE:
    case PG_QUERY__A__EXPR__KIND__AEXPR_SIMILAR: {
      // The operator name carries the variant: ~~ LIKE, !~~ NOT LIKE, ~~* ILIKE, !~~* NOT ILIKE;
      // SIMILAR TO is ~ (NOT: !~) against similar_to_escape(pattern [, escape]), as the parser
      // writes it.
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr left, bind(a.lexpr));
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr right, bind(a.rexpr));
      return Comparison(impl, op, std::move(left), std::move(right), a.location);
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_IN: {
      // x IN (a, b) is x = a OR x = b; x NOT IN (a, b) is x <> a AND x <> b (three-valued).
      const bool negated = op == "<>";
      std::vector<ExprPtr> tests;
      const PgQuery__List& list = *a.rexpr->list;
      for (size_t i = 0; i < list.n_items; ++i) {
        if (RowConstructor(a.lexpr) != nullptr || RowConstructor(list.items[i]) != nullptr) {
          PLEXUS_ASSIGN_OR_RETURN(ExprPtr test, BindRowOperator(impl, op, *a.lexpr, *list.items[i],
                                                                scope, aggregates, a.location));
          tests.push_back(std::move(test));
          continue;
        }
        PLEXUS_ASSIGN_OR_RETURN(ExprPtr left, bind(a.lexpr));
        PLEXUS_ASSIGN_OR_RETURN(ExprPtr right, bind(list.items[i]));
        PLEXUS_ASSIGN_OR_RETURN(ExprPtr test,
                                Comparison(impl, op, std::move(left), std::move(right), a.location));
        tests.push_back(std::move(test));
      }
      return Combine(negated ? ExprKind::kAnd : ExprKind::kOr, std::move(tests));
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM: {
      const bool negated = a.kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN ||
                           a.kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM;
      const bool symmetric = a.kind == PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM ||
                             a.kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM;
      const PgQuery__List& bounds = *a.rexpr->list;
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr value, bind(a.lexpr));
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr low, bind(bounds.items[0]));
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr high, bind(bounds.items[1]));
      if (!symmetric) {
        return BetweenTest(impl, std::move(value), std::move(low), std::move(high), negated,
                           a.location);
      }
      // SYMMETRIC: either order of the bounds (NOT: neither).
      std::vector<ExprPtr> tests;
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr forward, BetweenTest(impl, value->Clone(), low->Clone(),
                                                           high->Clone(), negated, a.location));
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr backward, BetweenTest(impl, std::move(value), std::move(high),
                                                            std::move(low), negated, a.location));
      tests.push_back(std::move(forward));
      tests.push_back(std::move(backward));
      return Combine(negated ? ExprKind::kAnd : ExprKind::kOr, std::move(tests));
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF:
    case PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT: {
      if (a.kind != PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF &&
          (RowConstructor(a.lexpr) != nullptr || RowConstructor(a.rexpr) != nullptr)) {
        return RowDistinctTest(impl, a, scope, aggregates);
      }
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr left, bind(a.lexpr));
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr right, bind(a.rexpr));
      const ExprKind kind = a.kind == PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF ? ExprKind::kNullIf
                            : a.kind == PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT
                                ? ExprKind::kIsDistinctFrom
                                : ExprKind::kIsNotDistinctFrom;
      return EqualityTest(impl, kind, std::move(left), std::move(right), a.location);
    }
    default:
      return WithPosition(SqlError(kFeatureNotSupported, "operator kind is not supported yet"),
                          a.location);
  }
}

Result<ExprPtr> BindCase(Impl& impl, const PgQuery__CaseExpr& case_expr, Scope& scope,
                         AggregateBinding* aggregates) {
  std::vector<ExprPtr> conditions;
  std::vector<ExprPtr> results;
  for (size_t i = 0; i < case_expr.n_args; ++i) {
    const PgQuery__CaseWhen& when = *case_expr.args[i]->case_when;
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr condition, impl.BindExpression(*when.expr, scope, aggregates));
    if (case_expr.arg != nullptr) {  // CASE x WHEN v: x = v
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr subject, impl.BindExpression(*case_expr.arg, scope, aggregates));
      PLEXUS_ASSIGN_OR_RETURN(condition, Comparison(impl, "=", std::move(subject),
                                                    std::move(condition), case_expr.location));
    }
    PLEXUS_ASSIGN_OR_RETURN(condition, impl.Coerce(std::move(condition), BoolType(), false));
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr result, impl.BindExpression(*when.result, scope, aggregates));
    conditions.push_back(std::move(condition));
    results.push_back(std::move(result));
  }
  if (case_expr.defresult != nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr result,
                            impl.BindExpression(*case_expr.defresult, scope, aggregates));
    results.push_back(std::move(result));
  }
  std::vector<const Expr*> result_views;
  for (const ExprPtr& result : results) result_views.push_back(result.get());
  PLEXUS_ASSIGN_OR_RETURN(Type type, impl.CommonType(result_views, "CASE"));
  std::vector<ExprPtr> args;
  for (size_t i = 0; i < conditions.size(); ++i) {
    args.push_back(std::move(conditions[i]));
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr result, impl.Coerce(std::move(results[i]), type, false));
    args.push_back(std::move(result));
  }
  if (case_expr.defresult != nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr result, impl.Coerce(std::move(results.back()), type, false));
    args.push_back(std::move(result));
  }
  ExprPtr expr = Expr::Make(ExprKind::kCase, type, std::move(args));
  expr->has_else = case_expr.defresult != nullptr;
  return expr;
}

Result<ExprPtr> BindList(Impl& impl, ExprKind kind, PgQuery__Node** nodes, size_t count,
                         Scope& scope, AggregateBinding* aggregates, std::string_view context) {
  std::vector<ExprPtr> args;
  std::vector<const Expr*> views;
  for (size_t i = 0; i < count; ++i) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr arg, impl.BindExpression(*nodes[i], scope, aggregates));
    views.push_back(arg.get());
    args.push_back(std::move(arg));
  }
  PLEXUS_ASSIGN_OR_RETURN(Type type, impl.CommonType(views, context));
  for (ExprPtr& arg : args) {
    PLEXUS_ASSIGN_OR_RETURN(arg, impl.Coerce(std::move(arg), type, false));
  }
  return Expr::Make(kind, type, std::move(args));
}

Result<ExprPtr> BindSubLink(Impl& impl, const PgQuery__SubLink& link, Scope& scope,
                            AggregateBinding* aggregates) {
  bool correlated = false;
  PLEXUS_ASSIGN_OR_RETURN(PlanPtr plan, impl.BindQuery(*link.subselect, &scope, &correlated));
  auto expr = std::make_unique<Expr>();
  expr->kind = ExprKind::kSubquery;
  expr->correlated = correlated;
  switch (link.sub_link_type) {
    case PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK:
      expr->subquery_kind = SubqueryKind::kExists;
      expr->type = BoolType();
      break;
    case PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK:
      if (plan->types.size() != 1) {
        return WithPosition(SqlError(kSyntaxError, "subquery must return only one column"),
                            link.location);
      }
      expr->subquery_kind = SubqueryKind::kScalar;
      expr->type = plan->types[0].id == TypeId::kUnknown ? Type::Of(TypeId::kText) : plan->types[0];
      break;
    case PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK:
    case PG_QUERY__SUB_LINK_TYPE__ALL_SUBLINK: {
      // The left operand is a value, or a row compared with the subquery's rows field by field:
      // `compare` reads the left fields as columns 0..n-1 and a subquery row's as n..2n-1.
      std::vector<ExprPtr> left;
      if (const PgQuery__RowExpr* row = RowConstructor(link.testexpr)) {
        PLEXUS_ASSIGN_OR_RETURN(left, BindRowFields(impl, *row, scope, aggregates));
      } else {
        PLEXUS_ASSIGN_OR_RETURN(ExprPtr value,
                                impl.BindExpression(*link.testexpr, scope, aggregates));
        left.push_back(std::move(value));
      }
      if (plan->types.size() != left.size()) {
        return WithPosition(SqlError(kSyntaxError, plan->types.size() > left.size()
                                                       ? "subquery has too many columns"
                                                       : "subquery has too few columns"),
                            link.location);
      }
      expr->subquery_kind = link.sub_link_type == PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK
                                ? SubqueryKind::kAny : SubqueryKind::kAll;
      expr->type = BoolType();
      std::string_view op = link.n_oper_name > 0 ? StringValue(link.oper_name[link.n_oper_name - 1]) : "=";
      const size_t width = left.size();
      std::vector<ExprPtr> left_columns;
      std::vector<ExprPtr> right_columns;
      for (size_t i = 0; i < width; ++i) {
        left_columns.push_back(Expr::Column(static_cast<uint32_t>(i), left[i]->type));
        right_columns.push_back(Expr::Column(static_cast<uint32_t>(width + i), plan->types[i]));
      }
      if (RowConstructor(link.testexpr) != nullptr) {
        PLEXUS_ASSIGN_OR_RETURN(expr->compare,
                                RowComparison(impl, op, std::move(left_columns),
                                              std::move(right_columns), link.location));
      } else {
        PLEXUS_ASSIGN_OR_RETURN(expr->compare,
                                Comparison(impl, op, std::move(left_columns[0]),
                                           std::move(right_columns[0]), link.location));
      }
      expr->args = std::move(left);
      break;
    }
    case PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK:
      return BindArraySubquery(std::move(plan), correlated, link.location);
    default:
      return WithPosition(SqlError(kFeatureNotSupported, "this kind of subquery is not supported yet"),
                          link.location);
  }
  expr->subquery = std::shared_ptr<const PlanNode>(std::move(plan));
  return expr;
}

// ORDER BY inside an aggregate call; with DISTINCT, every key must be one of the arguments.
Status BindAggregateOrder(Impl& impl, const PgQuery__FuncCall& call, Scope& scope,
                          AggregateBinding* aggregates, AggregateCall* bound) {
  for (size_t i = 0; i < call.n_agg_order; ++i) {
    const PgQuery__SortBy& sort = *call.agg_order[i]->sort_by;
    SortKey key;
    SortDirection(sort, &key.descending, &key.nulls_first);
    PLEXUS_ASSIGN_OR_RETURN(key.expr, impl.BindExpression(*sort.node, scope, aggregates));
    if (key.expr->type.id == TypeId::kUnknown) {
      PLEXUS_ASSIGN_OR_RETURN(key.expr, impl.Coerce(std::move(key.expr), Type::Of(TypeId::kText), false));
    }
    const bool in_arguments =
        std::any_of(bound->args.begin(), bound->args.end(),
                    [&](const ExprPtr& arg) { return Impl::SameExpression(*arg, *key.expr); });
    if (bound->distinct && !in_arguments) {
      return WithPosition(SqlError(kInvalidColumnReference,
                                   "in an aggregate with DISTINCT, ORDER BY expressions must "
                                   "appear in argument list"),
                          sort.location);
    }
    bound->order.push_back(std::move(key));
  }
  return Status::Ok();
}

// f(fraction) WITHIN GROUP (ORDER BY value): args become the value (cast as the aggregate takes
// it) and then the direct argument, which every buffered row carries; the ORDER BY sorts them.
Status BindOrderedSetArguments(Impl& impl, const PgQuery__FuncCall& call,
                               const AggregateFunction& aggregate, const std::string& name,
                               Scope& scope, AggregateBinding* aggregates, AggregateCall* bound) {
  if (call.n_agg_order != 1 || call.n_args != AggregateArity(aggregate) || call.agg_distinct) {
    return WithPosition(SqlError(kUndefinedFunction, "function " + name + " with " +
                                                         std::to_string(call.n_args) +
                                                         " direct arguments does not exist"),
                        call.location);
  }
  PLEXUS_RETURN_IF_ERROR(BindAggregateOrder(impl, call, scope, aggregates, bound));
  PLEXUS_ASSIGN_OR_RETURN(Type value_type,
                          OrderedSetValueType(aggregate, bound->order[0].expr->type));
  PLEXUS_ASSIGN_OR_RETURN(ExprPtr value,
                          impl.Coerce(bound->order[0].expr->Clone(), value_type, false));
  bound->args.push_back(std::move(value));
  Type fraction_type = Type::Of(TypeId::kUnknown);
  if (call.n_args == 1) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr fraction,
                            impl.BindExpression(*call.args[0], scope, aggregates));
    const Type wanted = fraction->type.id == TypeId::kArray
                            ? Type{TypeId::kArray, -1, TypeId::kFloat64}
                            : Type::Of(TypeId::kFloat64);
    PLEXUS_ASSIGN_OR_RETURN(fraction, impl.Coerce(std::move(fraction), wanted, false));
    fraction_type = fraction->type;
    bound->args.push_back(std::move(fraction));
  }
  PLEXUS_ASSIGN_OR_RETURN(bound->type,
                          OrderedSetResultType(aggregate, value_type, fraction_type));
  return Status::Ok();
}

Result<ExprPtr> BindAggregateCall(Impl& impl, const PgQuery__FuncCall& call,
                                  const AggregateFunction& aggregate, const std::string& name,
                                  Scope& scope, AggregateBinding* aggregates) {
  if (aggregates == nullptr) {
    return WithPosition(SqlError(kGroupingError, "aggregate functions are not allowed here"),
                        call.location);
  }
  if (aggregates->inside_aggregate) {
    return WithPosition(SqlError(kGroupingError, "aggregate function calls cannot be nested"),
                        call.location);
  }
  AggregateCall bound;
  bound.distinct = call.agg_distinct;
  bound.name = name;
  bound.function = call.agg_star ? FindAggregate("count(*)") : &aggregate;
  const bool ordered_set = AggregateIsOrderedSet(aggregate);
  if (ordered_set != call.agg_within_group) {
    // PostgreSQL looks the call up with the WITHIN GROUP value as one more argument, and finds
    // no such function either way.
    Status status = SqlError(kUndefinedFunction, "function " + name + " with" +
                                                     (call.agg_within_group ? "" : "out") +
                                                     " WITHIN GROUP does not exist");
    status.SetHint("No function matches the given name and argument types. You might need to "
                   "add explicit type casts.");
    return WithPosition(std::move(status), call.location);
  }
  if (!call.agg_star && !ordered_set && call.n_args != AggregateArity(aggregate)) {
    return WithPosition(SqlError(kUndefinedFunction, "function " + name + " with " +
                                                         std::to_string(call.n_args) +
                                                         " arguments does not exist"),
                        call.location);
  }
  FlagScope inside(aggregates->inside_aggregate);
  Type argument = Type::Of(TypeId::kUnknown);
  if (ordered_set) {
    PLEXUS_RETURN_IF_ERROR(
        BindOrderedSetArguments(impl, call, aggregate, name, scope, aggregates, &bound));
  }
  for (size_t i = 0; i < call.n_args && !call.agg_star && !ordered_set; ++i) {
    ExprPtr arg;
    if (TakesWholeRow(name)) {
      PLEXUS_ASSIGN_OR_RETURN(arg, WholeRowAsJsonb(impl, *call.args[i], scope));
    }
    if (arg == nullptr) {
      PLEXUS_ASSIGN_OR_RETURN(arg, impl.BindExpression(*call.args[i], scope, aggregates));
    }
    if (std::optional<Type> wanted = AggregateArgumentCast(
            aggregate, i, arg->type, i == 0 ? arg->type : bound.args[0]->type)) {
      PLEXUS_ASSIGN_OR_RETURN(arg, impl.Coerce(std::move(arg), *wanted, false));
    }
    if (i == 0) argument = arg->type;
    bound.args.push_back(std::move(arg));
  }
  if (!ordered_set) {
    PLEXUS_RETURN_IF_ERROR(BindAggregateOrder(impl, call, scope, aggregates, &bound));
  }
  if (bound.distinct && bound.order.empty() && !bound.args.empty() &&
      AggregateIsOrderSensitive(*bound.function)) {
    // PostgreSQL sorts a DISTINCT aggregate's input to drop the duplicates: its values come out
    // in the argument's order (array_agg(DISTINCT x) is {a,b,c}).
    SortKey key;
    key.expr = bound.args[0]->Clone();
    bound.order.push_back(std::move(key));
  }
  if (call.agg_filter != nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(bound.filter, impl.BindExpression(*call.agg_filter, scope, aggregates));
    PLEXUS_ASSIGN_OR_RETURN(bound.filter,
                            impl.Coerce(std::move(bound.filter), Type::Of(TypeId::kBool), false));
  }
  if (!ordered_set) {
    PLEXUS_ASSIGN_OR_RETURN(bound.type, AggregateResultType(*bound.function, argument));
  }
  aggregates->active = true;
  ExprPtr reference = Expr::Column(
      kAggregateRefBase + static_cast<uint32_t>(aggregates->aggregates.size()), bound.type, name);
  aggregates->aggregates.push_back(std::move(bound));
  return reference;
}

Result<ExprPtr> BindFuncCall(Impl& impl, const PgQuery__FuncCall& call, Scope& scope,
                             AggregateBinding* aggregates) {
  std::string name(StringValue(call.funcname[call.n_funcname - 1]));
  if (call.over != nullptr) return BindWindowCall(impl, call, scope, aggregates);
  if (IsSetReturningFunction(name)) return BindSetFunctionCall(impl, call, scope, aggregates);
  if (const AggregateFunction* aggregate = FindAggregate(name)) {
    return BindAggregateCall(impl, call, *aggregate, name, scope, aggregates);
  }
  if (call.n_args == 1 && TakesWholeRow(name)) {
    // to_jsonb(t), to_json(t), row_to_json(t): the row's object itself.
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr row, WholeRowAsJsonb(impl, *call.args[0], scope));
    if (row != nullptr) return row;
  }
  std::vector<ExprPtr> args;
  for (size_t i = 0; i < call.n_args; ++i) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr arg, impl.BindExpression(*call.args[i], scope, aggregates));
    args.push_back(std::move(arg));
  }
  return impl.BindCall(name, std::move(args), /*is_operator=*/false, call.location);
}

// CURRENT_DATE, CURRENT_TIMESTAMP(p), LOCALTIME, ...: calls of the date/time functions of the
// same name (sql/func/datetime_functions.cc); a precision becomes a cast to time(p)/timestamp(p).
Result<ExprPtr> BindSqlValueFunction(Impl& impl, const PgQuery__SQLValueFunction& function) {
  std::string_view name;
  switch (function.op) {
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE: name = "current_date"; break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME_N: name = "current_time"; break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N:
      name = "current_timestamp";
      break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N: name = "localtime"; break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N: name = "localtimestamp"; break;
    // The session's identity (sql/system/session_functions.cc).
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER: name = "current_user"; break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER: name = "session_user"; break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG: name = "current_database"; break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA: name = "current_schema"; break;
    default:
      return WithPosition(
          SqlError(kFeatureNotSupported, "this SQL value function is not supported yet"),
          function.location);
  }
  PLEXUS_ASSIGN_OR_RETURN(ExprPtr call, impl.BindCall(name, {}, /*is_operator=*/false,
                                                      function.location));
  if (function.typmod < 0) return call;
  Type type = call->type;
  type.typmod = function.typmod;
  return impl.Coerce(std::move(call), type, /*explicit_cast=*/true);
}

}  // namespace

Result<ExprPtr> Binder::Impl::BindExpression(const PgQuery__Node& node, Scope& scope,
                                             AggregateBinding* aggregates) {
  switch (node.node_case) {
    case PG_QUERY__NODE__NODE_COLUMN_REF: return ResolveColumn(*node.column_ref, scope);
    case PG_QUERY__NODE__NODE_A_CONST: {
      PLEXUS_ASSIGN_OR_RETURN(Value value, ConstantValue(*node.a_const));
      return Expr::Constant(std::move(value));
    }
    case PG_QUERY__NODE__NODE_PARAM_REF: {
      const int32_t number = node.param_ref->number;
      if (number < 1 || number > kParametersMax) {
        return WithPosition(SqlError(kUndefinedParameter,
                                     "there is no parameter $" + std::to_string(number)),
                            node.param_ref->location);
      }
      std::vector<Type>& types = parameter_types();
      if (types.size() < static_cast<size_t>(number)) types.resize(number);
      std::vector<bool>& used = parameters_used();
      if (used.size() < static_cast<size_t>(number)) used.resize(number);
      used[number - 1] = true;
      auto expr = std::make_unique<Expr>();
      expr->kind = ExprKind::kParameter;
      expr->parameter = static_cast<uint32_t>(number - 1);
      // Untyped until its use decides (Coerce), like an untyped literal.
      expr->type = types[expr->parameter];
      return expr;
    }
    case PG_QUERY__NODE__NODE_A_EXPR: return BindAExpr(*this, *node.a_expr, scope, aggregates);
    case PG_QUERY__NODE__NODE_BOOL_EXPR: {
      const PgQuery__BoolExpr& bool_expr = *node.bool_expr;
      std::vector<ExprPtr> args;
      for (size_t i = 0; i < bool_expr.n_args; ++i) {
        PLEXUS_ASSIGN_OR_RETURN(ExprPtr arg, BindExpression(*bool_expr.args[i], scope, aggregates));
        PLEXUS_ASSIGN_OR_RETURN(arg, Coerce(std::move(arg), BoolType(), false));
        args.push_back(std::move(arg));
      }
      ExprKind kind = bool_expr.boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR  ? ExprKind::kAnd
                      : bool_expr.boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR ? ExprKind::kOr
                                                                               : ExprKind::kNot;
      return Expr::Make(kind, BoolType(), std::move(args));
    }
    case PG_QUERY__NODE__NODE_NULL_TEST: {
      const bool is_null = node.null_test->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NULL;
      if (const PgQuery__RowExpr* row = RowConstructor(node.null_test->arg)) {
        // A row IS NULL when every field is, and IS NOT NULL when none is.
        PLEXUS_ASSIGN_OR_RETURN(std::vector<ExprPtr> fields,
                                BindRowFields(*this, *row, scope, aggregates));
        std::vector<ExprPtr> tests;
        for (ExprPtr& field : fields) {
          std::vector<ExprPtr> args;
          args.push_back(std::move(field));
          tests.push_back(Expr::Make(is_null ? ExprKind::kIsNull : ExprKind::kIsNotNull,
                                     BoolType(), std::move(args)));
        }
        if (tests.empty()) return Expr::Constant(Value::Bool(true));
        return Combine(ExprKind::kAnd, std::move(tests));
      }
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr arg, BindExpression(*node.null_test->arg, scope, aggregates));
      std::vector<ExprPtr> args;
      args.push_back(std::move(arg));
      return Expr::Make(is_null ? ExprKind::kIsNull : ExprKind::kIsNotNull, BoolType(),
                        std::move(args));
    }
    case PG_QUERY__NODE__NODE_BOOLEAN_TEST: {
      // IS [NOT] TRUE/FALSE: IS [NOT] DISTINCT FROM the constant; IS [NOT] UNKNOWN: IS [NOT] NULL.
      const PgQuery__BooleanTest& test = *node.boolean_test;
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr arg, BindExpression(*test.arg, scope, aggregates));
      PLEXUS_ASSIGN_OR_RETURN(arg, Coerce(std::move(arg), BoolType(), false));
      std::vector<ExprPtr> args;
      switch (test.booltesttype) {
        case PG_QUERY__BOOL_TEST_TYPE__IS_UNKNOWN:
        case PG_QUERY__BOOL_TEST_TYPE__IS_NOT_UNKNOWN:
          args.push_back(std::move(arg));
          return Expr::Make(test.booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_UNKNOWN
                                ? ExprKind::kIsNull : ExprKind::kIsNotNull,
                            BoolType(), std::move(args));
        default: break;
      }
      const bool truth = test.booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_TRUE ||
                         test.booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_NOT_TRUE;
      const bool negated = test.booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_NOT_TRUE ||
                           test.booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_NOT_FALSE;
      return EqualityTest(*this, negated ? ExprKind::kIsDistinctFrom : ExprKind::kIsNotDistinctFrom,
                          std::move(arg), Expr::Constant(Value::Bool(truth)), test.location);
    }
    case PG_QUERY__NODE__NODE_CASE_EXPR: return BindCase(*this, *node.case_expr, scope, aggregates);
    case PG_QUERY__NODE__NODE_COALESCE_EXPR:
      return BindList(*this, ExprKind::kCoalesce, node.coalesce_expr->args,
                      node.coalesce_expr->n_args, scope, aggregates, "COALESCE");
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR: {
      const PgQuery__MinMaxExpr& min_max = *node.min_max_expr;
      const bool greatest = min_max.op == PG_QUERY__MIN_MAX_OP__IS_GREATEST;
      return BindList(*this, greatest ? ExprKind::kGreatest : ExprKind::kLeast, min_max.args,
                      min_max.n_args, scope, aggregates, greatest ? "GREATEST" : "LEAST");
    }
    case PG_QUERY__NODE__NODE_SUB_LINK: return BindSubLink(*this, *node.sub_link, scope, aggregates);
    case PG_QUERY__NODE__NODE_GROUPING_FUNC:
      return BindGroupingCall(*this, *node.grouping_func, scope, aggregates);
    case PG_QUERY__NODE__NODE_FUNC_CALL:
      if (node.func_call->over == nullptr && node.func_call->n_funcname > 0 &&
          IsPolymorphicArrayFunction(
              StringValue(node.func_call->funcname[node.func_call->n_funcname - 1]))) {
        return BindPolymorphicArrayCall(*this, *node.func_call, scope, aggregates);
      }
      return BindFuncCall(*this, *node.func_call, scope, aggregates);
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
      return BindArrayExpr(*this, *node.a_array_expr, scope, aggregates);
    case PG_QUERY__NODE__NODE_A_INDIRECTION:
      return BindIndirection(*this, *node.a_indirection, scope, aggregates);
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
      return BindSqlValueFunction(*this, *node.sqlvalue_function);
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr arg, BindExpression(*node.type_cast->arg, scope, aggregates));
      if (IsSystemCast(*arg, *node.type_cast->type_name)) {
        return BindSystemCast(*this, std::move(arg), *node.type_cast->type_name,
                              node.type_cast->location);
      }
      PLEXUS_ASSIGN_OR_RETURN(Type type, BindTypeName(*node.type_cast->type_name));
      Result<ExprPtr> cast = Coerce(std::move(arg), type, /*explicit_cast=*/true);
      if (!cast.ok()) return WithPosition(cast.status(), node.type_cast->location);
      return cast;
    }
    // COLLATE: every text compares bytewise (PostgreSQL's "C"), so the clause changes nothing.
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
      return BindExpression(*node.collate_clause->arg, scope, aggregates);
    default:
      return SqlError(kFeatureNotSupported, "expression is not supported yet");
  }
}

}  // namespace plexus::sql
