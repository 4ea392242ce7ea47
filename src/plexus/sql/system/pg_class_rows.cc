// Rows of the pg_catalog relations that describe relations: pg_class, pg_namespace,
// pg_attribute, pg_attrdef, pg_index, pg_constraint, pg_sequence, pg_depend and the views
// pg_tables, pg_views, pg_indexes, pg_sequences.
#include <algorithm>
#include <set>

#include <pg_query/pg_query.pb-c.h>

#include "plexus/sql/bind/binder.h"
#include "plexus/sql/parse/parser.h"
#include "plexus/sql/system/acl_text.h"
#include "plexus/sql/system/catalog_snapshot.h"
#include "plexus/sql/system/definitions.h"
#include "plexus/sql/system/name_lookup.h"
#include "plexus/sql/system/row_generators.h"
#include "plexus/sql/system/row_values.h"
#include "plexus/sql/system/session_info.h"

namespace plexus::sql::system {

using catalog::Type;
using catalog::TypeId;

namespace {

constexpr int64_t kDefaultCollationOid = 100;

// pg_class row. `natts`: columns; `checks`: CHECK constraints.
SystemRow ClassRow(int64_t oid, std::string_view name, int64_t namespace_oid, char kind,
                   int64_t natts, int64_t checks, bool has_index, int64_t am,
                   bool has_triggers = false) {
  return {OidValue(oid), NameValue(name), OidValue(namespace_oid), OidValue(0), OidValue(0),
          OidValue(kBootstrapUserOid), OidValue(am), OidValue(kind == 'v' ? 0 : oid),
          OidValue(0), Int32Value(0), Float32Value(-1), Int32Value(0), OidValue(0),
          BoolValue(has_index), BoolValue(false), CharValue('p'), CharValue(kind),
          Int16Value(natts), Int16Value(checks), BoolValue(false), BoolValue(has_triggers),
          BoolValue(false), BoolValue(false), BoolValue(false), BoolValue(true),
          CharValue(kind == 'r' || kind == 'S' ? 'd' : 'n'), BoolValue(false), OidValue(0),
          Int64Value(0), Int64Value(0), NullValue(TextArrayType()), NullValue(TextArrayType()),
          NullValue(TextType())};
}

constexpr size_t kRelownerColumn = 5;
constexpr size_t kRelaclColumn = 30;

// relowner and relacl of a pg_class row.
Status SetOwnership(CatalogSnapshot& snapshot, const catalog::Privileges& privileges,
                    bool with_acl, SystemRow* row) {
  (*row)[kRelownerColumn] = OidValue(privileges.owner);
  if (with_acl) {
    PLEXUS_ASSIGN_OR_RETURN((*row)[kRelaclColumn], AclValue(snapshot, privileges));
  }
  return Status::Ok();
}

bool IsStringType(const Type& type) { return catalog::IsString(type.id); }

// attstorage/typstorage: plain for fixed-length types, main for numeric, extended otherwise.
char Storage(const Type& type) {
  if (type.id == TypeId::kNumeric) return 'm';
  return type.id != TypeId::kArray && catalog::TypeLength(type.id) > 0 ? 'p' : 'x';
}

SystemRow AttributeRow(int64_t relation_oid, std::string_view name, const Type& type,
                       int64_t number, bool not_null, bool has_default, char identity) {
  return {OidValue(relation_oid), NameValue(name), OidValue(catalog::TypeOid(type)),
          Int32Value(-1), Int16Value(type.id == TypeId::kArray ? -1 : catalog::TypeLength(type.id)),
          Int16Value(number), Int32Value(type.id == TypeId::kArray ? 1 : 0), Int32Value(-1),
          Int32Value(PgTypmod(type)), BoolValue(catalog::TypeLength(type.id) > 0 &&
                                               catalog::TypeLength(type.id) <= 8),
          CharValue('i'), CharValue(Storage(type)),
          CharValue('\0'), BoolValue(not_null), BoolValue(has_default), BoolValue(false),
          CharValue(identity), CharValue('\0'), BoolValue(false), BoolValue(true),
          Int32Value(0), OidValue(IsStringType(type) ? kDefaultCollationOid : 0),
          NullValue(TextArrayType()), NullValue(TextArrayType()), NullValue(TextArrayType()),
          NullValue(TextArrayType())};
}

thread_local bool binding_view_columns = false;

// The output columns of a view (binding its query); none when it does not bind (a view over a
// dropped table), or when asked while binding another view's columns.
std::vector<std::pair<std::string, Type>> ViewColumns(CatalogSnapshot& snapshot,
                                                      const ViewInfo& view) {
  std::vector<std::pair<std::string, Type>> columns;
  if (binding_view_columns) return columns;
  binding_view_columns = true;
  Result<ParseTree> tree = ParseTree::Parse(view.query);
  if (tree.ok() && tree->statement_count() == 1) {
    Binder binder(&snapshot.transaction(), &snapshot.catalog());
    Result<BoundStatement> bound = binder.Bind(*tree->statement(0).stmt);
    if (bound.ok() && bound->plan) {
      for (size_t i = 0; i < bound->plan->types.size(); ++i) {
        columns.emplace_back(i < view.column_names.size() ? view.column_names[i]
                                                          : bound->plan->names[i],
                             bound->plan->types[i]);
      }
    }
  }
  binding_view_columns = false;
  return columns;
}

std::vector<int64_t> PlusOne(const std::vector<uint32_t>& positions) {
  std::vector<int64_t> numbers;
  for (uint32_t position : positions) numbers.push_back(int64_t{position} + 1);
  return numbers;
}

char ActionCode(catalog::ForeignKeyAction action) {
  switch (action) {
    case catalog::ForeignKeyAction::kNoAction: return 'a';
    case catalog::ForeignKeyAction::kRestrict: return 'r';
    case catalog::ForeignKeyAction::kCascade: return 'c';
    case catalog::ForeignKeyAction::kSetNull: return 'n';
    case catalog::ForeignKeyAction::kSetDefault: return 'd';
  }
  return 'a';
}

// Every object is owned by the bootstrap superuser.
Result<std::string> OwnerName(CatalogSnapshot& snapshot) {
  return RoleName(snapshot, kBootstrapUserOid);
}

}  // namespace

int64_t PrimaryKeyIndexOid(uint32_t table_id) { return ConstraintOid(table_id, 63); }

int32_t PgTypmod(const Type& type) {
  if (type.typmod == catalog::kNoTypmod) return -1;
  switch (type.id) {
    case TypeId::kVarchar:
    case TypeId::kChar:
    case TypeId::kNumeric: return type.typmod + 4;
    default: return type.typmod;
  }
}

Type TypeFromPg(int64_t type_oid, int32_t pg_typmod) {
  Type type = catalog::TypeFromOid(static_cast<uint32_t>(type_oid));
  if (pg_typmod < 0) return type;
  switch (type.id) {
    case TypeId::kVarchar:
    case TypeId::kChar:
    case TypeId::kNumeric: type.typmod = pg_typmod - 4; break;
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: type.typmod = pg_typmod; break;
    default: break;
  }
  return type;
}

Status PgClassRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  for (const SystemRelation& relation : SystemRelations()) {
    rows->push_back(ClassRow(relation.oid, relation.name, NamespaceOid(relation.schema),
                             relation.kind, static_cast<int64_t>(relation.columns.size()), 0,
                             false, relation.kind == 'r' ? kHeapAmOid : 0));
  }
  PLEXUS_ASSIGN_OR_RETURN(auto tables, snapshot.Tables());
  // PostgreSQL enforces foreign keys with triggers on both tables; psql shows a table's
  // foreign keys (and what references it) only when relhastriggers says so.
  std::set<std::pair<std::string, std::string>> referenced;
  for (const auto& table : *tables) {
    for (const auto& key : table->foreign_keys) {
      referenced.emplace(key.referenced_schema, key.referenced_table);
    }
  }
  for (const auto& table : *tables) {
    const int64_t namespace_oid = NamespaceOid(table->schema);
    const bool has_triggers = !table->foreign_keys.empty() ||
                              referenced.count({table->schema, table->name}) > 0;
    rows->push_back(ClassRow(table->id, table->name, namespace_oid, 'r',
                             static_cast<int64_t>(table->columns.size()),
                             static_cast<int64_t>(table->checks.size()),
                             !table->primary_key.empty() || !table->indexes.empty(),
                             kHeapAmOid, has_triggers));
    PLEXUS_RETURN_IF_ERROR(SetOwnership(snapshot, table->privileges, true, &rows->back()));
    PLEXUS_RETURN_IF_ERROR(SetTableEstimates(snapshot, *table, &rows->back()));
    if (!table->primary_key.empty()) {
      const std::string name =
          table->primary_key_name.empty() ? table->name + "_pkey" : table->primary_key_name;
      rows->push_back(ClassRow(PrimaryKeyIndexOid(table->id), name, namespace_oid, 'i',
                               static_cast<int64_t>(table->primary_key.size()), 0, false,
                               kBtreeAmOid));
      PLEXUS_RETURN_IF_ERROR(SetOwnership(snapshot, table->privileges, false, &rows->back()));
    }
    for (const auto& index : table->indexes) {
      rows->push_back(ClassRow(index.id, index.name, namespace_oid, 'i',
                               static_cast<int64_t>(index.columns.size()), 0, false,
                               kBtreeAmOid));
      PLEXUS_RETURN_IF_ERROR(SetOwnership(snapshot, table->privileges, false, &rows->back()));
    }
  }
  PLEXUS_ASSIGN_OR_RETURN(auto sequences, snapshot.Sequences());
  for (const auto& sequence : *sequences) {
    rows->push_back(ClassRow(sequence->id, sequence->name, NamespaceOid(sequence->schema), 'S',
                             3, 0, false, 0));
    PLEXUS_RETURN_IF_ERROR(SetOwnership(snapshot, sequence->privileges, true, &rows->back()));
  }
  PLEXUS_ASSIGN_OR_RETURN(auto views, snapshot.Views());
  for (const auto& view : *views) {
    rows->push_back(ClassRow(ViewOid(view.schema, view.name), view.name,
                             NamespaceOid(view.schema), 'v',
                             static_cast<int64_t>(view.column_names.size()), 0, false, 0));
    PLEXUS_RETURN_IF_ERROR(SetOwnership(snapshot, view.privileges, true, &rows->back()));
  }
  return Status::Ok();
}

