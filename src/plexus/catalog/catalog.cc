// Catalog storage. Keys in the `catalog` family (storage/key_codec.h encoding):
//   ("next_id")               -> next object id, decimal text
//   ("schema", name)          -> {}
//   ("table", schema, name)   -> TableDef as JSON
//   ("view", schema, name)    -> ViewDef as JSON
//   ("sequence", schema, name) -> SequenceDef as JSON (its value: catalog/sequences.h)
//   ("statistics", table id)  -> ANALYZE's statistics as JSON (sql/stats/statistics.h)
#include "plexus/catalog/catalog.h"

#include <nlohmann/json.hpp>

#include <mutex>
#include <unordered_map>

#include "plexus/catalog/privileges_json.h"
#include "plexus/storage/key_codec.h"

namespace plexus::catalog {

namespace {

using Json = nlohmann::json;
constexpr storage::Family kFamily = storage::Family::kCatalog;
constexpr uint32_t kFirstObjectId = 16384;  // like PostgreSQL's FirstNormalObjectId

std::string ObjectKey(std::string_view kind, std::string_view schema, std::string_view name) {
  std::string key;
  storage::AppendText(&key, kind, SortOrder::kAscending);
  storage::AppendText(&key, schema, SortOrder::kAscending);
  storage::AppendText(&key, name, SortOrder::kAscending);
  return key;
}

std::string KindPrefix(std::string_view kind) {
  std::string key;
  storage::AppendText(&key, kind, SortOrder::kAscending);
  return key;
}

// Types are stored by name, so that the enum's order is free to change.
Json TypeToJson(const Type& type) {
  return Json{{"name", TypeName(type.id)}, {"typmod", type.typmod},
              {"element", TypeName(type.element)}};
}

Type TypeFromJson(const Json& json) {
  return Type{TypeIdFromName(json.at("name").get<std::string>()),
              json.at("typmod").get<int32_t>(),
              TypeIdFromName(json.at("element").get<std::string>())};
}

std::string TableToJson(const TableDef& def) {
  Json columns = Json::array();
  for (const ColumnDef& column : def.columns) {
    Json json{{"name", column.name}, {"type", TypeToJson(column.type)},
              {"not_null", column.not_null}, {"default", column.default_expression}};
    if (column.identity != '\0') json["identity"] = std::string(1, column.identity);
    if (!column.comment.empty()) json["comment"] = column.comment;
    columns.push_back(std::move(json));
  }
  Json indexes = Json::array();
  for (const IndexDef& index : def.indexes) {
    Json json{{"id", index.id}, {"name", index.name}, {"columns", index.columns},
              {"descending", index.descending}, {"unique", index.unique}};
    if (!index.comment.empty()) json["comment"] = index.comment;
    indexes.push_back(std::move(json));
  }
  Json checks = Json::array();
  for (const CheckDef& check : def.checks) {
    checks.push_back({{"name", check.name}, {"expression", check.expression}});
  }
  Json foreign_keys = Json::array();
  for (const ForeignKeyDef& key : def.foreign_keys) {
    foreign_keys.push_back({{"name", key.name},
                            {"columns", key.columns},
                            {"referenced_schema", key.referenced_schema},
                            {"referenced_table", key.referenced_table},
                            {"referenced_columns", key.referenced_columns},
                            {"on_delete", static_cast<int>(key.on_delete)},
                            {"on_update", static_cast<int>(key.on_update)}});
  }
  Json json{{"id", def.id},           {"schema", def.schema},
            {"name", def.name},       {"columns", columns},
            {"primary_key", def.primary_key}, {"primary_key_name", def.primary_key_name},
            {"indexes", indexes},     {"checks", checks},
            {"foreign_keys", foreign_keys}};
  PrivilegesToJson(def.privileges, &json);
  if (!def.comment.empty()) json["comment"] = def.comment;
  return json.dump();
}

Result<TableDefPtr> TableFromJson(std::string_view text) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Status::Corruption("catalog: table definition is not JSON");
  try {
    auto def = std::make_shared<TableDef>();
    def->id = json.at("id").get<uint32_t>();
    def->schema = json.at("schema").get<std::string>();
    def->name = json.at("name").get<std::string>();
    for (const Json& column : json.at("columns")) {
      const std::string identity = column.value("identity", "");
      def->columns.push_back(ColumnDef{column.at("name").get<std::string>(),
                                       TypeFromJson(column.at("type")),
                                       column.at("not_null").get<bool>(),
                                       column.at("default").get<std::string>(),
                                       identity.empty() ? '\0' : identity[0],
                                       column.value("comment", "")});
    }
    def->primary_key = json.at("primary_key").get<std::vector<uint32_t>>();
    def->primary_key_name = json.value("primary_key_name", "");
    for (const Json& index : json.at("indexes")) {
      def->indexes.push_back(IndexDef{index.at("id").get<uint32_t>(),
                                      index.at("name").get<std::string>(),
                                      index.at("columns").get<std::vector<uint32_t>>(),
                                      index.at("descending").get<std::vector<bool>>(),
                                      index.at("unique").get<bool>(),
                                      index.value("comment", "")});
    }
    for (const Json& check : json.value("checks", Json::array())) {
      def->checks.push_back(
          CheckDef{check.at("name").get<std::string>(), check.at("expression").get<std::string>()});
    }
    for (const Json& key : json.value("foreign_keys", Json::array())) {
      def->foreign_keys.push_back(ForeignKeyDef{
          key.at("name").get<std::string>(), key.at("columns").get<std::vector<uint32_t>>(),
          key.at("referenced_schema").get<std::string>(),
          key.at("referenced_table").get<std::string>(),
          key.at("referenced_columns").get<std::vector<uint32_t>>(),
          static_cast<ForeignKeyAction>(key.at("on_delete").get<int>()),
          static_cast<ForeignKeyAction>(key.at("on_update").get<int>())});
    }
    def->privileges = PrivilegesFromJson(json);
    def->comment = json.value("comment", "");
    return TableDefPtr(std::move(def));
  } catch (const Json::exception& error) {
    // nlohmann reports a malformed document by throwing; no exception leaves the catalog.
    return Status::Corruption(std::string("catalog: bad table definition: ") + error.what());
  }
}

// Table definitions by their stored JSON text. Statements read a definition through their own
// transaction (DDL stays transactional: each sees what its transaction sees) but each distinct
// text is parsed once — parsing was a sixth of a short statement's time. Keyed by content, so
// the map is right for every catalog of the process; emptied when it grows past a bound.
struct TextHash {
  using is_transparent = void;  // find() by string_view: no copy of the text per lookup
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

Result<TableDefPtr> DecodeTable(std::string_view text) {
  static constexpr size_t kEntriesMax = 4096;
  static std::mutex mutex;
  static std::unordered_map<std::string, TableDefPtr, TextHash, std::equal_to<>> decoded;
  {
    std::lock_guard lock(mutex);
    auto found = decoded.find(text);
    if (found != decoded.end()) return found->second;
  }
  PLEXUS_ASSIGN_OR_RETURN(TableDefPtr table, TableFromJson(text));
  std::lock_guard lock(mutex);
  if (decoded.size() >= kEntriesMax) decoded.clear();
  decoded.emplace(std::string(text), table);
  return table;
}

// kAlreadyExists when a table or a view already has the name.
Status CheckNameFree(txn::Transaction& transaction, std::string_view schema,
                     std::string_view name) {
  std::string ignored;
  for (std::string_view kind : {"table", "view", "sequence"}) {
    Status status = transaction.Get(kFamily, ObjectKey(kind, schema, name), &ignored);
    if (status.ok()) {
      return Status::AlreadyExists("relation \"" + std::string(name) + "\" already exists");
    }
    if (!status.IsNotFound()) return status;
  }
  return Status::Ok();
}

}  // namespace

Result<uint32_t> Catalog::AllocateId(txn::Transaction& transaction) {
  std::string key = KindPrefix("next_id");
  std::string value;
  Status status = transaction.GetForUpdate(kFamily, key, &value);
  if (!status.ok() && !status.IsNotFound()) return status;
  uint32_t id = status.ok() ? static_cast<uint32_t>(std::stoul(value)) : kFirstObjectId;
  PLEXUS_RETURN_IF_ERROR(transaction.Put(kFamily, key, std::to_string(id + 1)));
  return id;
}

Result<TableDefPtr> Catalog::FindTable(txn::Transaction& transaction, std::string_view schema,
                                       std::string_view name) {
  std::string value;
  PLEXUS_RETURN_IF_ERROR(transaction.Get(kFamily, ObjectKey("table", schema, name), &value));
  return DecodeTable(value);
}

Status Catalog::CreateTable(txn::Transaction& transaction, TableDef* def) {
  BumpVersion();
  PLEXUS_RETURN_IF_ERROR(CheckNameFree(transaction, def->schema, def->name));
  PLEXUS_ASSIGN_OR_RETURN(def->id, AllocateId(transaction));
  for (IndexDef& index : def->indexes) {
    PLEXUS_ASSIGN_OR_RETURN(index.id, AllocateId(transaction));
  }
  return transaction.Put(kFamily, ObjectKey("table", def->schema, def->name), TableToJson(*def));
}

Status Catalog::UpdateTable(txn::Transaction& transaction, const TableDef& def) {
  BumpVersion();
  return transaction.Put(kFamily, ObjectKey("table", def.schema, def.name), TableToJson(def));
}

Status Catalog::DropTable(txn::Transaction& transaction, const TableDef& def) {
  BumpVersion();
  // Its statistics (ANALYZE's, sql/stats/statistics.h: ("statistics", id)) go with it.
  std::string statistics = KindPrefix("statistics");
  storage::AppendUint(&statistics, def.id, SortOrder::kAscending);
  PLEXUS_RETURN_IF_ERROR(transaction.Delete(kFamily, statistics));
  return transaction.Delete(kFamily, ObjectKey("table", def.schema, def.name));
}

Result<std::vector<TableDefPtr>> Catalog::ListTables(txn::Transaction& transaction) {
  std::string prefix = KindPrefix("table");
  PLEXUS_ASSIGN_OR_RETURN(auto iterator,
                          transaction.Scan(kFamily, prefix, storage::PrefixSuccessor(prefix)));
  std::vector<TableDefPtr> tables;
  for (; iterator->Valid(); iterator->Next()) {
    PLEXUS_ASSIGN_OR_RETURN(TableDefPtr table, DecodeTable(iterator->value()));
    tables.push_back(std::move(table));
  }
  PLEXUS_RETURN_IF_ERROR(iterator->status());
  return tables;
}

Result<std::shared_ptr<const ViewDef>> Catalog::FindView(txn::Transaction& transaction,
                                                         std::string_view schema,
                                                         std::string_view name) {
  std::string value;
  PLEXUS_RETURN_IF_ERROR(transaction.Get(kFamily, ObjectKey("view", schema, name), &value));
  Json json = Json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return Status::Corruption("catalog: view definition is not JSON");
  }
  auto def = std::make_shared<ViewDef>();
  def->schema = schema;
  def->name = name;
  def->query = json.value("query", "");
  def->column_names = json.value("columns", std::vector<std::string>());
  try {
    for (const Json& relation : json.value("depends_on", Json::array())) {
      def->depends_on.push_back({relation.at(0).get<std::string>(), relation.at(1).get<std::string>()});
    }
    def->privileges = PrivilegesFromJson(json);
  } catch (const Json::exception& error) {
    // nlohmann reports a malformed document by throwing; no exception leaves the catalog.
    return Status::Corruption(std::string("catalog: bad view definition: ") + error.what());
  }
  return std::shared_ptr<const ViewDef>(std::move(def));
}

