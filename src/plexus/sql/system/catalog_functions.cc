// Catalog functions over the objects of the catalog: definitions as text, visibility, names of
// OIDs. OIDs are bigint; each kernel loads the catalog once per batch (CatalogSnapshot).
#include "plexus/sql/system/catalog_functions.h"

#include "plexus/catalog/catalog.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/system/catalog_snapshot.h"
#include "plexus/sql/system/definitions.h"
#include "plexus/sql/system/descriptions.h"
#include "plexus/sql/system/function_support.h"
#include "plexus/sql/system/name_lookup.h"
#include "plexus/sql/system/row_generators.h"
#include "plexus/sql/system/session_info.h"
#include "plexus/sql/system/system_relations.h"
#include "plexus/sql/types/array.h"

// GCC 12 at -O1 with the sanitizers (the `make test` build) reports the std::optional<std::string>
// these kernels return through Result as maybe-uninitialized: a known false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace plexus::sql::system {

namespace {

// A snapshot for a kernel, with search_path resolution against the statement's transaction.
struct KernelCatalog {
  explicit KernelCatalog(ExecContext& context)
      : scope(&context.transaction(), &context.catalog()),
        snapshot(&context.transaction(), &context.catalog()) {}
  BindScope scope;
  CatalogSnapshot snapshot;
};

// format_type(type oid, typmod): not strict, a NULL typmod is "no modifier"; NULL type: NULL.
Status FormatTypeKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                        ExecContext&) {
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    if (args[0]->IsNull(row)) return OptionalText();
    const int64_t oid = IntegerArgument(*args[0], row);
    // Without a modifier bpchar is "character"; with -1 given, "bpchar" (PostgreSQL's rule).
    if (args[1]->IsNull(row)) {
      return OptionalText(oid == 1042 ? "character" : FormatTypeOid(oid, -1));
    }
    return OptionalText(FormatTypeOid(oid, static_cast<int32_t>(IntegerArgument(*args[1], row))));
  });
}

Status IndexDefKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                      ExecContext& context) {
  KernelCatalog kernel(context);
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    const int64_t oid = IntegerArgument(*args[0], row);
    const int64_t column = args[1] != nullptr ? IntegerArgument(*args[1], row) : 0;
    PLEXUS_ASSIGN_OR_RETURN(auto tables, kernel.snapshot.Tables());
    for (const auto& table : *tables) {
      std::vector<uint32_t> columns;
      int32_t position = -2;
      if (!table->primary_key.empty() && PrimaryKeyIndexOid(table->id) == oid) {
        position = -1;
        columns = table->primary_key;
      }
      for (size_t i = 0; i < table->indexes.size() && position == -2; ++i) {
        if (table->indexes[i].id == oid) {
          position = static_cast<int32_t>(i);
          columns = table->indexes[i].columns;
        }
      }
      if (position == -2) continue;
      if (column <= 0) return OptionalText(IndexDefinition(*table, position));
      if (static_cast<size_t>(column) > columns.size()) return OptionalText();
      return OptionalText(QuoteIdentifier(table->columns[columns[column - 1]].name));
    }
    return OptionalText();
  });
}

Status ConstraintDefKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                           Vector* out, ExecContext& context) {
  KernelCatalog kernel(context);
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    PLEXUS_ASSIGN_OR_RETURN(auto info,
                            kernel.snapshot.ConstraintByOid(IntegerArgument(*args[0], row)));
    if (!info) return OptionalText();
    const bool pretty = args[1] != nullptr && args[1]->values<uint8_t>()[row] != 0;
    PLEXUS_ASSIGN_OR_RETURN(std::string text,
                            ConstraintDefinition(kernel.snapshot, *info, pretty));
    return OptionalText(std::move(text));
  });
}

Result<OptionalText> ViewDefinition(CatalogSnapshot& snapshot, int64_t oid) {
  PLEXUS_ASSIGN_OR_RETURN(auto views, snapshot.Views());
  for (const ViewInfo& view : *views) {
    if (ViewOid(view.schema, view.name) == oid) return OptionalText(" " + view.query + ";");
  }
  return OptionalText();
}

Status ViewDefKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                     ExecContext& context) {
  KernelCatalog kernel(context);
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    return ViewDefinition(kernel.snapshot, IntegerArgument(*args[0], row));
  });
}

