// Access paths: a filter over a table scan whose conditions fix a prefix of the primary key (and
// bound the next key column) reads only that key range. Rule-based for now: any such condition
// is used; statistics and secondary indexes come with the cost-based planner.
#include "plexus/sql/bind/binder_internal.h"

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
struct Comparison {
  std::string op;
  const Expr* value = nullptr;
};

std::optional<Comparison> CompareWithColumn(const Expr& conjunct, uint32_t column,
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
    return Comparison{op, &right};
  }
  if (is_column(right) && IsRowIndependent(left) && KeyOrdersLike(column_type, left.type)) {
    const std::string flipped = op == "<" ? ">" : op == "<=" ? ">=" : op == ">" ? "<" : op == ">=" ? "<=" : op;
    return Comparison{flipped, &left};
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

}  // namespace

void ChooseAccessPath(PlanNode& filter) {
  if (filter.kind != PlanKind::kFilter || !filter.predicate) return;
  PlanNode& scan = *filter.children[0];
  if (scan.kind != PlanKind::kTableScan || scan.table->primary_key.empty() || scan.row_keys) return;
  std::vector<const Expr*> conjuncts;
  Conjuncts(*filter.predicate, &conjuncts);
  const catalog::TableDef& table = *scan.table;
  for (uint32_t column : table.primary_key) {
    const Type& type = table.columns[column].type;
    const Expr* equal = nullptr;
    const Expr* lower = nullptr;
    const Expr* upper = nullptr;
    bool lower_inclusive = true;
    bool upper_inclusive = true;
    for (const Expr* conjunct : conjuncts) {
      std::optional<Comparison> comparison = CompareWithColumn(*conjunct, column, type);
      if (!comparison) continue;
      if (comparison->op == "=") {
        equal = comparison->value;
      } else if (comparison->op[0] == '>') {
        lower = comparison->value;
        lower_inclusive = comparison->op == ">=";
      } else {
        upper = comparison->value;
        upper_inclusive = comparison->op == "<=";
      }
    }
    if (equal != nullptr) {
      scan.key_prefix.push_back(equal->Clone());
      continue;
    }
    if (lower != nullptr) scan.key_lower = lower->Clone();
    if (upper != nullptr) scan.key_upper = upper->Clone();
    scan.lower_inclusive = lower_inclusive;
    scan.upper_inclusive = upper_inclusive;
    break;
  }
}

}  // namespace plexus::sql