Status Catalog::CreateView(txn::Transaction& transaction, const ViewDef& def) {
  BumpVersion();
  PLEXUS_RETURN_IF_ERROR(CheckNameFree(transaction, def.schema, def.name));
  Json json{{"query", def.query}, {"columns", def.column_names}, {"depends_on", Json::array()}};
  for (const RelationName& relation : def.depends_on) {
    json["depends_on"].push_back({relation.schema, relation.name});
  }
  PrivilegesToJson(def.privileges, &json);
  return transaction.Put(kFamily, ObjectKey("view", def.schema, def.name), json.dump());
}

Status Catalog::DropView(txn::Transaction& transaction, const ViewDef& def) {
  BumpVersion();
  return transaction.Delete(kFamily, ObjectKey("view", def.schema, def.name));
}

namespace {

std::string SequenceToJson(const SequenceDef& def) {
  Json json{{"id", def.id},
              {"type", TypeToJson(def.type)},
              {"start", def.start},
              {"increment", def.increment},
              {"min", def.min_value},
              {"max", def.max_value},
              {"cache", def.cache},
              {"cycle", def.cycle},
              {"owned_by_table", def.owned_by_table},
              {"owned_by_column", def.owned_by_column}};
  PrivilegesToJson(def.privileges, &json);
  return json.dump();
}

Result<std::shared_ptr<const SequenceDef>> SequenceFromJson(std::string_view schema,
                                                            std::string_view name,
                                                            std::string_view text) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Status::Corruption("catalog: sequence definition is not JSON");
  try {
    auto def = std::make_shared<SequenceDef>();
    def->schema = schema;
    def->name = name;
    def->id = json.at("id").get<uint32_t>();
    def->type = TypeFromJson(json.at("type"));
    def->start = json.at("start").get<int64_t>();
    def->increment = json.at("increment").get<int64_t>();
    def->min_value = json.at("min").get<int64_t>();
    def->max_value = json.at("max").get<int64_t>();
    def->cache = json.at("cache").get<int64_t>();
    def->cycle = json.at("cycle").get<bool>();
    def->owned_by_table = json.value("owned_by_table", "");
    def->owned_by_column = json.value("owned_by_column", "");
    def->privileges = PrivilegesFromJson(json);
    return std::shared_ptr<const SequenceDef>(std::move(def));
  } catch (const Json::exception& error) {
    return Status::Corruption(std::string("catalog: bad sequence definition: ") + error.what());
  }
}

}  // namespace

