#include "plexus/sql/bind/bind_system.h"

#include "plexus/sql/func/aggregate.h"
#include "plexus/sql/parse/parser.h"
#include "plexus/sql/system/catalog_snapshot.h"
#include "plexus/sql/system/name_lookup.h"
#include "plexus/sql/system/session_info.h"
#include "plexus/sql/system/system_relations.h"
#include "plexus/sql/types/array.h"

namespace plexus::sql {

namespace {

const system::SystemRelation* ResolveSystemRelation(const PgQuery__RangeVar& range) {
  std::string_view name = range.relname;
  if (!system::IsSystemRelationName(name)) return nullptr;
  if (Present(range.schemaname)) return system::FindSystemRelation(range.schemaname, name);
  if (const auto* relation = system::FindSystemRelation("pg_catalog", name)) return relation;
  for (const std::string& schema : system::SearchPathSchemas()) {
    if (schema != "information_schema") continue;
    return system::FindSystemRelation(schema, name);
  }
  return nullptr;
}

}  // namespace

Result<std::optional<FromItem>> BindSystemRelation(Binder::Impl& impl,
                                                   const PgQuery__RangeVar& range,
                                                   std::string_view alias) {
  const system::SystemRelation* relation = ResolveSystemRelation(range);
  if (relation == nullptr) return std::optional<FromItem>();
  FromItem item;
  if (relation->rows == nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(ParseTree tree, ParseTree::Parse(relation->query));
    if (tree.statement_count() != 1) return SqlError(kInternalError, "bad system view");
    PLEXUS_ASSIGN_OR_RETURN(item.plan, impl.BindQuery(*tree.statement(0).stmt, nullptr, nullptr));
    for (size_t i = 0; i < item.plan->types.size(); ++i) {
      item.columns.push_back({std::string(alias), item.plan->names[i], item.plan->types[i]});
    }
  } else {
    system::CatalogSnapshot snapshot(&impl.transaction(), &impl.catalog());
    PLEXUS_ASSIGN_OR_RETURN(std::vector<system::SystemRow> rows,
                            system::GenerateRows(*relation, snapshot));
    auto values = PlanNode::Make(PlanKind::kValues);
    // Names the relation, so that result columns carry its OID and attnum
    // (session/result_columns.cc), as PostgreSQL's RowDescription does for catalogs.
    auto marker = std::make_shared<catalog::TableDef>();
    marker->id = static_cast<uint32_t>(relation->oid);
    marker->schema = std::string(relation->schema);
    marker->name = std::string(relation->name);
    values->table = std::move(marker);
    for (const system::SystemColumn& column : relation->columns) {
      values->types.push_back(column.type);
      values->names.emplace_back(column.name);
      item.columns.push_back({std::string(alias), std::string(column.name), column.type});
    }
    for (system::SystemRow& row : rows) {
      std::vector<ExprPtr> exprs;
      exprs.reserve(row.size());
      for (Value& value : row) exprs.push_back(Expr::Constant(std::move(value)));
      values->rows.push_back(std::move(exprs));
    }
    item.plan = std::move(values);
  }
  if (range.alias && range.alias->n_colnames > 0) {
    for (size_t i = 0; i < range.alias->n_colnames && i < item.columns.size(); ++i) {
      item.columns[i].name = StringValue(range.alias->colnames[i]);
    }
  }
  return std::optional<FromItem>(std::move(item));
}

Result<std::string> LookupSchemaOf(Binder::Impl&, const PgQuery__RangeVar& range) {
  if (Present(range.schemaname)) return std::string(range.schemaname);
  return system::ExistingSchemaOf(range.relname);
}

namespace {

enum class RegKind { kClass, kType, kNamespace, kRole, kProc, kNone };

RegKind RegKindOf(std::string_view name) {
  if (name == "regclass") return RegKind::kClass;
  if (name == "regtype") return RegKind::kType;
  if (name == "regnamespace") return RegKind::kNamespace;
  if (name == "regrole") return RegKind::kRole;
  if (name == "regproc" || name == "regprocedure" || name == "regoper" ||
      name == "regoperator" || name == "regconfig" || name == "regdictionary") {
    return RegKind::kProc;
  }
  return RegKind::kNone;
}

std::string_view InputFunction(RegKind kind) {
  switch (kind) {
    case RegKind::kClass: return "to_regclass";
    case RegKind::kType: return "to_regtype";
    case RegKind::kNamespace: return "to_regnamespace";
    case RegKind::kRole: return "to_regrole";
    default: return "";
  }
}

std::string_view OutputFunction(RegKind kind) {
  switch (kind) {
    case RegKind::kClass: return "regclassout";
    case RegKind::kType: return "regtypeout";
    case RegKind::kNamespace: return "regnamespaceout";
    case RegKind::kRole: return "regroleout";
    default: return "";
  }
}

}  // namespace

namespace {

bool IsInt2Vector(const Type& type) {
  return type.id == TypeId::kArray && type.typmod == system::kInt2VectorTypmod;
}

bool IsStringTypeName(std::string_view name) {
  return name == "text" || name == "varchar" || name == "name";
}

// The reg* type an OID expression was cast to: a resolved literal (a constant named after its
// type, as PostgreSQL names the column) or a to_reg* call. kNone for any other bigint.
RegKind RegKindOfExpr(const Expr& expr) {
  if (expr.kind == ExprKind::kConstant) return RegKindOf(expr.name);
  if (expr.kind == ExprKind::kCall && expr.function != nullptr) {
    const std::string& name = expr.function->name;
    if (name.rfind("to_", 0) == 0) return RegKindOf(std::string_view(name).substr(3));
  }
  return RegKind::kNone;
}

}  // namespace

bool IsSystemCast(const Expr& arg, const PgQuery__TypeName& type_name) {
  if (type_name.n_names == 0 || type_name.n_array_bounds > 0) return false;
  const std::string_view name = StringValue(type_name.names[type_name.n_names - 1]);
  if (IsStringTypeName(name)) {
    return IsInt2Vector(arg.type) || RegKindOfExpr(arg) != RegKind::kNone;
  }
  return RegKindOf(name) != RegKind::kNone;
}

Result<ExprPtr> BindSystemCast(Binder::Impl& impl, ExprPtr arg,
                               const PgQuery__TypeName& type_name, int location) {
  const std::string_view type = StringValue(type_name.names[type_name.n_names - 1]);
  if (IsStringTypeName(type)) {
    // 'name'::regclass::text: the OID's name again, as regclass output gives it.
    std::string_view function =
        IsInt2Vector(arg->type) ? "int2vectorout" : OutputFunction(RegKindOfExpr(*arg));
    std::vector<ExprPtr> args;
    args.push_back(std::move(arg));
    return impl.BindCall(function, std::move(args), false, location);
  }
  const RegKind kind = RegKindOf(type);
  const Type oid_type = Type::Of(TypeId::kInt64);
  if (kind == RegKind::kProc) return impl.Coerce(std::move(arg), oid_type, true);
  const bool text = arg->type.id == TypeId::kUnknown || catalog::IsString(arg->type.id);
  if (text && arg->kind == ExprKind::kConstant && !arg->constant.is_null()) {
    system::CatalogSnapshot snapshot(&impl.transaction(), &impl.catalog());
    const std::string input(arg->constant.string_value());
    Result<int64_t> oid = kind == RegKind::kClass ? system::LookupRelationOid(snapshot, input, true)
                          : kind == RegKind::kType ? system::LookupTypeOid(input, true)
                          : kind == RegKind::kNamespace
                              ? system::LookupNamespaceOid(snapshot, input, true)
                              : system::LookupRoleOid(snapshot, input, true);
    if (!oid.ok()) return WithPosition(oid.status(), location);
    ExprPtr constant = Expr::Constant(Value::Int64(*oid));
    constant->name = std::string(StringValue(type_name.names[type_name.n_names - 1]));
    return constant;
  }
  if (text) {
    PLEXUS_ASSIGN_OR_RETURN(arg, impl.Coerce(std::move(arg), Type::Of(TypeId::kText), true));
    std::vector<ExprPtr> args;
    args.push_back(std::move(arg));
    return impl.BindCall(InputFunction(kind), std::move(args), false, location);
  }
  PLEXUS_ASSIGN_OR_RETURN(arg, impl.Coerce(std::move(arg), oid_type, true));
  std::vector<ExprPtr> args;
  args.push_back(std::move(arg));
  return impl.BindCall(OutputFunction(kind), std::move(args), false, location);
}

Result<ExprPtr> BindArraySubquery(PlanPtr plan, bool correlated, int location) {
  if (plan->types.size() != 1) {
    return WithPosition(SqlError(kSyntaxError, "subquery must return only one column"), location);
  }
  const Type element =
      plan->types[0].id == TypeId::kUnknown ? Type::Of(TypeId::kText) : plan->types[0];
  const AggregateFunction* array_agg = FindAggregate("array_agg");
  PLEXUS_ASSERT(array_agg != nullptr);
  PLEXUS_ASSIGN_OR_RETURN(Type array_type, AggregateResultType(*array_agg, element));
  AggregateCall call;
  call.function = array_agg;
  call.args.push_back(Expr::Column(0, plan->types[0]));
  call.type = array_type;
  call.name = "array";
  auto aggregate = PlanNode::Make(PlanKind::kAggregate);
  aggregate->types.push_back(array_type);
  aggregate->names.push_back("array");
  aggregate->aggregates.push_back(std::move(call));
  aggregate->children.push_back(std::move(plan));
  auto subquery = std::make_unique<Expr>();
  subquery->kind = ExprKind::kSubquery;
  subquery->subquery_kind = SubqueryKind::kScalar;
  subquery->type = array_type;
  subquery->correlated = correlated;
  subquery->subquery = std::shared_ptr<const PlanNode>(std::move(aggregate));
  std::vector<ExprPtr> args;
  args.push_back(std::move(subquery));
  args.push_back(Expr::Constant(Value::String(array_type, ArrayBuilder(element).Finish())));
  return Expr::Make(ExprKind::kCoalesce, array_type, std::move(args));
}

}  // namespace plexus::sql
