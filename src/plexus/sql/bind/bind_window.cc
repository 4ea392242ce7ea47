// Window functions: binding `f(...) OVER (...)` (named windows, frames) into WindowBindings, and
// the kWindow node that computes them over a projection of their operands.
#include <array>

#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/func/aggregate.h"
#include "plexus/sql/plan/plan_builders.h"

namespace plexus::sql {

namespace {

using Impl = Binder::Impl;
using Scope = Binder::Scope;

struct WindowFunctionInfo {
  std::string_view name;
  WindowFunction function;
  size_t min_args;
  size_t max_args;
};

constexpr std::array<WindowFunctionInfo, 11> kWindowFunctions{{
    {"row_number", WindowFunction::kRowNumber, 0, 0},
    {"rank", WindowFunction::kRank, 0, 0},
    {"dense_rank", WindowFunction::kDenseRank, 0, 0},
    {"percent_rank", WindowFunction::kPercentRank, 0, 0},
    {"cume_dist", WindowFunction::kCumeDist, 0, 0},
    {"ntile", WindowFunction::kNtile, 1, 1},
    {"lag", WindowFunction::kLag, 1, 3},
    {"lead", WindowFunction::kLead, 1, 3},
    {"first_value", WindowFunction::kFirstValue, 1, 1},
    {"last_value", WindowFunction::kLastValue, 1, 1},
    {"nth_value", WindowFunction::kNthValue, 2, 2},
}};

const WindowFunctionInfo* FindWindowFunction(std::string_view name) {
  for (const WindowFunctionInfo& info : kWindowFunctions) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

// PostgreSQL's FRAMEOPTION_* bits (nodes/parsenodes.h).
enum FrameOption : int32_t {
  kFrameRange = 0x2,
  kFrameRows = 0x4,
  kFrameGroups = 0x8,
  kStartUnboundedPreceding = 0x20,
  kStartUnboundedFollowing = 0x80,
  kStartCurrentRow = 0x200,
  kEndUnboundedPreceding = 0x40,
  kEndUnboundedFollowing = 0x100,
  kEndCurrentRow = 0x400,
  kStartOffsetPreceding = 0x800,
  kEndOffsetPreceding = 0x1000,
  kStartOffsetFollowing = 0x2000,
  kEndOffsetFollowing = 0x4000,
  kExcludeCurrentRow = 0x8000,
  kExcludeGroup = 0x10000,
  kExcludeTies = 0x20000,
};

FrameBound StartBound(int32_t options) {
  if (options & kStartUnboundedFollowing) return FrameBound::kUnboundedFollowing;
  if (options & kStartCurrentRow) return FrameBound::kCurrentRow;
  if (options & kStartOffsetPreceding) return FrameBound::kOffsetPreceding;
  if (options & kStartOffsetFollowing) return FrameBound::kOffsetFollowing;
  return FrameBound::kUnboundedPreceding;
}

FrameBound EndBound(int32_t options) {
  if (options & kEndUnboundedPreceding) return FrameBound::kUnboundedPreceding;
  if (options & kEndUnboundedFollowing) return FrameBound::kUnboundedFollowing;
  if (options & kEndOffsetPreceding) return FrameBound::kOffsetPreceding;
  if (options & kEndOffsetFollowing) return FrameBound::kOffsetFollowing;
  return FrameBound::kCurrentRow;
}

WindowFrame FrameOf(int32_t options) {
  WindowFrame frame;
  frame.mode = (options & kFrameRows)     ? FrameMode::kRows
               : (options & kFrameGroups) ? FrameMode::kGroups
                                          : FrameMode::kRange;
  frame.start = StartBound(options);
  frame.end = EndBound(options);
  if (options & kExcludeCurrentRow) frame.exclude = FrameExclusion::kCurrentRow;
  if (options & kExcludeGroup) frame.exclude = FrameExclusion::kGroup;
  if (options & kExcludeTies) frame.exclude = FrameExclusion::kTies;
  return frame;
}

// The window a call's OVER clause means, after resolving references to named windows: partition
// and order from the named window unless given here, frame from here.
struct ResolvedWindow {
  const PgQuery__WindowDef* partition_from = nullptr;
  const PgQuery__WindowDef* order_from = nullptr;
  const PgQuery__WindowDef* frame_from = nullptr;
};

Result<ResolvedWindow> ResolveWindow(const PgQuery__WindowDef& over,
                                     const PgQuery__SelectStmt* select) {
  auto find = [&](std::string_view name) -> const PgQuery__WindowDef* {
    for (size_t i = 0; select != nullptr && i < select->n_window_clause; ++i) {
      const PgQuery__WindowDef* def = select->window_clause[i]->window_def;
      if (def != nullptr && def->name == name) return def;
    }
    return nullptr;
  };
  ResolvedWindow resolved{&over, &over, &over};
  // OVER w: exactly the window w.
  if (Present(over.name)) {
    const PgQuery__WindowDef* named = find(over.name);
    if (named == nullptr) {
      return WithPosition(SqlError(kUndefinedObject,
                                   "window \"" + std::string(over.name) + "\" does not exist"),
                          over.location);
    }
    return ResolvedWindow{named, named, named};
  }
  if (!Present(over.refname)) return resolved;
  const PgQuery__WindowDef* base = find(over.refname);
  if (base == nullptr) {
    return WithPosition(SqlError(kUndefinedObject,
                                 "window \"" + std::string(over.refname) + "\" does not exist"),
                        over.location);
  }
  if (over.n_partition_clause > 0) {
    return WithPosition(SqlError(kWindowingError, "cannot override PARTITION BY clause of window \"" +
                                                      std::string(over.refname) + "\""),
                        over.location);
  }
  if (over.n_order_clause > 0 && base->n_order_clause > 0) {
    return WithPosition(SqlError(kWindowingError, "cannot override ORDER BY clause of window \"" +
                                                      std::string(over.refname) + "\""),
                        over.location);
  }
  if (base->frame_options != kFrameRange + kStartUnboundedPreceding + kEndCurrentRow) {
    return WithPosition(SqlError(kWindowingError, "cannot copy window \"" +
                                                      std::string(over.refname) +
                                                      "\" because it has a frame clause"),
                        over.location);
  }
  resolved.partition_from = base;
  if (over.n_order_clause == 0) resolved.order_from = base;
  return resolved;
}

// The window function's arguments cast to the types its implementation reads.
Status CoerceWindowArgs(Impl& impl, const WindowFunctionInfo& info, std::vector<ExprPtr>* args) {
  if (!args->empty() && (*args)[0]->type.id == TypeId::kUnknown) {
    PLEXUS_ASSIGN_OR_RETURN((*args)[0],
                            impl.Coerce(std::move((*args)[0]), Type::Of(TypeId::kText), false));
  }
  // ntile(integer); lag/lead(value, integer, value) and nth_value(value, integer).
  for (size_t i = 0; i < args->size(); ++i) {
    ExprPtr& arg = (*args)[i];
    Type wanted = arg->type;
    if (info.function == WindowFunction::kNtile || i == 1) wanted = Type::Of(TypeId::kInt32);
    if (i == 2) wanted = (*args)[0]->type;
    if (wanted != arg->type) {
      PLEXUS_ASSIGN_OR_RETURN(arg, impl.Coerce(std::move(arg), wanted, false));
    }
  }
  return Status::Ok();
}

Type WindowResultType(WindowFunction function, const std::vector<ExprPtr>& args) {
  switch (function) {
    case WindowFunction::kRowNumber:
    case WindowFunction::kRank:
    case WindowFunction::kDenseRank: return Type::Of(TypeId::kInt64);
    case WindowFunction::kPercentRank:
    case WindowFunction::kCumeDist: return Type::Of(TypeId::kFloat64);
    case WindowFunction::kNtile: return Type::Of(TypeId::kInt32);
    default: return args[0]->type;
  }
}

Status BindWindowClause(Impl& impl, const ResolvedWindow& window, Scope& scope,
                        AggregateBinding* aggregates, WindowBinding* binding) {
  const PgQuery__WindowDef& partition = *window.partition_from;
  for (size_t i = 0; i < partition.n_partition_clause; ++i) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr key,
                            impl.BindExpression(*partition.partition_clause[i], scope, aggregates));
    binding->partition.push_back(std::move(key));
  }
  const PgQuery__WindowDef& order = *window.order_from;
  for (size_t i = 0; i < order.n_order_clause; ++i) {
    const PgQuery__SortBy& sort = *order.order_clause[i]->sort_by;
    SortKey key;
    SortDirection(sort, &key.descending, &key.nulls_first);
    PLEXUS_ASSIGN_OR_RETURN(key.expr, impl.BindExpression(*sort.node, scope, aggregates));
    if (key.expr->type.id == TypeId::kUnknown) {
      PLEXUS_ASSIGN_OR_RETURN(key.expr, impl.Coerce(std::move(key.expr), Type::Of(TypeId::kText), false));
    }
    binding->order.push_back(std::move(key));
  }
  const PgQuery__WindowDef& frame = *window.frame_from;
  WindowFrame& bound = binding->call.frame;
  bound = FrameOf(frame.frame_options);
  if (bound.start == FrameBound::kUnboundedFollowing) {
    return WithPosition(SqlError(kWindowingError, "frame start cannot be UNBOUNDED FOLLOWING"),
                        frame.location);
  }
  if (bound.end == FrameBound::kUnboundedPreceding) {
    return WithPosition(SqlError(kWindowingError, "frame end cannot be UNBOUNDED PRECEDING"),
                        frame.location);
  }
  if (bound.mode == FrameMode::kGroups && binding->order.empty()) {
    return WithPosition(SqlError(kWindowingError, "GROUPS mode requires an ORDER BY clause"),
                        frame.location);
  }
  const bool has_offset = frame.start_offset != nullptr || frame.end_offset != nullptr;
  if (bound.mode == FrameMode::kRange && has_offset && binding->order.size() != 1) {
    return WithPosition(SqlError(kWindowingError, "RANGE with offset PRECEDING/FOLLOWING requires "
                                                  "exactly one ORDER BY column"),
                        frame.location);
  }
  // Offsets: a count of rows or groups, or for RANGE a distance in the order key's units.
  auto bind_offset = [&](const PgQuery__Node* node, ExprPtr* out) -> Status {
    if (node == nullptr) return Status::Ok();
    Scope empty;
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr offset, impl.BindExpression(*node, empty, nullptr));
    Type wanted = Type::Of(TypeId::kInt64);
    if (bound.mode == FrameMode::kRange) {
      const TypeId key = binding->order[0].expr->type.id;
      const bool temporal = key == TypeId::kDate || key == TypeId::kTime ||
                            key == TypeId::kTimestamp || key == TypeId::kTimestampTz ||
                            key == TypeId::kInterval;
      wanted = temporal ? Type::Of(TypeId::kInterval) : binding->order[0].expr->type;
      if (offset->type.id != TypeId::kUnknown) wanted = offset->type;
    }
    PLEXUS_ASSIGN_OR_RETURN(*out, impl.Coerce(std::move(offset), wanted, false));
    return Status::Ok();
  };
  PLEXUS_RETURN_IF_ERROR(bind_offset(frame.start_offset, &binding->start_offset));
  return bind_offset(frame.end_offset, &binding->end_offset);
}

}  // namespace

