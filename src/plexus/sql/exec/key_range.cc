// Key ranges of access paths, shared by table and index scans.
#include "plexus/sql/exec/key_range.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "plexus/storage/key_codec.h"

namespace plexus::sql {

KeyRangeEvaluator::KeyRangeEvaluator(const PlanNode& plan) : plan_(plan) {
  for (const ExprPtr& value : plan.key_prefix) prefix_values_.emplace_back(*value);
  if (plan.key_lower) lower_ = std::make_unique<ExpressionEvaluator>(*plan.key_lower);
  if (plan.key_upper) upper_ = std::make_unique<ExpressionEvaluator>(*plan.key_upper);
}

Result<KeyRangeEvaluator::Range> KeyRangeEvaluator::Evaluate(ExecContext& context,
                                                             std::string prefix,
                                                             const AppendPart& append) {
  Range range;
  Batch one_row;
  one_row.set_rows(1);
  auto append_value = [&](ExpressionEvaluator& value, size_t position, std::string* key) -> Status {
    PLEXUS_ASSIGN_OR_RETURN(const Vector* result, value.Evaluate(context, one_row, nullptr));
    if (result->IsNull(0)) {
      range.empty = true;
      return Status::Ok();
    }
    return append(*result, position, key);
  };
  for (size_t i = 0; i < prefix_values_.size(); ++i) {
    PLEXUS_RETURN_IF_ERROR(append_value(prefix_values_[i], i, &prefix));
  }
  const size_t next = prefix_values_.size();
  range.start = prefix;
  range.end = storage::PrefixSuccessor(prefix);
  if (lower_) {
    std::string bound = prefix;
    PLEXUS_RETURN_IF_ERROR(append_value(*lower_, next, &bound));
    range.start = plan_.lower_inclusive ? bound : storage::PrefixSuccessor(bound);
  }
  if (upper_) {
    std::string bound = prefix;
    PLEXUS_RETURN_IF_ERROR(append_value(*upper_, next, &bound));
    range.end = plan_.upper_inclusive ? storage::PrefixSuccessor(bound) : bound;
  }
  if (range.empty || range.start >= range.end) range.end = range.start;
  range.prefix = std::move(prefix);
  return range;
}

namespace {

void FilterConjuncts(const Expr& expr, std::vector<const Expr*>* out) {
  if (expr.kind == ExprKind::kAnd) {
    for (const ExprPtr& arg : expr.args) FilterConjuncts(*arg, out);
    return;
  }
  out->push_back(&expr);
}

// A parameter, or casts of one: the same value wherever it appears in a plan.
bool SameParameter(const Expr& a, const Expr& b) {
  if (a.kind != b.kind || !(a.type == b.type)) return false;
  if (a.kind == ExprKind::kParameter) return a.parameter == b.parameter;
  return a.kind == ExprKind::kCast && a.args.size() == 1 && b.args.size() == 1 &&
         SameParameter(*a.args[0], *b.args[0]);
}

// Whether the scan's key range enforces `conjunct`: `column op value` with the column at the
// primary key position and the value the binder took for it.
bool EnforcedByKeyRange(const Expr& conjunct, const PlanNode& scan) {
  if (conjunct.kind != ExprKind::kCall || conjunct.args.size() != 2) return false;
  std::string op = conjunct.name;
  if (op != "=" && op != "<" && op != "<=" && op != ">" && op != ">=") return false;
  const Expr* column = conjunct.args[0].get();
  const Expr* value = conjunct.args[1].get();
  if (column->kind != ExprKind::kColumn) {
    std::swap(column, value);
    if (op[0] == '<') op[0] = '>';
    else if (op[0] == '>') op[0] = '<';
  }
  if (column->kind != ExprKind::kColumn) return false;
  const std::vector<uint32_t>& key = scan.table->primary_key;
  const size_t fixed = scan.key_prefix.size();
  if (op == "=") {
    for (size_t i = 0; i < fixed && i < key.size(); ++i) {
      if (key[i] == column->column && SameParameter(*value, *scan.key_prefix[i])) return true;
    }
    return false;
  }
  if (fixed >= key.size() || key[fixed] != column->column) return false;
  if (op[0] == '>') {
    return scan.key_lower && scan.lower_inclusive == (op == ">=") &&
           SameParameter(*value, *scan.key_lower);
  }
  return scan.key_upper && scan.upper_inclusive == (op == "<=") &&
         SameParameter(*value, *scan.key_upper);
}

}  // namespace

std::optional<ExprPtr> ResidualFilter(const PlanNode& filter) {
  if (filter.kind != PlanKind::kFilter || !filter.predicate || filter.children.empty()) {
    return std::nullopt;
  }
  const PlanNode& scan = *filter.children[0];
  // The scan's output is the table row (column positions are the table's), read by primary key
  // as of the statement's snapshot (a locking scan re-reads rows: left as it is).
  if (scan.kind != PlanKind::kTableScan || !scan.table || scan.index >= 0 || scan.lock_rows ||
      scan.row_keys || scan.table->primary_key.empty() ||
      (scan.key_prefix.empty() && !scan.key_lower && !scan.key_upper)) {
    return std::nullopt;
  }
  std::vector<const Expr*> conjuncts;
  FilterConjuncts(*filter.predicate, &conjuncts);
  std::vector<const Expr*> rest;
  for (const Expr* conjunct : conjuncts) {
    if (!EnforcedByKeyRange(*conjunct, scan)) rest.push_back(conjunct);
  }
  if (rest.size() == conjuncts.size()) return std::nullopt;
  if (rest.empty()) return ExprPtr();
  if (rest.size() == 1) return rest[0]->Clone();
  std::vector<ExprPtr> args;
  for (const Expr* conjunct : rest) args.push_back(conjunct->Clone());
  return Expr::Make(ExprKind::kAnd, filter.predicate->type, std::move(args));
}

}  // namespace plexus::sql
