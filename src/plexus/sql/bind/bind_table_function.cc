// Set-returning functions: generate_series, generate_subscripts, unnest, jsonb_array_elements,
// jsonb_array_elements_text, jsonb_object_keys, regexp_split_to_table, regexp_matches and
// (FROM only) jsonb_each[_text], as FROM items
// (kFunctionScan, with aliases, WITH ORDINALITY, ROWS FROM and LATERAL references to earlier FROM
// items) and in select lists (kProjectSet: several run in lockstep, as in PostgreSQL 10+). Any
// other function in FROM is a one-row item.
#include <array>

#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/plan/plan_builders.h"
#include "plexus/sql/types/array.h"

namespace plexus::sql {

namespace {

using Impl = Binder::Impl;
using Scope = Binder::Scope;

// generate_series overloads, in PostgreSQL's pg_proc order; the last parameter is the step.
struct SeriesOverload {
  TypeId value;
  TypeId step;
};
constexpr std::array<SeriesOverload, 5> kSeriesOverloads{{
    {TypeId::kInt32, TypeId::kInt32},
    {TypeId::kInt64, TypeId::kInt64},
    {TypeId::kNumeric, TypeId::kNumeric},
    {TypeId::kTimestamp, TypeId::kInterval},
    {TypeId::kTimestampTz, TypeId::kInterval},
}};

Status NoSuchFunction(std::string_view name, const std::vector<ExprPtr>& args, int location) {
  std::string types;
  for (size_t i = 0; i < args.size(); ++i) {
    types += (i > 0 ? ", " : "") + catalog::FormatType(args[i]->type);
  }
  Status status = SqlError(kUndefinedFunction,
                           "function " + std::string(name) + "(" + types + ") does not exist");
  status.SetHint("No function matches the given name and argument types. You might need to add "
                 "explicit type casts.");
  return WithPosition(std::move(status), location);
}

// PostgreSQL's choice among the generate_series overloads: the most exact type matches, then the
// most arguments converted to their category's preferred type (timestamptz for date/time), so
// generate_series(date, date, interval) is timestamptz.
Result<TypeId> ResolveSeries(const std::vector<ExprPtr>& args, int location) {
  if (args.size() < 2 || args.size() > 3) return NoSuchFunction("generate_series", args, location);
  int best = -1;
  int best_score = -1;
  for (size_t i = 0; i < kSeriesOverloads.size(); ++i) {
    const SeriesOverload& overload = kSeriesOverloads[i];
    const bool datetime = overload.step == TypeId::kInterval;
    if (datetime && args.size() != 3) continue;
    int score = 0;
    bool feasible = true;
    for (size_t a = 0; a < args.size() && feasible; ++a) {
      const Type wanted = Type::Of(a == 2 ? overload.step : overload.value);
      const Type& given = args[a]->type;
      if (given.id == wanted.id) {
        score += 4;
      } else if (given.id == TypeId::kUnknown || IsImplicitCast(given, wanted)) {
        score += wanted.id == TypeId::kTimestampTz ? 1 : 0;
      } else {
        feasible = false;
      }
    }
    if (feasible && score > best_score) {
      best = static_cast<int>(i);
      best_score = score;
    }
  }
  if (best < 0) return NoSuchFunction("generate_series", args, location);
  return kSeriesOverloads[static_cast<size_t>(best)].value;
}

Status CoerceArgs(Impl& impl, std::vector<ExprPtr>* args, const std::vector<Type>& types) {
  for (size_t i = 0; i < args->size(); ++i) {
    PLEXUS_ASSIGN_OR_RETURN((*args)[i], impl.Coerce(std::move((*args)[i]), types[i], false));
  }
  return Status::Ok();
}

// Resolves `name` over bound `args` into a call (arguments cast to its parameter types).
Result<TableFunctionCall> ResolveTableFunction(Impl& impl, std::string_view name,
                                               std::vector<ExprPtr> args, int location) {
  TableFunctionCall call;
  call.name = std::string(name);
  if (name == "regexp_split_to_table") {
    // unnest(regexp_split_to_array(...)): the same pieces, a row each.
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr pieces,
                            impl.BindCall("regexp_split_to_array", std::move(args), false, location));
    call.function = TableFunction::kUnnest;
    call.type = Type::Of(TypeId::kText);
    call.args.push_back(std::move(pieces));
    return call;
  }
  if (name == "regexp_matches") {
    if (args.size() < 2 || args.size() > 3) return NoSuchFunction(name, args, location);
    call.function = TableFunction::kRegexpMatches;
    call.type = Type::ArrayOf(TypeId::kText);
    PLEXUS_RETURN_IF_ERROR(CoerceArgs(impl, &args, std::vector<Type>(args.size(), Type::Of(TypeId::kText))));
    call.args = std::move(args);
    return call;
  }
  if (name == "generate_series") {
    PLEXUS_ASSIGN_OR_RETURN(TypeId value, ResolveSeries(args, location));
    call.function = TableFunction::kGenerateSeries;
    call.type = Type::Of(value);
    std::vector<Type> types(2, call.type);
    if (args.size() == 3) {
      types.push_back(value == TypeId::kTimestamp || value == TypeId::kTimestampTz
                          ? Type::Of(TypeId::kInterval) : call.type);
    }
    PLEXUS_RETURN_IF_ERROR(CoerceArgs(impl, &args, types));
  } else if (name.starts_with("jsonb_")) {
    if (args.size() != 1 || (args[0]->type.id != TypeId::kJsonb && args[0]->type.id != TypeId::kUnknown)) {
      return NoSuchFunction(name, args, location);
    }
    call.function = name == "jsonb_object_keys"      ? TableFunction::kJsonbObjectKeys
                    : name == "jsonb_array_elements" ? TableFunction::kJsonbArrayElements
                    : name == "jsonb_each"           ? TableFunction::kJsonbEachValue
                    : name == "jsonb_each_text"      ? TableFunction::kJsonbEachValueText
                                                     : TableFunction::kJsonbArrayElementsText;
    call.type = Type::Of(call.function == TableFunction::kJsonbArrayElements ||
                                 call.function == TableFunction::kJsonbEachValue
                             ? TypeId::kJsonb
                             : TypeId::kText);
    PLEXUS_RETURN_IF_ERROR(CoerceArgs(impl, &args, {Type::Of(TypeId::kJsonb)}));
  } else {
    const bool unnest = name == "unnest";
    const size_t min_args = unnest ? 1 : 2;
    const size_t max_args = unnest ? 1 : 3;
    if (args.size() < min_args || args.size() > max_args || args[0]->type.id != TypeId::kArray) {
      return NoSuchFunction(name, args, location);
    }
    call.function = unnest ? TableFunction::kUnnest : TableFunction::kGenerateSubscripts;
    call.type = unnest ? ArrayElementType(args[0]->type) : Type::Of(TypeId::kInt32);
    std::vector<Type> types{args[0]->type, Type::Of(TypeId::kInt32), Type::Of(TypeId::kBool)};
    types.resize(args.size());
    PLEXUS_RETURN_IF_ERROR(CoerceArgs(impl, &args, types));
  }
  call.args = std::move(args);
  return call;
}

Result<std::vector<ExprPtr>> BindArgs(Impl& impl, const PgQuery__FuncCall& call, Scope& scope,
                                      AggregateBinding* aggregates) {
  std::vector<ExprPtr> args;
  for (size_t i = 0; i < call.n_args; ++i) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr arg, impl.BindExpression(*call.args[i], scope, aggregates));
    args.push_back(std::move(arg));
  }
  return args;
}

