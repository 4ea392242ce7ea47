// Helpers shared by the math function files: a numeric argument reader that decodes a repeated
// value once, the batch kernels of double precision functions, and PostgreSQL's float errors.
#pragma once

#include <string_view>

#include "plexus/sql/exec/vector_numeric.h"
#include "plexus/sql/func/function.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

// Decodes the slots of one numeric argument, reusing the last value when the slot bytes are the
// same (a constant fills every row with one string_view), so a column compared to a literal
// decodes the literal once per batch.
class NumericReader {
 public:
  explicit NumericReader(const Vector& vector) : vector_(vector) {}

  Result<const Numeric*> At(size_t row) {
    std::string_view bytes = vector_.GetString(row);
    if (!valid_ || bytes.data() != last_.data() || bytes.size() != last_.size()) {
      PLEXUS_ASSIGN_OR_RETURN(value_, Numeric::Decode(bytes));
      last_ = bytes;
      valid_ = true;
    }
    return &value_;
  }

 private:
  const Vector& vector_;
  std::string_view last_;
  Numeric value_;
  bool valid_ = false;
};

// Double precision results out of range, worded as PostgreSQL's float.c words them.
inline Status FloatOverflow() {
  return SqlError(kNumericValueOutOfRange, "value out of range: overflow");
}
inline Status FloatUnderflow() {
  return SqlError(kNumericValueOutOfRange, "value out of range: underflow");
}

using FloatUnary = Result<double> (*)(double);
using FloatBinary = Result<double> (*)(double, double);

template <FloatUnary kOperation>
Status FloatUnaryKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                        Vector* out, ExecContext&) {
  const double* value = args[0]->values<double>();
  double* result = out->values<double>();
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(result[row], kOperation(value[row]));
  }
  return Status::Ok();
}

template <FloatBinary kOperation>
Status FloatBinaryKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                         Vector* out, ExecContext&) {
  const double* left = args[0]->values<double>();
  const double* right = args[1]->values<double>();
  double* result = out->values<double>();
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(result[row], kOperation(left[row], right[row]));
  }
  return Status::Ok();
}

}  // namespace plexus::sql
