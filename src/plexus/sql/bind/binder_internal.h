// The binder's internals, shared by its .cc files (statements, queries, expressions, types).
#pragma once

#include <pg_query/pg_query.pb-c.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/sql/bind/binder.h"
#include "plexus/sql/func/function.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/system/session_info.h"

namespace plexus::sql {

// The columns visible at one query level, in the order of the batch they are evaluated over.
struct Binder::Scope {
  struct Column {
    std::string table;  // alias or table name; empty for unnamed derived columns
    std::string name;
    Type type;
    bool hidden = false;  // e.g. the right-hand copy of a USING column
    // The storage key column of a table a locking SELECT locks (followed by its row column):
    // the index of its target in Impl::RowLockState.
    int32_t lock_target = -1;
  };
  std::vector<Column> columns;
  Scope* outer = nullptr;
  bool referenced_outer = false;  // a column of an outer scope was used at this level
};

// A window function call of a SELECT, its operands bound over the FROM scope.
struct WindowBinding {
  WindowCall call;  // function, aggregate, frame, type, name (column operands not yet set)
  std::vector<ExprPtr> args;
  ExprPtr filter;
  std::vector<ExprPtr> partition;
  std::vector<SortKey> order;
  ExprPtr start_offset;  // frame offsets, when the frame has them
  ExprPtr end_offset;
};

// Aggregation (and window) state of one SELECT while its expressions are bound.
struct AggregateBinding {
  std::vector<ExprPtr> groups;            // bound over the FROM scope
  std::vector<uint64_t> grouping_sets;    // GROUPING SETS / ROLLUP / CUBE (PlanNode's)
  std::vector<AggregateCall> aggregates;  // arguments bound over the FROM scope
  // GROUPING(...) calls (PlanNode::grouping_calls), referred to as columns kGroupingRefBase + i.
  std::vector<std::vector<uint32_t>> grouping_calls;
  bool active = false;                    // the query aggregates (GROUP BY or an aggregate)
  bool inside_aggregate = false;          // binding an aggregate's arguments
  // Window functions: allowed in the select list and ORDER BY only.
  const PgQuery__SelectStmt* select = nullptr;  // for named windows (WINDOW w AS ...)
  bool windows_allowed = false;
  bool inside_window = false;
  std::vector<WindowBinding> windows;
  // Set-returning functions of the select list (arguments bound over the FROM scope); their
  // results are referred to as columns kSetFunctionRefBase + i until BuildProjectSet.
  bool set_functions_allowed = false;
  bool inside_set_function = false;
  std::vector<TableFunctionCall> set_functions;
};

// Sets a flag of an AggregateBinding (inside_aggregate, inside_window) for its lifetime.
class FlagScope {
 public:
  explicit FlagScope(bool& flag) : flag_(flag) { flag_ = true; }
  ~FlagScope() { flag_ = false; }
  FlagScope(const FlagScope&) = delete;
  FlagScope& operator=(const FlagScope&) = delete;

 private:
  bool& flag_;
};

// Column positions >= kAggregateRefBase stand for aggregate results while a select list is bound
// (see Binder::Impl::LiftOverAggregate); those in [kWindowRefBase, kAggregateRefBase) for window
// function results (see BuildWindowPlan).
inline constexpr uint32_t kAggregateRefBase = 1u << 30;
// Positions >= kGroupingRefBase: GROUPING(...) results.
inline constexpr uint32_t kGroupingRefBase = kAggregateRefBase + (1u << 28);
// Positions in [kSetFunctionRefBase, kWindowRefBase): set-returning function results.
inline constexpr uint32_t kSetFunctionRefBase = 1u << 28;
inline constexpr uint32_t kWindowRefBase = 1u << 29;

// Most parameters ($n) a statement may use, as in PostgreSQL's protocol (a 16-bit count).
inline constexpr int32_t kParametersMax = 65535;

// A FROM item: its plan and the columns it adds to the scope, in output order.
struct FromItem {
  PlanPtr plan;
  std::vector<Binder::Scope::Column> columns;
  // It reads a column of a query around the one whose FROM it is in (a subquery's or a join
  // condition's outer reference): that query is correlated.
  bool reads_outer = false;
};

class Binder::Impl {
 public:
  Impl(Binder* binder, txn::Transaction* transaction, catalog::Catalog* catalog)
      : binder_(binder), transaction_(transaction), catalog_(catalog) {}