Status PgNamespaceRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(auto schemas, snapshot.Schemas());
  for (const std::string& schema : *schemas) {
    // PostgreSQL 15's defaults: public owned by pg_database_owner with USAGE for PUBLIC.
    PLEXUS_ASSIGN_OR_RETURN(catalog::Privileges privileges,
                            catalog::SchemaPrivileges(snapshot.transaction(), schema));
    PLEXUS_ASSIGN_OR_RETURN(Value acl, AclValue(snapshot, privileges));
    rows->push_back({OidValue(NamespaceOid(schema)), NameValue(schema),
                     OidValue(privileges.owner), std::move(acl)});
  }
  return Status::Ok();
}

Status PgAttributeRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  for (const SystemRelation& relation : SystemRelations()) {
    for (size_t i = 0; i < relation.columns.size(); ++i) {
      rows->push_back(AttributeRow(relation.oid, relation.columns[i].name,
                                   relation.columns[i].type, static_cast<int64_t>(i + 1),
                                   false, false, '\0'));
    }
  }
  PLEXUS_ASSIGN_OR_RETURN(auto tables, snapshot.Tables());
  for (const auto& table : *tables) {
    for (size_t i = 0; i < table->columns.size(); ++i) {
      const catalog::ColumnDef& column = table->columns[i];
      const bool key = std::find(table->primary_key.begin(), table->primary_key.end(), i) !=
                       table->primary_key.end();
      rows->push_back(AttributeRow(table->id, column.name, column.type,
                                   static_cast<int64_t>(i + 1), column.not_null || key,
                                   !column.default_expression.empty(), column.identity));
    }
  }
  // Indexes have attributes too: their key columns, named and typed as the table's.
  for (const auto& table : *tables) {
    auto add_index = [&](int64_t oid, const std::vector<uint32_t>& columns) {
      for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i] >= table->columns.size()) continue;
        const catalog::ColumnDef& column = table->columns[columns[i]];
        rows->push_back(AttributeRow(oid, column.name, column.type, static_cast<int64_t>(i + 1),
                                     false, false, '\0'));
      }
    };
    if (!table->primary_key.empty()) add_index(PrimaryKeyIndexOid(table->id), table->primary_key);
    for (const auto& index : table->indexes) add_index(index.id, index.columns);
  }
  PLEXUS_ASSIGN_OR_RETURN(auto views, snapshot.Views());
  for (const auto& view : *views) {
    const auto columns = ViewColumns(snapshot, view);
    for (size_t i = 0; i < columns.size(); ++i) {
      rows->push_back(AttributeRow(ViewOid(view.schema, view.name), columns[i].first,
                                   columns[i].second, static_cast<int64_t>(i + 1), false,
                                   false, '\0'));
    }
  }
  return Status::Ok();
}

