// Type names to types, common types of expression sets, and coercion (implicit and explicit
// casts, folded at bind time for literals).
#include <algorithm>

#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/func/cast.h"

namespace plexus::sql {

std::string_view StringValue(const PgQuery__Node* node) {
  if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_STRING) return {};
  return node->string->sval ? std::string_view(node->string->sval) : std::string_view();
}

Status WithPosition(Status status, int location) {
  if (!status.ok() && location >= 0 && status.position() == 0) status.SetPosition(location + 1);
  return status;
}

namespace {

struct NamedType {
  std::string_view name;
  TypeId id;
};

constexpr NamedType kTypeNames[] = {
    {"int4", TypeId::kInt32},        {"integer", TypeId::kInt32},   {"int", TypeId::kInt32},
    {"int2", TypeId::kInt16},        {"smallint", TypeId::kInt16},  {"int8", TypeId::kInt64},
    {"bigint", TypeId::kInt64},      {"float4", TypeId::kFloat32},  {"real", TypeId::kFloat32},
    {"float8", TypeId::kFloat64},    {"numeric", TypeId::kNumeric}, {"decimal", TypeId::kNumeric},
    {"text", TypeId::kText},         {"varchar", TypeId::kVarchar}, {"bpchar", TypeId::kChar},
    {"char", TypeId::kChar},         {"bytea", TypeId::kBytea},     {"bool", TypeId::kBool},
    {"boolean", TypeId::kBool},      {"date", TypeId::kDate},       {"time", TypeId::kTime},
    {"timestamp", TypeId::kTimestamp}, {"timestamptz", TypeId::kTimestampTz},
    {"interval", TypeId::kInterval}, {"uuid", TypeId::kUuid},       {"jsonb", TypeId::kJsonb},
    {"json", TypeId::kJsonb},
    // Catalog types (sql/system): OIDs are bigint, names text.
    {"oid", TypeId::kInt64},         {"regproc", TypeId::kInt64},   {"xid", TypeId::kInt64},
    {"regclass", TypeId::kInt64},    {"regtype", TypeId::kInt64},   {"regnamespace", TypeId::kInt64},
    {"regrole", TypeId::kInt64},     {"name", TypeId::kText},       {"pg_node_tree", TypeId::kText},
};

Result<int32_t> IntegerTypmod(const PgQuery__Node* node) {
  if (node && node->node_case == PG_QUERY__NODE__NODE_A_CONST &&
      node->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
    return node->a_const->ival->ival;
  }
  return SqlError(kSyntaxError, "type modifiers must be simple constants or identifiers");
}

const NamedType* FindNamedType(std::string_view name) {
  const NamedType* found = std::find_if(std::begin(kTypeNames), std::end(kTypeNames),
                                        [&](const NamedType& named) { return named.name == name; });
  return found == std::end(kTypeNames) ? nullptr : found;
}

}  // namespace

Result<Type> Binder::Impl::BindTypeName(const PgQuery__TypeName& type_name) {
  std::string_view name = StringValue(type_name.names[type_name.n_names - 1]);
  const NamedType* found = FindNamedType(name);
  // PostgreSQL's internal array type names: _int4 is int4[].
  bool internal_array = false;
  if (found == nullptr && name.size() > 1 && name[0] == '_') {
    found = FindNamedType(name.substr(1));
    internal_array = found != nullptr;
  }
  if (found == nullptr) {
    return WithPosition(SqlError(kUndefinedObject, "type \"" + std::string(name) + "\" does not exist"),
                        type_name.location);
  }
  Type type = Type::Of(found->id);
  if (type_name.n_typmods > 0) {
    PLEXUS_ASSIGN_OR_RETURN(int32_t first, IntegerTypmod(type_name.typmods[0]));
    if (type.id == TypeId::kNumeric) {
      int32_t scale = 0;
      if (type_name.n_typmods > 1) {
        PLEXUS_ASSIGN_OR_RETURN(scale, IntegerTypmod(type_name.typmods[1]));
      }
      if (first < 1 || first > 1000) {
        return SqlError(kInvalidParameterValue,
                        "NUMERIC precision " + std::to_string(first) + " must be between 1 and 1000");
      }
      type = Type::Numeric(first, scale);
    } else if (type.id == TypeId::kVarchar || type.id == TypeId::kChar) {
      if (first < 1) {
        return SqlError(kInvalidParameterValue,
                        "length for type " + std::string(name) + " must be at least 1");
      }
      type.typmod = first;
    } else if (name == "float8" || name == "float4") {
      // float(p): 1..24 is real, 25..53 double precision.
      type = Type::Of(first <= 24 ? TypeId::kFloat32 : TypeId::kFloat64);
    } else {
      type.typmod = first;
    }
  } else if (type.id == TypeId::kChar && name != "text") {
    type.typmod = 1;  // char without a length is char(1)
  }
  if (type_name.n_array_bounds > 0 || internal_array) {
    if (type.id == TypeId::kArray) return type;
    type = Type{TypeId::kArray, type.typmod, type.id};
  }
  return type;
}

