// CHECK and FOREIGN KEY constraints, enforced by the operators that write table rows.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/catalog/table.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/row_buffer.h"
#include "plexus/sql/plan/plan.h"

namespace plexus::sql {

// A modifying plan's CHECK constraints (PlanNode::checks).
class CheckConstraints {
 public:
  explicit CheckConstraints(const PlanNode& plan);
  // 23514 when a check is false (NULL passes) for one of the first `rows` rows of `values`
  // (table column order).
  Status Check(ExecContext& context, const Batch& values, size_t rows);

 private:
  const PlanNode& plan_;
  std::vector<ExpressionEvaluator> evaluators_;
};

// The foreign keys of one table: those it holds (its rows must find the rows they reference)
// and those of other tables that reference it (removing or changing a referenced row applies the
// key's action: NO ACTION/RESTRICT fail, CASCADE follows, SET NULL clears).
class ForeignKeys {
 public:
  explicit ForeignKeys(catalog::TableDefPtr table) : table_(std::move(table)) {}

  // Looks up the tables this one references (before CheckReferences), and the tables that
  // reference it (before OnRemoved), once per statement.
  Status PrepareReferences(ExecContext& context);
  Status PrepareReferencing(ExecContext& context);
  bool references() const { return !table_->foreign_keys.empty(); }
  bool referenced() const { return !referencing_.empty(); }

  // Row `row` of `values` (table column order) finds every row it references (23503 if not).
  Status CheckReferences(ExecContext& context, const Batch& values, size_t row);
  // Rows of this table were deleted (`new_rows` null) or updated (`new_rows` row i replaces
  // `old_rows` row i): applies the referencing keys' actions.
  Status OnRemoved(ExecContext& context, const RowBuffer& old_rows, const RowBuffer* new_rows);

 private:
  struct Referencing {
    catalog::TableDefPtr table;
    size_t key;  // in table->foreign_keys
  };

  catalog::TableDefPtr table_;
  std::vector<catalog::TableDefPtr> referenced_tables_;  // per table_->foreign_keys
  std::vector<Referencing> referencing_;
};

}  // namespace plexus::sql