Status PgAttrdefRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(auto tables, snapshot.Tables());
  for (const auto& table : *tables) {
    for (size_t i = 0; i < table->columns.size(); ++i) {
      const catalog::ColumnDef& column = table->columns[i];
      if (column.default_expression.empty()) continue;
      const int64_t oid = kAttrdefOidBase + ((int64_t{table->id} << 10 | int64_t(i + 1)) &
                                             ((int64_t{1} << 29) - 1));
      rows->push_back({OidValue(oid), OidValue(table->id), Int16Value(int64_t(i + 1)),
                       TextValue(DefaultExpressionText(column.default_expression))});
    }
  }
  return Status::Ok();
}

namespace {

SystemRow IndexRow(const catalog::TableDef& table, int64_t oid,
                   const std::vector<uint32_t>& columns, const std::vector<bool>& descending,
                   bool unique, bool primary) {
  std::vector<int64_t> options;
  std::vector<int64_t> classes;
  std::vector<int64_t> collations;
  for (size_t i = 0; i < columns.size(); ++i) {
    options.push_back(i < descending.size() && descending[i] ? 3 : 0);
    classes.push_back(0);
    collations.push_back(columns[i] < table.columns.size() &&
                                 catalog::IsString(table.columns[columns[i]].type.id)
                             ? 100 : 0);
  }
  const int64_t count = static_cast<int64_t>(columns.size());
  return {OidValue(oid), OidValue(table.id), Int16Value(count), Int16Value(count),
          BoolValue(unique), BoolValue(false), BoolValue(primary), BoolValue(false),
          BoolValue(true), BoolValue(false), BoolValue(true), BoolValue(false), BoolValue(true),
          BoolValue(true), BoolValue(false), Int16ArrayValue(PlusOne(columns), Int2VectorType()),
          OidArrayValue(collations), OidArrayValue(classes),
          Int16ArrayValue(options, Int2VectorType()), NullValue(TextType()),
          NullValue(TextType())};
}

}  // namespace

