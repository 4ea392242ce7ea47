// Functions about the session and server: current_schema(s), current_database, current_user,
// session_user, version, pg_backend_pid, pg_get_userbyid, pg_encoding_to_char, has_*_privilege
// (every privilege is granted: roles have none to check yet), current_setting.
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/system/catalog_functions.h"
#include "plexus/sql/system/catalog_snapshot.h"
#include "plexus/sql/system/function_support.h"
#include "plexus/sql/system/name_lookup.h"
#include "plexus/sql/system/session_info.h"
#include "plexus/sql/types/array.h"

#ifndef PLEXUS_VERSION
#define PLEXUS_VERSION "0"
#endif

namespace plexus::sql::system {

namespace {

template <std::string (*kValue)()>
Status ConstantTextKernel(const Vector* const*, size_t rows, const uint8_t* active, Vector* out,
                          ExecContext&) {
  const std::string value = kValue();
  return ForEachText(rows, active, out,
                     [&](size_t) -> Result<OptionalText> { return OptionalText(value); });
}

std::string VersionText() {
  return "PostgreSQL 15.0 (Plexus " PLEXUS_VERSION ") on x86_64-pc-linux-gnu, 64-bit";
}

Status CurrentSchemaKernel(const Vector* const*, size_t rows, const uint8_t* active,
                           Vector* out, ExecContext& context) {
  BindScope scope(&context.transaction(), &context.catalog());
  const std::vector<std::string>& schemas = SearchPathSchemas();
  return ForEachText(rows, active, out, [&](size_t) -> Result<OptionalText> {
    return schemas.empty() ? OptionalText() : OptionalText(schemas.front());
  });
}

Status CurrentSchemasKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                            Vector* out, ExecContext& context) {
  BindScope scope(&context.transaction(), &context.catalog());
  const std::vector<std::string>& schemas = SearchPathSchemas();
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    ArrayBuilder builder(Type::Of(TypeId::kText));
    bool has_catalog = false;
    for (const std::string& schema : schemas) has_catalog = has_catalog || schema == "pg_catalog";
    if (args[0]->values<uint8_t>()[row] != 0 && !has_catalog) {
      builder.AppendValue(Value::Text("pg_catalog"));
    }
    for (const std::string& schema : schemas) builder.AppendValue(Value::Text(schema));
    return OptionalText(builder.Finish());
  });
}

Status BackendPidKernel(const Vector* const*, size_t rows, const uint8_t* active, Vector* out,
                        ExecContext&) {
  const int64_t pid = CurrentBackendPid();
  return ForEachInteger(rows, active, out,
                        [&](size_t) -> Result<OptionalInteger> { return OptionalInteger(pid); });
}

Status UserByIdKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                      ExecContext& context) {
  CatalogSnapshot snapshot(&context.transaction(), &context.catalog());
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    PLEXUS_ASSIGN_OR_RETURN(std::string name,
                            RoleName(snapshot, IntegerArgument(*args[0], row)));
    return OptionalText(std::move(name));
  });
}

Status EncodingKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                      ExecContext&) {
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    const int64_t encoding = IntegerArgument(*args[0], row);
    return OptionalText(encoding == 6 ? "UTF8" : encoding == 0 ? "SQL_ASCII" : "");
  });
}

Status PrivilegeKernel(const Vector* const*, size_t rows, const uint8_t* active, Vector* out,
                       ExecContext&) {
  return ForEachInteger(rows, active, out,
                        [](size_t) -> Result<OptionalInteger> { return OptionalInteger(1); });
}

Status FalseOrZeroOidKernel(const Vector* const*, size_t rows, const uint8_t* active, Vector* out,
                            ExecContext&) {
  return ForEachInteger(rows, active, out,
                        [](size_t) -> Result<OptionalInteger> { return OptionalInteger(0); });
}

// current_setting(name [, missing_ok]).
Status CurrentSettingKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                            Vector* out, ExecContext&) {
  const SessionInfo* info = CurrentSessionInfo();
  std::vector<SettingRow> settings;
  if (info != nullptr) settings = info->settings();
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    std::string name(TextArgument(*args[0], row));
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (const SettingRow& setting : settings) {
      std::string lower = setting.name;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (lower == name) return OptionalText(setting.value);
    }
    if (name == "server_version_num") return OptionalText("150000");
    if (name == "server_version") return OptionalText("15.0 (Plexus)");
    const bool missing_ok = args[1] != nullptr && args[1]->values<uint8_t>()[row] != 0;
    if (missing_ok) return OptionalText();
    return SqlError(kUndefinedObject,
                    "unrecognized configuration parameter \"" + name + "\"");
  });
}

