// \d, \dt and \d NAME with psql 15's titles, columns, footers and orderings (describe.c).
#include "plexus/app/sql_describe.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "plexus/catalog/type.h"

namespace plexus::app {
namespace {

// No roles yet: every relation belongs to the one built-in owner.
constexpr std::string_view kOwner = "plexus";

struct QualifiedName {
  std::string schema;  // empty: not qualified
  std::string name;
};

// Splits `schema.name`, folding unquoted parts to lower case and keeping quoted ones ("" is a
// quote inside quotes), as psql's processSQLNamePattern does for a pattern without wildcards.
QualifiedName ParseName(std::string_view text) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      if (quoted && i + 1 < text.size() && text[i + 1] == '"') {
        parts.back() += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == '.' && !quoted) {
      parts.emplace_back();
    } else {
      parts.back() += quoted ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (parts.size() == 1) return {"", parts[0]};
  return {parts[parts.size() - 2], parts.back()};
}

// "t" in the search path (public), else "schema.t", as psql names a referenced table.
std::string VisibleName(std::string_view schema, std::string_view name) {
  if (schema == catalog::kDefaultSchema) return std::string(name);
  return std::string(schema) + "." + std::string(name);
}

std::string ColumnList(const catalog::TableDef& table, const std::vector<uint32_t>& positions,
                       const std::vector<bool>* descending = nullptr) {
  std::string text;
  for (size_t i = 0; i < positions.size(); ++i) {
    if (i > 0) text += ", ";
    text += table.columns[positions[i]].name;
    if (descending != nullptr && i < descending->size() && (*descending)[i]) text += " DESC";
  }
  return text;
}

std::string_view ActionText(catalog::ForeignKeyAction action) {
  switch (action) {
    case catalog::ForeignKeyAction::kNoAction:
      return "";
    case catalog::ForeignKeyAction::kRestrict:
      return "RESTRICT";
    case catalog::ForeignKeyAction::kCascade:
      return "CASCADE";
    case catalog::ForeignKeyAction::kSetNull:
      return "SET NULL";
    case catalog::ForeignKeyAction::kSetDefault:
      return "SET DEFAULT";
  }
  return "";
}

// As pg_get_constraintdef: FOREIGN KEY (a) REFERENCES t(id) ON UPDATE ... ON DELETE ...
std::string ForeignKeyText(const catalog::TableDef& table, const catalog::ForeignKeyDef& key,
                           const catalog::TableDef* referenced) {
  std::string text = "FOREIGN KEY (" + ColumnList(table, key.columns) + ") REFERENCES " +
                     VisibleName(key.referenced_schema, key.referenced_table) + "(";
  if (referenced != nullptr) text += ColumnList(*referenced, key.referenced_columns);
  text += ")";
  if (!ActionText(key.on_update).empty()) text += " ON UPDATE " + std::string(ActionText(key.on_update));
  if (!ActionText(key.on_delete).empty()) text += " ON DELETE " + std::string(ActionText(key.on_delete));
  return text;
}

const catalog::TableDef* FindIn(const std::vector<catalog::TableDefPtr>& tables,
                                std::string_view schema, std::string_view name) {
  for (const catalog::TableDefPtr& table : tables) {
    if (table->schema == schema && table->name == name) return table.get();
  }
  return nullptr;
}

// "Indexes:": the primary key first, then the other indexes by name (psql orders by
// indisprimary DESC, relname). UNIQUE constraints show as unique indexes: the catalog does
// not record which of the two created an index.
void AddIndexFooters(const catalog::TableDef& table, std::vector<std::string>* footers) {
  std::vector<const catalog::IndexDef*> indexes;
  for (const catalog::IndexDef& index : table.indexes) indexes.push_back(&index);
  std::sort(indexes.begin(), indexes.end(),
            [](const catalog::IndexDef* a, const catalog::IndexDef* b) { return a->name < b->name; });
  if (table.primary_key.empty() && indexes.empty()) return;
  footers->push_back("Indexes:");
  if (!table.primary_key.empty()) {
    footers->push_back("    \"" + table.primary_key_name + "\" PRIMARY KEY, btree (" +
                       ColumnList(table, table.primary_key) + ")");
  }
  for (const catalog::IndexDef* index : indexes) {
    footers->push_back("    \"" + index->name + "\" " + (index->unique ? "UNIQUE, " : "") +
                       "btree (" + ColumnList(table, index->columns, &index->descending) + ")");
  }
}

void AddConstraintFooters(const catalog::TableDef& table,
                          const std::vector<catalog::TableDefPtr>& tables,
                          std::vector<std::string>* footers) {
  std::vector<catalog::CheckDef> checks = table.checks;
  std::sort(checks.begin(), checks.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  if (!checks.empty()) footers->push_back("Check constraints:");
  for (const catalog::CheckDef& check : checks) {
    footers->push_back("    \"" + check.name + "\" CHECK (" + check.expression + ")");
  }
  std::vector<catalog::ForeignKeyDef> keys = table.foreign_keys;
  std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  if (!keys.empty()) footers->push_back("Foreign-key constraints:");
  for (const catalog::ForeignKeyDef& key : keys) {
    const catalog::TableDef* referenced =
        FindIn(tables, key.referenced_schema, key.referenced_table);
    footers->push_back("    \"" + key.name + "\" " + ForeignKeyText(table, key, referenced));
  }
  // "Referenced by:" every foreign key of any table that points here, by constraint name.
  std::vector<std::pair<std::string, std::string>> references;  // (name, line)
  for (const catalog::TableDefPtr& other : tables) {
    for (const catalog::ForeignKeyDef& key : other->foreign_keys) {
      if (key.referenced_schema != table.schema || key.referenced_table != table.name) continue;
      references.emplace_back(key.name, "    TABLE \"" + VisibleName(other->schema, other->name) +
                                            "\" CONSTRAINT \"" + key.name + "\" " +
                                            ForeignKeyText(*other, key, &table));
    }
  }
  std::sort(references.begin(), references.end());
  if (!references.empty()) footers->push_back("Referenced by:");
  for (const auto& reference : references) footers->push_back(reference.second);
}

TextTable ColumnTable(std::string title) {
  TextTable table;
  table.title = std::move(title);
  table.headers = {"Column", "Type", "Collation", "Nullable", "Default"};
  table.alignments.assign(table.headers.size(), Alignment::kLeft);
  table.row_count_footer = false;
  return table;
}

TextTable DescribeTable(const catalog::TableDef& def,
                        const std::vector<catalog::TableDefPtr>& tables) {
  TextTable table = ColumnTable("Table \"" + def.schema + "." + def.name + "\"");
  for (uint32_t position = 0; position < def.columns.size(); ++position) {
    const catalog::ColumnDef& column = def.columns[position];
    const bool in_key = std::find(def.primary_key.begin(), def.primary_key.end(), position) !=
                        def.primary_key.end();
    table.rows.push_back({column.name, catalog::FormatType(column.type), "",
                          column.not_null || in_key ? "not null" : "", column.default_expression});
  }
  AddIndexFooters(def, &table.footers);
  AddConstraintFooters(def, tables, &table.footers);
  return table;
}

// Collects the columns a view's query returns (its rows are never read: LIMIT 0).
class ColumnSink : public session::ResultSink {
 public:
  Status BeginRows(const std::vector<session::ResultColumn>& columns) override {
    columns_ = columns;
    return Status::Ok();
  }
  Status Rows(const sql::Batch&) override { return Status::Ok(); }
  Status Complete(std::string_view) override { return Status::Ok(); }
  std::vector<session::ResultColumn> columns_;
};

std::string QuoteIdentifier(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

Result<TextTable> DescribeView(session::Engine& engine, const catalog::ViewDef& view) {
  session::Session session(&engine);
  ColumnSink sink;
  PLEXUS_RETURN_IF_ERROR(session.Execute("SELECT * FROM " + QuoteIdentifier(view.schema) + "." +
                                             QuoteIdentifier(view.name) + " LIMIT 0",
                                         sink));
  TextTable table = ColumnTable("View \"" + view.schema + "." + view.name + "\"");
  for (const session::ResultColumn& column : sink.columns_) {
    table.rows.push_back({column.name, catalog::FormatType(column.type), "", "", ""});
  }
  return table;
}

}  // namespace

Result<TextTable> ListRelations(session::Engine& engine, std::string_view name) {
  const QualifiedName qualified = ParseName(name);
  std::unique_ptr<txn::Transaction> transaction = engine.transactions().Begin();
  PLEXUS_ASSIGN_OR_RETURN(std::vector<catalog::TableDefPtr> tables,
                          engine.catalog().ListTables(*transaction));
  // Read only; nothing to keep.
  [[maybe_unused]] Status rolled_back = transaction->Rollback();
  std::sort(tables.begin(), tables.end(), [](const auto& a, const auto& b) {
    return std::tie(a->schema, a->name) < std::tie(b->schema, b->name);
  });
  TextTable table;
  table.title = "List of relations";
  table.headers = {"Schema", "Name", "Type", "Owner"};
  table.alignments.assign(table.headers.size(), Alignment::kLeft);
  for (const catalog::TableDefPtr& def : tables) {
    if (name.empty() && def->schema != catalog::kDefaultSchema) continue;  // not in search path
    if (!name.empty() && (def->name != qualified.name ||
                          def->schema != (qualified.schema.empty() ? catalog::kDefaultSchema
                                                                   : qualified.schema))) {
      continue;
    }
    table.rows.push_back({def->schema, def->name, "table", std::string(kOwner)});
  }
  return table;
}

Result<TextTable> DescribeRelation(session::Engine& engine, std::string_view name) {
  QualifiedName qualified = ParseName(name);
  const std::string schema =
      qualified.schema.empty() ? std::string(catalog::kDefaultSchema) : qualified.schema;
  std::unique_ptr<txn::Transaction> transaction = engine.transactions().Begin();
  PLEXUS_ASSIGN_OR_RETURN(std::vector<catalog::TableDefPtr> tables,
                          engine.catalog().ListTables(*transaction));
  Result<std::shared_ptr<const catalog::ViewDef>> view =
      engine.catalog().FindView(*transaction, schema, qualified.name);
  // Read only; nothing to keep.
  [[maybe_unused]] Status rolled_back = transaction->Rollback();
  if (const catalog::TableDef* def = FindIn(tables, schema, qualified.name)) {
    return DescribeTable(*def, tables);
  }
  if (view.ok()) return DescribeView(engine, **view);
  if (!view.status().IsNotFound()) return view.status();
  return Status::NotFound("Did not find any relation named \"" + std::string(name) + "\".");
}

}  // namespace plexus::app
