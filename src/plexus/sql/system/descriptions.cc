// pg_description and the description functions over the comments kept in definitions.
#include "plexus/sql/system/descriptions.h"

#include "plexus/catalog/catalog.h"
#include "plexus/sql/system/function_support.h"
#include "plexus/sql/system/row_values.h"

// GCC 12 at -O1 with the sanitizers (the `make test` build) reports the std::optional<std::string>
// the kernels return through Result as maybe-uninitialized: a known false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace plexus::sql::system {

Result<std::vector<Description>> Descriptions(CatalogSnapshot& snapshot) {
  std::vector<Description> descriptions;
  PLEXUS_ASSIGN_OR_RETURN(auto schemas, snapshot.Schemas());
  for (const std::string& schema : *schemas) {
    PLEXUS_ASSIGN_OR_RETURN(std::optional<std::string> comment,
                            catalog::SchemaComment(snapshot.transaction(), schema));
    if (comment) descriptions.push_back({NamespaceOid(schema), kPgNamespaceOid, 0, *comment});
  }
  PLEXUS_ASSIGN_OR_RETURN(auto tables, snapshot.Tables());
  for (const auto& table : *tables) {
    if (!table->comment.empty()) {
      descriptions.push_back({table->id, kPgClassOid, 0, table->comment});
    }
    for (size_t i = 0; i < table->columns.size(); ++i) {
      if (table->columns[i].comment.empty()) continue;
      descriptions.push_back(
          {table->id, kPgClassOid, static_cast<int32_t>(i + 1), table->columns[i].comment});
    }
    for (const catalog::IndexDef& index : table->indexes) {
      if (!index.comment.empty()) descriptions.push_back({index.id, kPgClassOid, 0, index.comment});
    }
  }
  return descriptions;
}

Status PgDescriptionRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(std::vector<Description> descriptions, Descriptions(snapshot));
  for (const Description& description : descriptions) {
    rows->push_back({OidValue(description.object_oid), OidValue(description.class_oid),
                     Int32Value(description.sub_id), TextValue(description.text)});
  }
  return Status::Ok();
}

namespace {

// The class a catalog name given to obj_description stands for; 0 for any (one argument).
int64_t ClassOid(std::string_view catalog_name) {
  if (catalog_name == "pg_class" || catalog_name == "pg_catalog.pg_class") return kPgClassOid;
  if (catalog_name == "pg_namespace" || catalog_name == "pg_catalog.pg_namespace") {
    return kPgNamespaceOid;
  }
  return -1;  // a catalog without comments here
}

// obj_description(oid [, catalog]) and col_description(table oid, attnum): each batch reads
// the comments once.
template <bool column>
Status DescriptionKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                         Vector* out, ExecContext& context) {
  CatalogSnapshot snapshot(&context.transaction(), &context.catalog());
  std::optional<std::vector<Description>> descriptions;
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    if (args[0]->IsNull(row) || (args[1] != nullptr && args[1]->IsNull(row))) {
      return OptionalText();
    }
    if (!descriptions) {
      PLEXUS_ASSIGN_OR_RETURN(auto all, Descriptions(snapshot));
      descriptions = std::move(all);
    }
    const int64_t oid = IntegerArgument(*args[0], row);
    int64_t class_oid = 0;
    int64_t sub_id = 0;
    if (column) {
      class_oid = kPgClassOid;
      sub_id = IntegerArgument(*args[1], row);
    } else if (args[1] != nullptr) {
      class_oid = ClassOid(TextArgument(*args[1], row));
    }
    for (const Description& description : *descriptions) {
      if (description.object_oid == oid && description.sub_id == sub_id &&
          (class_oid == 0 || description.class_oid == class_oid)) {
        return OptionalText(description.text);
      }
    }
    return OptionalText();
  });
}

void AddDescriptionFunction(FunctionRegistry& registry, std::string_view name,
                            std::vector<Type> arguments, ScalarKernel kernel) {
  ScalarFunction function{std::string(name), std::move(arguments), Text(), kernel};
  function.strict = false;  // the kernels answer NULL for NULL arguments themselves
  function.volatile_ = true;  // depends on the catalog
  registry.Add(std::move(function));
}

}  // namespace

void RegisterDescriptionFunctions(FunctionRegistry& registry) {
  AddDescriptionFunction(registry, "obj_description", {Oid()}, DescriptionKernel<false>);
  AddDescriptionFunction(registry, "obj_description", {Oid(), Text()}, DescriptionKernel<false>);
  AddDescriptionFunction(registry, "col_description", {Oid(), Int4()}, DescriptionKernel<true>);
}

}  // namespace plexus::sql::system
