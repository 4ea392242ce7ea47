// System information functions: pg_typeof.
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

}  // namespace

void RegisterSystemFunctions(FunctionRegistry& registry) {
  ScalarFunction type_of{"pg_typeof", {AnyArgumentType()}, Type::Of(TypeId::kText), TypeOfKernel};
  type_of.strict = false;
  registry.Add(type_of);
}

}  // namespace plexus::sql
