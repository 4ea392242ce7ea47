// Selectivities and row estimates (after PostgreSQL's selfuncs.c and clausesel.c).
#include "plexus/sql/stats/estimate.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "plexus/sql/func/function.h"
#include "plexus/sql/stats/analyze.h"

namespace plexus::sql::stats {

namespace {

double Clamp(double selectivity) { return std::clamp(selectivity, 0.0, 1.0); }

bool TextLike(TypeId id) { return id == TypeId::kText || id == TypeId::kVarchar; }

// A constant as the statistics' values can be compared with it.
struct Probe {
  bool null = false;
  std::optional<double> number;
  std::string key;  // empty when the constant's type keys differently from the column's
};

std::optional<Probe> ProbeOf(const ColumnStatistics& column, const Expr& value) {
  const Expr* constant = &value;
  if (constant->kind != ExprKind::kConstant) return std::nullopt;
  Probe probe;
  const Value& v = constant->constant;
  if (v.is_null()) {
    probe.null = true;
    return probe;
  }
  probe.number = NumberOf(v);
  const TypeId type = v.type().id;
  if (type == column.type.id || (TextLike(type) && TextLike(column.type.id))) probe.key = KeyOf(v);
  return probe;
}

// -1, 0, 1; nullopt when they cannot be compared.
std::optional<int> Compare(const StatValue& value, const Probe& probe) {
  if (value.number && probe.number) {
    return *value.number < *probe.number ? -1 : (*value.number > *probe.number ? 1 : 0);
  }
  if (probe.key.empty()) return std::nullopt;
  const int order = value.key.compare(probe.key);
  return order < 0 ? -1 : (order > 0 ? 1 : 0);
}

double CommonSum(const ColumnStatistics& column) {
  double sum = 0;
  for (double frequency : column.common_frequencies) sum += frequency;
  return sum;
}

// The fraction of the histogram's values below the probe (PostgreSQL's
// ineq_histogram_selectivity, with linear interpolation inside the bucket for numbers).
std::optional<double> HistogramFraction(const ColumnStatistics& column, const Probe& probe) {
  const std::vector<StatValue>& bounds = column.histogram;
  if (bounds.size() < 2) return std::nullopt;
  std::optional<int> first = Compare(bounds.front(), probe);
  std::optional<int> last = Compare(bounds.back(), probe);
  if (!first || !last) return std::nullopt;
  if (*first >= 0) return 0.0;
  if (*last < 0) return 1.0;
  // bounds[low] < probe <= bounds[high]
  size_t low = 0;
  size_t high = bounds.size() - 1;
  while (high - low > 1) {
    const size_t middle = (low + high) / 2;
    std::optional<int> order = Compare(bounds[middle], probe);
    if (!order) return std::nullopt;
    if (*order < 0) {
      low = middle;
    } else {
      high = middle;
    }
  }
  double inside = 0.5;
  if (bounds[low].number && bounds[high].number && probe.number &&
      *bounds[high].number > *bounds[low].number) {
    inside = (*probe.number - *bounds[low].number) / (*bounds[high].number - *bounds[low].number);
    inside = Clamp(inside);
  }
  return (static_cast<double>(low) + inside) / static_cast<double>(bounds.size() - 1);
}

// The fraction of all rows with column < probe (or <= when `inclusive`): MCVs counted exactly,
// the histogram for the rest.
std::optional<double> BelowSelectivity(const ColumnStatistics& column, const Probe& probe,
                                       bool inclusive) {
  double common = 0;
  for (size_t i = 0; i < column.common_values.size(); ++i) {
    std::optional<int> order = Compare(column.common_values[i], probe);
    if (!order) return std::nullopt;
    if (*order < 0 || (inclusive && *order == 0)) common += column.common_frequencies[i];
  }
  const double rest = Clamp(1.0 - CommonSum(column) - column.null_fraction);
  std::optional<double> fraction = HistogramFraction(column, probe);
  if (!fraction) {
    if (column.histogram.size() >= 2) return std::nullopt;
    fraction = 0.5;  // no histogram: assume half of the other values match
  }
  return Clamp(common + *fraction * rest);
}

const Expr* RowIndependentSide(const Expr& expr) {
  std::function<bool(const Expr&)> independent = [&](const Expr& e) {
    if (e.kind == ExprKind::kColumn || e.kind == ExprKind::kSubquery) return false;
    if (e.kind == ExprKind::kCall && e.function && e.function->volatile_) return false;
    for (const ExprPtr& arg : e.args) {
      if (!independent(*arg)) return false;
    }
    return true;
  };
  return independent(expr) ? &expr : nullptr;
}

// A column, perhaps under casts that keep its values (integer widening, varchar to text).
const Expr* ColumnUnderCast(const Expr& expr) {
  const Expr* e = &expr;
  while (e->kind == ExprKind::kCast && !e->args.empty()) e = e->args[0].get();
  return e->kind == ExprKind::kColumn ? e : nullptr;
}

std::string Flip(const std::string& op) {
  if (op == "<") return ">";
  if (op == "<=") return ">=";
  if (op == ">") return "<";
  if (op == ">=") return "<=";
  return op;
}

bool IsInequality(const std::string& op) {
  return op == "<" || op == "<=" || op == ">" || op == ">=";
}

// `column op value` seen from the column's side, when the conjunct has that shape.
struct ColumnComparison {
  uint32_t column;
  std::string op;
  const Expr* value;
};

std::optional<ColumnComparison> AsColumnComparison(const Expr& expr) {
  if (expr.kind != ExprKind::kCall || expr.args.size() != 2) return std::nullopt;
  const Expr* left = ColumnUnderCast(*expr.args[0]);
  const Expr* right = ColumnUnderCast(*expr.args[1]);
  if (left != nullptr && RowIndependentSide(*expr.args[1]) != nullptr) {
    return ColumnComparison{left->column, expr.name, expr.args[1].get()};
  }
  if (right != nullptr && RowIndependentSide(*expr.args[0]) != nullptr) {
    return ColumnComparison{right->column, Flip(expr.name), expr.args[0].get()};
  }
  return std::nullopt;
}

double InequalitySelectivity(const ColumnInfo& column, const std::string& op, const Expr& value) {
  if (op[0] == '>') {
    return RangeSelectivity(column, &value, op == ">=", nullptr, false);
  }
  return RangeSelectivity(column, nullptr, false, &value, op == "<=");
}

double ClauseSelectivity(const Expr& expr, const ColumnResolver& resolve);

double AndSelectivity(const Expr& expr, const ColumnResolver& resolve) {
  // Bounds on one column combine into one range (PostgreSQL's addRangeClause).
  struct Range {
    ColumnInfo column;
    const Expr* lower = nullptr;
    bool lower_inclusive = false;
    const Expr* upper = nullptr;
    bool upper_inclusive = false;
  };
  std::map<std::pair<const void*, uint32_t>, Range> ranges;
  double selectivity = 1;
  for (const ExprPtr& arg : expr.args) {
    std::optional<ColumnComparison> comparison = AsColumnComparison(*arg);
    std::optional<ColumnInfo> column;
    if (comparison && IsInequality(comparison->op)) column = resolve(comparison->column);
    if (!column || column->table == nullptr) {
      selectivity *= ClauseSelectivity(*arg, resolve);
      continue;
    }
    Range& range = ranges[{column->table, column->column}];
    range.column = *column;
    if (comparison->op[0] == '>') {
      range.lower = comparison->value;
      range.lower_inclusive = comparison->op == ">=";
    } else {
      range.upper = comparison->value;
      range.upper_inclusive = comparison->op == "<=";
    }
  }
  for (const auto& [key, range] : ranges) {
    selectivity *= RangeSelectivity(range.column, range.lower, range.lower_inclusive, range.upper,
                                    range.upper_inclusive);
  }
  return selectivity;
}

double ClauseSelectivity(const Expr& expr, const ColumnResolver& resolve) {
  switch (expr.kind) {
    case ExprKind::kAnd: return Clamp(AndSelectivity(expr, resolve));
    case ExprKind::kOr: {
      double selectivity = 0;
      for (const ExprPtr& arg : expr.args) {
        const double s = ClauseSelectivity(*arg, resolve);
        selectivity = selectivity + s - selectivity * s;
      }
      return Clamp(selectivity);
    }
    case ExprKind::kNot: return Clamp(1.0 - ClauseSelectivity(*expr.args[0], resolve));
    case ExprKind::kIsNull:
    case ExprKind::kIsNotNull: {
      const Expr* column = ColumnUnderCast(*expr.args[0]);
      std::optional<ColumnInfo> info = column ? resolve(column->column) : std::nullopt;
      double null_fraction = kDefaultEqualSelectivity;
      if (info && info->statistics) null_fraction = info->statistics->null_fraction;
      return expr.kind == ExprKind::kIsNull ? null_fraction : 1.0 - null_fraction;
    }
    case ExprKind::kConstant:
      return !expr.constant.is_null() && expr.constant.type().id == TypeId::kBool &&
                     expr.constant.bool_value()
                 ? 1.0 : 0.0;
    case ExprKind::kInList: {
      const Expr* column = ColumnUnderCast(*expr.args[0]);
      std::optional<ColumnInfo> info = column ? resolve(column->column) : std::nullopt;
      double selectivity = 0;
      for (size_t i = 1; i < expr.args.size(); ++i) {
        selectivity += info ? EqualSelectivity(*info, *expr.args[i]) : kDefaultEqualSelectivity;
      }
      return Clamp(selectivity);
    }
    case ExprKind::kCall: {
      if (expr.args.size() != 2) return kDefaultSelectivity;
      const std::string& op = expr.name;
      if (op == "~~" || op == "~~*" || op == "~" || op == "~*") return kDefaultEqualSelectivity;
      if (op != "=" && op != "<>" && !IsInequality(op)) return kDefaultSelectivity;
      if (std::optional<ColumnComparison> comparison = AsColumnComparison(expr)) {
        std::optional<ColumnInfo> info = resolve(comparison->column);
        if (!info) {
          return op == "=" ? kDefaultEqualSelectivity
                 : op == "<>" ? 1.0 - kDefaultEqualSelectivity
                              : kDefaultInequalitySelectivity;
        }
        if (op == "=") return EqualSelectivity(*info, *comparison->value);
        if (op == "<>") {
          const double null_fraction = info->statistics ? info->statistics->null_fraction : 0;
          return Clamp(1.0 - EqualSelectivity(*info, *comparison->value) - null_fraction);
        }
        return InequalitySelectivity(*info, comparison->op, *comparison->value);
      }
      // column = column: an equi-join, 1 / max(distinct values) of the two.
      const Expr* left = ColumnUnderCast(*expr.args[0]);
      const Expr* right = ColumnUnderCast(*expr.args[1]);
      if (op == "=" && left != nullptr && right != nullptr) {
        std::optional<ColumnInfo> a = resolve(left->column);
        std::optional<ColumnInfo> b = resolve(right->column);
        if (a || b) {
          const double distinct = std::max(a ? a->Distinct() : kDefaultDistinct,
                                           b ? b->Distinct() : kDefaultDistinct);
          double selectivity = 1.0 / std::max(1.0, distinct);
          if (a && a->statistics) selectivity *= 1.0 - a->statistics->null_fraction;
          if (b && b->statistics) selectivity *= 1.0 - b->statistics->null_fraction;
          return selectivity;
        }
      }
      return op == "=" ? kDefaultEqualSelectivity
             : op == "<>" ? 1.0 - kDefaultEqualSelectivity
                          : kDefaultInequalitySelectivity;
    }
    default: return kDefaultSelectivity;
  }
}

}  // namespace

double ColumnInfo::Distinct() const {
  if (statistics != nullptr && (statistics->distinct != 0 || statistics->null_fraction >= 1)) {
    return statistics->DistinctValues(table_rows);
  }
  if (unique) return std::max(1.0, table_rows);
  return std::min(kDefaultDistinct, std::max(1.0, table_rows));
}

double EqualSelectivity(const ColumnInfo& column, const Expr& value) {
  const ColumnStatistics* stats = column.statistics;
  if (stats == nullptr) {
    if (column.unique) return 1.0 / std::max(1.0, column.table_rows);
    return kDefaultEqualSelectivity;
  }
  const double rest = Clamp(1.0 - CommonSum(*stats) - stats->null_fraction);
  const double other_distinct =
      std::max(1.0, stats->DistinctValues(column.table_rows) -
                        static_cast<double>(stats->common_values.size()));
  double other = rest / other_distinct;
  if (!stats->common_frequencies.empty()) {
    other = std::min(other, stats->common_frequencies.back());
  }
  std::optional<Probe> probe = ProbeOf(*stats, value);
  if (!probe) return Clamp((1.0 - stats->null_fraction) / stats->DistinctValues(column.table_rows));
  if (probe->null) return 0;
  for (size_t i = 0; i < stats->common_values.size(); ++i) {
    std::optional<int> order = Compare(stats->common_values[i], *probe);
    if (order && *order == 0) return stats->common_frequencies[i];
  }
  // Outside [min, max]: PostgreSQL keeps its estimate; so do we (a value may have been added).
  return Clamp(other);
}

double RangeSelectivity(const ColumnInfo& column, const Expr* lower, bool lower_inclusive,
                        const Expr* upper, bool upper_inclusive) {
  const ColumnStatistics* stats = column.statistics;
  auto below = [&](const Expr& value, bool inclusive) -> std::optional<double> {
    if (stats == nullptr) return std::nullopt;
    std::optional<Probe> probe = ProbeOf(*stats, value);
    if (!probe) return std::nullopt;
    if (probe->null) return 0.0;
    return BelowSelectivity(*stats, *probe, inclusive);
  };
  const double non_null = stats ? 1.0 - stats->null_fraction : 1.0;
  std::optional<double> low;   // rows >= lower
  std::optional<double> high;  // rows <= upper
  if (lower != nullptr) {
    std::optional<double> under = below(*lower, !lower_inclusive);
    if (under) low = Clamp(non_null - *under);
  }
  if (upper != nullptr) high = below(*upper, upper_inclusive);
  if (lower != nullptr && upper != nullptr) {
    if (!low || !high) return kDefaultRangeSelectivity;
    // PostgreSQL: hi + lo - 1 (with the NULLs added back), tiny when they do not overlap.
    double selectivity = *low + *high - non_null;
    if (selectivity <= 0) selectivity = selectivity < -0.01 ? 1e-10 : kDefaultRangeSelectivity;
    return Clamp(selectivity);
  }
  if (lower != nullptr) return low ? *low : kDefaultInequalitySelectivity;
  if (upper != nullptr) return high ? *high : kDefaultInequalitySelectivity;
  return 1.0;
}

double Selectivity(const Expr& predicate, const ColumnResolver& resolve) {
  return ClauseSelectivity(predicate, resolve);
}

// ---- Estimator ----

TableStatisticsPtr Estimator::Statistics(const catalog::TableDef& table) const {
  return FindStatistics(instance_, table.id);
}

double Estimator::TableRows(const catalog::TableDef& table) const {
  TableStatisticsPtr statistics = Statistics(table);
  return statistics ? std::max(statistics->rows, 1.0) : kDefaultTableRows;
}

ColumnInfo Estimator::TableColumn(const catalog::TableDef& table, uint32_t column) const {
  ColumnInfo info;
  TableStatisticsPtr statistics = Statistics(table);
  info.table = &table;
  info.column = column;
  info.table_rows = statistics ? std::max(statistics->rows, 1.0) : kDefaultTableRows;
  if (statistics) {
    info.statistics = statistics->Column(column, table.columns[column].name);
    info.owner = std::move(statistics);
  }
  info.unique = table.primary_key.size() == 1 && table.primary_key[0] == column;
  for (const catalog::IndexDef& index : table.indexes) {
    info.unique |= index.unique && index.columns.size() == 1 && index.columns[0] == column;
  }
  return info;
}

std::optional<ColumnInfo> Estimator::ColumnOf(const PlanNode& plan, uint32_t column) const {
  switch (plan.kind) {
    case PlanKind::kTableScan:
      if (column >= plan.table->columns.size()) return std::nullopt;
      return TableColumn(*plan.table, column);
    case PlanKind::kFilter:
    case PlanKind::kSort:
    case PlanKind::kLimit: return ColumnOf(*plan.children[0], column);
    case PlanKind::kProject: {
      if (column >= plan.expressions.size()) return std::nullopt;
      const Expr* source = ColumnUnderCast(*plan.expressions[column]);
      return source ? ColumnOf(*plan.children[0], source->column) : std::nullopt;
    }
    case PlanKind::kJoin: {
      const size_t left = plan.children[0]->types.size();
      return column < left ? ColumnOf(*plan.children[0], column)
                           : ColumnOf(*plan.children[1], static_cast<uint32_t>(column - left));
    }
    default: return std::nullopt;
  }
}

bool Estimator::AnyStatistics(const PlanNode& plan) const {
  if (plan.kind == PlanKind::kTableScan) return Statistics(*plan.table) != nullptr;
  for (const PlanPtr& child : plan.children) {
    if (AnyStatistics(*child)) return true;
  }
  return false;
}

double Estimator::ScanRows(const PlanNode& scan) const {
  const catalog::TableDef& table = *scan.table;
  const double rows = TableRows(table);
  const bool keyed = !scan.key_prefix.empty() || scan.key_lower || scan.key_upper;
  if (!keyed) return rows;
  const std::vector<uint32_t>& key =
      scan.index >= 0 ? table.indexes[scan.index].columns : table.primary_key;
  const bool unique = scan.index < 0 || table.indexes[scan.index].unique;
  if (unique && scan.key_prefix.size() == key.size()) return 1;
  double selectivity = 1;
  for (size_t i = 0; i < scan.key_prefix.size(); ++i) {
    selectivity *= EqualSelectivity(TableColumn(table, key[i]), *scan.key_prefix[i]);
  }
  if ((scan.key_lower || scan.key_upper) && scan.key_prefix.size() < key.size()) {
    selectivity *= RangeSelectivity(TableColumn(table, key[scan.key_prefix.size()]),
                                    scan.key_lower.get(), scan.lower_inclusive,
                                    scan.key_upper.get(), scan.upper_inclusive);
  }
  return std::max(1.0, std::round(rows * selectivity));
}

double Estimator::Rows(const PlanNode& plan) const {
  auto resolver = [&](const PlanNode& input) {
    return [this, &input](uint32_t column) { return ColumnOf(input, column); };
  };
  switch (plan.kind) {
    case PlanKind::kOneRow: return 1;
    case PlanKind::kValues: return static_cast<double>(plan.rows.size());
    case PlanKind::kTableScan: return ScanRows(plan);
    case PlanKind::kFilter: {
      const PlanNode& input = *plan.children[0];
      // The filter repeats the conditions a key range reads: count them once.
      const double rows = input.kind == PlanKind::kTableScan ? TableRows(*input.table) : Rows(input);
      const double selectivity = plan.predicate ? Selectivity(*plan.predicate, resolver(input)) : 1;
      return std::max(1.0, std::round(rows * selectivity));
    }
    case PlanKind::kJoin: {
      const double left = Rows(*plan.children[0]);
      const double right = Rows(*plan.children[1]);
      double rows = left * right;
      if (plan.predicate) {
        auto resolve = [&](uint32_t column) { return ColumnOf(plan, column); };
        rows *= Selectivity(*plan.predicate, resolve);
      }
      rows = std::max(1.0, std::round(rows));
      // Semi: the left rows with a partner (the inner join's rows, at most every left row once);
      // anti: the others.
      if (plan.join_type == JoinType::kSemi) return std::min(rows, std::max(1.0, left));
      if (plan.join_type == JoinType::kAnti) return std::max(1.0, left - std::min(rows, left));
      if (plan.join_type == JoinType::kLeft) rows = std::max(rows, left);
      if (plan.join_type == JoinType::kRight) rows = std::max(rows, right);
      if (plan.join_type == JoinType::kFull) rows = std::max(rows, left + right);
      return rows;
    }
    case PlanKind::kAggregate:
    case PlanKind::kDistinct: {
      const double input = Rows(*plan.children[0]);
      if (plan.kind == PlanKind::kAggregate && plan.groups.empty()) return 1;
      // estimate_num_groups: the product of the grouped columns' distinct counts, at most the
      // input; 10% of the input for expressions.
      double groups = 1;
      auto add = [&](std::optional<ColumnInfo> column) {
        groups *= column ? column->Distinct() : std::max(1.0, std::round(input * 0.1));
      };
      if (plan.kind == PlanKind::kAggregate) {
        for (const ExprPtr& group : plan.groups) {
          const Expr* column = ColumnUnderCast(*group);
          add(column ? ColumnOf(*plan.children[0], column->column) : std::nullopt);
        }
      } else {
        for (uint32_t c = 0; c < plan.children[0]->types.size(); ++c) {
          add(ColumnOf(*plan.children[0], c));
        }
      }
      return std::max(1.0, std::min(input, std::round(groups)));
    }
    case PlanKind::kLimit: {
      double rows = Rows(*plan.children[0]);
      if (plan.limit && plan.limit->kind == ExprKind::kConstant && !plan.limit->constant.is_null()) {
        rows = std::min(rows, static_cast<double>(plan.limit->constant.integer_value()));
      }
      return rows;
    }
    default:
      return plan.children.empty() ? kDefaultTableRows : Rows(*plan.children[0]);
  }
}

}  // namespace plexus::sql::stats