Result<ExprPtr> Binder::Impl::Coerce(ExprPtr expr, const Type& type, bool explicit_cast) {
  if (expr->type == type) return expr;
  // An untyped parameter takes the type its use asks for (without a typmod: varchar(5) makes it
  // varchar, and the value is then cast to the typmod like any other).
  if (expr->kind == ExprKind::kParameter && expr->type.id == TypeId::kUnknown &&
      type.id != TypeId::kUnknown && !IsAnyArgument(type) &&
      !(type.id == TypeId::kArray && type.element == TypeId::kUnknown)) {
    Type parameter_type = type;
    parameter_type.typmod = catalog::kNoTypmod;
    parameter_types_[expr->parameter] = parameter_type;
    expr->type = parameter_type;
    return Coerce(std::move(expr), type, explicit_cast);
  }
  // A polymorphic parameter (any array: element kUnknown) takes any array as it is.
  if (type.id == TypeId::kArray && type.element == TypeId::kUnknown &&
      expr->type.id == TypeId::kArray) {
    return expr;
  }
  // char(n) to another string type drops the padding (PostgreSQL's rtrim in bpchar -> text).
  if (expr->type.id == TypeId::kChar && catalog::IsString(type.id) && type.id != TypeId::kChar) {
    expr->type = Type::Of(TypeId::kText);
    if (expr->kind == ExprKind::kConstant) expr->constant = expr->constant.Relabel(expr->type);
    std::vector<ExprPtr> args;
    args.push_back(std::move(expr));
    PLEXUS_ASSIGN_OR_RETURN(expr, BindCall("rtrim", std::move(args), false, -1));
    return Coerce(std::move(expr), type, explicit_cast);
  }
  // To varchar(n) / char(n): the text, then its length coerced (varchar/bpchar(text, n, explicit)).
  if ((type.id == TypeId::kVarchar || type.id == TypeId::kChar) &&
      type.typmod != catalog::kNoTypmod) {
    PLEXUS_ASSIGN_OR_RETURN(expr, Coerce(std::move(expr), Type::Of(TypeId::kText), explicit_cast));
    std::vector<ExprPtr> args;
    args.push_back(std::move(expr));
    args.push_back(Expr::Constant(Value::Int32(type.typmod)));
    args.push_back(Expr::Constant(Value::Bool(explicit_cast && !assignment_)));
    PLEXUS_ASSIGN_OR_RETURN(
        ExprPtr sized,
        BindCall(type.id == TypeId::kChar ? "bpchar" : "varchar", std::move(args), false, -1));
    sized->type = type;
    if (sized->kind == ExprKind::kConstant) sized->constant = sized->constant.Relabel(type);
    return sized;
  }
  // Same representation, different name (varchar(n) -> text): relabel, no work at run time.
  if (catalog::IsString(expr->type.id) && type.id == TypeId::kText) {
    expr->type = type;
    if (expr->kind == ExprKind::kConstant) expr->constant = expr->constant.Relabel(type);
    return expr;
  }
  if (!CastExists(expr->type, type) || (!explicit_cast && !IsImplicitCast(expr->type, type) &&
                                        expr->type.id != TypeId::kUnknown)) {
    // An explicit cast that does not exist is cannot_coerce; a missing implicit one, a mismatch.
    constexpr SqlState kCannotCoerce{"42846", StatusCode::kInvalidArgument};
    return SqlError(explicit_cast ? kCannotCoerce : kDatatypeMismatch,
                    "cannot cast type " + catalog::FormatType(expr->type) + " to " +
                        catalog::FormatType(type));
  }
  std::vector<ExprPtr> args;
  const bool fold = expr->kind == ExprKind::kConstant;
  args.push_back(std::move(expr));
  ExprPtr cast = Expr::Make(ExprKind::kCast, type, std::move(args));
  if (!fold) return cast;
  // A literal is converted now, so a bad literal is reported at bind time, as PostgreSQL does.
  ExecContext context(transaction_, catalog_);
  PLEXUS_ASSIGN_OR_RETURN(Value value, EvaluateConstant(context, *cast));
  return Expr::Constant(std::move(value));
}

Result<ExprPtr> Binder::Impl::CoerceForAssignment(ExprPtr expr, const Type& type) {
  const bool outer = assignment_;
  assignment_ = true;
  Result<ExprPtr> result = Coerce(std::move(expr), type, /*explicit_cast=*/true);
  assignment_ = outer;
  return result;
}

Result<Type> Binder::Impl::CommonType(const std::vector<const Expr*>& exprs,
                                      std::string_view context) {
  Type common = Type::Of(TypeId::kUnknown);
  for (const Expr* expr : exprs) {
    const Type& type = expr->type;
    if (type.id == TypeId::kUnknown) continue;
    if (common.id == TypeId::kUnknown) {
      common = type;
      continue;
    }
    if (common == type) continue;
    if (catalog::IsString(common.id) && catalog::IsString(type.id)) {
      common = Type::Of(TypeId::kText);
    } else if (IsImplicitCast(common, type)) {
      common = type;
    } else if (!IsImplicitCast(type, common)) {
      return SqlError(kDatatypeMismatch, std::string(context) + " types " +
                                             catalog::FormatType(common) + " and " +
                                             catalog::FormatType(type) + " cannot be matched");
    }
  }
  if (common.id == TypeId::kUnknown) common = Type::Of(TypeId::kText);
  return common;
}

}  // namespace plexus::sql
