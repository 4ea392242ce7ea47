// Loading the catalog's objects for the system relations, and their OIDs. Schemas and views
// are listed straight from the `catalog` family (keys: ("schema", name, "") and
// ("view", schema, name), see catalog/catalog.cc).
#include "plexus/sql/system/catalog_snapshot.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "plexus/catalog/catalog.h"
#include "plexus/catalog/privileges_json.h"
#include "plexus/sql/system/session_info.h"
#include "plexus/sql/system/system_relations.h"
#include "plexus/storage/key_codec.h"

namespace plexus::sql::system {

namespace {

constexpr storage::Family kFamily = storage::Family::kCatalog;

uint32_t Fnv1a(std::string_view kind, std::string_view schema, std::string_view name) {
  uint32_t hash = 2166136261u;
  auto mix = [&](std::string_view text) {
    for (unsigned char ch : text) {
      hash ^= ch;
      hash *= 16777619u;
    }
    hash ^= 0xff;
    hash *= 16777619u;
  };
  mix(kind);
  mix(schema);
  mix(name);
  return hash;
}

// The (schema, name) of every key ("kind", schema, name) in the catalog family.
Result<std::vector<std::pair<std::string, std::string>>> ListKeys(
    txn::Transaction& transaction, std::string_view kind,
    std::vector<std::string>* values) {
  std::string prefix;
  storage::AppendText(&prefix, kind, SortOrder::kAscending);
  PLEXUS_ASSIGN_OR_RETURN(auto iterator,
                          transaction.Scan(kFamily, prefix, storage::PrefixSuccessor(prefix)));
  std::vector<std::pair<std::string, std::string>> names;
  for (; iterator->Valid(); iterator->Next()) {
    // RocksDB 7.8's transaction iterator does not apply the upper bound to the transaction's
    // own writes, so a scan sees keys past the prefix that this transaction wrote.
    if (iterator->key().substr(0, prefix.size()) != prefix) break;
    PLEXUS_ASSIGN_OR_RETURN(std::vector<KeyPart> parts, storage::DecodeKey(iterator->key()));
    const std::string* schema =
        parts.size() == 3 ? std::get_if<std::string>(&parts[1].value) : nullptr;
    const std::string* name =
        parts.size() == 3 ? std::get_if<std::string>(&parts[2].value) : nullptr;
    if (schema == nullptr || name == nullptr) {
      return Status::Corruption("catalog: bad " + std::string(kind) + " key");
    }
    names.emplace_back(*schema, *name);
    if (values != nullptr) values->emplace_back(iterator->value());
  }
  PLEXUS_RETURN_IF_ERROR(iterator->status());
  return names;
}

}  // namespace

int64_t NamespaceOid(std::string_view schema) {
  if (schema == "pg_catalog") return kPgCatalogNamespaceOid;
  if (schema == catalog::kDefaultSchema) return kPublicNamespaceOid;
  if (schema == "information_schema") return kInformationSchemaNamespaceOid;
  return kHashedOidBase + (Fnv1a("schema", schema, "") & 0x0fffffff);
}

int64_t ViewOid(std::string_view schema, std::string_view name) {
  return kHashedOidBase + (Fnv1a("view", schema, name) & 0x0fffffff);
}

int64_t ConstraintOid(uint32_t table_id, uint32_t ordinal) {
  return kConstraintOidBase + int64_t{table_id} * 64 + std::min<uint32_t>(ordinal, 63);
}

// Tables and sequences are listed by name (ListKeys) and read one by one: Catalog::ListTables
// and ListSequences scan with the upper bound only, and inside a transaction that wrote other
// kinds of definitions they would read those too (see ListKeys).
Result<const std::vector<catalog::TableDefPtr>*> CatalogSnapshot::Tables() {
  if (!tables_) {
    PLEXUS_ASSIGN_OR_RETURN(auto names, ListKeys(*transaction_, "table", nullptr));
    std::vector<catalog::TableDefPtr> tables;
    for (const auto& [schema, name] : names) {
      PLEXUS_ASSIGN_OR_RETURN(auto table, catalog_->FindTable(*transaction_, schema, name));
      tables.push_back(std::move(table));
    }
    tables_ = std::move(tables);
  }
  return &*tables_;
}

Result<const std::vector<std::shared_ptr<const catalog::SequenceDef>>*>
CatalogSnapshot::Sequences() {
  if (!sequences_) {
    PLEXUS_ASSIGN_OR_RETURN(auto names, ListKeys(*transaction_, "sequence", nullptr));
    std::vector<std::shared_ptr<const catalog::SequenceDef>> sequences;
    for (const auto& [schema, name] : names) {
      PLEXUS_ASSIGN_OR_RETURN(auto sequence, catalog_->FindSequence(*transaction_, schema, name));
      sequences.push_back(std::move(sequence));
    }
    sequences_ = std::move(sequences);
  }
  return &*sequences_;
}

Result<const std::vector<ViewInfo>*> CatalogSnapshot::Views() {
  if (!views_) {
    std::vector<std::string> values;
    PLEXUS_ASSIGN_OR_RETURN(auto names, ListKeys(*transaction_, "view", &values));
    std::vector<ViewInfo> views;
    for (size_t i = 0; i < names.size(); ++i) {
      ViewInfo view{names[i].first, names[i].second, "", {}, {}};
      nlohmann::json json = nlohmann::json::parse(values[i], nullptr, false);
      if (json.is_object()) {
        view.query = json.value("query", "");
        view.column_names = json.value("columns", std::vector<std::string>());
        try {
          view.privileges = catalog::PrivilegesFromJson(json);
        } catch (const nlohmann::json::exception& error) {
          // nlohmann reports a malformed document by throwing; no exception leaves here.
          return Status::Corruption(std::string("catalog: bad view privileges: ") + error.what());
        }
      }
      views.push_back(std::move(view));
    }
    views_ = std::move(views);
  }
  return &*views_;
}

Result<const std::vector<std::string>*> CatalogSnapshot::Schemas() {
  if (!schemas_) {
    PLEXUS_ASSIGN_OR_RETURN(auto names, ListKeys(*transaction_, "schema", nullptr));
    std::vector<std::string> schemas{"pg_catalog", std::string(catalog::kDefaultSchema),
                                     "information_schema"};
    for (auto& [schema, ignored] : names) {
      if (std::find(schemas.begin(), schemas.end(), schema) == schemas.end()) {
        schemas.push_back(schema);
      }
    }
    schemas_ = std::move(schemas);
  }
  return &*schemas_;
}

Result<const std::vector<catalog::RoleDefPtr>*> CatalogSnapshot::Roles() {
  if (!roles_) {
    PLEXUS_ASSIGN_OR_RETURN(auto roles, catalog::ListRoles(*transaction_));
    if (roles.empty()) {
      auto bootstrap = std::make_shared<catalog::RoleDef>();
      bootstrap->oid = catalog::kBootstrapRoleOid;
      bootstrap->name = CurrentUser();
      bootstrap->superuser = bootstrap->create_role = bootstrap->create_db = true;
      bootstrap->can_login = bootstrap->replication = bootstrap->bypass_rls = true;
      roles.push_back(std::move(bootstrap));
    }
    roles_ = std::move(roles);
  }
  return &*roles_;
}

Result<const catalog::TableDef*> CatalogSnapshot::TableByOid(int64_t oid) {
  PLEXUS_ASSIGN_OR_RETURN(auto tables, Tables());
  for (const auto& table : *tables) {
    if (table->id == oid) return table.get();
  }
  return static_cast<const catalog::TableDef*>(nullptr);
}

Result<std::optional<std::pair<const catalog::TableDef*, uint32_t>>> CatalogSnapshot::IndexByOid(
    int64_t oid) {
  PLEXUS_ASSIGN_OR_RETURN(auto tables, Tables());
  for (const auto& table : *tables) {
    for (uint32_t i = 0; i < table->indexes.size(); ++i) {
      if (table->indexes[i].id == oid) return std::optional(std::pair(table.get(), i));
    }
  }
  return std::optional<std::pair<const catalog::TableDef*, uint32_t>>();
}

Result<const catalog::TableDef*> CatalogSnapshot::TableByName(std::string_view schema,
                                                              std::string_view name) {
  PLEXUS_ASSIGN_OR_RETURN(auto tables, Tables());
  for (const auto& table : *tables) {
    if (table->schema == schema && table->name == name) return table.get();
  }
  return static_cast<const catalog::TableDef*>(nullptr);
}

std::vector<ConstraintInfo> CatalogSnapshot::Constraints(const catalog::TableDef& table) {
  std::vector<ConstraintInfo> constraints;
  uint32_t ordinal = 0;
  if (!table.primary_key.empty()) {
    ConstraintInfo info;
    info.oid = ConstraintOid(table.id, ordinal);
    info.type = 'p';
    info.name = table.primary_key_name.empty() ? table.name + "_pkey" : table.primary_key_name;
    info.table = &table;
    info.columns = table.primary_key;
    constraints.push_back(std::move(info));
  }
  ++ordinal;
  for (uint32_t i = 0; i < table.indexes.size(); ++i, ++ordinal) {
    // A unique index made by a UNIQUE constraint carries the constraint's name; CREATE UNIQUE
    // INDEX makes one too, which PostgreSQL lists without a constraint. We cannot tell them
    // apart, so every unique index whose name ends in _key counts as a constraint.
    const catalog::IndexDef& index = table.indexes[i];
    if (!index.unique || index.name.size() < 4 ||
        index.name.compare(index.name.size() - 4, 4, "_key") != 0) {
      continue;
    }
    ConstraintInfo info;
    info.oid = ConstraintOid(table.id, ordinal);
    info.type = 'u';
    info.name = index.name;
    info.table = &table;
    info.columns = index.columns;
    info.index = static_cast<int32_t>(i);
    constraints.push_back(std::move(info));
  }
  for (const catalog::CheckDef& check : table.checks) {
    ConstraintInfo info;
    info.oid = ConstraintOid(table.id, ordinal++);
    info.type = 'c';
    info.name = check.name;
    info.table = &table;
    info.check = &check;
    constraints.push_back(std::move(info));
  }
  for (const catalog::ForeignKeyDef& key : table.foreign_keys) {
    ConstraintInfo info;
    info.oid = ConstraintOid(table.id, ordinal++);
    info.type = 'f';
    info.name = key.name;
    info.table = &table;
    info.columns = key.columns;
    info.foreign_key = &key;
    constraints.push_back(std::move(info));
  }
  return constraints;
}

Result<std::optional<ConstraintInfo>> CatalogSnapshot::ConstraintByOid(int64_t oid) {
  if (oid < kConstraintOidBase || oid >= kAttrdefOidBase) return std::optional<ConstraintInfo>();
  const int64_t table_id = (oid - kConstraintOidBase) / 64;
  PLEXUS_ASSIGN_OR_RETURN(const catalog::TableDef* table, TableByOid(table_id));
  if (table == nullptr) return std::optional<ConstraintInfo>();
  for (ConstraintInfo& info : Constraints(*table)) {
    if (info.oid == oid) return std::optional(std::move(info));
  }
  return std::optional<ConstraintInfo>();
}

Result<std::optional<std::string>> CatalogSnapshot::SchemaByOid(int64_t oid) {
  PLEXUS_ASSIGN_OR_RETURN(auto schemas, Schemas());
  for (const std::string& schema : *schemas) {
    if (NamespaceOid(schema) == oid) return std::optional(schema);
  }
  return std::optional<std::string>();
}

namespace {

// Whether `schema` has a relation (table, view, sequence, index or system relation) `name`.
Result<bool> HasRelation(CatalogSnapshot& snapshot, std::string_view schema,
                         std::string_view name) {
  if (FindSystemRelation(schema, name) != nullptr) return true;
  PLEXUS_ASSIGN_OR_RETURN(auto tables, snapshot.Tables());
  for (const auto& table : *tables) {
    if (table->schema != schema) continue;
    if (table->name == name) return true;
    if (!table->primary_key.empty() &&
        (table->primary_key_name.empty() ? table->name + "_pkey" : table->primary_key_name) ==
            name) {
      return true;
    }
    for (const auto& index : table->indexes) {
      if (index.name == name) return true;
    }
  }
  PLEXUS_ASSIGN_OR_RETURN(auto views, snapshot.Views());
  for (const auto& view : *views) {
    if (view.schema == schema && view.name == name) return true;
  }
  PLEXUS_ASSIGN_OR_RETURN(auto sequences, snapshot.Sequences());
  for (const auto& sequence : *sequences) {
    if (sequence->schema == schema && sequence->name == name) return true;
  }
  return false;
}

}  // namespace

Result<bool> RelationVisible(CatalogSnapshot& snapshot, std::string_view schema,
                             std::string_view name) {
  std::vector<std::string> path{"pg_catalog"};
  for (const std::string& entry : SearchPathSchemas()) path.push_back(entry);
  for (const std::string& entry : path) {
    PLEXUS_ASSIGN_OR_RETURN(bool has, HasRelation(snapshot, entry, name));
    if (has) return entry == schema;
  }
  return false;
}

std::string QuoteIdentifier(std::string_view name) {
  bool plain = !name.empty() && (name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z'));
  for (char ch : name) {
    plain = plain && (ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'));
  }
  if (plain && !IsReservedKeyword(name)) return std::string(name);
  std::string quoted = "\"";
  for (char ch : name) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  return quoted + "\"";
}

Result<std::string> RelationDisplayName(CatalogSnapshot& snapshot, std::string_view schema,
                                        std::string_view name) {
  PLEXUS_ASSIGN_OR_RETURN(bool visible, RelationVisible(snapshot, schema, name));
  if (visible) return QuoteIdentifier(name);
  return QuoteIdentifier(schema) + "." + QuoteIdentifier(name);
}

}  // namespace plexus::sql::system
