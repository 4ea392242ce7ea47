// Subquery pull-up, after PostgreSQL's pull_up_sublinks (prepjointree.c, subselect.c): a WHERE
// conjunct (top level of the AND only) that is
//   - EXISTS (subquery) correlated with this query -> a semi join (convert_EXISTS_sublink_to_join)
//   - NOT EXISTS (the same)                         -> an anti join
//   - x IN (subquery) / x = ANY (subquery), the subquery not correlated -> a semi join
//     (convert_ANY_sublink_to_join) on `x = the subquery's column`
// joins the query's FROM rows to the subquery's rows instead of running the subquery per row.
// For EXISTS the subquery's select list, ORDER BY, DISTINCT and a constant positive LIMIT mean
// nothing (simplify_EXISTS_query) and are dropped; the conjuncts of what remains that read this
// query's row (in filters and inner joins, see Lifter) become the join condition, over rows
// that must read nothing outside the subquery. NOT IN is not an anti join (a NULL in the
// subquery makes it NULL, never true): it stays an expression, which runs as a hashed subplan.
// Volatile functions in the condition keep a subquery as it is, as in PostgreSQL.
#include <algorithm>
#include <functional>
#include <utility>

#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/func/function.h"
#include "plexus/sql/plan/plan_builders.h"

namespace plexus::sql {

namespace {

bool PlanEscapes(const PlanNode& plan, uint32_t level);

// Whether `expr` reads a row beyond `level` enclosing queries (its own query is level 0), or
// calls a volatile function (`*volatile_found`).
bool Escapes(const Expr& expr, uint32_t level, bool* volatile_found) {
  if (expr.kind == ExprKind::kOuterColumn && expr.depth > level) return true;
  if (expr.kind == ExprKind::kCall && expr.function != nullptr && expr.function->volatile_) {
    *volatile_found = true;
  }
  if (expr.kind == ExprKind::kSubquery && expr.subquery && PlanEscapes(*expr.subquery, level + 1)) {
    return true;
  }
  if (expr.compare && Escapes(*expr.compare, level, volatile_found)) return true;
  for (const ExprPtr& arg : expr.args) {
    if (Escapes(*arg, level, volatile_found)) return true;
  }
  return false;
}

bool ExprEscapes(const ExprPtr& expr, uint32_t level) {
  bool ignored = false;
  return expr && Escapes(*expr, level, &ignored);
}

bool ListEscapes(const std::vector<ExprPtr>& list, uint32_t level) {
  for (const ExprPtr& expr : list) {
    if (ExprEscapes(expr, level)) return true;
  }
  return false;
}

// Whether any expression of `plan` (or of its inputs) reads a row outside the plan's query when
// the plan is `level` queries deep (0: the plan is the query).
bool PlanEscapes(const PlanNode& plan, uint32_t level) {
  if (ListEscapes(plan.key_prefix, level) || ExprEscapes(plan.key_lower, level) ||
      ExprEscapes(plan.key_upper, level) || ExprEscapes(plan.predicate, level) ||
      ListEscapes(plan.expressions, level) || ListEscapes(plan.groups, level) ||
      ExprEscapes(plan.limit, level) || ExprEscapes(plan.offset, level) ||
      ListEscapes(plan.defaults, level) || ListEscapes(plan.returning, level) ||
      ListEscapes(plan.checks, level)) {
    return true;
  }
  for (const std::vector<ExprPtr>& row : plan.rows) {
    if (ListEscapes(row, level)) return true;
  }
  for (const AggregateCall& call : plan.aggregates) {
    if (ListEscapes(call.args, level) || ExprEscapes(call.filter, level)) return true;
    for (const SortKey& key : call.order) {
      if (ExprEscapes(key.expr, level)) return true;
    }
  }
  for (const SortKey& key : plan.sort_keys) {
    if (ExprEscapes(key.expr, level)) return true;
  }
  for (const TableFunctionCall& call : plan.functions) {
    if (ListEscapes(call.args, level)) return true;
  }
  for (size_t i = 0; i < plan.children.size(); ++i) {
    // A LATERAL subquery's enclosing row is its apply's input row: one level deeper.
    const bool lateral = plan.kind == PlanKind::kApply && i == 1;
    if (PlanEscapes(*plan.children[i], level + (lateral ? 1 : 0))) return true;
  }
  return false;
}

bool HasSubquery(const Expr& expr) {
  if (expr.kind == ExprKind::kSubquery) return true;
  for (const ExprPtr& arg : expr.args) {
    if (HasSubquery(*arg)) return true;
  }
  return false;
}

bool ReadsColumn(const Expr& expr) {
  if (expr.kind == ExprKind::kColumn) return true;
  for (const ExprPtr& arg : expr.args) {
    if (ReadsColumn(*arg)) return true;
  }
  return false;
}

void SplitWhereConjuncts(ExprPtr expr, std::vector<ExprPtr>* conjuncts) {
  if (expr->kind == ExprKind::kAnd) {
    for (ExprPtr& arg : expr->args) SplitWhereConjuncts(std::move(arg), conjuncts);
    return;
  }
  conjuncts->push_back(std::move(expr));
}

// A subquery's condition moved into the join over (this query's row, the subquery's row): its
// columns follow this query's `width` columns, and its references to this query's row (depth 1)
// become columns; references further out come one level nearer.
void LiftCondition(Expr& expr, size_t width) {
  if (expr.kind == ExprKind::kColumn) {
    expr.column += static_cast<uint32_t>(width);
  } else if (expr.kind == ExprKind::kOuterColumn) {
    if (expr.depth == 1) {
      expr.kind = ExprKind::kColumn;
      expr.depth = 0;
    } else {
      --expr.depth;
    }
  }
  for (ExprPtr& arg : expr.args) LiftCondition(*arg, width);
}

// The plan of a subquery expression the binder just made, taken out of it (it owns it alone).
PlanPtr TakePlan(Expr& subquery) {
  auto* shared = const_cast<PlanNode*>(subquery.subquery.get());
  auto node = std::make_unique<PlanNode>(std::move(*shared));
  subquery.subquery.reset();
  return node;
}

PlanPtr MakeSemiJoin(PlanPtr left, PlanPtr right, JoinType type, ExprPtr condition) {
  const size_t width = left->types.size();
  PlanPtr join = MakeJoin(std::move(left), std::move(right), type, std::move(condition));
  join->types.resize(width);
  join->names.resize(width);
  return join;
}

// Whether the top of an EXISTS subquery's plan can go: it does not change whether rows exist.
bool DroppableForExists(const PlanNode& plan) {
  switch (plan.kind) {
    case PlanKind::kProject:
    case PlanKind::kSort:
      return true;
    case PlanKind::kDistinct:
      return true;
    case PlanKind::kLimit:
      return !plan.offset && plan.limit && plan.limit->kind == ExprKind::kConstant &&
             !plan.limit->constant.is_null() && plan.limit->constant.integer_value() > 0;
    default:
      return false;
  }
}

constexpr uint32_t kNoColumn = ~uint32_t{0};

void ResetKeyRange(PlanNode& scan) {
  scan.key_prefix.clear();
  scan.key_lower.reset();
  scan.key_upper.reset();
  scan.index = -1;
  scan.lower_inclusive = true;
  scan.upper_inclusive = true;
}

// Takes the correlated conjuncts out of the rows of an EXISTS subquery: from the filters and
// inner joins on the way down from its top through column-permuting projections (a FROM list's
// join order), rewritten over the top's columns (`to_top`: a node's output column -> the top's).
// A first pass (apply = false) only checks that every correlated reference can go; the second
// moves them into `lifted`. Anything else must read nothing of the enclosing rows.
class Lifter {
 public:
  Lifter(bool apply, size_t width) : apply_(apply), width_(width) {}

