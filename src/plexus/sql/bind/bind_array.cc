// Binding array expressions: ARRAY[...] constructors, subscripts and slices, x op ANY/ALL
// (array), and the polymorphic array functions and operators (array_append, array_cat, ||,
// comparisons), whose element type is resolved here as PostgreSQL resolves anycompatible
// parameters. Also: jsonb operators with an untyped right operand ('a' is a key, not jsonb).
#include <climits>

#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/array_functions.h"
#include "plexus/sql/func/registry.h"
#include "plexus/sql/types/array.h"

namespace plexus::sql {

namespace {

using Impl = Binder::Impl;
using Scope = Binder::Scope;

Status NotSupportedMultidimensional(int location) {
  return WithPosition(SqlError(kFeatureNotSupported, "multidimensional arrays are not supported"),
                      location);
}

const ScalarFunction* FindFunction(std::string_view name, size_t arguments) {
  for (const ScalarFunction* function : FunctionRegistry::BuiltIn().Overloads(name)) {
    if (function->AcceptsArgumentCount(arguments)) return function;
  }
  return nullptr;
}

Result<ExprPtr> MakeCall(std::string_view name, const Type& type, std::vector<ExprPtr> args) {
  const ScalarFunction* function = FindFunction(name, args.size());
  if (function == nullptr) {
    return SqlError(kInternalError, "array function " + std::string(name) + " is not registered");
  }
  ExprPtr call = Expr::Make(ExprKind::kCall, type, std::move(args));
  call->function = function;
  call->name = std::string(name);
  return call;
}

// The common element type of polymorphic arguments: arrays contribute their element type,
// elements their own; untyped literals none. Text when nothing is typed.
Result<Type> CommonElement(Impl& impl, const std::vector<ExprPtr>& args,
                           const std::vector<bool>& is_array, int location) {
  std::vector<ExprPtr> typed;
  for (size_t i = 0; i < args.size(); ++i) {
    const Type& type = args[i]->type;
    if (type.id == TypeId::kUnknown) continue;
    if (is_array[i] && type.id != TypeId::kArray) {
      return WithPosition(SqlError(kUndefinedFunction,
                                   "argument declared anyarray is not an "
                                   "array but type " +
                                       catalog::FormatType(type)),
                          location);
    }
    if (!is_array[i] && type.id == TypeId::kArray) return NotSupportedMultidimensional(location);
    Type element = is_array[i] ? Type::Of(type.element) : type;
    if (element.id == TypeId::kUnknown) continue;  // an empty ARRAY[] literal
    typed.push_back(Expr::Make(ExprKind::kConstant, element, {}));
  }
  std::vector<const Expr*> views;
  for (const ExprPtr& expr : typed) views.push_back(expr.get());
  Result<Type> common = impl.CommonType(views, "ARRAY");
  if (!common.ok()) return WithPosition(common.status(), location);
  return *common;
}

// Coerces polymorphic arguments to `element` (or arrays of it).
Status CoerceToElement(Impl& impl, std::vector<ExprPtr>& args, const std::vector<bool>& is_array,
                       const Type& element) {
  for (size_t i = 0; i < args.size(); ++i) {
    const Type wanted = is_array[i] ? ArrayTypeOf(element) : element;
    PLEXUS_ASSIGN_OR_RETURN(args[i], impl.Coerce(std::move(args[i]), wanted, false));
  }
  return Status::Ok();
}

// Calls `name`, whose arguments marked in `is_array` are anycompatiblearray and the others
// anycompatible (trailing plain arguments excluded by `polymorphic`), returning an array of the
// common element type when `returns_array`.
Result<ExprPtr> BindPolymorphic(Impl& impl, std::string_view name, std::vector<ExprPtr> args,
                                std::vector<bool> is_array, size_t polymorphic, Type result,
                                int location) {
  std::vector<ExprPtr> rest;
  while (args.size() > polymorphic) {
    rest.insert(rest.begin(), std::move(args.back()));
    args.pop_back();
  }
  is_array.resize(args.size());
  PLEXUS_ASSIGN_OR_RETURN(Type element, CommonElement(impl, args, is_array, location));
  PLEXUS_RETURN_IF_ERROR(CoerceToElement(impl, args, is_array, element));
  for (ExprPtr& arg : rest) {
    PLEXUS_ASSIGN_OR_RETURN(arg, impl.Coerce(std::move(arg), Type::Of(TypeId::kInt32), false));
    args.push_back(std::move(arg));
  }
  if (IsAnyArray(result)) result = ArrayTypeOf(element);
  return MakeCall(name, result, std::move(args));
}

Result<ExprPtr> ConstantArray(const Type& element, const std::vector<ExprPtr>& elements) {
  ArrayBuilder builder(element);
  Vector scratch(element);  // one slot, reused: AppendValue would allocate a vector per value
  for (const ExprPtr& item : elements) {
    scratch.ResetArena();
    SetValue(&scratch, 0, item->constant);
    builder.AppendSlot(scratch, 0);
  }
  return Expr::Constant(Value::String(ArrayTypeOf(element), builder.Finish()));
}

bool IsComparison(std::string_view op) {
  return op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=";
}

// jsonb[key] and jsonb[index] (PostgreSQL 14's jsonb subscripting) read as -> does.
Result<ExprPtr> BindJsonbSubscript(Impl& impl, ExprPtr value, const PgQuery__AIndices& indices,
                                   Scope& scope, AggregateBinding* aggregates) {
  if (indices.is_slice || indices.uidx == nullptr) {
    return SqlError(kDatatypeMismatch, "jsonb subscript does not support slices");
  }
  PLEXUS_ASSIGN_OR_RETURN(ExprPtr index, impl.BindExpression(*indices.uidx, scope, aggregates));
  if (!catalog::IsInteger(index->type.id)) {
    PLEXUS_ASSIGN_OR_RETURN(index, impl.Coerce(std::move(index), Type::Of(TypeId::kText), false));
  } else {
    PLEXUS_ASSIGN_OR_RETURN(index, impl.Coerce(std::move(index), Type::Of(TypeId::kInt32), false));
  }
  std::vector<ExprPtr> args;
  args.push_back(std::move(value));
  args.push_back(std::move(index));
  return impl.BindCall("->", std::move(args), /*is_operator=*/true, -1);
}

}  // namespace

Result<ExprPtr> BindArrayExpr(Impl& impl, const PgQuery__AArrayExpr& array, Scope& scope,
                              AggregateBinding* aggregates) {
  std::vector<ExprPtr> elements;
  for (size_t i = 0; i < array.n_elements; ++i) {
    if (array.elements[i]->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR) {
      return NotSupportedMultidimensional(array.location);
    }
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr element,
                            impl.BindExpression(*array.elements[i], scope, aggregates));
    elements.push_back(std::move(element));
  }
  if (elements.empty()) return ConstantArray(Type::Of(TypeId::kUnknown), elements);
  std::vector<bool> is_array(elements.size(), false);
  PLEXUS_ASSIGN_OR_RETURN(Type element, CommonElement(impl, elements, is_array, array.location));
  PLEXUS_RETURN_IF_ERROR(CoerceToElement(impl, elements, is_array, element));
  const bool constant = std::all_of(elements.begin(), elements.end(), [](const ExprPtr& item) {
    return item->kind == ExprKind::kConstant;
  });
  if (constant) return ConstantArray(element, elements);
  // A call takes at most kFunctionArgumentsMax arguments: longer lists concatenate pieces.
  ExprPtr result;
  for (size_t first = 0; first < elements.size(); first += kFunctionArgumentsMax) {
    std::vector<ExprPtr> piece;
    for (size_t i = first; i < std::min(elements.size(), first + kFunctionArgumentsMax); ++i) {
      piece.push_back(std::move(elements[i]));
    }
    PLEXUS_ASSIGN_OR_RETURN(
        ExprPtr call, MakeCall(kArrayConstructorName, ArrayTypeOf(element), std::move(piece)));
    if (result == nullptr) {
      result = std::move(call);
      continue;
    }
    std::vector<ExprPtr> pair;
    pair.push_back(std::move(result));
    pair.push_back(std::move(call));
    PLEXUS_ASSIGN_OR_RETURN(result, MakeCall("array_cat", ArrayTypeOf(element), std::move(pair)));
  }
  return result;
}

