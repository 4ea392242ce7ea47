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
  kWindow,     // children[0]'s columns, then one column per window function in `windows`
  // WITH RECURSIVE: children[0], then children[1] repeatedly over the rows the previous round
  // added (read by its kWorkTableScan of `work_table`) until a round adds none. set_all: UNION ALL.
  kRecursiveUnion,
  kWorkTableScan,
  // Set-returning functions (`functions`), run in lockstep per row of children[0] until the
  // longest ends (the shorter padded with NULLs): children[0]'s columns, then one column per
  // call. kProjectSet: in a select list. kFunctionScan: a FROM item over kOneRow, or over the
  // FROM items its arguments read (LATERAL); `ordinality` adds a bigint row number.
  kProjectSet,
  kFunctionScan,
  // A LATERAL subquery in FROM: children[1] runs once per row of children[0], reading that row
  // as its enclosing query's (kOuterColumn depth 1: column `column_map[c]` of children[0] for
  // the subquery's column c of scope). Outputs children[0]'s columns, then children[1]'s, where
  // `predicate` (if any) holds; join_type kLeft keeps a row with no match, padded with NULLs.
  kApply,
  // Row locks (exec/row_locks.cc): per row of children[0], locks the rows of `lock_targets` it
  // came from. SELECT ... FOR UPDATE/SHARE: passes it on only when each is still as read,
  // locking every row before passing any (under a kLimit, as many as the limit takes). With
  // `table` (UPDATE/DELETE, whose input starts with the table's columns): streams, passing each
  // row on as it is now when `predicate` (the WHERE, if any) still holds for it; `set_all`:
  // the input may hold a row more than once (UPDATE ... FROM), and only the first passes.
  kLockRows,
};

// kSemi/kAnti (from EXISTS / IN / NOT EXISTS in WHERE): each left row once when some right row
// satisfies the predicate (kSemi) or none does (kAnti); the node outputs the left columns only.
enum class JoinType : uint8_t { kInner, kLeft, kRight, kFull, kCross, kSemi, kAnti };

// INSERT ... ON CONFLICT.
enum class ConflictAction : uint8_t { kNone, kNothing, kUpdate };
// PlanNode::conflict_key: the primary key, or (>= 0) an index of the table, or any unique key.
inline constexpr int32_t kConflictPrimaryKey = -1;
inline constexpr int32_t kConflictAnyKey = -2;

// How a locking read waits for a row lock another transaction holds: up to lock_timeout,
// not at all (NOWAIT: 55P03), or skipping that row (SKIP LOCKED).
enum class LockWait : uint8_t { kBlock, kNoWait, kSkipLocked };

// FOR UPDATE / NO KEY UPDATE take the exclusive row lock, FOR SHARE / KEY SHARE a shared one.
struct RowLocking {
  bool exclusive = true;
  LockWait wait = LockWait::kBlock;
};

// kLockRows: one table of the FROM clause whose rows it locks; its scan outputs each row's
// storage key and stored bytes as the columns `key_column` and `row_column` of the input.
struct RowLockTarget {
  uint32_t key_column = 0;
  uint32_t row_column = 0;
  RowLocking locking;
  std::string relation;  // the table's name, for errors
};

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
  std::vector<SortKey> order;  // ORDER BY inside the call, over the aggregate's input
  Type type;
  std::string name;
};

enum class TableFunction : uint8_t {
  kGenerateSeries,
  kGenerateSubscripts,
  kUnnest,
  kJsonbArrayElements,
  kJsonbArrayElementsText,
  kJsonbObjectKeys,
  // jsonb_each[_text] in FROM is two calls in lockstep over the same object: kJsonbObjectKeys
  // (its key column) and one of these (its value column, as jsonb or as ->> prints it).
  kJsonbEachValue,
  kJsonbEachValueText,
  kRegexpMatches,  // (text, pattern [, flags]): a text[] per match
  kScalar,  // any other function in FROM: one row, args[0] (the bound call) is its value
};

// One set-returning call of a kProjectSet / kFunctionScan node.
struct TableFunctionCall {
  TableFunction function = TableFunction::kUnnest;
  std::vector<ExprPtr> args;  // over the node's input
  Type type;                  // of the values it returns
  std::string name;
};

enum class WindowFunction : uint8_t {
  kRowNumber,
  kRank,
  kDenseRank,
  kPercentRank,
  kCumeDist,
  kNtile,
  kLag,
  kLead,
  kFirstValue,
  kLastValue,
  kNthValue,
  kAggregate,  // an aggregate over the frame
};

enum class FrameMode : uint8_t { kRows, kRange, kGroups };
enum class FrameBound : uint8_t {
  kUnboundedPreceding,
  kOffsetPreceding,
  kCurrentRow,
  kOffsetFollowing,
  kUnboundedFollowing,
};
enum class FrameExclusion : uint8_t { kNone, kCurrentRow, kGroup, kTies };

// The default frame: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW.
struct WindowFrame {
  FrameMode mode = FrameMode::kRange;
  FrameBound start = FrameBound::kUnboundedPreceding;
  FrameBound end = FrameBound::kCurrentRow;
  FrameExclusion exclude = FrameExclusion::kNone;
};

