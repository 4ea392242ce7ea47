// Access paths: a filter over a table scan whose conditions fix a prefix of the primary key or of
// a secondary index (and bound the next column) reads only that key range, of the table or of
// the index. With statistics the cheapest of a full scan, a primary key range and each usable
// index wins (sql/stats/cost.h); without, a rule: the key with the most fixed columns.
#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/stats/cost.h"
#include "plexus/sql/stats/estimate.h"

namespace plexus::sql {

namespace {

// Reads no column of the current row (constants, parameters, outer rows), and no subquery.
bool IsRowIndependent(const Expr& expr) {
  if (expr.kind == ExprKind::kColumn || expr.kind == ExprKind::kSubquery) return false;
  if (expr.kind == ExprKind::kCall && expr.function && expr.function->volatile_) return false;
  for (const ExprPtr& arg : expr.args) {
    if (!IsRowIndependent(*arg)) return false;
  }
  return true;
}

// Types whose key encoding orders like SQL comparison of the column's type.
bool KeyOrdersLike(const Type& column, const Type& value) {
  if (catalog::IsInteger(column.id) && catalog::IsInteger(value.id)) return true;
  if (column.id != value.id) return false;
  switch (column.id) {
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBool:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kUuid:
    case TypeId::kBytea: return true;
    default: return false;
  }
}

// `column op value` (or `value op column`) with op one of = < <= > >=: the op as seen from the
// column's side, and the value.
struct ColumnComparison {
  std::string op;
  const Expr* value = nullptr;
};

std::optional<ColumnComparison> CompareWithColumn(const Expr& conjunct, uint32_t column,
                                            const Type& column_type) {
  if (conjunct.kind != ExprKind::kCall || conjunct.args.size() != 2) return std::nullopt;
  const std::string& op = conjunct.name;
  if (op != "=" && op != "<" && op != "<=" && op != ">" && op != ">=") return std::nullopt;
  auto is_column = [&](const Expr& side) {
    return side.kind == ExprKind::kColumn && side.column == column;
  };
  const Expr& left = *conjunct.args[0];
  const Expr& right = *conjunct.args[1];
  if (is_column(left) && IsRowIndependent(right) && KeyOrdersLike(column_type, right.type)) {
    return ColumnComparison{op, &right};
  }
  if (is_column(right) && IsRowIndependent(left) && KeyOrdersLike(column_type, left.type)) {
    const std::string flipped = op == "<" ? ">" : op == "<=" ? ">=" : op == ">" ? "<" : op == ">=" ? "<=" : op;
    return ColumnComparison{flipped, &left};
  }
  return std::nullopt;
}

void Conjuncts(const Expr& expr, std::vector<const Expr*>* out) {
  if (expr.kind == ExprKind::kAnd) {
    for (const ExprPtr& arg : expr.args) Conjuncts(*arg, out);
    return;
  }
  out->push_back(&expr);
}

// What the conditions allow on one key (the primary key or an index): equalities on a prefix of
// its columns, then bounds on the next one.
struct KeyRange {
  std::vector<const Expr*> equal;
  const Expr* lower = nullptr;
  const Expr* upper = nullptr;
  bool lower_inclusive = true;
  bool upper_inclusive = true;