  Result<BoundStatement> Bind(const PgQuery__Node& statement);
  // `correlated` (when not null) is set when the query refers to a column of `outer`.
  Result<PlanPtr> BindQuery(const PgQuery__Node& statement, Scope* outer, bool* correlated);

  // Expressions (bind_expression.cc).
  Result<ExprPtr> BindExpression(const PgQuery__Node& node, Scope& scope,
                                 AggregateBinding* aggregates);
  // Casts `expr` to `type` (constant-folding literals); errors when no cast exists.
  Result<ExprPtr> Coerce(ExprPtr expr, const Type& type, bool explicit_cast);
  // The conversion of a value stored into a column (INSERT, UPDATE, a DEFAULT): an explicit cast,
  // except that a string too long for varchar(n) / char(n) is an error (22001), not cut.
  Result<ExprPtr> CoerceForAssignment(ExprPtr expr, const Type& type);
  // Calls the overload of `name` that fits `args` best, adding implicit casts.
  Result<ExprPtr> BindCall(std::string_view name, std::vector<ExprPtr> args, bool is_operator,
                           int location);
  // Structural equality, for GROUP BY matching.
  static bool SameExpression(const Expr& a, const Expr& b);

  // Types (bind_types.cc).
  Result<Type> BindTypeName(const PgQuery__TypeName& type_name);
  // The common type of a set of expressions (CASE, COALESCE, UNION, VALUES columns).
  Result<Type> CommonType(const std::vector<const Expr*>& exprs, std::string_view context);

  // Queries (bind_select.cc).
  Result<PlanPtr> BindSelect(const PgQuery__SelectStmt& select, Scope* outer, bool* correlated);
  // Replaces group expressions and aggregate placeholders by columns of the aggregate's output.
  Result<ExprPtr> LiftOverAggregate(ExprPtr expr, const AggregateBinding& aggregates);

  // Statements (bind_statement.cc, bind_dml.cc).
  Result<BoundStatement> BindCreateTable(const PgQuery__CreateStmt& create);
  // CREATE TABLE ... AS and SELECT ... INTO: the table of the query's columns.
  Result<BoundStatement> BindCreateTableAs(const PgQuery__IntoClause& into,
                                           const PgQuery__Node& query, bool if_not_exists);
  Result<BoundStatement> BindDrop(const PgQuery__DropStmt& drop);
  Result<BoundStatement> BindCreateIndex(const PgQuery__IndexStmt& index);
  Result<BoundStatement> BindCreateView(const PgQuery__ViewStmt& view);
  Result<BoundStatement> BindInsert(const PgQuery__InsertStmt& insert);
  Result<BoundStatement> BindUpdate(const PgQuery__UpdateStmt& update);
  Result<BoundStatement> BindDelete(const PgQuery__DeleteStmt& del);
  Result<BoundStatement> BindTransaction(const PgQuery__TransactionStmt& statement);
  // Sequences (bind_sequence.cc): CREATE SEQUENCE, options (also of identity columns), and the
  // sequence a serial or identity column owns (which becomes its default).
  Result<BoundStatement> BindCreateSequence(const PgQuery__CreateSeqStmt& create);
  Status ApplySequenceOptions(PgQuery__Node* const* options, size_t count,
                              catalog::SequenceDef* sequence);
  Status AddOwnedSequence(const catalog::TableDef& table, catalog::ColumnDef* column,
                          PgQuery__Node* const* options, size_t count,
                          std::vector<catalog::SequenceDef>* sequences);
  // ALTER TABLE and RENAME (bind_alter.cc).
  Result<BoundStatement> BindAlterTable(const PgQuery__AlterTableStmt& alter);
  Result<BoundStatement> BindRename(const PgQuery__RenameStmt& rename);
  // SET/RESET and PREPARE (bind_session.cc).
  Result<BoundStatement> BindVariableSet(const PgQuery__VariableSetStmt& set);
  Result<BoundStatement> BindPrepare(const PgQuery__PrepareStmt& prepare);

  // The table called by `range`, or 42P01.
  Result<catalog::TableDefPtr> FindTable(const PgQuery__RangeVar& range);
  // The bound default of a table column (NULL constant when it has none).
  Result<ExprPtr> BindColumnDefault(const catalog::ColumnDef& column);

  txn::Transaction& transaction() { return *transaction_; }
  catalog::Catalog& catalog() { return *catalog_; }
  Binder* binder() { return binder_; }

  // Parameters $1, $2, ...: kUnknown until given or inferred (see Binder::set_parameter_types).
  std::vector<Type>& parameter_types() { return parameter_types_; }
  // Which parameters the statement refers to (an index past the end: not referred to).
  std::vector<bool>& parameters_used() { return parameters_used_; }