Result<ExprPtr> BindWindowCall(Impl& impl, const PgQuery__FuncCall& call, Scope& scope,
                               AggregateBinding* aggregates) {
  const std::string name(StringValue(call.funcname[call.n_funcname - 1]));
  if (aggregates == nullptr || !aggregates->windows_allowed) {
    return WithPosition(SqlError(kWindowingError, "window functions are not allowed here"),
                        call.location);
  }
  if (aggregates->inside_window) {
    return WithPosition(SqlError(kWindowingError, "window function calls cannot be nested"),
                        call.location);
  }
  if (aggregates->inside_aggregate) {
    return WithPosition(SqlError(kGroupingError,
                                 "aggregate function calls cannot contain window function calls"),
                        call.location);
  }
  const WindowFunctionInfo* info = FindWindowFunction(name);
  const AggregateFunction* aggregate = info ? nullptr : FindAggregate(name);
  if (info == nullptr && aggregate == nullptr) {
    return WithPosition(SqlError(kWrongObjectType, "OVER specified, but " + name +
                                                       " is not a window function nor an "
                                                       "aggregate function"),
                        call.location);
  }
  if (aggregate != nullptr && AggregateIsOrderedSet(*aggregate)) {
    return WithPosition(SqlError(kFeatureNotSupported,
                                 "OVER is not supported for ordered-set aggregate " + name),
                        call.location);
  }
  if (call.agg_distinct) {
    return WithPosition(
        SqlError(kFeatureNotSupported, "DISTINCT is not implemented for window functions"),
        call.location);
  }
  if (call.n_agg_order > 0) {
    return WithPosition(
        SqlError(kFeatureNotSupported, "aggregate ORDER BY is not implemented for window functions"),
        call.location);
  }
  if (info != nullptr && call.agg_filter != nullptr) {
    return WithPosition(SqlError(kFeatureNotSupported, "FILTER is not implemented for "
                                                       "non-aggregate window functions"),
                        call.location);
  }
  FlagScope inside(aggregates->inside_window);

  WindowBinding binding;
  binding.call.name = name;
  for (size_t i = 0; i < call.n_args; ++i) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr arg, impl.BindExpression(*call.args[i], scope, aggregates));
    binding.args.push_back(std::move(arg));
  }
  auto no_such_function = [&]() {
    std::string types;
    for (const ExprPtr& arg : binding.args) {
      types += (types.empty() ? "" : ", ") + catalog::FormatType(arg->type);
    }
    Status status = SqlError(kUndefinedFunction, "function " + name + "(" + types + ") does not exist");
    status.SetHint("No function matches the given name and argument types. You might need to "
                   "add explicit type casts.");
    return WithPosition(std::move(status), call.location);
  };
  if (info != nullptr) {
    if (binding.args.size() < info->min_args || binding.args.size() > info->max_args) {
      return no_such_function();
    }
    PLEXUS_RETURN_IF_ERROR(CoerceWindowArgs(impl, *info, &binding.args));
    binding.call.function = info->function;
    binding.call.type = WindowResultType(info->function, binding.args);
  } else {
    binding.call.function = WindowFunction::kAggregate;
    binding.call.aggregate.function = call.agg_star ? FindAggregate("count(*)") : aggregate;
    binding.call.aggregate.name = name;
    if (!call.agg_star && binding.args.size() != AggregateArity(*aggregate)) return no_such_function();
    for (size_t i = 0; i < binding.args.size(); ++i) {
      ExprPtr& arg = binding.args[i];
      if (std::optional<Type> wanted =
              AggregateArgumentCast(*aggregate, i, arg->type, binding.args[0]->type)) {
        PLEXUS_ASSIGN_OR_RETURN(arg, impl.Coerce(std::move(arg), *wanted, false));
      }
    }
    const Type argument = binding.args.empty() ? Type::Of(TypeId::kUnknown) : binding.args[0]->type;
    PLEXUS_ASSIGN_OR_RETURN(binding.call.type,
                            AggregateResultType(*binding.call.aggregate.function, argument));
    binding.call.aggregate.type = binding.call.type;
    if (call.agg_filter != nullptr) {
      PLEXUS_ASSIGN_OR_RETURN(binding.filter, impl.BindExpression(*call.agg_filter, scope, aggregates));
      PLEXUS_ASSIGN_OR_RETURN(binding.filter,
                              impl.Coerce(std::move(binding.filter), Type::Of(TypeId::kBool), false));
    }
  }
  PLEXUS_ASSIGN_OR_RETURN(ResolvedWindow window, ResolveWindow(*call.over, aggregates->select));
  PLEXUS_RETURN_IF_ERROR(BindWindowClause(impl, window, scope, aggregates, &binding));
  ExprPtr reference = Expr::Column(
      kWindowRefBase + static_cast<uint32_t>(aggregates->windows.size()), binding.call.type, name);
  aggregates->windows.push_back(std::move(binding));
  return reference;
}

