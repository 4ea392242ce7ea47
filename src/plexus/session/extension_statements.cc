#include "plexus/session/extension_statements.h"

#include <string>

#include "plexus/catalog/catalog.h"
#include "plexus/catalog/extensions.h"
#include "plexus/session/session.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::session {

namespace {

std::string Quoted(std::string_view name) { return "extension \"" + std::string(name) + "\""; }

Status NotAvailable(std::string_view name) {
  std::string provided;
  for (const catalog::AvailableExtension& extension : catalog::AvailableExtensions()) {
    if (!provided.empty()) provided += ", ";
    provided += extension.name;
  }
  Status status = sql::SqlError(sql::kFeatureNotSupported, Quoted(name) + " is not available");
  status.SetHint("The extensions Plexus provides are: " + provided + ".");
  return status;
}

std::string_view StringArgument(const PgQuery__DefElem& option) {
  if (option.arg == nullptr) return {};
  if (option.arg->node_case == PG_QUERY__NODE__NODE_STRING) return option.arg->string->sval;
  return {};
}

}  // namespace

Status ExecuteCreateExtension(const PgQuery__CreateExtensionStmt& statement,
                              RoleStatementContext& context) {
  const std::string_view name = statement.extname;
  const catalog::AvailableExtension* extension = catalog::FindAvailableExtension(name);
  if (extension == nullptr) return NotAvailable(name);
  std::string schema(catalog::kDefaultSchema);
  for (size_t i = 0; i < statement.n_options; ++i) {
    const PgQuery__DefElem& option = *statement.options[i]->def_elem;
    const std::string_view option_name = option.defname;
    if (option_name == "schema") {
      schema = StringArgument(option);
    } else if (option_name == "new_version" && StringArgument(option) != extension->version) {
      return sql::SqlError(sql::kInvalidParameterValue,
                           "extension \"" + std::string(name) + "\" has no installation script " +
                               "nor update path for version \"" +
                               std::string(StringArgument(option)) + "\"");
    }
  }
  PLEXUS_ASSIGN_OR_RETURN(const bool installed,
                          catalog::ExtensionInstalled(*context.transaction, name));
  if (installed) {
    if (!statement.if_not_exists) {
      return sql::SqlError(sql::kDuplicateObject, Quoted(name) + " already exists");
    }
    context.sink->Notice({.message = Quoted(name) + " already exists, skipping"});
    return context.sink->Complete("CREATE EXTENSION");
  }
  PLEXUS_ASSIGN_OR_RETURN(const bool schema_exists,
                          context.catalog->SchemaExists(*context.transaction, schema));
  if (!schema_exists) {
    return sql::SqlError(sql::kInvalidSchemaName, "schema \"" + schema + "\" does not exist");
  }
  PLEXUS_RETURN_IF_ERROR(catalog::InstallExtension(*context.transaction, name, schema));
  return context.sink->Complete("CREATE EXTENSION");
}

Status ExecuteDropExtension(const PgQuery__DropStmt& statement, RoleStatementContext& context) {
  // Checked first, as PostgreSQL does, so that a failing name drops none of the others.
  for (size_t i = 0; i < statement.n_objects; ++i) {
    const std::string_view name = statement.objects[i]->string->sval;
    const catalog::AvailableExtension* extension = catalog::FindAvailableExtension(name);
    if (extension != nullptr && extension->built_in) {
      return sql::SqlError(sql::kFeatureNotSupported,
                           "cannot drop " + Quoted(name) + ": it is built into Plexus");
    }
  }
  for (size_t i = 0; i < statement.n_objects; ++i) {
    const std::string_view name = statement.objects[i]->string->sval;
    PLEXUS_ASSIGN_OR_RETURN(const bool installed,
                            catalog::ExtensionInstalled(*context.transaction, name));
    if (!installed) {
      if (!statement.missing_ok) {
        return sql::SqlError(sql::kUndefinedObject, Quoted(name) + " does not exist");
      }
      context.sink->Notice({.message = Quoted(name) + " does not exist, skipping"});
      continue;
    }
    PLEXUS_RETURN_IF_ERROR(catalog::UninstallExtension(*context.transaction, name));
  }
  return context.sink->Complete("DROP EXTENSION");
}

}  // namespace plexus::session