void AddSessionFunction(FunctionRegistry& registry, std::string_view name,
                        std::vector<Type> arguments, Type result, ScalarKernel kernel) {
  ScalarFunction function{std::string(name), std::move(arguments), result, kernel};
  function.volatile_ = true;  // depends on the session
  registry.Add(std::move(function));
}

}  // namespace

void RegisterSessionFunctions(FunctionRegistry& registry) {
  AddSessionFunction(registry, "current_schema", {}, Text(), CurrentSchemaKernel);
  AddSessionFunction(registry, "current_schemas", {Bool()}, Type::ArrayOf(TypeId::kText),
                     CurrentSchemasKernel);
  AddSessionFunction(registry, "current_database", {}, Text(), ConstantTextKernel<CurrentDatabase>);
  AddSessionFunction(registry, "current_catalog", {}, Text(), ConstantTextKernel<CurrentDatabase>);
  AddSessionFunction(registry, "current_user", {}, Text(), ConstantTextKernel<CurrentUser>);
  AddSessionFunction(registry, "current_role", {}, Text(), ConstantTextKernel<CurrentUser>);
  AddSessionFunction(registry, "session_user", {}, Text(), ConstantTextKernel<CurrentUser>);
  AddSessionFunction(registry, "user", {}, Text(), ConstantTextKernel<CurrentUser>);
  AddSessionFunction(registry, "version", {}, Text(), ConstantTextKernel<VersionText>);
  AddSessionFunction(registry, "pg_backend_pid", {}, Int4(), BackendPidKernel);
  AddSessionFunction(registry, "pg_get_userbyid", {Oid()}, Text(), UserByIdKernel);
  AddSessionFunction(registry, "pg_encoding_to_char", {Int4()}, Text(), EncodingKernel);
  AddSessionFunction(registry, "pg_is_in_recovery", {}, Bool(), FalseOrZeroOidKernel);
  AddSessionFunction(registry, "pg_my_temp_schema", {}, Oid(), FalseOrZeroOidKernel);
  AddSessionFunction(registry, "pg_is_other_temp_schema", {Oid()}, Bool(), FalseOrZeroOidKernel);
  AddSessionFunction(registry, "current_setting", {Text()}, Text(), CurrentSettingKernel);
  AddSessionFunction(registry, "current_setting", {Text(), Bool()}, Text(), CurrentSettingKernel);
  // Objects without privileges of their own yet: every check passes.
  for (std::string_view name : {"has_database_privilege",
                                "has_function_privilege", "has_any_column_privilege",
                                "has_tablespace_privilege", "has_type_privilege"}) {
    for (const Type& object : {Text(), Oid()}) {
      AddSessionFunction(registry, name, {object, Text()}, Bool(), PrivilegeKernel);
      AddSessionFunction(registry, name, {Text(), object, Text()}, Bool(), PrivilegeKernel);
      AddSessionFunction(registry, name, {Oid(), object, Text()}, Bool(), PrivilegeKernel);
    }
  }
  AddSessionFunction(registry, "has_column_privilege", {Text(), Text(), Text()}, Bool(),
                     PrivilegeKernel);
  AddSessionFunction(registry, "has_column_privilege", {Oid(), Text(), Text()}, Bool(),
                     PrivilegeKernel);
  AddSessionFunction(registry, "has_column_privilege", {Oid(), Type::Of(TypeId::kInt16), Text()},
                     Bool(), PrivilegeKernel);
  RegisterPrivilegeFunctions(registry);
  // json_build_object: the jsonb builder (json's text keeps key order and spacing, which
  // jsonb does not; tools read it back as JSON either way).
  std::vector<ScalarFunction> copies;
  for (const ScalarFunction* function : registry.Overloads("jsonb_build_object")) {
    copies.push_back(*function);
    copies.back().name = "json_build_object";
  }
  for (ScalarFunction& copy : copies) registry.Add(std::move(copy));
}

}  // namespace plexus::sql::system