namespace {

void PointAtWindowColumns(Expr& expr, uint32_t first_window_column) {
  if (expr.kind == ExprKind::kColumn && expr.column >= kWindowRefBase &&
      expr.column < kAggregateRefBase) {
    expr.column = first_window_column + (expr.column - kWindowRefBase);
  }
  for (ExprPtr& arg : expr.args) PointAtWindowColumns(*arg, first_window_column);
}

}  // namespace

Result<PlanPtr> BuildWindowPlan(Impl& impl, PlanPtr plan, AggregateBinding& aggregates,
                                const std::vector<ExprPtr*>& exprs) {
  // Below the window node: the input's columns, then every operand of every call.
  std::vector<ExprPtr> operands;
  std::vector<std::string> names = plan->names;
  for (size_t c = 0; c < plan->types.size(); ++c) {
    operands.push_back(Expr::Column(static_cast<uint32_t>(c), plan->types[c]));
  }
  auto add = [&](ExprPtr expr) -> Result<uint32_t> {
    if (aggregates.active) {
      PLEXUS_ASSIGN_OR_RETURN(expr, impl.LiftOverAggregate(std::move(expr), aggregates));
    }
    operands.push_back(std::move(expr));
    names.push_back("?window?");
    return static_cast<uint32_t>(operands.size() - 1);
  };
  std::vector<WindowCall> calls;
  for (WindowBinding& binding : aggregates.windows) {
    WindowCall call = std::move(binding.call);
    for (ExprPtr& arg : binding.args) {
      PLEXUS_ASSIGN_OR_RETURN(uint32_t column, add(std::move(arg)));
      call.args.push_back(column);
    }
    if (binding.filter) {
      PLEXUS_ASSIGN_OR_RETURN(uint32_t column, add(std::move(binding.filter)));
      call.filter = static_cast<int32_t>(column);
    }
    for (ExprPtr& key : binding.partition) {
      PLEXUS_ASSIGN_OR_RETURN(uint32_t column, add(std::move(key)));
      call.partition.push_back(column);
    }
    for (SortKey& key : binding.order) {
      PLEXUS_ASSIGN_OR_RETURN(uint32_t column, add(std::move(key.expr)));
      call.order.push_back({column, key.descending, key.nulls_first});
    }
    // RANGE offsets become bound values: key - offset for a PRECEDING start in ascending order,
    // and so on (the direction flips for descending order).
    auto add_offset = [&](ExprPtr offset, bool preceding) -> Result<int32_t> {
      if (!offset) return -1;
      if (call.frame.mode != FrameMode::kRange) {
        PLEXUS_ASSIGN_OR_RETURN(uint32_t column, add(std::move(offset)));
        return static_cast<int32_t>(column);
      }
      const Expr& key = *operands[call.order[0].column];
      const bool subtract = preceding != call.order[0].descending;
      std::vector<ExprPtr> args;
      args.push_back(key.Clone());
      args.push_back(std::move(offset));
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr bound, impl.BindCall(subtract ? "-" : "+", std::move(args),
                                                           /*is_operator=*/true, -1));
      if (call.range_key < 0) {
        PLEXUS_ASSIGN_OR_RETURN(ExprPtr range_key, impl.Coerce(key.Clone(), bound->type, false));
        operands.push_back(std::move(range_key));
        names.push_back("?window?");
        call.range_key = static_cast<int32_t>(operands.size() - 1);
      }
      operands.push_back(std::move(bound));
      names.push_back("?window?");
      return static_cast<int32_t>(operands.size() - 1);
    };
    PLEXUS_ASSIGN_OR_RETURN(call.start_offset,
                            add_offset(std::move(binding.start_offset),
                                       call.frame.start == FrameBound::kOffsetPreceding));
    PLEXUS_ASSIGN_OR_RETURN(call.end_offset,
                            add_offset(std::move(binding.end_offset),
                                       call.frame.end == FrameBound::kOffsetPreceding));
    calls.push_back(std::move(call));
  }
  aggregates.windows.clear();
  const size_t width = operands.size();
  if (width > plan->types.size()) plan = MakeProject(std::move(plan), std::move(operands), names);
  auto window = WrapPlan(PlanKind::kWindow, std::move(plan));
  for (const WindowCall& call : calls) {
    window->types.push_back(call.type);
    window->names.push_back(call.name);
  }
  window->windows = std::move(calls);
  for (ExprPtr* expr : exprs) {
    if (*expr) PointAtWindowColumns(**expr, static_cast<uint32_t>(width));
  }
  return PlanPtr(std::move(window));
}

}  // namespace plexus::sql