  bool Walk(PlanPtr& node, const std::vector<uint32_t>& to_top) {
    switch (node->kind) {
      case PlanKind::kFilter: {
        if (!Take(&node->predicate, to_top)) return false;
        PlanPtr& child = node->children[0];
        if (child->kind == PlanKind::kTableScan && apply_ && PlanEscapes(*child, 0)) {
          ResetKeyRange(*child);  // it was chosen from correlated conditions
          if (node->predicate) ChooseAccessPath(*node);
        }
        if (!Walk(child, to_top)) return false;
        if (apply_ && !node->predicate) node = std::move(node->children[0]);
        return true;
      }
      case PlanKind::kJoin: {
        if (node->join_type != JoinType::kInner && node->join_type != JoinType::kCross) break;
        if (!Take(&node->predicate, to_top)) return false;
        if (apply_ && !node->predicate) node->join_type = JoinType::kCross;
        const size_t left = node->children[0]->types.size();
        std::vector<uint32_t> left_map(to_top.begin(), to_top.begin() + left);
        std::vector<uint32_t> right_map(to_top.begin() + left, to_top.end());
        return Walk(node->children[0], left_map) && Walk(node->children[1], right_map);
      }
      case PlanKind::kProject: {
        std::vector<uint32_t> child_map(node->children[0]->types.size(), kNoColumn);
        for (size_t i = 0; i < node->expressions.size(); ++i) {
          const Expr& expr = *node->expressions[i];
          if (expr.kind != ExprKind::kColumn) return !PlanEscapes(*node, 0);
          child_map[expr.column] = to_top[i];
        }
        return Walk(node->children[0], child_map);
      }
      case PlanKind::kTableScan:
        return true;  // a key range from correlated conditions is reset by its filter
      default:
        break;
    }
    return !PlanEscapes(*node, 0);
  }