  // SELECT ... FOR UPDATE/SHARE while its FROM clause is bound: the tables whose rows it locks
  // (BindRangeVar gives each scan the key and row columns kLockRows reads).
  struct RowLockState {
    const PgQuery__SelectStmt* select = nullptr;
    std::vector<RowLockTarget> targets;  // columns filled in by BindSelect
  };
  RowLockState* row_locks() { return row_locks_; }

  // Common table expressions (bind_cte.cc). A WITH clause's CTEs are visible from PushWith until
  // the stack is cut back to the size PushWith returned.
  struct CommonTableExpr {
    const PgQuery__CommonTableExpr* definition = nullptr;
    bool recursive = false;  // WITH RECURSIVE
    // While its recursive term is bound: the work table its self-references read.
    int32_t work_table = -1;
    std::vector<Type> types;  // of the work table
    std::vector<std::string> names;
    bool referenced = false;  // the recursive term read the work table
  };
  Result<size_t> PushWith(const PgQuery__WithClause& with);
  void PopWith(size_t size) { ctes_.resize(size); }
  // The innermost CTE called `name`, or -1.
  int FindCte(std::string_view name) const;
  // A FROM reference to CTE `index`: its query bound anew (or the work table, inside its own
  // recursive term).
  Result<FromItem> BindCteReference(size_t index, std::string_view alias,
                                    const PgQuery__Alias* alias_columns);

 private:
  Result<PlanPtr> BindRecursiveCte(size_t index, const PgQuery__SelectStmt& select);

