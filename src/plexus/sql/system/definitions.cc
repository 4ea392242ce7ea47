#include "plexus/sql/system/definitions.h"

namespace plexus::sql::system {

namespace {

std::string ColumnList(const catalog::TableDef& table, const std::vector<uint32_t>& columns) {
  std::string text;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) text += ", ";
    text += columns[i] < table.columns.size() ? QuoteIdentifier(table.columns[columns[i]].name)
                                              : std::string("?");
  }
  return text;
}

std::string_view ActionText(catalog::ForeignKeyAction action) {
  switch (action) {
    case catalog::ForeignKeyAction::kNoAction: return "";
    case catalog::ForeignKeyAction::kRestrict: return "RESTRICT";
    case catalog::ForeignKeyAction::kCascade: return "CASCADE";
    case catalog::ForeignKeyAction::kSetNull: return "SET NULL";
    case catalog::ForeignKeyAction::kSetDefault: return "SET DEFAULT";
  }
  return "";
}

}  // namespace

std::string IndexColumns(const catalog::TableDef& table, int32_t index) {
  if (index < 0) return ColumnList(table, table.primary_key);
  const catalog::IndexDef& def = table.indexes[static_cast<size_t>(index)];
  std::string text;
  for (size_t i = 0; i < def.columns.size(); ++i) {
    if (i > 0) text += ", ";
    text += def.columns[i] < table.columns.size()
                ? QuoteIdentifier(table.columns[def.columns[i]].name) : std::string("?");
    if (i < def.descending.size() && def.descending[i]) text += " DESC";
  }
  return text;
}

std::string IndexDefinition(const catalog::TableDef& table, int32_t index) {
  const bool unique = index < 0 || table.indexes[static_cast<size_t>(index)].unique;
  const std::string name =
      index < 0 ? (table.primary_key_name.empty() ? table.name + "_pkey" : table.primary_key_name)
                : table.indexes[static_cast<size_t>(index)].name;
  return std::string("CREATE ") + (unique ? "UNIQUE " : "") + "INDEX " + QuoteIdentifier(name) +
         " ON " + QuoteIdentifier(table.schema) + "." + QuoteIdentifier(table.name) +
         " USING btree (" + IndexColumns(table, index) + ")";
}

Result<std::string> ConstraintDefinition(CatalogSnapshot& snapshot, const ConstraintInfo& info,
                                         bool pretty) {
  const catalog::TableDef& table = *info.table;
  switch (info.type) {
    case 'p': return "PRIMARY KEY (" + ColumnList(table, info.columns) + ")";
    case 'u': return "UNIQUE (" + ColumnList(table, info.columns) + ")";
    case 'c':
      return pretty ? "CHECK (" + info.check->expression + ")"
                    : "CHECK ((" + info.check->expression + "))";
    default: break;
  }
  const catalog::ForeignKeyDef& key = *info.foreign_key;
  PLEXUS_ASSIGN_OR_RETURN(const catalog::TableDef* referenced,
                          snapshot.TableByName(key.referenced_schema, key.referenced_table));
  PLEXUS_ASSIGN_OR_RETURN(std::string referenced_name,
                          RelationDisplayName(snapshot, key.referenced_schema,
                                              key.referenced_table));
  std::string text = "FOREIGN KEY (" + ColumnList(table, key.columns) + ") REFERENCES " +
                     referenced_name + "(" +
                     (referenced ? ColumnList(*referenced, key.referenced_columns) : "") + ")";
  if (!ActionText(key.on_update).empty()) {
    text += " ON UPDATE " + std::string(ActionText(key.on_update));
  }
  if (!ActionText(key.on_delete).empty()) {
    text += " ON DELETE " + std::string(ActionText(key.on_delete));
  }
  return text;
}

std::string DefaultExpressionText(const std::string& expression) {
  constexpr std::string_view kNextval = "nextval('";
  if (expression.rfind(kNextval, 0) == 0 && expression.size() > kNextval.size() + 2 &&
      expression.compare(expression.size() - 2, 2, "')") == 0) {
    return expression.substr(0, expression.size() - 1) + "::regclass)";
  }
  return expression;
}

}  // namespace plexus::sql::system