Result<ExprPtr> BindIndirection(Impl& impl, const PgQuery__AIndirection& indirection, Scope& scope,
                                AggregateBinding* aggregates) {
  PLEXUS_ASSIGN_OR_RETURN(ExprPtr value, impl.BindExpression(*indirection.arg, scope, aggregates));
  for (size_t i = 0; i < indirection.n_indirection; ++i) {
    const PgQuery__Node& step = *indirection.indirection[i];
    if (step.node_case != PG_QUERY__NODE__NODE_A_INDICES) {
      return SqlError(kFeatureNotSupported, "field selection is not supported yet");
    }
    if (value->type.id == TypeId::kJsonb) {
      PLEXUS_ASSIGN_OR_RETURN(
          value, BindJsonbSubscript(impl, std::move(value), *step.a_indices, scope, aggregates));
      continue;
    }
    if (value->type.id != TypeId::kArray) {
      if (i > 0) return NotSupportedMultidimensional(-1);
      return SqlError(kDatatypeMismatch, "cannot subscript type " +
                                             catalog::FormatType(value->type) +
                                             " because it does not support subscripting");
    }
    const PgQuery__AIndices& indices = *step.a_indices;
    const Type integer = Type::Of(TypeId::kInt32);
    auto bound = [&](const PgQuery__Node* node, int32_t missing) -> Result<ExprPtr> {
      if (node == nullptr) return Expr::Constant(Value::Int32(missing));
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr index, impl.BindExpression(*node, scope, aggregates));
      return impl.Coerce(std::move(index), integer, false);
    };
    const Type array_type = value->type;
    std::vector<ExprPtr> args;
    args.push_back(std::move(value));
    if (!indices.is_slice) {
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr index, bound(indices.uidx, 0));
      args.push_back(std::move(index));
      PLEXUS_ASSIGN_OR_RETURN(
          value, MakeCall(kArraySubscriptName, ArrayElementType(array_type), std::move(args)));
      continue;
    }
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr low, bound(indices.lidx, 1));
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr high, bound(indices.uidx, INT32_MAX));
    args.push_back(std::move(low));
    args.push_back(std::move(high));
    PLEXUS_ASSIGN_OR_RETURN(value, MakeCall(kArraySliceName, array_type, std::move(args)));
  }
  return value;
}

