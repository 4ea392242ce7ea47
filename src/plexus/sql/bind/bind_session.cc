// Binding of statements about the session rather than data: SET / RESET / SHOW of settings and
// PREPARE / EXECUTE / DEALLOCATE. The session carries them out; the binder only names what to do.
#include <cctype>

#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/operators.h"

namespace plexus::sql {

namespace {

std::string Lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// An identifier as a list-valued setting shows it: quoted unless it is a plain lower-case name.
std::string QuoteListItem(std::string_view item) {
  bool plain = !item.empty() && (std::islower(static_cast<unsigned char>(item[0])) || item[0] == '_');
  for (char c : item) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '_')) {
      plain = false;
    }
  }
  if (plain) return std::string(item);
  std::string quoted = "\"";
  for (char c : item) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

// The text of one SET argument: a literal (string, number, boolean keyword) or an interval cast
// (SET TIME ZONE INTERVAL '+02:00' HOUR TO MINUTE).
Result<std::string> SettingArgument(const PgQuery__Node& node) {
  const PgQuery__Node* value = &node;
  if (value->node_case == PG_QUERY__NODE__NODE_TYPE_CAST) value = value->type_cast->arg;
  if (value->node_case != PG_QUERY__NODE__NODE_A_CONST) {
    return SqlError(kSyntaxError, "SET requires a constant value");
  }
  const PgQuery__AConst& constant = *value->a_const;
  switch (constant.val_case) {
    case PG_QUERY__A__CONST__VAL_SVAL: return std::string(constant.sval->sval);
    case PG_QUERY__A__CONST__VAL_IVAL: return std::to_string(constant.ival->ival);
    case PG_QUERY__A__CONST__VAL_FVAL: return std::string(constant.fval->fval);
    case PG_QUERY__A__CONST__VAL_BOOLVAL: return std::string(constant.boolval->boolval ? "on" : "off");
    default: return SqlError(kSyntaxError, "SET requires a constant value");
  }
}

}  // namespace

Result<BoundStatement> Binder::Impl::BindVariableSet(const PgQuery__VariableSetStmt& set) {
  BoundStatement bound;
  bound.name = Lowercase(set.name);
  bound.local = set.is_local;
  switch (set.kind) {
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE: {
      bound.kind = StatementKind::kSet;
      bound.command_tag = "SET";
      const bool list = bound.name == "search_path";
      for (size_t i = 0; i < set.n_args; ++i) {
        PLEXUS_ASSIGN_OR_RETURN(std::string item, SettingArgument(*set.args[i]));
        if (i > 0) bound.value += ", ";
        bound.value += list ? QuoteListItem(item) : item;
      }
      return bound;
    }
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT:
    case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET:
      bound.kind = StatementKind::kReset;
      bound.command_tag = set.kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET ? "RESET" : "SET";
      return bound;
    case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL:
      bound.kind = StatementKind::kReset;
      bound.command_tag = "RESET";
      bound.name = "all";
      return bound;
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_MULTI:
      // SET TRANSACTION ... / SET SESSION CHARACTERISTICS AS TRANSACTION ...: the isolation level
      // is the only characteristic we have.
      bound.kind = StatementKind::kSet;
      bound.command_tag = "SET";
      bound.name = bound.name == "transaction" ? "transaction_isolation"
                                               : "default_transaction_isolation";
      for (size_t i = 0; i < set.n_args; ++i) {
        const PgQuery__DefElem* option = set.args[i]->def_elem;
        if (option == nullptr || std::string_view(option->defname) != "transaction_isolation" ||
            option->arg == nullptr) {
          continue;
        }
        PLEXUS_ASSIGN_OR_RETURN(bound.value, SettingArgument(*option->arg));
      }
      if (bound.value.empty()) bound.kind = StatementKind::kNoOp;  // READ WRITE, NOT DEFERRABLE
      return bound;
    default:
      return SqlError(kFeatureNotSupported, "SET FROM CURRENT is not supported");
  }
}

Result<BoundStatement> Binder::Impl::BindPrepare(const PgQuery__PrepareStmt& prepare) {
  BoundStatement bound;
  bound.kind = StatementKind::kPrepare;
  bound.command_tag = "PREPARE";
  bound.name = prepare.name;
  bound.prepared = prepare.query;
  for (size_t i = 0; i < prepare.n_argtypes; ++i) {
    PLEXUS_ASSIGN_OR_RETURN(Type type, BindTypeName(*prepare.argtypes[i]->type_name));
    bound.parameter_types.push_back(type);
  }
  return bound;
}

void Binder::set_parameter_types(std::vector<Type> types) {
  impl_->parameter_types() = std::move(types);
}

std::vector<Type> Binder::parameter_types() const {
  std::vector<Type> types = impl_->parameter_types();
  for (Type& type : types) {
    if (type.id == TypeId::kUnknown) type = Type::Of(TypeId::kText);
  }
  return types;
}

Status Binder::CheckParameterTypesDetermined() const {
  const std::vector<Type>& types = impl_->parameter_types();
  const std::vector<bool>& used = impl_->parameters_used();
  for (size_t i = 0; i < types.size(); ++i) {
    if (types[i].id == TypeId::kUnknown && (i >= used.size() || !used[i])) {
      return SqlError(kIndeterminateDatatype,
                      "could not determine data type of parameter $" + std::to_string(i + 1));
    }
  }
  return Status::Ok();
}

Result<std::vector<Value>> Binder::EvaluateArguments(
    const std::vector<const PgQuery__Node*>& arguments, const std::vector<Type>& types) {
  if (arguments.size() != types.size()) {
    return SqlError(kSyntaxError, "wrong number of parameters for prepared statement\n" +
                                      std::string("Expected ") + std::to_string(types.size()) +
                                      " parameters but got " + std::to_string(arguments.size()) +
                                      ".");
  }
  std::vector<Value> values;
  values.reserve(arguments.size());
  ExecContext context(&impl_->transaction(), &impl_->catalog());
  for (size_t i = 0; i < arguments.size(); ++i) {
    Scope empty;
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr expr, impl_->BindExpression(*arguments[i], empty, nullptr));
    // EXECUTE converts its arguments as an assignment would (1.5 into an integer parameter).
    PLEXUS_ASSIGN_OR_RETURN(expr, impl_->Coerce(std::move(expr), types[i], /*explicit_cast=*/true));
    PLEXUS_ASSIGN_OR_RETURN(Value value, EvaluateConstant(context, *expr));
    values.push_back(std::move(value));
  }
  return values;
}

}  // namespace plexus::sql
