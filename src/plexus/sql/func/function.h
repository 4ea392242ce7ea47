// Scalar functions and operators: a registry of overloads by name and argument types, each with
// a vectorized kernel that computes a whole batch at once. Operators are functions named by their
// symbol ("+", "<=", "||"); a kernel never runs per row through a virtual call.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/catalog/type.h"
#include "plexus/sql/exec/vector.h"

namespace plexus::sql {

class ExecContext;

// Computes out[i] = f(args[0][i], args[1][i], ...) for rows [0, rows); a nullptr follows the
// last argument (variadic kernels count them that way). Kernels set out's null
// flags themselves; a "strict" function (the usual case) has NULL result where any argument is
// NULL, and the evaluator does that part before calling a kernel marked strict (see below) so
// kernels only look at rows whose arguments are all non-null (`active[i]` = 1).
using ScalarKernel = Status (*)(const Vector* const* args, size_t rows, const uint8_t* active,
                                Vector* out, ExecContext& context);

// PostgreSQL's limit on the arguments of one call (FUNC_MAX_ARGS).
inline constexpr size_t kFunctionArgumentsMax = 100;

// An argument type meaning "any type" (PostgreSQL's "any"): the argument reaches the kernel with
// its own type, which reads it with FormatText; an untyped literal arrives as text.
inline Type AnyArgumentType() { return Type::Of(TypeId::kUnknown); }
inline bool IsAnyArgument(const Type& type) { return type.id == TypeId::kUnknown; }

struct ScalarFunction {
  std::string name;
  std::vector<Type> argument_types;  // exact types the kernel expects (after implicit casts)
  Type result_type;
  ScalarKernel kernel = nullptr;
  bool strict = true;    // NULL in, NULL out
  bool volatile_ = false;  // random(), now(): never constant-folded
  // VARIADIC: the last argument type repeats, so a call passes argument_types.size() or more
  // arguments (concat, concat_ws).
  bool variadic = false;

  bool AcceptsArgumentCount(size_t count) const {
    return variadic ? count >= argument_types.size() : count == argument_types.size();
  }
  // The parameter type of argument `index`. REQUIRES: AcceptsArgumentCount(index + 1).
  const Type& ParameterType(size_t index) const {
    return argument_types[std::min(index, argument_types.size() - 1)];
  }
};

class FunctionRegistry {
 public:
  // The registry with every built-in function.
  static const FunctionRegistry& BuiltIn();

  void Add(ScalarFunction function);
  // Overloads of `name` (lower case).
  std::vector<const ScalarFunction*> Overloads(std::string_view name) const;
  // Every function, in registration order (pg_proc lists them).
  const std::vector<ScalarFunction>& functions() const { return functions_; }

 private:
  std::vector<ScalarFunction> functions_;
};

}  // namespace plexus::sql
