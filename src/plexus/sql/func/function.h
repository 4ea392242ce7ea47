// Scalar functions and operators: a registry of overloads by name and argument types, each with
// a vectorized kernel that computes a whole batch at once. Operators are functions named by their
// symbol ("+", "<=", "||"); a kernel never runs per row through a virtual call.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/catalog/type.h"
#include "plexus/sql/exec/vector.h"

namespace plexus::sql {

class ExecContext;

// Computes out[i] = f(args[0][i], args[1][i], ...) for rows [0, rows). Kernels set out's null
// flags themselves; a "strict" function (the usual case) has NULL result where any argument is
// NULL, and the evaluator does that part before calling a kernel marked strict (see below) so
// kernels only look at rows whose arguments are all non-null (`active[i]` = 1).
using ScalarKernel = Status (*)(const Vector* const* args, size_t rows, const uint8_t* active,
                                Vector* out, ExecContext& context);

struct ScalarFunction {
  std::string name;
  std::vector<Type> argument_types;  // exact types the kernel expects (after implicit casts)
  Type result_type;
  ScalarKernel kernel = nullptr;
  bool strict = true;    // NULL in, NULL out
  bool volatile_ = false;  // random(), now(): never constant-folded
};

class FunctionRegistry {
 public:
  // The registry with every built-in function.
  static const FunctionRegistry& BuiltIn();

  void Add(ScalarFunction function);
  // Overloads of `name` (lower case).
  std::vector<const ScalarFunction*> Overloads(std::string_view name) const;

 private:
  std::vector<ScalarFunction> functions_;
};

}  // namespace plexus::sql