struct WindowOrderKey {
  uint32_t column = 0;  // of the window node's input
  bool descending = false;
  bool nulls_first = false;
};

// One window function call of a kWindow node; every operand is a column of the node's input.
struct WindowCall {
  WindowFunction function = WindowFunction::kRowNumber;
  AggregateCall aggregate;              // kAggregate: function and type (args/filter unused)
  std::vector<uint32_t> args;
  int32_t filter = -1;                  // FILTER (WHERE ...) column, or -1
  std::vector<uint32_t> partition;
  std::vector<WindowOrderKey> order;
  WindowFrame frame;
  // Offset bounds. ROWS/GROUPS: a bigint column with the offset. RANGE: a column with the bound
  // value (order key -/+ offset), compared with `range_key` (the order key in its type).
  int32_t start_offset = -1;
  int32_t end_offset = -1;
  int32_t range_key = -1;
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
  // kTableScan with row_keys: and after it the row's stored bytes (for kLockRows).
  bool row_values = false;
  // kTableScan: lock each row it reads until the transaction ends and read it as it is now,
  // not as of the statement's snapshot (UPDATE/DELETE; SELECT ... FOR UPDATE/SHARE over a view
  // or subquery), as `locking` says.
  bool lock_rows = false;
  RowLocking locking;                         // kTableScan with lock_rows
  std::vector<RowLockTarget> lock_targets;    // kLockRows
  // kTableScan access path: only rows whose primary key starts with the values of `key_prefix`
  // and whose next key column lies within `key_lower`/`key_upper` (either may be null). The
  // conditions they come from still filter the rows above the scan.
  std::vector<ExprPtr> key_prefix;
  // kTableScan: when >= 0, the key range is of this secondary index (position in
  // table->indexes) and rows are fetched by the row keys its entries hold.
  int32_t index = -1;
  ExprPtr key_lower;
  ExprPtr key_upper;
  bool lower_inclusive = true;
  bool upper_inclusive = true;
  std::vector<std::vector<ExprPtr>> rows;     // kValues
  ExprPtr predicate;                          // kFilter, kJoin (null: cross join)
  std::vector<ExprPtr> expressions;           // kProject; kUpdate (and upsert): new values per column
  std::vector<ExprPtr> groups;                // kAggregate
  std::vector<AggregateCall> aggregates;      // kAggregate
  // kAggregate with GROUPING SETS / ROLLUP / CUBE: each set a mask of `groups` (bit i:
  // groups[i]); a row of one set has NULL for the groups outside it. Empty: one set of all.
  std::vector<uint64_t> grouping_sets;
  // kAggregate: GROUPING(...) calls, output after the aggregates as integers: the positions in
  // `groups` of each call's arguments; bit n-1-k of the value is set when argument k is not
  // in the row's set.
  std::vector<std::vector<uint32_t>> grouping_calls;
  std::vector<SortKey> sort_keys;             // kSort
  ExprPtr limit;                              // kLimit (null: no limit)
  ExprPtr offset;                             // kLimit (null: 0)
  // kJoin; kFunctionScan: kLeft keeps an input row its functions return no rows for, padded.
  JoinType join_type = JoinType::kInner;
  bool set_all = false;                       // kIntersect/kExcept: ALL (keep duplicates)
  // kDistinct: the key columns of DISTINCT ON (empty: every column).
  // kInsert: for each table column, the child column that fills it, or -1 for its default.
  // kApply: for each column the subquery's scope had, its position in children[0].
  // kUpdate: for each table column, 1 when `expressions` sets it.
  std::vector<int32_t> column_map;
  std::vector<ExprPtr> defaults;              // kInsert: default expression per table column
  // kInsert/kUpdate/kDelete RETURNING, over the table's columns (the new row; DELETE: the old);
  // the node then outputs their values, and nothing otherwise.
  std::vector<ExprPtr> returning;
  // kInsert ON CONFLICT: the action, the key it covers (kConflict* or an index position), and
  // for DO UPDATE the new value of each column (`expressions`, null: unchanged) and the WHERE
  // (`predicate`), both over the existing row's columns followed by the proposed (EXCLUDED) row's.
  ConflictAction conflict_action = ConflictAction::kNone;
  int32_t conflict_key = kConflictAnyKey;
  // kUpdate/kDelete: the input column with each row's storage key. The input's first columns are
  // the table's; UPDATE ... FROM and DELETE ... USING add others after the key.
  int32_t row_key_column = -1;
  std::vector<ExprPtr> checks;                // kInsert/kUpdate: CHECK constraints over the row
  std::vector<WindowCall> windows;            // kWindow
  int32_t work_table = -1;                    // kRecursiveUnion, kWorkTableScan
  std::vector<TableFunctionCall> functions;   // kProjectSet, kFunctionScan
  bool ordinality = false;                    // kFunctionScan WITH ORDINALITY
  std::string alias;                          // kTableScan, kFunctionScan: FROM alias (EXPLAIN)

  static std::unique_ptr<PlanNode> Make(PlanKind kind) {
    auto node = std::make_unique<PlanNode>();
    node->kind = kind;
    return node;
  }
};

using PlanPtr = std::unique_ptr<PlanNode>;

}  // namespace plexus::sql