Result<ExprPtr> BindArrayAnyAll(Impl& impl, const PgQuery__AExpr& a, Scope& scope,
                                AggregateBinding* aggregates) {
  const std::string_view op = a.n_name > 0 ? StringValue(a.name[a.n_name - 1]) : "";
  const bool any = a.kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY;
  const bool like = op == "~~" || op == "!~~" || op == "~~*" || op == "!~~*";
  if (!IsComparison(op) && !like) {
    return WithPosition(SqlError(kFeatureNotSupported, "operator " + std::string(op) +
                                                           " with ANY/ALL is not supported yet"),
                        a.location);
  }
  std::vector<ExprPtr> args;
  PLEXUS_ASSIGN_OR_RETURN(ExprPtr left, impl.BindExpression(*a.lexpr, scope, aggregates));
  PLEXUS_ASSIGN_OR_RETURN(ExprPtr right, impl.BindExpression(*a.rexpr, scope, aggregates));
  if (right->type.id != TypeId::kArray && right->type.id != TypeId::kUnknown) {
    return WithPosition(
        SqlError(kWrongObjectType, "op ANY/ALL (array) requires array on right side"), a.location);
  }
  if (like) {  // text against an array of text patterns (text ~~ text is LIKE's only operator)
    if (left->type.id != TypeId::kUnknown && !catalog::IsString(left->type.id)) {
      return WithPosition(SqlError(kUndefinedFunction, "operator does not exist: " +
                                                           catalog::FormatType(left->type) + " " +
                                                           std::string(op) + " text"),
                          a.location);
    }
    PLEXUS_ASSIGN_OR_RETURN(left, impl.Coerce(std::move(left), Type::Of(TypeId::kText), false));
    PLEXUS_ASSIGN_OR_RETURN(right, impl.Coerce(std::move(right), Type::ArrayOf(TypeId::kText),
                                               false));
  }
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  return BindPolymorphic(impl, AnyAllFunctionName(op, any), std::move(args), {false, true}, 2,
                         Type::Of(TypeId::kBool), a.location);
}

bool IsPolymorphicArrayFunction(std::string_view name) {
  return name == "array_append" || name == "array_prepend" || name == "array_cat" ||
         name == "array_position" || name == "array_remove";
}

