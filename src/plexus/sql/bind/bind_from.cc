// FROM and WHERE: the FROM items (inner JOIN ... ON flattened into them) joined in an order
// chosen by cost when some item's table has statistics (dynamic programming over left-deep
// orders of up to kCostOrderItemsMax items, greedy beyond), else by a rule (connected items
// first), each WHERE or ON conjunct applied at the first join (or scan) that has all of its
// columns.
#include <algorithm>
#include <cstdint>
#include <limits>

#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/plan/plan_builders.h"
#include "plexus/sql/stats/cost.h"
#include "plexus/sql/stats/estimate.h"

namespace plexus::sql {

namespace {

using Impl = Binder::Impl;
using Scope = Binder::Scope;

void SplitConjuncts(ExprPtr expr, std::vector<ExprPtr>* conjuncts) {
  if (expr->kind == ExprKind::kAnd) {
    for (ExprPtr& arg : expr->args) SplitConjuncts(std::move(arg), conjuncts);
    return;
  }
  conjuncts->push_back(std::move(expr));
}

// The FROM items each conjunct reads, as a bit set (all bits when it holds a subquery, which
// may read any column through outer references: such conjuncts run last).
uint64_t ItemsRead(const Expr& expr, const std::vector<size_t>& item_of_column) {
  if (expr.kind == ExprKind::kSubquery) return ~uint64_t{0};
  uint64_t items = expr.kind == ExprKind::kColumn ? uint64_t{1} << item_of_column[expr.column] : 0;
  for (const ExprPtr& arg : expr.args) items |= ItemsRead(*arg, item_of_column);
  return items;
}

void RemapColumns(Expr& expr, const std::vector<uint32_t>& new_position) {
  if (expr.kind == ExprKind::kColumn) expr.column = new_position[expr.column];
  for (ExprPtr& arg : expr.args) RemapColumns(*arg, new_position);
}

// Greedy join order: start from the item with the most conditions of its own, then repeatedly
// add the item that the most conditions connect to the items chosen so far (cross products
// last); a LATERAL item only after the items it reads (`needs`). Each condition runs at the
// first join that has all of its columns.
std::vector<size_t> ChooseJoinOrder(size_t count, const std::vector<uint64_t>& condition_items,
                                    const std::vector<uint64_t>& needs) {
  std::vector<size_t> order;
  uint64_t chosen = 0;
  while (order.size() < count) {
    size_t best = count;
    int best_score = -1;
    for (size_t item = 0; item < count; ++item) {
      const uint64_t bit = uint64_t{1} << item;
      if ((chosen & bit) || (needs[item] & ~chosen) != 0) continue;
      int score = 0;
      for (uint64_t items : condition_items) {
        if ((items & bit) && (items & ~(chosen | bit)) == 0) score += chosen ? 2 : 1;
      }
      if (score > best_score) {
        best = item;
        best_score = score;
      }
    }
    order.push_back(best);
    chosen |= uint64_t{1} << best;
  }
  return order;
}

// What the cost-based join order knows: per item its estimated rows (after its own conditions)
// and the cost of reading it, per join condition the items it reads and its selectivity, and
// per item whether a lookup join can read it by its primary key from which other items.
struct JoinGraph {
  size_t count = 0;
  std::vector<double> rows;
  std::vector<double> read_cost;
  std::vector<uint64_t> condition_items;  // conditions between two or more items
  std::vector<double> selectivity;
  std::vector<uint64_t> needs;
  // lookup_keys[item][k]: the items each condition equating the item's k-th primary-key column
  // to other items' values reads (empty: the item cannot be read by a lookup join).
  std::vector<std::vector<std::vector<uint64_t>>> lookup_keys;
};

constexpr size_t kCostOrderItemsMax = 10;

struct JoinState {
  double cost = std::numeric_limits<double>::infinity();
  double rows = 0;
  uint64_t previous = 0;
  size_t last = 0;
};

double JoinedRows(const JoinGraph& graph, uint64_t items) {
  double rows = 1;
  for (size_t i = 0; i < graph.count; ++i) {
    if (items & (uint64_t{1} << i)) rows *= graph.rows[i];
  }
  for (size_t c = 0; c < graph.condition_items.size(); ++c) {
    if ((graph.condition_items[c] & ~items) == 0) rows *= graph.selectivity[c];
  }
  return std::max(1.0, rows);
}

bool Connected(const JoinGraph& graph, uint64_t items, size_t item) {
  const uint64_t bit = uint64_t{1} << item;
  for (uint64_t condition : graph.condition_items) {
    if ((condition & bit) && (condition & items) && (condition & ~(items | bit)) == 0) return true;
  }
  return false;
}

bool CanLookUp(const JoinGraph& graph, uint64_t items, size_t item) {
  const auto& keys = graph.lookup_keys[item];
  if (keys.empty()) return false;
  for (const std::vector<uint64_t>& choices : keys) {
    bool found = false;
    for (uint64_t other : choices) found |= other != 0 && (other & ~items) == 0;
    if (!found) return false;
  }
  return true;
}

// The cost of joining `item` to the items joined so far (`state`), giving `out` rows.
double StepCost(const JoinGraph& graph, const JoinState& state, uint64_t items, size_t item,
                double out) {
  double cost = graph.read_cost[item] + stats::HashJoinCost(state.rows, graph.rows[item], out);
  if (state.rows <= stats::kLookupJoinRowsMax && CanLookUp(graph, items, item)) {
    cost = std::min(cost, stats::LookupJoinCost(state.rows, out));
  }
  return cost;
}

// Left-deep orders: the cheapest by dynamic programming over subsets (up to
// kCostOrderItemsMax items), else greedily the cheapest next step. An item joins only items it
// has a condition with, unless none has (a cross product is forced), and a LATERAL item only
// after the items it reads.
std::vector<size_t> ChooseJoinOrderByCost(const JoinGraph& graph) {
  const size_t n = graph.count;
  auto candidates = [&](uint64_t items) {
    std::vector<size_t> out;
    bool any_connected = false;
    for (size_t item = 0; item < n; ++item) {
      const uint64_t bit = uint64_t{1} << item;
      if ((items & bit) || (graph.needs[item] & ~items) != 0) continue;
      const bool connected = Connected(graph, items, item);
      if (connected && !any_connected) out.clear();
      any_connected |= connected;
      if (connected || !any_connected) out.push_back(item);
    }
    return out;
  };
  if (n <= kCostOrderItemsMax) {
    std::vector<JoinState> best(size_t{1} << n);
    for (size_t item = 0; item < n; ++item) {
      if (graph.needs[item] != 0) continue;
      JoinState& state = best[uint64_t{1} << item];
      state.cost = graph.read_cost[item];
      state.rows = graph.rows[item];
      state.last = item;
    }
    for (uint64_t items = 1; items < best.size(); ++items) {
      const JoinState& state = best[items];
      if (state.cost == std::numeric_limits<double>::infinity()) continue;
      for (size_t item : candidates(items)) {
        const uint64_t next = items | (uint64_t{1} << item);
        const double out = JoinedRows(graph, next);
        const double cost = state.cost + StepCost(graph, state, items, item, out);
        if (cost < best[next].cost) best[next] = JoinState{cost, out, items, item};
      }
    }
    std::vector<size_t> order;
    uint64_t items = best.size() - 1;
    if (best[items].cost == std::numeric_limits<double>::infinity()) return {};
    while (items != 0) {
      order.push_back(best[items].last);
      items = best[items].previous;
    }
    std::reverse(order.begin(), order.end());
    return order;
  }
  // Greedy: the smallest item first, then the cheapest step each time.
  std::vector<size_t> order;
  JoinState state;
  uint64_t items = 0;
  while (order.size() < n) {
    size_t chosen = n;
    double chosen_cost = std::numeric_limits<double>::infinity();
    double chosen_rows = 0;
    for (size_t item : candidates(items)) {
      const uint64_t next = items | (uint64_t{1} << item);
      const double out = items == 0 ? graph.rows[item] : JoinedRows(graph, next);
      const double cost = items == 0 ? graph.rows[item] : StepCost(graph, state, items, item, out);
      if (cost < chosen_cost) {
        chosen = item;
        chosen_cost = cost;
        chosen_rows = out;
      }
    }
    if (chosen == n) return {};
    order.push_back(chosen);
    items |= uint64_t{1} << chosen;
    state.rows = chosen_rows;
  }
  return order;
}

// The table a lookup join could read by key: a whole table, perhaps under a filter.
const PlanNode* LookupScan(const PlanNode& plan) {
  const PlanNode* scan = plan.kind == PlanKind::kFilter ? plan.children[0].get() : &plan;
  const bool whole = scan->kind == PlanKind::kTableScan && scan->index < 0 &&
                     scan->key_prefix.empty() && !scan->key_lower && !scan->key_upper &&
                     scan->table && !scan->table->primary_key.empty();
  return whole ? scan : nullptr;
}

JoinGraph DescribeJoins(const stats::Estimator& estimator, const std::vector<FromItem>& items,
                        const std::vector<ExprPtr>& pending,
                        const std::vector<uint64_t>& condition_items,
                        const std::vector<uint64_t>& needs,
                        const std::vector<size_t>& item_of_column,
                        const std::vector<size_t>& first_column) {
  JoinGraph graph;
  graph.count = items.size();
  graph.needs = needs;
  auto resolve = [&](uint32_t column) -> std::optional<stats::ColumnInfo> {
    if (column >= item_of_column.size()) return std::nullopt;
    const size_t item = item_of_column[column];
    return estimator.ColumnOf(*items[item].plan,
                              static_cast<uint32_t>(column - first_column[item]));
  };
  for (const FromItem& item : items) {
    const double rows = estimator.Rows(*item.plan);
    graph.rows.push_back(rows);
    const PlanNode* scan = item.plan->kind == PlanKind::kFilter ? item.plan->children[0].get()
                                                                 : item.plan.get();
    graph.read_cost.push_back(scan->kind == PlanKind::kTableScan
                                  ? estimator.ScanRows(*scan) * stats::kSeqRowCost
                                  : rows * stats::kSeqRowCost);
  }
  graph.lookup_keys.resize(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    const PlanNode* scan = LookupScan(*items[i].plan);
    if (scan != nullptr) graph.lookup_keys[i].resize(scan->table->primary_key.size());
  }
  for (size_t c = 0; c < pending.size(); ++c) {
    const uint64_t bits = condition_items[c];
    if (!pending[c] || bits == ~uint64_t{0} || (bits & (bits - 1)) == 0) continue;
    graph.condition_items.push_back(bits);
    graph.selectivity.push_back(stats::Selectivity(*pending[c], resolve));
    // item.pk_column = value of other items: a key a lookup join can read by.
    const Expr& condition = *pending[c];
    if (condition.kind != ExprKind::kCall || condition.name != "=" || condition.args.size() != 2) {
      continue;
    }
    for (int side = 0; side < 2; ++side) {
      const Expr& column = *condition.args[side];
      if (column.kind != ExprKind::kColumn) continue;
      const size_t item = item_of_column[column.column];
      const uint64_t others = bits & ~(uint64_t{1} << item);
      if (graph.lookup_keys[item].empty() || others == 0 ||
          (ItemsRead(*condition.args[1 - side], item_of_column) & (uint64_t{1} << item))) {
        continue;
      }
      const std::vector<uint32_t>& key = LookupScan(*items[item].plan)->table->primary_key;
      const uint32_t local = static_cast<uint32_t>(column.column - first_column[item]);
      auto part = std::find(key.begin(), key.end(), local);
      if (part != key.end()) graph.lookup_keys[item][part - key.begin()].push_back(others);
    }
  }
  return graph;
}

// Joins `items` (in a chosen order), applying each pending condition as early as it can run;
// the output columns are in the items' original order.
PlanPtr JoinInOrder(std::vector<FromItem> items, std::vector<ExprPtr>* pending,
                    const stats::Estimator& estimator) {
  std::vector<size_t> item_of_column;
  std::vector<size_t> first_column;
  for (size_t i = 0; i < items.size(); ++i) {
    first_column.push_back(item_of_column.size());
    item_of_column.insert(item_of_column.end(), items[i].columns.size(), i);
  }
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<uint64_t> condition_items;
  for (const ExprPtr& condition : *pending) {
    condition_items.push_back(ItemsRead(*condition, item_of_column));
  }
  // LATERAL items: the items a function's arguments read; for a subquery, every earlier item
  // (its scope was theirs).
  std::vector<uint64_t> needs(items.size(), 0);
  for (size_t i = 0; i < items.size() && items.size() <= 64; ++i) {
    if (items[i].plan->kind == PlanKind::kApply) needs[i] = (uint64_t{1} << i) - 1;
    if (!IsLateralFunctionScan(*items[i].plan)) continue;
    for (const TableFunctionCall& call : items[i].plan->functions) {
      for (const ExprPtr& arg : call.args) needs[i] |= ItemsRead(*arg, item_of_column);
    }
  }
  // A condition on one item filters that item before any join (and may narrow its scan).
  std::vector<std::vector<ExprPtr>> own(items.size());
  for (size_t i = 0; i < pending->size(); ++i) {
    const uint64_t bits = condition_items[i];
    if (bits == ~uint64_t{0} || bits == 0 || (bits & (bits - 1)) != 0 || items.size() > 64) continue;
    const size_t item = static_cast<size_t>(__builtin_ctzll(bits));
    if (needs[item] != 0) continue;  // a LATERAL item exists only over the items it reads
    std::vector<uint32_t> local(item_of_column.size());
    for (size_t c = 0; c < local.size(); ++c) {
      local[c] = static_cast<uint32_t>(c >= first_column[item] ? c - first_column[item] : 0);
    }
    RemapColumns(*(*pending)[i], local);
    own[item].push_back(std::move((*pending)[i]));
  }
  for (size_t item = 0; item < items.size(); ++item) {
    if (own[item].empty()) continue;
    items[item].plan = MakeFilter(std::move(items[item].plan), AndOf(std::move(own[item])));
    ChooseAccessPath(*items[item].plan, &estimator);
  }
  bool by_cost = items.size() >= 2 && items.size() <= 64;
  if (by_cost) {
    by_cost = false;
    for (const FromItem& item : items) by_cost |= estimator.AnyStatistics(*item.plan);
  }
  if (by_cost) {
    std::vector<size_t> chosen = ChooseJoinOrderByCost(DescribeJoins(
        estimator, items, *pending, condition_items, needs, item_of_column, first_column));
    if (chosen.size() == items.size()) order = std::move(chosen);
  } else if (items.size() > 2 && items.size() <= 64) {
    order = ChooseJoinOrder(items.size(), condition_items, needs);
  }
  // Where each original column lands in the join's output.
  std::vector<uint32_t> new_position(item_of_column.size());
  uint32_t next = 0;
  for (size_t item : order) {
    for (size_t c = 0; c < items[item].columns.size(); ++c) {
      new_position[first_column[item] + c] = next++;
    }
  }
  PlanPtr plan;
  uint64_t joined = 0;
  std::vector<ExprPtr> later;
  std::vector<uint64_t> later_items;
  for (size_t i = 0; i < pending->size(); ++i) {
    if ((*pending)[i] && condition_items[i] != ~uint64_t{0}) RemapColumns(*(*pending)[i], new_position);
  }
  for (size_t step = 0; step < order.size(); ++step) {
    joined |= uint64_t{1} << order[step];
    std::vector<ExprPtr> now;
    for (size_t i = 0; i < pending->size(); ++i) {
      if ((*pending)[i] && (condition_items[i] & ~joined) == 0) now.push_back(std::move((*pending)[i]));
    }
    PlanPtr item_plan = std::move(items[order[step]].plan);
    if (needs[order[step]] != 0) {
      for (TableFunctionCall& call : item_plan->functions) {
        for (ExprPtr& arg : call.args) RemapColumns(*arg, new_position);
      }
      for (int32_t& column : item_plan->column_map) column = static_cast<int32_t>(new_position[column]);
      plan = ApplyLateral(std::move(plan), std::move(item_plan));
      if (!now.empty()) plan = MakeFilter(std::move(plan), AndOf(std::move(now)));
      continue;
    }
    if (!plan) {
      plan = now.empty() ? std::move(item_plan) : MakeFilter(std::move(item_plan), AndOf(std::move(now)));
      continue;
    }
    ExprPtr predicate = AndOf(std::move(now));
    const JoinType type = predicate ? JoinType::kInner : JoinType::kCross;
    plan = MakeJoin(std::move(plan), std::move(item_plan), type, std::move(predicate));
  }
  // What could not run inside the joins (subqueries) runs on top, over the original order.
  std::vector<ExprPtr> rest;
  for (ExprPtr& condition : *pending) {
    if (condition) rest.push_back(std::move(condition));
  }
  *pending = std::move(rest);
  bool identity = true;
  for (size_t c = 0; c < new_position.size(); ++c) identity &= new_position[c] == c;
  if (identity) return plan;
  std::vector<ExprPtr> columns;
  std::vector<std::string> names;
  for (size_t c = 0; c < new_position.size(); ++c) {
    columns.push_back(Expr::Column(new_position[c], plan->types[new_position[c]]));
    names.push_back(plan->names[new_position[c]]);
  }
  return MakeProject(std::move(plan), std::move(columns), std::move(names));
}

// Whether `node` is an inner JOIN ... ON (or CROSS JOIN) of tables, subqueries and such joins:
// no USING or NATURAL (whose merged columns change the column list), no alias, no function
// (which may read sibling items).
bool Flattens(const PgQuery__Node& node) {
  if (node.node_case != PG_QUERY__NODE__NODE_JOIN_EXPR) return false;
  const PgQuery__JoinExpr& join = *node.join_expr;
  if (join.jointype != PG_QUERY__JOIN_TYPE__JOIN_INNER || join.is_natural ||
      join.n_using_clause > 0 || join.alias != nullptr) {
    return false;
  }
  for (const PgQuery__Node* side : {join.larg, join.rarg}) {
    if (side->node_case != PG_QUERY__NODE__NODE_RANGE_VAR &&
        side->node_case != PG_QUERY__NODE__NODE_RANGE_SUBSELECT && !Flattens(*side)) {
      return false;
    }
  }
  return true;
}

// Binds a FROM list entry into `items` (its columns into scope.columns). An inner JOIN ... ON is
// flattened as PostgreSQL's planner does (join_collapse_limit): its items join like a comma
// list's, in the chosen order, and its condition joins the WHERE conjuncts, so that those reach
// its items too. The condition is bound over the join's own columns only: the columns of items
// before the join keep their positions but no names.
Status BindFromListEntry(Impl& impl, const PgQuery__Node& node, Scope& scope,
                         std::vector<FromItem>* items, std::vector<ExprPtr>* conditions) {
  if (Flattens(node)) {
    const PgQuery__JoinExpr& join = *node.join_expr;
    const size_t first = scope.columns.size();
    PLEXUS_RETURN_IF_ERROR(BindFromListEntry(impl, *join.larg, scope, items, conditions));
    PLEXUS_RETURN_IF_ERROR(BindFromListEntry(impl, *join.rarg, scope, items, conditions));
    if (join.quals == nullptr) return Status::Ok();
    Scope on_scope;
    on_scope.outer = scope.outer;
    on_scope.columns = scope.columns;
    for (size_t c = 0; c < first; ++c) {
      on_scope.columns[c].table.clear();
      on_scope.columns[c].name.clear();
      on_scope.columns[c].hidden = true;
    }
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr on, impl.BindExpression(*join.quals, on_scope, nullptr));
    PLEXUS_ASSIGN_OR_RETURN(on, impl.Coerce(std::move(on), Type::Of(TypeId::kBool), false));
    scope.referenced_outer |= on_scope.referenced_outer;
    SplitConjuncts(std::move(on), conditions);
    return Status::Ok();
  }
  // A function's arguments, and a LATERAL subquery, may read the FROM items before it.
  PLEXUS_ASSIGN_OR_RETURN(
      FromItem item,
      node.node_case == PG_QUERY__NODE__NODE_RANGE_FUNCTION
          ? BindRangeFunction(impl, *node.range_function, scope)
      : node.node_case == PG_QUERY__NODE__NODE_RANGE_SUBSELECT
          ? BindRangeSubselect(impl, *node.range_subselect, scope.outer, &scope)
          : BindFromItem(impl, node, scope.outer));
  PLEXUS_RETURN_IF_ERROR(CheckTableNamesDistinct(scope.columns, item.columns));
  scope.referenced_outer |= item.reads_outer;
  scope.columns.insert(scope.columns.end(), item.columns.begin(), item.columns.end());
  items->push_back(std::move(item));
  return Status::Ok();
}

}  // namespace