Result<std::shared_ptr<const SequenceDef>> Catalog::FindSequence(txn::Transaction& transaction,
                                                                 std::string_view schema,
                                                                 std::string_view name) {
  std::string value;
  PLEXUS_RETURN_IF_ERROR(transaction.Get(kFamily, ObjectKey("sequence", schema, name), &value));
  return SequenceFromJson(schema, name, value);
}

Status Catalog::CreateSequence(txn::Transaction& transaction, SequenceDef* def) {
  BumpVersion();
  PLEXUS_RETURN_IF_ERROR(CheckNameFree(transaction, def->schema, def->name));
  PLEXUS_ASSIGN_OR_RETURN(def->id, AllocateId(transaction));
  return UpdateSequence(transaction, *def);
}

Status Catalog::UpdateSequence(txn::Transaction& transaction, const SequenceDef& def) {
  BumpVersion();
  return transaction.Put(kFamily, ObjectKey("sequence", def.schema, def.name), SequenceToJson(def));
}

Status Catalog::DropSequence(txn::Transaction& transaction, const SequenceDef& def) {
  BumpVersion();
  return transaction.Delete(kFamily, ObjectKey("sequence", def.schema, def.name));
}

Result<std::vector<std::shared_ptr<const SequenceDef>>> Catalog::ListSequences(
    txn::Transaction& transaction) {
  std::string prefix = KindPrefix("sequence");
  PLEXUS_ASSIGN_OR_RETURN(auto iterator,
                          transaction.Scan(kFamily, prefix, storage::PrefixSuccessor(prefix)));
  std::vector<std::shared_ptr<const SequenceDef>> sequences;
  for (; iterator->Valid(); iterator->Next()) {
    PLEXUS_ASSIGN_OR_RETURN(std::vector<KeyPart> parts, storage::DecodeKey(iterator->key()));
    const std::string* schema = parts.size() == 3 ? std::get_if<std::string>(&parts[1].value) : nullptr;
    const std::string* name = parts.size() == 3 ? std::get_if<std::string>(&parts[2].value) : nullptr;
    if (schema == nullptr || name == nullptr) return Status::Corruption("catalog: bad sequence key");
    PLEXUS_ASSIGN_OR_RETURN(auto sequence, SequenceFromJson(*schema, *name, iterator->value()));
    sequences.push_back(std::move(sequence));
  }
  PLEXUS_RETURN_IF_ERROR(iterator->status());
  return sequences;
}

Status Catalog::CreateSchema(txn::Transaction& transaction, std::string_view name) {
  BumpVersion();
  PLEXUS_ASSIGN_OR_RETURN(bool exists, SchemaExists(transaction, name));
  if (exists) return Status::AlreadyExists("schema \"" + std::string(name) + "\" already exists");
  return transaction.Put(kFamily, ObjectKey("schema", name, ""), "{}");
}

Status Catalog::DropSchema(txn::Transaction& transaction, std::string_view name) {
  BumpVersion();
  PLEXUS_RETURN_IF_ERROR(DeleteSchemaInfo(transaction, name));
  return transaction.Delete(kFamily, ObjectKey("schema", name, ""));
}

Result<bool> Catalog::SchemaExists(txn::Transaction& transaction, std::string_view name) {
  if (name == kDefaultSchema || name == "pg_catalog" || name == "information_schema") return true;
  std::string ignored;
  Status status = transaction.Get(kFamily, ObjectKey("schema", name, ""), &ignored);
  if (status.IsNotFound()) return false;
  PLEXUS_RETURN_IF_ERROR(status);
  return true;
}

}  // namespace plexus::catalog