Status PgIndexRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(auto tables, snapshot.Tables());
  for (const auto& table : *tables) {
    if (!table->primary_key.empty()) {
      rows->push_back(IndexRow(*table, PrimaryKeyIndexOid(table->id), table->primary_key, {},
                               true, true));
    }
    for (const auto& index : table->indexes) {
      rows->push_back(IndexRow(*table, index.id, index.columns, index.descending, index.unique,
                               false));
    }
  }
  return Status::Ok();
}

namespace {

// The OID of the index a foreign key's referenced columns match (primary key or unique).
int64_t ReferencedIndexOid(const catalog::TableDef* referenced, const catalog::ForeignKeyDef& key) {
  if (referenced == nullptr) return 0;
  if (referenced->primary_key == key.referenced_columns) return PrimaryKeyIndexOid(referenced->id);
  for (const auto& index : referenced->indexes) {
    if (index.unique && index.columns == key.referenced_columns) return index.id;
  }
  return 0;
}

}  // namespace

Status PgConstraintRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(auto tables, snapshot.Tables());
  const Type int2_array = Type::ArrayOf(TypeId::kInt16);
  for (const auto& table : *tables) {
    for (const ConstraintInfo& info : snapshot.Constraints(*table)) {
      int64_t index_oid = 0;
      int64_t referenced_oid = 0;
      Value referenced_key = NullValue(int2_array);
      char update_action = ' ', delete_action = ' ', match = ' ';
      if (info.type == 'p') index_oid = PrimaryKeyIndexOid(table->id);
      if (info.type == 'u') index_oid = table->indexes[static_cast<size_t>(info.index)].id;
      if (info.type == 'f') {
        const catalog::ForeignKeyDef& key = *info.foreign_key;
        PLEXUS_ASSIGN_OR_RETURN(const catalog::TableDef* referenced,
                                snapshot.TableByName(key.referenced_schema, key.referenced_table));
        referenced_oid = referenced ? referenced->id : 0;
        index_oid = ReferencedIndexOid(referenced, key);
        referenced_key = Int16ArrayValue(PlusOne(key.referenced_columns));
        update_action = ActionCode(key.on_update);
        delete_action = ActionCode(key.on_delete);
        match = 's';
      }
      rows->push_back({OidValue(info.oid), NameValue(info.name),
                       OidValue(NamespaceOid(table->schema)), CharValue(info.type),
                       BoolValue(false), BoolValue(false), BoolValue(true), OidValue(table->id),
                       OidValue(0), OidValue(index_oid), OidValue(0), OidValue(referenced_oid),
                       CharValue(update_action), CharValue(delete_action), CharValue(match),
                       BoolValue(true), Int32Value(0), BoolValue(false),
                       info.type == 'c' ? NullValue(int2_array)
                                        : Int16ArrayValue(PlusOne(info.columns)),
                       referenced_key, NullValue(OidArrayType()), NullValue(OidArrayType()),
                       NullValue(OidArrayType()), NullValue(int2_array), NullValue(OidArrayType()),
                       info.type == 'c' ? TextValue(info.check->expression)
                                        : NullValue(TextType())});
    }
  }
  return Status::Ok();
}