Status ViewDefByNameKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                           Vector* out, ExecContext& context) {
  KernelCatalog kernel(context);
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    PLEXUS_ASSIGN_OR_RETURN(int64_t oid, LookupRelationOid(kernel.snapshot,
                                                           TextArgument(*args[0], row), true));
    return ViewDefinition(kernel.snapshot, oid);
  });
}

// pg_get_expr(text, relation): our stored expressions are SQL text already.
Status GetExprKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                     ExecContext&) {
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    return OptionalText(std::string(TextArgument(*args[0], row)));
  });
}

Status TableIsVisibleKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                            Vector* out, ExecContext& context) {
  KernelCatalog kernel(context);
  return ForEachInteger(rows, active, out, [&](size_t row) -> Result<OptionalInteger> {
    PLEXUS_ASSIGN_OR_RETURN(auto relation,
                            RelationByOid(kernel.snapshot, IntegerArgument(*args[0], row)));
    if (!relation) return OptionalInteger();
    PLEXUS_ASSIGN_OR_RETURN(bool visible,
                            RelationVisible(kernel.snapshot, relation->schema, relation->name));
    return OptionalInteger(visible ? 1 : 0);
  });
}

Status TrueKernel(const Vector* const*, size_t rows, const uint8_t* active, Vector* out,
                  ExecContext&) {
  return ForEachInteger(rows, active, out,
                        [](size_t) -> Result<OptionalInteger> { return OptionalInteger(1); });
}

Status FalseKernel(const Vector* const*, size_t rows, const uint8_t* active, Vector* out,
                   ExecContext&) {
  return ForEachInteger(rows, active, out,
                        [](size_t) -> Result<OptionalInteger> { return OptionalInteger(0); });
}

Status ZeroKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                  ExecContext& context) {
  return FalseKernel(args, rows, active, out, context);
}

Status NullKernel(const Vector* const*, size_t rows, const uint8_t* active, Vector* out,
                  ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (active[row]) out->SetNull(row, true);
  }
  return Status::Ok();
}

Status RegclassOutKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                         Vector* out, ExecContext& context) {
  KernelCatalog kernel(context);
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    const int64_t oid = IntegerArgument(*args[0], row);
    PLEXUS_ASSIGN_OR_RETURN(auto relation, RelationByOid(kernel.snapshot, oid));
    if (!relation) return OptionalText(oid == 0 ? "-" : std::to_string(oid));
    PLEXUS_ASSIGN_OR_RETURN(std::string name, RelationDisplayName(kernel.snapshot,
                                                                  relation->schema,
                                                                  relation->name));
    return OptionalText(std::move(name));
  });
}

Status RegtypeOutKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                        Vector* out, ExecContext&) {
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    const int64_t oid = IntegerArgument(*args[0], row);
    if (oid == 0) return OptionalText("-");
    std::string name = FormatTypeOid(oid, -1);
    return OptionalText(name == "???" ? std::to_string(oid) : name);
  });
}

Status RegnamespaceOutKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                             Vector* out, ExecContext& context) {
  KernelCatalog kernel(context);
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    const int64_t oid = IntegerArgument(*args[0], row);
    PLEXUS_ASSIGN_OR_RETURN(auto schema, kernel.snapshot.SchemaByOid(oid));
    return OptionalText(schema ? QuoteIdentifier(*schema) : std::to_string(oid));
  });
}

Status RegroleOutKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                        Vector* out, ExecContext& context) {
  KernelCatalog kernel(context);
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    PLEXUS_ASSIGN_OR_RETURN(std::string name,
                            RoleName(kernel.snapshot, IntegerArgument(*args[0], row)));
    return OptionalText(std::move(name));
  });
}

template <Result<int64_t> (*kLookup)(CatalogSnapshot&, std::string_view, bool)>
Status ToRegKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                   ExecContext& context) {
  KernelCatalog kernel(context);
  return ForEachInteger(rows, active, out, [&](size_t row) -> Result<OptionalInteger> {
    PLEXUS_ASSIGN_OR_RETURN(int64_t oid,
                            kLookup(kernel.snapshot, TextArgument(*args[0], row), false));
    return oid == 0 ? OptionalInteger() : OptionalInteger(oid);
  });
}

// A relation size function given the relation's name, as PostgreSQL's regclass argument takes
// 'name' (42P01 when there is none): 0, as for an OID.
Status RelationSizeByNameKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                                Vector* out, ExecContext& context) {
  KernelCatalog kernel(context);
  return ForEachInteger(rows, active, out, [&](size_t row) -> Result<OptionalInteger> {
    PLEXUS_RETURN_IF_ERROR(
        LookupRelationOid(kernel.snapshot, TextArgument(*args[0], row), true).status());
    return OptionalInteger(0);
  });
}

