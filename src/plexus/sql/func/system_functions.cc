// System information functions: pg_typeof; num_nulls and num_nonnulls.
#include <string>

#include "plexus/sql/func/registry.h"

namespace plexus::sql {

namespace {

// pg_typeof(value): the argument's type as format_type names it. PostgreSQL's result type is
// regtype, which prints the same; we return text. Not strict: the type of NULL is still known.
Status TypeOfKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  Type type = args[0]->type();
  type.typmod = catalog::kNoTypmod;  // regtype names the type alone: "character varying"
  const std::string name = catalog::FormatType(type);
  for (size_t row = 0; row < rows; ++row) {
    if (active[row]) out->SetString(row, name);
  }
  return Status::Ok();
}

// num_nulls(...) / num_nonnulls(...): how many arguments are (not) NULL.
template <bool kNulls>
Status CountNullsKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                        ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    int32_t count = 0;
    for (const Vector* const* arg = args; *arg != nullptr; ++arg) {
      if ((*arg)->IsNull(row) == kNulls) ++count;
    }
    out->SetNull(row, false);
    out->values<int32_t>()[row] = count;
  }
  return Status::Ok();
}

}  // namespace

void RegisterSystemFunctions(FunctionRegistry& registry) {
  ScalarFunction type_of{"pg_typeof", {AnyArgumentType()}, Type::Of(TypeId::kText), TypeOfKernel};
  type_of.strict = false;
  registry.Add(type_of);
  ScalarFunction nulls{"num_nulls", {AnyArgumentType()}, Type::Of(TypeId::kInt32),
                       CountNullsKernel<true>};
  nulls.strict = false;
  nulls.variadic = true;
  registry.Add(nulls);
  ScalarFunction non_nulls = nulls;
  non_nulls.name = "num_nonnulls";
  non_nulls.kernel = CountNullsKernel<false>;
  registry.Add(non_nulls);
}

}  // namespace plexus::sql