Status PgSequenceRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(auto sequences, snapshot.Sequences());
  for (const auto& sequence : *sequences) {
    rows->push_back({OidValue(sequence->id), OidValue(catalog::TypeOid(sequence->type)),
                     Int64Value(sequence->start), Int64Value(sequence->increment),
                     Int64Value(sequence->max_value), Int64Value(sequence->min_value),
                     Int64Value(sequence->cache), BoolValue(sequence->cycle)});
  }
  return Status::Ok();
}

Status PgSequencesRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(const std::string owner, OwnerName(snapshot));
  PLEXUS_ASSIGN_OR_RETURN(auto sequences, snapshot.Sequences());
  for (const auto& sequence : *sequences) {
    rows->push_back({NameValue(sequence->schema), NameValue(sequence->name),
                     NameValue(owner), TextValue(catalog::FormatType(sequence->type)),
                     Int64Value(sequence->start), Int64Value(sequence->min_value),
                     Int64Value(sequence->max_value), Int64Value(sequence->increment),
                     BoolValue(sequence->cycle), Int64Value(sequence->cache),
                     NullValue(Int64Type())});
  }
  return Status::Ok();
}

Status PgDependRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(auto sequences, snapshot.Sequences());
  for (const auto& sequence : *sequences) {
    if (sequence->owned_by_table.empty()) continue;
    PLEXUS_ASSIGN_OR_RETURN(const catalog::TableDef* table,
                            snapshot.TableByName(sequence->schema, sequence->owned_by_table));
    if (table == nullptr) continue;
    auto column = table->FindColumn(sequence->owned_by_column);
    if (!column) continue;
    const bool identity = table->columns[*column].identity != '\0';
    rows->push_back({OidValue(kPgClassOid), OidValue(sequence->id), Int32Value(0),
                     OidValue(kPgClassOid), OidValue(table->id), Int32Value(*column + 1),
                     CharValue(identity ? 'i' : 'a')});
  }
  return Status::Ok();
}

Status PgTablesRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(const std::string owner, OwnerName(snapshot));
  for (const SystemRelation& relation : SystemRelations()) {
    if (relation.kind != 'r') continue;
    rows->push_back({NameValue(relation.schema), NameValue(relation.name), NameValue(owner),
                     NullValue(NameType()), BoolValue(false), BoolValue(false),
                     BoolValue(false), BoolValue(false)});
  }
  PLEXUS_ASSIGN_OR_RETURN(auto tables, snapshot.Tables());
  for (const auto& table : *tables) {
    rows->push_back({NameValue(table->schema), NameValue(table->name), NameValue(owner),
                     NullValue(NameType()),
                     BoolValue(!table->primary_key.empty() || !table->indexes.empty()),
                     BoolValue(false), BoolValue(false), BoolValue(false)});
  }
  return Status::Ok();
}

Status PgViewsRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(const std::string owner, OwnerName(snapshot));
  for (const SystemRelation& relation : SystemRelations()) {
    if (relation.kind != 'v') continue;
    rows->push_back({NameValue(relation.schema), NameValue(relation.name), NameValue(owner),
                     TextValue(relation.query)});
  }
  PLEXUS_ASSIGN_OR_RETURN(auto views, snapshot.Views());
  for (const auto& view : *views) {
    rows->push_back({NameValue(view.schema), NameValue(view.name), NameValue(owner),
                     TextValue(view.query)});
  }
  return Status::Ok();
}

Status PgIndexesRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(auto tables, snapshot.Tables());
  for (const auto& table : *tables) {
    auto add = [&](std::string_view name, int32_t index) {
      rows->push_back({NameValue(table->schema), NameValue(table->name), NameValue(name),
                       NullValue(NameType()), TextValue(IndexDefinition(*table, index))});
    };
    if (!table->primary_key.empty()) {
      add(table->primary_key_name.empty() ? table->name + "_pkey" : table->primary_key_name, -1);
    }
    for (size_t i = 0; i < table->indexes.size(); ++i) {
      add(table->indexes[i].name, static_cast<int32_t>(i));
    }
  }
  return Status::Ok();
}

}  // namespace plexus::sql::system