bool ReadsColumns(const Expr& expr) {
  if (expr.kind == ExprKind::kColumn) return true;
  for (const ExprPtr& arg : expr.args) {
    if (ReadsColumns(*arg)) return true;
  }
  return false;
}

void PointAtSetFunctionColumns(Expr& expr, uint32_t width) {
  if (expr.kind == ExprKind::kColumn && expr.column >= kSetFunctionRefBase &&
      expr.column < kWindowRefBase) {
    expr.column = width + (expr.column - kSetFunctionRefBase);
  }
  for (ExprPtr& arg : expr.args) PointAtSetFunctionColumns(*arg, width);
}

// Set-returning functions whose rows have several columns (records): FROM items only, as
// two calls in lockstep (see TableFunction::kJsonbEachValue).
bool IsRecordSetFunction(std::string_view name) {
  return name == "jsonb_each" || name == "jsonb_each_text";
}

std::string_view FunctionName(const PgQuery__FuncCall& call) {
  return StringValue(call.funcname[call.n_funcname - 1]);
}

// The column name of a FROM item that is an expression but not a function call, as PostgreSQL
// names it (FROM CURRENT_DATE is "current_date").
std::string ScalarItemName(const PgQuery__Node& node) {
  switch (node.node_case) {
    case PG_QUERY__NODE__NODE_COALESCE_EXPR: return "coalesce";
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
      const PgQuery__TypeName& type = *node.type_cast->type_name;
      return std::string(StringValue(type.names[type.n_names - 1]));
    }
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
      switch (node.sqlvalue_function->op) {
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE: return "current_date";
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N: return "current_timestamp";
        default: return "?column?";
      }
    default: return "?column?";
  }
}

}  // namespace