Result<ExprPtr> BindPolymorphicArrayCall(Impl& impl, const PgQuery__FuncCall& call, Scope& scope,
                                         AggregateBinding* aggregates) {
  const std::string name(StringValue(call.funcname[call.n_funcname - 1]));
  std::vector<ExprPtr> args;
  for (size_t i = 0; i < call.n_args; ++i) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr arg, impl.BindExpression(*call.args[i], scope, aggregates));
    args.push_back(std::move(arg));
  }
  const size_t count = args.size();
  const bool three = name == "array_position" && count == 3;
  if (count != 2 && !three) {
    return WithPosition(
        SqlError(kUndefinedFunction, "function " + name + " with " + std::to_string(count) +
                                         " arguments does not exist"),
        call.location);
  }
  if (name == "array_prepend") {
    return BindPolymorphic(impl, name, std::move(args), {false, true}, 2, AnyArrayType(),
                           call.location);
  }
  if (name == "array_cat") {
    return BindPolymorphic(impl, name, std::move(args), {true, true}, 2, AnyArrayType(),
                           call.location);
  }
  const Type result = name == "array_position" ? Type::Of(TypeId::kInt32) : AnyArrayType();
  return BindPolymorphic(impl, name, std::move(args), {true, false}, 2, result, call.location);
}

Result<ExprPtr> BindOperator(Impl& impl, std::string_view op, ExprPtr left, ExprPtr right,
                             int location) {
  const TypeId left_id = left->type.id;
  const TypeId right_id = right->type.id;
  if (left_id == TypeId::kJsonb && right_id == TypeId::kUnknown) {
    // An untyped key or path, as PostgreSQL resolves it toward text (its preferred type).
    if (op == "->" || op == "->>" || op == "?" || op == "-") {
      PLEXUS_ASSIGN_OR_RETURN(right, impl.Coerce(std::move(right), Type::Of(TypeId::kText), false));
    } else if (op == "#>" || op == "#>>" || op == "?|" || op == "?&" || op == "#-") {
      PLEXUS_ASSIGN_OR_RETURN(right,
                              impl.Coerce(std::move(right), Type::ArrayOf(TypeId::kText), false));
    }
  }
  const bool left_array = left_id == TypeId::kArray;
  const bool right_array = right_id == TypeId::kArray;
  std::vector<ExprPtr> args;
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  if (!left_array && !right_array) {
    return impl.BindCall(op, std::move(args), /*is_operator=*/true, location);
  }
  if (op == "||") {
    // Untyped literals beside an array are arrays; other operands are elements.
    const bool left_is_array = left_array || left_id == TypeId::kUnknown;
    const bool right_is_array = right_array || right_id == TypeId::kUnknown;
    std::string_view name = left_is_array && right_is_array ? "array_cat"
                            : left_is_array                 ? "array_append"
                                                            : "array_prepend";
    return BindPolymorphic(impl, name, std::move(args), {left_is_array, right_is_array}, 2,
                           AnyArrayType(), location);
  }
  const bool containment = op == "@>" || op == "<@" || op == "&&";
  if (IsComparison(op) || containment) {
    // Both sides one array type (an untyped literal takes the other's); no implicit widening,
    // as in PostgreSQL (integer[] = numeric[] does not exist).
    for (int side = 0; side < 2; ++side) {
      if (args[side]->type.id == TypeId::kUnknown) {
        PLEXUS_ASSIGN_OR_RETURN(args[side],
                                impl.Coerce(std::move(args[side]), args[1 - side]->type, false));
      }
    }
    if (args[0]->type.id != TypeId::kArray || args[1]->type.id != TypeId::kArray ||
        args[0]->type.element != args[1]->type.element) {
      Status status = SqlError(
          kUndefinedFunction, "operator does not exist: " + catalog::FormatType(args[0]->type) +
                                  " " + std::string(op) + " " + catalog::FormatType(args[1]->type));
      status.SetHint(
          "No operator matches the given name and argument types. You might need to "
          "add explicit type casts.");
      return WithPosition(std::move(status), location);
    }
    if (containment) {
      if (op == "<@") std::swap(args[0], args[1]);
      return MakeCall(op == "&&" ? kArrayOverlapName : kArrayContainsName, Type::Of(TypeId::kBool),
                      std::move(args));
    }
  }
  return impl.BindCall(op, std::move(args), /*is_operator=*/true, location);
}

}  // namespace plexus::sql