  bool bounded() const { return lower != nullptr || upper != nullptr; }
  bool useful() const { return !equal.empty() || bounded(); }
};

KeyRange MatchKey(const std::vector<const Expr*>& conjuncts, const catalog::TableDef& table,
                  const std::vector<uint32_t>& columns, const std::vector<bool>* descending) {
  KeyRange range;
  for (size_t i = 0; i < columns.size(); ++i) {
    const uint32_t column = columns[i];
    const Type& type = table.columns[column].type;
    const Expr* equal = nullptr;
    KeyRange bounds;
    for (const Expr* conjunct : conjuncts) {
      std::optional<ColumnComparison> comparison = CompareWithColumn(*conjunct, column, type);
      if (!comparison) continue;
      if (comparison->op == "=") {
        equal = comparison->value;
      } else if (comparison->op[0] == '>') {
        bounds.lower = comparison->value;
        bounds.lower_inclusive = comparison->op == ">=";
      } else {
        bounds.upper = comparison->value;
        bounds.upper_inclusive = comparison->op == "<=";
      }
    }
    if (equal != nullptr) {
      range.equal.push_back(equal);
      continue;
    }
    // A descending index column stores its values inverted: its bounds would swap; not used.
    if (descending == nullptr || !(*descending)[i]) {
      range.lower = bounds.lower;
      range.upper = bounds.upper;
      range.lower_inclusive = bounds.lower_inclusive;
      range.upper_inclusive = bounds.upper_inclusive;
    }
    break;
  }
  return range;
}

// Whether `a` narrows the rows read more than `b`, by rule until statistics exist: more fixed
// columns, then a bound, then a unique key whose every column is fixed.
bool Narrower(const KeyRange& a, size_t a_columns, const KeyRange& b, size_t b_columns) {
  const bool a_point = a.equal.size() == a_columns;
  const bool b_point = b.equal.size() == b_columns;
  if (a_point != b_point) return a_point;
  if (a.equal.size() != b.equal.size()) return a.equal.size() > b.equal.size();
  return a.bounded() && !b.bounded();
}

}  // namespace

namespace {

// The estimated rows a key range of `key` reads.
double RangeRows(const stats::Estimator& estimator, const catalog::TableDef& table,
                 const std::vector<uint32_t>& key, bool unique, const KeyRange& range) {
  const double rows = estimator.TableRows(table);
  if (unique && range.equal.size() == key.size()) return 1;
  double selectivity = 1;
  for (size_t i = 0; i < range.equal.size(); ++i) {
    selectivity *= stats::EqualSelectivity(estimator.TableColumn(table, key[i]), *range.equal[i]);
  }
  if (range.bounded()) {
    selectivity *= stats::RangeSelectivity(estimator.TableColumn(table, key[range.equal.size()]),
                                           range.lower, range.lower_inclusive, range.upper,
                                           range.upper_inclusive);
  }
  return std::max(1.0, rows * selectivity);
}

void Apply(PlanNode& scan, const KeyRange& range, int32_t index) {
  scan.index = index;
  for (const Expr* value : range.equal) scan.key_prefix.push_back(value->Clone());
  if (range.lower != nullptr) scan.key_lower = range.lower->Clone();
  if (range.upper != nullptr) scan.key_upper = range.upper->Clone();
  scan.lower_inclusive = range.lower_inclusive;
  scan.upper_inclusive = range.upper_inclusive;
}

}  // namespace

void ChooseAccessPath(PlanNode& filter) { ChooseAccessPath(filter, nullptr); }

void ChooseAccessPath(PlanNode& filter, const stats::Estimator* estimator) {
  if (filter.kind != PlanKind::kFilter || !filter.predicate) return;
  PlanNode& scan = *filter.children[0];
  if (scan.kind != PlanKind::kTableScan) return;
  std::vector<const Expr*> conjuncts;
  Conjuncts(*filter.predicate, &conjuncts);
  const catalog::TableDef& table = *scan.table;
  if (estimator != nullptr && estimator->Statistics(table) != nullptr) {
    // By cost: a full scan reads every row in order; a primary key range reads its rows in
    // order after a seek; an index range reads its entries and fetches each row by key.
    double best_cost = stats::FullScanCost(estimator->TableRows(table));
    KeyRange best;
    int32_t best_index = -1;
    if (!table.primary_key.empty()) {
      KeyRange range = MatchKey(conjuncts, table, table.primary_key, nullptr);
      if (range.useful()) {
        const double cost = stats::KeyRangeCost(RangeRows(*estimator, table, table.primary_key,
                                                          true, range));
        if (cost < best_cost) {
          best_cost = cost;
          best = std::move(range);
        }
      }
    }
    for (size_t i = 0; i < table.indexes.size(); ++i) {
      const catalog::IndexDef& index = table.indexes[i];
      KeyRange range = MatchKey(conjuncts, table, index.columns, &index.descending);
      if (!range.useful()) continue;
      const double cost =
          stats::IndexRangeCost(RangeRows(*estimator, table, index.columns, index.unique, range));
      if (cost < best_cost) {
        best_cost = cost;
        best = std::move(range);
        best_index = static_cast<int32_t>(i);
      }
    }
    if (best.useful()) Apply(scan, best, best_index);
    return;
  }
  KeyRange best;
  size_t best_columns = 0;
  int32_t best_index = -1;
  if (!table.primary_key.empty()) {
    best = MatchKey(conjuncts, table, table.primary_key, nullptr);
    best_columns = table.primary_key.size();
  }
  for (size_t i = 0; i < table.indexes.size(); ++i) {
    const catalog::IndexDef& index = table.indexes[i];
    KeyRange range = MatchKey(conjuncts, table, index.columns, &index.descending);
    // Only a unique index read whole is a point; other indexes may hold many rows per value.
    const size_t columns = index.unique ? index.columns.size() : index.columns.size() + 1;
    if (range.useful() && (!best.useful() || Narrower(range, columns, best, best_columns))) {
      best = std::move(range);
      best_columns = columns;
      best_index = static_cast<int32_t>(i);
    }
  }
  if (!best.useful()) return;
  Apply(scan, best, best_index);
}

}  // namespace plexus::sql