Result<int64_t> TypeLookup(CatalogSnapshot&, std::string_view text, bool missing_error) {
  return LookupTypeOid(text, missing_error);
}
Result<int64_t> RoleLookup(CatalogSnapshot& snapshot, std::string_view text,
                           bool missing_error) {
  return LookupRoleOid(snapshot, text, missing_error);
}

// pg_get_serial_sequence(table, column): the sequence owned by the column, qualified.
Status SerialSequenceKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                            Vector* out, ExecContext& context) {
  KernelCatalog kernel(context);
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    PLEXUS_ASSIGN_OR_RETURN(int64_t oid, LookupRelationOid(kernel.snapshot,
                                                           TextArgument(*args[0], row), true));
    PLEXUS_ASSIGN_OR_RETURN(const catalog::TableDef* table, kernel.snapshot.TableByOid(oid));
    if (table == nullptr) return OptionalText();
    const std::string column(TextArgument(*args[1], row));
    if (!table->FindColumn(column)) {
      return SqlError(kUndefinedColumn, "column \"" + column + "\" of relation \"" +
                                            table->name + "\" does not exist");
    }
    PLEXUS_ASSIGN_OR_RETURN(auto sequences, kernel.snapshot.Sequences());
    for (const auto& sequence : *sequences) {
      if (sequence->schema == table->schema && sequence->owned_by_table == table->name &&
          sequence->owned_by_column == column) {
        return OptionalText(QuoteIdentifier(sequence->schema) + "." +
                            QuoteIdentifier(sequence->name));
      }
    }
    return OptionalText();
  });
}

// int2vector's text form: the elements separated by spaces.
Status Int2VectorOutKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                           Vector* out, ExecContext&) {
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    PLEXUS_ASSIGN_OR_RETURN(ArrayView array, ArrayView::Open(TextArgument(*args[0], row),
                                                             Type::Of(TypeId::kInt16)));
    std::string text;
    for (size_t i = 0; i < array.size(); ++i) {
      if (i > 0) text += ' ';
      text += std::to_string(array.Get(i).integer_value());
    }
    return OptionalText(std::move(text));
  });
}

// pg_size_pretty(bigint), PostgreSQL 15's units and rounding.
Status SizePrettyKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                        Vector* out, ExecContext&) {
  struct Unit { std::string_view name; int64_t limit; bool round; int bits; };
  static constexpr Unit kUnits[] = {
      {"bytes", 10 * 1024, false, 0}, {"kB", 20 * 1024 - 1, true, 10},
      {"MB", 20 * 1024 - 1, true, 20}, {"GB", 20 * 1024 - 1, true, 30},
      {"TB", 20 * 1024 - 1, true, 40}, {"PB", 20 * 1024 - 1, true, 50}};
  constexpr size_t kUnitCount = sizeof(kUnits) / sizeof(kUnits[0]);
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    int64_t size = IntegerArgument(*args[0], row);
    for (size_t i = 0; i < kUnitCount; ++i) {
      const int64_t magnitude = size < 0 ? -size : size;
      if (i + 1 == kUnitCount || magnitude < kUnits[i].limit) {
        if (kUnits[i].round) size = (size + (size < 0 ? -1 : 1)) / 2;
        return OptionalText(std::to_string(size) + " " + std::string(kUnits[i].name));
      }
      const int bits = kUnits[i + 1].bits - kUnits[i].bits - (kUnits[i + 1].round ? 1 : 0) +
                       (kUnits[i].round ? 1 : 0);
      size /= int64_t{1} << bits;
    }
    return OptionalText();
  });
}

void Add(FunctionRegistry& registry, std::string_view name, std::vector<Type> arguments,
         Type result, ScalarKernel kernel, bool strict = true) {
  ScalarFunction function{std::string(name), std::move(arguments), result, kernel};
  function.strict = strict;
  // Results depend on the catalog and session, so they are never folded at bind time.
  function.volatile_ = true;
  registry.Add(std::move(function));
}

}  // namespace