  size_t found() const { return found_; }
  std::vector<ExprPtr>& lifted() { return lifted_; }

 private:
  // Moves the correlated conjuncts of `*predicate` (over columns mapped by `to_top`) out.
  bool Take(ExprPtr* predicate, const std::vector<uint32_t>& to_top) {
    if (!*predicate) return true;
    std::vector<const Expr*> all;
    std::function<void(const Expr&)> split = [&](const Expr& expr) {
      if (expr.kind == ExprKind::kAnd) {
        for (const ExprPtr& arg : expr.args) split(*arg);
      } else {
        all.push_back(&expr);
      }
    };
    split(**predicate);
    for (const Expr* conjunct : all) {
      bool volatile_found = false;
      if (!Escapes(*conjunct, 0, &volatile_found)) continue;
      if (volatile_found || HasSubquery(*conjunct) || !Mapped(*conjunct, to_top)) return false;
      ++found_;
    }
    if (!apply_) return true;
    std::vector<ExprPtr> conjuncts;
    SplitWhereConjuncts(std::move(*predicate), &conjuncts);
    std::vector<ExprPtr> own;
    for (ExprPtr& conjunct : conjuncts) {
      if (!ExprEscapes(conjunct, 0)) {
        own.push_back(std::move(conjunct));
        continue;
      }
      Remap(*conjunct, to_top);
      LiftCondition(*conjunct, width_);
      lifted_.push_back(std::move(conjunct));
    }
    *predicate = AndOf(std::move(own));
    return true;
  }

  static bool Mapped(const Expr& expr, const std::vector<uint32_t>& to_top) {
    if (expr.kind == ExprKind::kColumn &&
        (expr.column >= to_top.size() || to_top[expr.column] == kNoColumn)) {
      return false;
    }
    for (const ExprPtr& arg : expr.args) {
      if (!Mapped(*arg, to_top)) return false;
    }
    return true;
  }

  static void Remap(Expr& expr, const std::vector<uint32_t>& to_top) {
    if (expr.kind == ExprKind::kColumn) expr.column = to_top[expr.column];
    for (ExprPtr& arg : expr.args) Remap(*arg, to_top);
  }