  std::vector<CommonTableExpr> ctes_;
  int32_t work_tables_ = 0;
  std::vector<Type> parameter_types_;
  std::vector<bool> parameters_used_;
  bool assignment_ = false;  // inside CoerceForAssignment
  RowLockState* row_locks_ = nullptr;
  Binder* binder_;
  txn::Transaction* transaction_;
  catalog::Catalog* catalog_;
};

Result<FromItem> BindFromItem(Binder::Impl& impl, const PgQuery__Node& node, Binder::Scope* outer);
// GROUP BY (bind_group.cc): the group expressions of `select` and, for ROLLUP / CUBE /
// GROUPING SETS, its grouping sets, into `aggregates`.
Status BindGroups(Binder::Impl& impl, const PgQuery__SelectStmt& select, Binder::Scope& scope,
                  AggregateBinding* aggregates);
// GROUPING(a, b, ...) of a grouped query (bind_group.cc): a bit per argument (the first the
// highest), set when that GROUP BY expression is not in the row's grouping set.
Result<ExprPtr> BindGroupingCall(Binder::Impl& impl, const PgQuery__GroupingFunc& call,
                                 Binder::Scope& scope, AggregateBinding* aggregates);
// How a SELECT's locking clauses lock the rows of FROM item `relation` (empty: of any), as
// PostgreSQL combines them: the strongest strength of the clauses naming it or naming no table,
// NOWAIT if any of them says so, else SKIP LOCKED if any does. Nothing when none applies.
std::optional<RowLocking> LockingOf(const PgQuery__SelectStmt& select, std::string_view relation);
// 42712 when a table name or alias of `right` is also one of `left`'s: one FROM level names each
// table once (PostgreSQL's checkNameSpaceConflicts).
Status CheckTableNamesDistinct(const std::vector<Binder::Scope::Column>& left,
                               const std::vector<Binder::Scope::Column>& right);
// FROM and WHERE of `select`: the joined, filtered input; fills scope.columns.
Result<PlanPtr> BindFromWhere(Binder::Impl& impl, const PgQuery__SelectStmt& select,
                              Binder::Scope& scope);

// Subquery pull-up (bind_subquery.cc), PostgreSQL's pull_up_sublinks: the WHERE conjuncts in
// `conjuncts` (over `plan`'s columns) that are EXISTS (correlated by equalities), NOT EXISTS or
// `x IN (uncorrelated subquery)` become semi/anti joins over `plan`; the rest stay there.
PlanPtr PullUpSublinks(PlanPtr plan, std::vector<ExprPtr>* conjuncts);
// Splits the conjuncts of `predicate` into those PullUpSublinks may take (a subquery, or NOT of
// one, at their top) and the others.
void SplitSublinkConjuncts(ExprPtr predicate, std::vector<ExprPtr>* others,
                           std::vector<ExprPtr>* sublinks);

// Narrows the table scan under `filter` to the primary key range its conditions allow
// (bind_access.cc).
void ChooseAccessPath(PlanNode& filter);

// A select list (or RETURNING list) with '*' and 't.*' expanded: expressions and output names.
Status BindTargetList(Binder::Impl& impl, PgQuery__Node* const* list, size_t count,
                      Binder::Scope& scope, AggregateBinding* aggregates,
                      std::vector<ExprPtr>* exprs, std::vector<std::string>* names);

// Window functions (bind_window.cc). BindWindowCall binds `call` (which has OVER) into
// aggregates->windows and returns a reference to its result.
Result<ExprPtr> BindWindowCall(Binder::Impl& impl, const PgQuery__FuncCall& call,
                               Binder::Scope& scope, AggregateBinding* aggregates);
// Puts a kWindow node over `plan` (the FROM/aggregate output) for aggregates.windows, and points
// the window references in `exprs` at its output columns.
Result<PlanPtr> BuildWindowPlan(Binder::Impl& impl, PlanPtr plan, AggregateBinding& aggregates,
                                const std::vector<ExprPtr*>& exprs);

// Set-returning functions (bind_table_function.cc).
bool IsSetReturningFunction(std::string_view name);
// A call in a select list: bound into aggregates->set_functions; returns a reference to its result.
Result<ExprPtr> BindSetFunctionCall(Binder::Impl& impl, const PgQuery__FuncCall& call,
                                    Binder::Scope& scope, AggregateBinding* aggregates);
// Puts a kProjectSet node for aggregates.set_functions over `plan` and points the references in
// `exprs` at its output columns.
PlanPtr BuildProjectSet(PlanPtr plan, AggregateBinding& aggregates,
                        const std::vector<ExprPtr*>& exprs);
// A FROM function item; its arguments may read the columns of `scope` (the earlier FROM items).
Result<FromItem> BindRangeFunction(Binder::Impl& impl, const PgQuery__RangeFunction& range,
                                   Binder::Scope& scope);
// A kFunctionScan whose arguments read earlier FROM items (LATERAL): it must run over them.
bool IsLateralFunctionScan(const PlanNode& plan);
// A subquery in FROM. LATERAL and with earlier FROM items (`lateral`: their scope), it may read
// them: then it is a kApply over a kOneRow placeholder, to run once per row of those items.
Result<FromItem> BindRangeSubselect(Binder::Impl& impl, const PgQuery__RangeSubselect& subselect,
                                    Binder::Scope* outer, Binder::Scope* lateral);
// A FROM item that reads earlier ones: a LATERAL function scan or subquery (kApply).
bool IsLateral(const PlanNode& plan);
// `item` (IsLateral; function arguments or kApply's column_map already pointing at `input`'s
// columns) over `input`.
PlanPtr ApplyLateral(PlanPtr input, PlanPtr item);

// Arrays and polymorphic operators (bind_array.cc).
Result<ExprPtr> BindArrayExpr(Binder::Impl& impl, const PgQuery__AArrayExpr& array,
                              Binder::Scope& scope, AggregateBinding* aggregates);
Result<ExprPtr> BindIndirection(Binder::Impl& impl, const PgQuery__AIndirection& indirection,
                                Binder::Scope& scope, AggregateBinding* aggregates);
// x op ANY (array) / x op ALL (array).
Result<ExprPtr> BindArrayAnyAll(Binder::Impl& impl, const PgQuery__AExpr& a, Binder::Scope& scope,
                                AggregateBinding* aggregates);
// array_append, array_prepend, array_cat, array_position, array_remove: element types unified.
bool IsPolymorphicArrayFunction(std::string_view name);
Result<ExprPtr> BindPolymorphicArrayCall(Binder::Impl& impl, const PgQuery__FuncCall& call,
                                         Binder::Scope& scope, AggregateBinding* aggregates);
// A binary operator on bound operands: arrays (||, comparisons) and jsonb with an untyped right
// operand get PostgreSQL's resolution; everything else goes to BindCall.
Result<ExprPtr> BindOperator(Binder::Impl& impl, std::string_view op, ExprPtr left, ExprPtr right,
                             int location);

// Operators over bound operands (bind_expression.cc): `left op right` through BindCall; the AND
// or OR of `args` (the one itself when alone); NULLIF / IS [NOT] DISTINCT FROM (`kind`) over the
// operand types `=` chooses.
Result<ExprPtr> Comparison(Binder::Impl& impl, std::string_view op, ExprPtr left, ExprPtr right,
                           int location);
ExprPtr Combine(ExprKind kind, std::vector<ExprPtr> args);
Result<ExprPtr> EqualityTest(Binder::Impl& impl, ExprKind kind, ExprPtr left, ExprPtr right,
                             int location);

// Names (bind_column.cc): a column reference resolved through the scopes, innermost first
// (42703/42702/42P01 as PostgreSQL words them); a whole-row reference (`t`, `t.*`) as the jsonb
// object of its FROM item's columns, null when `node` is not one; the functions and aggregates
// that take a whole row so.
Result<ExprPtr> ResolveColumn(const PgQuery__ColumnRef& ref, Binder::Scope& scope);
Result<ExprPtr> WholeRowAsJsonb(Binder::Impl& impl, const PgQuery__Node& node,
                                Binder::Scope& scope);
bool TakesWholeRow(std::string_view name);

// Row constructors (bind_row.cc). The row constructor `node` is, or null.
const PgQuery__RowExpr* RowConstructor(const PgQuery__Node* node);
Result<std::vector<ExprPtr>> BindRowFields(Binder::Impl& impl, const PgQuery__RowExpr& row,
                                           Binder::Scope& scope, AggregateBinding* aggregates);
// `left op right` for two rows' fields, as PostgreSQL compares rows (42601 when their counts
// differ, 42883 for an operator rows do not have).
Result<ExprPtr> RowComparison(Binder::Impl& impl, std::string_view op, std::vector<ExprPtr> left,
                              std::vector<ExprPtr> right, int location);
// `left op right` where either operand is a row constructor.
Result<ExprPtr> BindRowOperator(Binder::Impl& impl, std::string_view op,
                                const PgQuery__Node& left_node, const PgQuery__Node& right_node,
                                Binder::Scope& scope, AggregateBinding* aggregates, int location);
// Rows IS [NOT] DISTINCT FROM rows.
Result<ExprPtr> RowDistinctTest(Binder::Impl& impl, const PgQuery__AExpr& a, Binder::Scope& scope,
                                AggregateBinding* aggregates);

// Table definitions (bind_statement.cc): a column definition (with its constraints, and the
// sequence of a serial or identity column) or a table constraint added to `table`.
Status AddColumn(Binder::Impl& impl, const PgQuery__ColumnDef& definition, catalog::TableDef* table,
                 std::vector<catalog::SequenceDef>* sequences);
Status AddTableConstraint(Binder::Impl& impl, const PgQuery__Constraint& constraint,
                          catalog::TableDef* table);
// The plan that copies every row of `from` into `to` (a new table id) for ALTER TABLE: column j
// of `to` takes using[j] (an expression over `from`'s columns, ALTER COLUMN ... TYPE ... USING)
// where there is one, else column source[j] of `from`, or its default where source[j] < 0, each
// converted to its column's type by assignment; `to`'s keys, NOT NULL, CHECK and FOREIGN KEY
// constraints are enforced as INSERT enforces them (bind_dml.cc).
Result<PlanPtr> BindTableRewrite(Binder::Impl& impl, catalog::TableDefPtr from,
                                 catalog::TableDefPtr to, const std::vector<int32_t>& source,
                                 const std::vector<const PgQuery__Node*>& using_expressions);
// The session's privileges for a bound statement (bind_privileges.cc); stamps the owner of
// what it creates. 42501 when it may not run.
Status CheckPrivileges(BoundStatement& bound, txn::Transaction& transaction,
                       catalog::Catalog& catalog);

// Helpers shared by the binder's files.
std::string_view StringValue(const PgQuery__Node* node);  // a String node's text, or ""
// Optional strings of the parse tree are "" (not null) when absent.
inline bool Present(const char* text) { return text != nullptr && text[0] != '\0'; }
// The schema a RangeVar names, or where CREATE puts an unqualified name (the first existing
// schema of search_path). Lookups of existing objects use LookupSchemaOf (bind_system.h).
inline std::string SchemaOf(const PgQuery__RangeVar& range) {
  return Present(range.schemaname) ? std::string(range.schemaname) : system::CreationSchema();
}
Status WithPosition(Status status, int location);
// ASC/DESC and NULLS FIRST/LAST of an ORDER BY item (by default NULLS LAST for ASC, FIRST for DESC).
inline void SortDirection(const PgQuery__SortBy& sort, bool* descending, bool* nulls_first) {
  *descending = sort.sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
  *nulls_first = sort.sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST ||
                 (*descending && sort.sortby_nulls != PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST);
}         // location is 0-based; -1 = none

}  // namespace plexus::sql