void RegisterCatalogFunctions(FunctionRegistry& registry) {
  Add(registry, "format_type", {Oid(), Int4()}, Text(), FormatTypeKernel, false);
  Add(registry, "pg_get_indexdef", {Oid()}, Text(), IndexDefKernel);
  Add(registry, "pg_get_indexdef", {Oid(), Int4(), Bool()}, Text(), IndexDefKernel);
  Add(registry, "pg_get_constraintdef", {Oid()}, Text(), ConstraintDefKernel);
  Add(registry, "pg_get_constraintdef", {Oid(), Bool()}, Text(), ConstraintDefKernel);
  // By name first: an unknown literal takes the first of equally good overloads, and
  // PostgreSQL resolves pg_get_viewdef('v') to the text one.
  Add(registry, "pg_get_viewdef", {Text()}, Text(), ViewDefByNameKernel);
  Add(registry, "pg_get_viewdef", {Text(), Bool()}, Text(), ViewDefByNameKernel);
  Add(registry, "pg_get_viewdef", {Oid()}, Text(), ViewDefKernel);
  Add(registry, "pg_get_viewdef", {Oid(), Bool()}, Text(), ViewDefKernel);
  Add(registry, "pg_get_expr", {Text(), Oid()}, Text(), GetExprKernel);
  Add(registry, "pg_get_expr", {Text(), Oid(), Bool()}, Text(), GetExprKernel);
  Add(registry, "pg_table_is_visible", {Oid()}, Bool(), TableIsVisibleKernel);
  Add(registry, "pg_type_is_visible", {Oid()}, Bool(), TrueKernel);
  Add(registry, "pg_function_is_visible", {Oid()}, Bool(), TrueKernel);
  Add(registry, "pg_collation_is_visible", {Oid()}, Bool(), TrueKernel);
  RegisterDescriptionFunctions(registry);  // obj_description, col_description
  Add(registry, "shobj_description", {Oid(), Text()}, Text(), NullKernel, false);
  Add(registry, "pg_get_triggerdef", {Oid()}, Text(), NullKernel, false);
  Add(registry, "pg_get_triggerdef", {Oid(), Bool()}, Text(), NullKernel, false);
  Add(registry, "pg_get_statisticsobjdef_columns", {Oid()}, Text(), NullKernel, false);
  // Plexus has no partitions: no ancestors (PostgreSQL returns a set; one NULL row here
  // means the same in IN (...)).
  Add(registry, "pg_partition_ancestors", {Oid()}, Oid(), NullKernel, false);
  Add(registry, "pg_relation_is_publishable", {Oid()}, Bool(), FalseKernel);
  Add(registry, "pg_get_serial_sequence", {Text(), Text()}, Text(), SerialSequenceKernel);
  Add(registry, "int2vectorout", {Int2VectorType()}, Text(), Int2VectorOutKernel);
  Add(registry, "regclassout", {Oid()}, Text(), RegclassOutKernel);
  Add(registry, "regtypeout", {Oid()}, Text(), RegtypeOutKernel);
  Add(registry, "regnamespaceout", {Oid()}, Text(), RegnamespaceOutKernel);
  Add(registry, "regroleout", {Oid()}, Text(), RegroleOutKernel);
  Add(registry, "to_regclass", {Text()}, Oid(), ToRegKernel<LookupRelationOid>);
  Add(registry, "to_regtype", {Text()}, Oid(), ToRegKernel<TypeLookup>);
  Add(registry, "to_regnamespace", {Text()}, Oid(), ToRegKernel<LookupNamespaceOid>);
  Add(registry, "to_regrole", {Text()}, Oid(), ToRegKernel<RoleLookup>);
  // Sizes are not tracked per relation: 0 (RocksDB shares its files between tables). A
  // relation is given by OID or, as a regclass literal, by name.
  for (std::string_view name : {"pg_total_relation_size", "pg_relation_size", "pg_table_size",
                                "pg_indexes_size"}) {
    Add(registry, name, {Text()}, Oid(), RelationSizeByNameKernel);  // first, as above
    Add(registry, name, {Oid()}, Oid(), ZeroKernel);
  }
  Add(registry, "pg_database_size", {Oid()}, Oid(), ZeroKernel);
  Add(registry, "pg_database_size", {Text()}, Oid(), ZeroKernel);
  Add(registry, "pg_size_pretty", {Oid()}, Text(), SizePrettyKernel);
  Add(registry, "pg_tablespace_location", {Oid()}, Text(), NullKernel, false);
  RegisterProcFunctions(registry);  // pg_get_function_result, pg_get_function_arguments
}

}  // namespace plexus::sql::system
