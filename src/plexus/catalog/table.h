// Definitions of catalog objects: tables with their columns, keys, indexes and checks; views.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plexus/catalog/privileges.h"
#include "plexus/catalog/type.h"

namespace plexus::catalog {

inline constexpr std::string_view kDefaultSchema = "public";

struct ColumnDef {
  std::string name;
  Type type;
  bool not_null = false;
  // The DEFAULT expression as SQL text; empty when there is none (the default is NULL).
  std::string default_expression;
  // GENERATED ALWAYS / BY DEFAULT AS IDENTITY: 'a' / 'd' ('\0' when not an identity column);
  // the default is then nextval of the column's sequence.
  char identity = '\0';
  std::string comment;  // COMMENT ON COLUMN; empty when none
};

struct IndexDef {
  uint32_t id = 0;  // key prefix of its entries in the `index` family
  std::string name;
  std::vector<uint32_t> columns;  // positions in TableDef::columns
  std::vector<bool> descending;   // per column
  bool unique = false;
  std::string comment;  // COMMENT ON INDEX; empty when none
};

struct CheckDef {
  std::string name;
  std::string expression;  // SQL text
};

// What a FOREIGN KEY does to referencing rows when the referenced row is deleted or updated.
enum class ForeignKeyAction : uint8_t { kNoAction, kRestrict, kCascade, kSetNull, kSetDefault };

// FOREIGN KEY (columns) REFERENCES schema.table (referenced_columns), kept on the referencing
// table. The referenced columns are that table's primary key or a unique index.
struct ForeignKeyDef {
  std::string name;
  std::vector<uint32_t> columns;  // positions in this table
  std::string referenced_schema;
  std::string referenced_table;
  std::vector<uint32_t> referenced_columns;  // positions in the referenced table
  ForeignKeyAction on_delete = ForeignKeyAction::kNoAction;
  ForeignKeyAction on_update = ForeignKeyAction::kNoAction;
};

struct TableDef {
  uint32_t id = 0;  // key prefix of its rows in the `rows` family; never reused
  std::string schema{kDefaultSchema};
  std::string name;
  std::vector<ColumnDef> columns;
  // Positions of the primary key columns; empty when rows are keyed by a hidden row id.
  std::vector<uint32_t> primary_key;
  std::string primary_key_name;
  std::vector<IndexDef> indexes;
  std::vector<CheckDef> checks;
  std::vector<ForeignKeyDef> foreign_keys;
  Privileges privileges;  // relowner, relacl
  std::string comment;    // COMMENT ON TABLE; empty when none

  // Position of the column called `name`, if any.
  std::optional<uint32_t> FindColumn(std::string_view column_name) const {
    for (uint32_t i = 0; i < columns.size(); ++i) {
      if (columns[i].name == column_name) return i;
    }
    return std::nullopt;
  }
};

using TableDefPtr = std::shared_ptr<const TableDef>;

// CREATE SEQUENCE, or the sequence of a serial or identity column (which it is owned by, and
// dropped with).
struct SequenceDef {
  uint32_t id = 0;  // key of its current value; never reused
  std::string schema{kDefaultSchema};
  std::string name;
  Type type = Type::Of(TypeId::kInt64);  // AS smallint | integer | bigint
  int64_t start = 1;
  int64_t increment = 1;
  int64_t min_value = 1;
  int64_t max_value = std::numeric_limits<int64_t>::max();
  int64_t cache = 1;
  bool cycle = false;
  std::string owned_by_table;  // same schema; empty when owned by nothing
  std::string owned_by_column;
  Privileges privileges;  // relowner, relacl
};

// A table or view another object depends on, by name (a TRUNCATE gives a table a new id).
struct RelationName {
  std::string schema;
  std::string name;
  bool operator==(const RelationName&) const = default;
};

struct ViewDef {
  std::string schema{kDefaultSchema};
  std::string name;
  std::string query;  // the SELECT as SQL text, bound anew at each use
  std::vector<std::string> column_names;  // empty: the query's own names
  // The tables and views the query reads (not those of the views it reads): what DROP and
  // ALTER TABLE check before they break the view, as PostgreSQL's pg_depend.
  std::vector<RelationName> depends_on;
  Privileges privileges;  // relowner, relacl: readers need SELECT on the view, not its tables
};

}  // namespace plexus::catalog