bool IsSetReturningFunction(std::string_view name) {
  return name == "generate_series" || name == "generate_subscripts" || name == "unnest" ||
         name == "jsonb_array_elements" || name == "jsonb_array_elements_text" ||
         name == "jsonb_object_keys" || name == "regexp_split_to_table" || name == "regexp_matches" ||
         IsRecordSetFunction(name);
}

Result<ExprPtr> BindSetFunctionCall(Impl& impl, const PgQuery__FuncCall& call, Scope& scope,
                                    AggregateBinding* aggregates) {
  auto refuse = [&](const char* message) {
    Status status = SqlError(kFeatureNotSupported, message);
    if (aggregates && aggregates->inside_aggregate) {
      status.SetHint("You might be able to move the set-returning function into a LATERAL FROM "
                     "item.");
    }
    return WithPosition(std::move(status), call.location);
  };
  if (aggregates == nullptr) return refuse("set-returning functions are not allowed in WHERE");
  if (aggregates->inside_aggregate) {
    return refuse("aggregate function calls cannot contain set-returning function calls");
  }
  if (aggregates->inside_window) {
    return refuse("window function calls cannot contain set-returning function calls");
  }
  if (!aggregates->set_functions_allowed) {
    return refuse("set-returning functions are not allowed in this context");
  }
  if (aggregates->inside_set_function) {
    return refuse("set-returning functions nested in set-returning function arguments are not "
                  "supported yet");
  }
  if (IsRecordSetFunction(FunctionName(call))) {
    // Its rows are records, which a select list cannot hold yet.
    return refuse("a set-returning function of records in a select list is not supported yet: "
                  "call it in FROM");
  }
  std::vector<ExprPtr> args;
  {
    FlagScope inside(aggregates->inside_set_function);
    PLEXUS_ASSIGN_OR_RETURN(args, BindArgs(impl, call, scope, aggregates));
  }
  PLEXUS_ASSIGN_OR_RETURN(TableFunctionCall bound, ResolveTableFunction(impl, FunctionName(call),
                                                                        std::move(args),
                                                                        call.location));
  ExprPtr reference =
      Expr::Column(kSetFunctionRefBase + static_cast<uint32_t>(aggregates->set_functions.size()),
                   bound.type, bound.name);
  aggregates->set_functions.push_back(std::move(bound));
  return reference;
}

PlanPtr BuildProjectSet(PlanPtr plan, AggregateBinding& aggregates,
                        const std::vector<ExprPtr*>& exprs) {
  auto node = WrapPlan(PlanKind::kProjectSet, std::move(plan));
  const uint32_t width = static_cast<uint32_t>(node->types.size());
  for (TableFunctionCall& call : aggregates.set_functions) {
    node->types.push_back(call.type);
    node->names.push_back(call.name);
    node->functions.push_back(std::move(call));
  }
  aggregates.set_functions.clear();
  for (ExprPtr* expr : exprs) {
    if (*expr) PointAtSetFunctionColumns(**expr, width);
  }
  return node;
}

