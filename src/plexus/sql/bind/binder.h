// Binder: turns one parsed statement into a BoundStatement — names resolved against the catalog,
// types inferred with PostgreSQL's rules, queries and DML as plans, DDL and transaction control
// as descriptions for the session to carry out.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/catalog/catalog.h"
#include "plexus/options.h"
#include "plexus/sql/plan/plan.h"

struct PgQuery__Node;

namespace plexus::sql {

enum class StatementKind : uint8_t {
  kQuery,  // returns rows: plan
  kDml,    // INSERT/UPDATE/DELETE: plan (rows when RETURNING)
  kCreateTable,
  kDropTable,
  kCreateView,
  kDropView,
  kCreateIndex,
  kDropIndex,
  kCreateSchema,
  kDropSchema,
  kCreateSequence,
  kDropSequence,
  kAlterTable,
  kTruncate,
  kBegin,
  kCommit,
  kRollback,
  kSavepoint,
  kReleaseSavepoint,
  kRollbackToSavepoint,
  kSet,
  kShow,
  kReset,
  kPrepare,     // PREPARE name [(types)] AS statement
  kExecute,     // EXECUTE name [(arguments)]
  kDeallocate,  // DEALLOCATE [PREPARE] name | ALL
  kNoOp,  // accepted and ignored (VACUUM, ANALYZE until statistics exist)
};

struct ObjectName {
  std::string schema;
  std::string name;
};

struct BoundStatement {
  StatementKind kind = StatementKind::kNoOp;
  PlanPtr plan;              // kQuery, kDml
  std::string command_tag;   // "SELECT", "INSERT 0", "CREATE TABLE", ...
  catalog::TableDef table;   // kCreateTable; kCreateIndex: the table with the new index added
  catalog::ViewDef view;     // kCreateView
  // kCreateSequence: the sequence; kCreateTable, kAlterTable: sequences of serial and identity
  // columns, created with the table.
  std::vector<catalog::SequenceDef> sequences;
  // kAlterTable: the table as it was (`table` is its new definition); `plan`, when set, copies
  // its rows into the new definition's id.
  catalog::TableDefPtr altered;
  // kAlterTable renaming a table or column: the views that read it, their queries following the
  // new name (bind_alter.cc), to replace the stored ones.
  std::vector<catalog::ViewDef> views;
  std::vector<ObjectName> objects;  // kDrop*, kTruncate, kCreateSchema
  bool missing_ok = false;   // DROP ... IF EXISTS
  bool cascade = false;      // DROP ... CASCADE
  bool if_not_exists = false;
  std::string name;          // savepoint or setting name
  std::string value;         // SET value
  bool local = false;        // SET LOCAL: until the end of the transaction
  std::optional<IsolationLevel> isolation;  // BEGIN ISOLATION LEVEL ...
  // kPrepare: the statement to prepare (a node of the same parse tree; kCreateTable of CREATE
  // TABLE AS: the query that fills it) and its parameters' declared types (kUnknown: not given).
  const PgQuery__Node* prepared = nullptr;
  std::vector<Type> parameter_types;
  // kExecute: the argument expressions (nodes of the same parse tree).
  std::vector<const PgQuery__Node*> arguments;
};

class Binder {
 public:
  // REQUIRES: the transaction and catalog outlive the binder and its plans' use.
  Binder(txn::Transaction* transaction, catalog::Catalog* catalog);
  ~Binder();

  Result<BoundStatement> Bind(const PgQuery__Node& statement);

  // Types of the parameters $1, $2, ... before Bind: given types are kept, kUnknown ones are
  // inferred from how the statement uses them (as PostgreSQL's Parse does).
  void set_parameter_types(std::vector<Type> types);
  // After Bind: the type of every parameter up to the highest one used; one still undecided is
  // text.
  std::vector<Type> parameter_types() const;
  // After Bind: 42P18 for a parameter neither given a type nor used (`SELECT $2` leaves $1
  // undetermined), as PostgreSQL's Parse and PREPARE report it.
  Status CheckParameterTypesDetermined() const;
  // EXECUTE's arguments: each bound without a FROM scope, cast to its parameter's type and
  // evaluated. 42P02/42601 when counts differ.
  Result<std::vector<Value>> EvaluateArguments(const std::vector<const PgQuery__Node*>& arguments,
                                               const std::vector<Type>& types);

  struct Scope;
  class Impl;  // binder_internal.h

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace plexus::sql