Status CheckTableNamesDistinct(const std::vector<Scope::Column>& left,
                               const std::vector<Scope::Column>& right) {
  for (const Scope::Column& column : right) {
    if (column.table.empty()) continue;
    for (const Scope::Column& other : left) {
      if (other.table == column.table) {
        return SqlError(kDuplicateAlias,
                        "table name \"" + column.table + "\" specified more than once");
      }
    }
  }
  return Status::Ok();
}

Result<PlanPtr> BindFromWhere(Impl& impl, const PgQuery__SelectStmt& select, Scope& scope) {
  std::vector<FromItem> items;
  std::vector<ExprPtr> pending;
  for (size_t i = 0; i < select.n_from_clause; ++i) {
    PLEXUS_RETURN_IF_ERROR(
        BindFromListEntry(impl, *select.from_clause[i], scope, &items, &pending));
  }
  if (select.where_clause != nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr where, impl.BindExpression(*select.where_clause, scope, nullptr));
    PLEXUS_ASSIGN_OR_RETURN(where, impl.Coerce(std::move(where), Type::Of(TypeId::kBool), false));
    SplitConjuncts(std::move(where), &pending);
  }
  if (items.empty()) {
    PlanPtr plan = PlanNode::Make(PlanKind::kOneRow);
    ExprPtr predicate = AndOf(std::move(pending));
    if (!predicate) return plan;
    auto filter = WrapPlan(PlanKind::kFilter, std::move(plan));
    filter->predicate = std::move(predicate);
    return filter;
  }
  // Statistics are read from the cache, loaded once per catalog.
  PLEXUS_RETURN_IF_ERROR(stats::EnsureLoaded(impl.catalog(), impl.transaction()));
  const stats::Estimator estimator(impl.catalog().instance());
  PlanPtr plan = JoinInOrder(std::move(items), &pending, estimator);
  plan = PullUpSublinks(std::move(plan), &pending);
  if (ExprPtr rest = AndOf(std::move(pending))) {
    plan = WrapPlan(PlanKind::kFilter, std::move(plan));
    plan->predicate = std::move(rest);
  }
  return plan;
}

}  // namespace plexus::sql