Result<FromItem> BindRangeFunction(Impl& impl, const PgQuery__RangeFunction& range, Scope& scope) {
  auto scan = PlanNode::Make(PlanKind::kFunctionScan);
  scan->children.push_back(PlanNode::Make(PlanKind::kOneRow));
  scan->ordinality = range.ordinality;
  for (size_t i = 0; i < range.n_functions; ++i) {
    const PgQuery__List& pair = *range.functions[i]->list;
    const PgQuery__Node& node = *pair.items[0];
    const bool set_returning = node.node_case == PG_QUERY__NODE__NODE_FUNC_CALL &&
                               IsSetReturningFunction(FunctionName(*node.func_call));
    if (!set_returning) {
      // Any other function (or CAST, COALESCE, CURRENT_DATE, ...) is one row with its value.
      TableFunctionCall bound;
      bound.function = TableFunction::kScalar;
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr value, impl.BindExpression(node, scope, nullptr));
      if (value->type.id == TypeId::kUnknown) {
        PLEXUS_ASSIGN_OR_RETURN(value, impl.Coerce(std::move(value), Type::Of(TypeId::kText), false));
      }
      bound.type = value->type;
      bound.name = node.node_case == PG_QUERY__NODE__NODE_FUNC_CALL
                       ? std::string(FunctionName(*node.func_call)) : ScalarItemName(node);
      bound.args.push_back(std::move(value));
      scan->types.push_back(bound.type);
      scan->names.push_back(bound.name);
      scan->functions.push_back(std::move(bound));
      continue;
    }
    const PgQuery__FuncCall& call = *node.func_call;
    const std::string_view name = FunctionName(call);
    PLEXUS_ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindArgs(impl, call, scope, nullptr));
    // unnest(a, b, ...) in FROM is ROWS FROM (unnest(a), unnest(b), ...).
    std::vector<std::vector<ExprPtr>> calls;
    if (name == "unnest" && args.size() > 1) {
      for (ExprPtr& arg : args) calls.emplace_back().push_back(std::move(arg));
    } else {
      calls.push_back(std::move(args));
    }
    for (std::vector<ExprPtr>& call_args : calls) {
      PLEXUS_ASSIGN_OR_RETURN(TableFunctionCall bound,
                              ResolveTableFunction(impl, name, std::move(call_args), call.location));
      if (IsRecordSetFunction(name)) {
        // Its key column: the object's keys, in the order its value column walks them.
        TableFunctionCall keys;
        keys.function = TableFunction::kJsonbObjectKeys;
        keys.args.push_back(bound.args[0]->Clone());
        keys.type = Type::Of(TypeId::kText);
        keys.name = bound.name;
        scan->types.push_back(keys.type);
        scan->names.push_back("key");
        scan->functions.push_back(std::move(keys));
      }
      scan->types.push_back(bound.type);
      scan->names.push_back(IsRecordSetFunction(name) ? "value" : bound.name);
      scan->functions.push_back(std::move(bound));
    }
  }
  const bool has_alias = range.alias && Present(range.alias->aliasname);
  scan->alias = has_alias ? range.alias->aliasname : scan->functions[0].name;
  // A single function's column is named after the alias, as PostgreSQL names a scalar result.
  if (has_alias && scan->names.size() == 1) scan->names[0] = scan->alias;
  if (range.ordinality) {
    scan->types.push_back(Type::Of(TypeId::kInt64));
    scan->names.push_back("ordinality");
  }
  if (range.alias && range.alias->n_colnames > scan->names.size()) {
    return SqlError(kInvalidColumnReference, "table \"" + scan->alias + "\" has " +
                                                 std::to_string(scan->names.size()) +
                                                 " columns available but " +
                                                 std::to_string(range.alias->n_colnames) +
                                                 " columns specified");
  }
  for (size_t i = 0; range.alias && i < range.alias->n_colnames; ++i) {
    scan->names[i] = std::string(StringValue(range.alias->colnames[i]));
  }
  FromItem item;
  for (size_t i = 0; i < scan->names.size(); ++i) {
    item.columns.push_back({scan->alias, scan->names[i], scan->types[i]});
  }
  item.plan = std::move(scan);
  return item;
}

bool IsLateralFunctionScan(const PlanNode& plan) {
  if (plan.kind != PlanKind::kFunctionScan || plan.children[0]->kind != PlanKind::kOneRow) {
    return false;
  }
  for (const TableFunctionCall& call : plan.functions) {
    for (const ExprPtr& arg : call.args) {
      if (ReadsColumns(*arg)) return true;
    }
  }
  return false;
}

bool IsLateral(const PlanNode& plan) {
  return plan.kind == PlanKind::kApply || IsLateralFunctionScan(plan);
}

PlanPtr ApplyLateral(PlanPtr input, PlanPtr scan) {
  std::vector<Type> types = input->types;
  std::vector<std::string> names = input->names;
  const size_t own = scan->types.size();
  types.insert(types.end(), scan->types.begin(), scan->types.end());
  names.insert(names.end(), scan->names.begin(), scan->names.end());
  scan->types = std::move(types);
  scan->names = std::move(names);
  PLEXUS_ASSERT(scan->types.size() == input->types.size() + own);
  scan->children[0] = std::move(input);
  return scan;
}

}  // namespace plexus::sql