  const bool apply_;
  const size_t width_;
  size_t found_ = 0;
  std::vector<ExprPtr> lifted_;
};

// The join of `plan` (width columns) with the rows of EXISTS `subquery` (kSemi) or their
// absence (kAnti); null when the subquery does not qualify.
PlanPtr PullUpExists(PlanPtr& plan, Expr& subquery, JoinType type) {
  if (!subquery.correlated || !subquery.subquery || subquery.subquery.use_count() != 1) {
    return nullptr;
  }
  PlanPtr owned = TakePlan(subquery);
  PlanPtr* rows = &owned;
  while (DroppableForExists(**rows)) rows = &(*rows)->children[0];
  std::vector<uint32_t> identity((*rows)->types.size());
  for (size_t c = 0; c < identity.size(); ++c) identity[c] = static_cast<uint32_t>(c);
  const size_t width = plan->types.size();
  Lifter check(/*apply=*/false, width);
  if (!check.Walk(*rows, identity) || check.found() == 0) {
    subquery.subquery = std::shared_ptr<const PlanNode>(std::move(owned));  // as it was
    return nullptr;
  }
  Lifter lift(/*apply=*/true, width);
  lift.Walk(*rows, identity);
  PlanPtr right = std::move(*rows);
  return MakeSemiJoin(std::move(plan), std::move(right), type, AndOf(std::move(lift.lifted())));
}

// Whether `compare` is an equality, or a conjunction of them (a row's fields compared by =).
bool IsEquality(const Expr& compare) {
  if (compare.kind == ExprKind::kAnd) {
    return std::all_of(compare.args.begin(), compare.args.end(),
                       [](const ExprPtr& arg) { return IsEquality(*arg); });
  }
  return compare.kind == ExprKind::kCall && compare.name == "=";
}

// The semi join of `plan` with the rows of `x = ANY (uncorrelated subquery)` (or of
// `(x, y) = ANY (...)`); null when it does not qualify.
PlanPtr PullUpAny(PlanPtr& plan, Expr& subquery) {
  if (subquery.correlated || !subquery.subquery || subquery.subquery.use_count() != 1 ||
      !subquery.compare || !IsEquality(*subquery.compare) ||
      subquery.subquery->types.size() != subquery.args.size()) {
    return nullptr;
  }
  bool volatile_found = false;
  bool reads_column = false;
  for (const ExprPtr& left : subquery.args) {
    if (HasSubquery(*left) || Escapes(*left, 0, &volatile_found)) return nullptr;
    reads_column = reads_column || ReadsColumn(*left);
  }
  if (!reads_column || Escapes(*subquery.compare, 0, &volatile_found) || volatile_found) {
    return nullptr;
  }
  // The comparison reads columns 0..n-1 (the left fields) and n..2n-1 (a subquery row's): the
  // left expressions and the join's columns after this query's.
  const size_t fields = subquery.args.size();
  const size_t width = plan->types.size();
  std::function<ExprPtr(const Expr&)> rewrite = [&](const Expr& expr) -> ExprPtr {
    if (expr.kind == ExprKind::kColumn) {
      if (expr.column < fields) return subquery.args[expr.column]->Clone();
      return Expr::Column(static_cast<uint32_t>(width + expr.column - fields), expr.type,
                          expr.name);
    }
    ExprPtr copy = expr.Clone();
    for (size_t i = 0; i < expr.args.size(); ++i) copy->args[i] = rewrite(*expr.args[i]);
    return copy;
  };
  ExprPtr condition = rewrite(*subquery.compare);
  PlanPtr rows = TakePlan(subquery);
  return MakeSemiJoin(std::move(plan), std::move(rows), JoinType::kSemi, std::move(condition));
}

}  // namespace

void SplitSublinkConjuncts(ExprPtr predicate, std::vector<ExprPtr>* others,
                           std::vector<ExprPtr>* sublinks) {
  std::vector<ExprPtr> conjuncts;
  SplitWhereConjuncts(std::move(predicate), &conjuncts);
  for (ExprPtr& conjunct : conjuncts) {
    const Expr* top = conjunct->kind == ExprKind::kNot ? conjunct->args[0].get() : conjunct.get();
    (top->kind == ExprKind::kSubquery ? sublinks : others)->push_back(std::move(conjunct));
  }
}

PlanPtr PullUpSublinks(PlanPtr plan, std::vector<ExprPtr>* conjuncts) {
  std::vector<ExprPtr> rest;
  for (ExprPtr& conjunct : *conjuncts) {
    Expr* subquery = conjunct.get();
    JoinType type = JoinType::kSemi;
    if (subquery->kind == ExprKind::kNot && subquery->args[0]->kind == ExprKind::kSubquery &&
        subquery->args[0]->subquery_kind == SubqueryKind::kExists) {
      subquery = subquery->args[0].get();
      type = JoinType::kAnti;
    }
    PlanPtr joined;
    if (subquery->kind == ExprKind::kSubquery) {
      if (subquery->subquery_kind == SubqueryKind::kExists) {
        joined = PullUpExists(plan, *subquery, type);
      } else if (subquery->subquery_kind == SubqueryKind::kAny && type == JoinType::kSemi) {
        joined = PullUpAny(plan, *subquery);
      }
    }
    if (joined) {
      plan = std::move(joined);
    } else {
      rest.push_back(std::move(conjunct));
    }
  }
  *conjuncts = std::move(rest);
  return plan;
}

}  // namespace plexus::sql
