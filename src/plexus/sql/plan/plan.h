// Plans: trees of PlanNode, produced by the binder and planner, immutable during execution (each
// execution builds its own Operator states from them). Every node lists the types and names of
// the columns it outputs; expressions above a node refer to those columns by position.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "plexus/catalog/table.h"
#include "plexus/sql/plan/expression.h"

namespace plexus::sql {

struct AggregateFunction;

enum class PlanKind : uint8_t {
  kOneRow,     // one row of no columns: SELECT without FROM
  kValues,     // literal rows
  kTableScan,  // every row of a table, all its columns in table order
  kFilter,     // rows of children[0] where predicate is true
  kProject,    // expressions over children[0]
  kAggregate,  // groups, then aggregates, over children[0]
  kSort,
  kLimit,
  kDistinct,   // distinct rows of children[0]
  kJoin,       // nested loop join of children[0] and children[1] on predicate
  kUnion,      // UNION ALL of the children (DISTINCT on top for UNION)
  kIntersect,  // rows of children[0] also in children[1] (set_all: as often as in both)
  kExcept,     // rows of children[0] not in children[1] (set_all: count difference)
  kInsert,     // rows of children[0] into table; outputs RETURNING rows or none
  kUpdate,
  kDelete,
};

enum class JoinType : uint8_t { kInner, kLeft, kRight, kFull, kCross };

struct SortKey {
  ExprPtr expr;
  bool descending = false;
  bool nulls_first = false;  // PostgreSQL: NULLS LAST for ASC, NULLS FIRST for DESC by default
};

struct AggregateCall {
  const AggregateFunction* function = nullptr;
  std::vector<ExprPtr> args;  // empty for count(*)
  bool distinct = false;
  ExprPtr filter;  // FILTER (WHERE ...), over the aggregate's input
  Type type;
  std::string name;
};

class PlanNode {
 public:
  PlanKind kind = PlanKind::kOneRow;
  std::vector<Type> types;          // output columns
  std::vector<std::string> names;
  std::vector<std::unique_ptr<PlanNode>> children;

  catalog::TableDefPtr table;                 // kTableScan, kInsert, kUpdate, kDelete
  // kTableScan: also output each row's storage key as a last bytea column (for UPDATE/DELETE).
  bool row_keys = false;
  std::vector<std::vector<ExprPtr>> rows;     // kValues
  ExprPtr predicate;                          // kFilter, kJoin (null: cross join)
  std::vector<ExprPtr> expressions;           // kProject; kUpdate: new values per column
  std::vector<ExprPtr> groups;                // kAggregate
  std::vector<AggregateCall> aggregates;      // kAggregate
  std::vector<SortKey> sort_keys;             // kSort
  ExprPtr limit;                              // kLimit (null: no limit)
  ExprPtr offset;                             // kLimit (null: 0)
  JoinType join_type = JoinType::kInner;      // kJoin
  bool set_all = false;                       // kIntersect/kExcept: ALL (keep duplicates)
  // kInsert: for each table column, the child column that fills it, or -1 for its default.
  // kUpdate: for each table column, 1 when `expressions` sets it.
  std::vector<int32_t> column_map;
  std::vector<ExprPtr> defaults;              // kInsert: default expression per table column
  std::vector<ExprPtr> returning;             // kInsert/kUpdate/kDelete RETURNING
  std::vector<ExprPtr> checks;                // kInsert/kUpdate: CHECK constraints over the row

  static std::unique_ptr<PlanNode> Make(PlanKind kind) {
    auto node = std::make_unique<PlanNode>();
    node->kind = kind;
    return node;
  }
};

using PlanPtr = std::unique_ptr<PlanNode>;

}  // namespace plexus::sql
