// Constructors of the operators, one per plan kind (each in its own physical_*.cc).
#pragma once

#include <memory>
#include <vector>

#include "plexus/sql/exec/operator.h"

namespace plexus::sql {

using OperatorPtr = std::unique_ptr<Operator>;

OperatorPtr MakeValuesOperator(const PlanNode& plan);  // kOneRow and kValues
OperatorPtr MakeTableScanOperator(const PlanNode& plan);
OperatorPtr MakeIndexScanOperator(const PlanNode& plan);  // kTableScan with an index path
OperatorPtr MakeFilterOperator(const PlanNode& plan, OperatorPtr child);
OperatorPtr MakeProjectOperator(const PlanNode& plan, OperatorPtr child);
OperatorPtr MakeLimitOperator(const PlanNode& plan, OperatorPtr child);
OperatorPtr MakeLockRowsOperator(const PlanNode& plan, OperatorPtr child);  // exec/row_locks.cc
OperatorPtr MakeSortOperator(const PlanNode& plan, OperatorPtr child);
OperatorPtr MakeAggregateOperator(const PlanNode& plan, OperatorPtr child);
OperatorPtr MakeDistinctOperator(const PlanNode& plan, OperatorPtr child);
OperatorPtr MakeWindowOperator(const PlanNode& plan, OperatorPtr child);
OperatorPtr MakeRecursiveUnionOperator(const PlanNode& plan, OperatorPtr initial,
                                       OperatorPtr recursive);
OperatorPtr MakeWorkTableScanOperator(const PlanNode& plan);
// kProjectSet and kFunctionScan (physical_table_function.cc).
OperatorPtr MakeTableFunctionOperator(const PlanNode& plan, OperatorPtr child);
OperatorPtr MakeApplyOperator(const PlanNode& plan, OperatorPtr input, OperatorPtr subquery);
// A kJoin: a lookup join when LookupJoinApplies, else a hash join (equality conjuncts) or a
// nested loop (physical_join.cc).
OperatorPtr MakeJoinOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right);
OperatorPtr MakeHashOrLoopJoinOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right);
// Whether the kJoin node runs as a hash join (for EXPLAIN).
bool JoinUsesHash(const PlanNode& plan);
// An inner, left, semi or anti join whose right input is a table (or a filter over one) whose
// whole primary key the condition equates to left values: it may read right rows by key
// (physical_lookup_join.cc).
bool LookupJoinApplies(const PlanNode& plan);
// The most left rows a lookup join reads by key; past this it hashes the right side.
size_t LookupJoinRowsMax();
OperatorPtr MakeLookupJoinOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right);
// A kJoin of type kSemi/kAnti: each left row once, when some right row matches (semi) or none
// does (anti); hashed on the equality conjuncts when there are any (physical_semi_join.cc).
OperatorPtr MakeSemiJoinOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right);
OperatorPtr MakeUnionOperator(const PlanNode& plan, std::vector<OperatorPtr> children);
// kIntersect and kExcept.
OperatorPtr MakeSetOperationOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right);
OperatorPtr MakeInsertOperator(const PlanNode& plan, OperatorPtr child);
OperatorPtr MakeUpdateOperator(const PlanNode& plan, OperatorPtr child);
OperatorPtr MakeDeleteOperator(const PlanNode& plan, OperatorPtr child);

// Evaluates an expression that uses no columns (LIMIT 10, a DEFAULT) once.
Result<Value> EvaluateConstant(ExecContext& context, const Expr& expr);

}  // namespace plexus::sql
