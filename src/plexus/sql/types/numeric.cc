// Numeric's operators, rounding, integer conversions and typmod, with PostgreSQL 15's rules for
// result scales and for NaN and the infinities; finite arithmetic is the engine's (numeric_var).
#include "plexus/sql/types/numeric.h"

#include <algorithm>
#include <string>

#include "plexus/base/assert.h"
#include "plexus/sql/types/numeric_error.h"

namespace plexus::sql {

namespace {

namespace engine = numeric_internal;

// A round()/trunc() scale limited to what can matter: beyond these every digit is kept, or the
// value rounds to zero (one decimal is left for the first digit rounding up).
int ClampRoundingScale(int scale) {
  return std::clamp(scale, -(engine::kWeightMax + 1) * engine::kBaseDigits - 1,
                    engine::kStoredScaleMax);
}

}  // namespace

Numeric Numeric::NaN() { return Numeric(Kind::kNaN); }
Numeric Numeric::Infinity() { return Numeric(Kind::kPositiveInfinity); }
Numeric Numeric::NegativeInfinity() { return Numeric(Kind::kNegativeInfinity); }

Numeric Numeric::FromInt64(int64_t value) {
  Numeric result;
  result.var_ = engine::VarFromInt64(value);
  engine::Strip(&result.var_);  // 10000 is one digit 1 at weight 1, not digits 1, 0
  return result;
}

Numeric Numeric::FromUint64(uint64_t value) {
  Numeric result;
  result.var_ = engine::VarFromInt128(static_cast<__int128>(value));
  engine::Strip(&result.var_);
  return result;
}

Result<Numeric> Numeric::FromVar(engine::Var var) {
  engine::Strip(&var);
  PLEXUS_ASSERT(var.dscale >= 0);
  if (var.dscale > engine::kStoredScaleMax || var.weight > engine::kWeightMax ||
      var.weight < engine::kWeightMin) {
    return engine::NumericOverflowError();
  }
  Numeric result;
  result.var_ = std::move(var);
  return result;
}

int Numeric::SignNumber() const {
  PLEXUS_DCHECK(!IsNaN());
  if (kind_ == Kind::kPositiveInfinity) return 1;
  if (kind_ == Kind::kNegativeInfinity) return -1;
  if (var_.IsZero()) return 0;
  return var_.negative ? -1 : 1;
}

int Numeric::MinScale() const {
  if (!IsFinite() || var_.IsZero()) return 0;
  int last = static_cast<int>(var_.digits.size()) - 1;
  int scale = (last - var_.weight) * engine::kBaseDigits;
  if (scale <= 0) return 0;
  for (int digit = var_.digits[last]; digit % 10 == 0; digit /= 10) scale--;
  return scale;
}

Numeric Numeric::TrimScale() const {
  Numeric result = *this;
  if (IsFinite()) result.var_.dscale = MinScale();
  return result;
}

int Numeric::Compare(const Numeric& other) const {
  // NaN equals NaN and sorts above everything else, Infinity included.
  if (IsNaN() || other.IsNaN()) return static_cast<int>(IsNaN()) - static_cast<int>(other.IsNaN());
  if (IsFinite() && other.IsFinite()) return engine::Compare(var_, other.var_);
  if (kind_ == other.kind_) return 0;  // the same infinity
  if (kind_ == Kind::kNegativeInfinity || other.kind_ == Kind::kPositiveInfinity) return -1;
  return 1;
}

Result<Numeric> Numeric::Add(const Numeric& other) const {
  if (IsFinite() && other.IsFinite()) return FromVar(engine::Add(var_, other.var_));
  if (IsNaN() || other.IsNaN()) return NaN();
  if (IsInfinite() && other.IsInfinite()) return kind_ == other.kind_ ? *this : NaN();
  return IsInfinite() ? *this : other;
}

Result<Numeric> Numeric::Subtract(const Numeric& other) const {
  if (IsFinite() && other.IsFinite()) return FromVar(engine::Subtract(var_, other.var_));
  return Add(other.Negate());
}

Result<Numeric> Numeric::Multiply(const Numeric& other) const {
  if (IsFinite() && other.IsFinite()) {
    // The exact product, rounded only when its scale exceeds what a value may carry.
    engine::Var product = engine::Multiply(var_, other.var_, var_.dscale + other.var_.dscale);
    if (product.dscale > engine::kStoredScaleMax) engine::Round(&product, engine::kStoredScaleMax);
    return FromVar(std::move(product));
  }
  if (IsNaN() || other.IsNaN()) return NaN();
  int sign = SignNumber() * other.SignNumber();
  if (sign == 0) return NaN();  // Infinity * 0
  return sign > 0 ? Infinity() : NegativeInfinity();
}

Result<Numeric> Numeric::Divide(const Numeric& other) const {
  if (IsFinite() && other.IsFinite()) {
    int rscale = engine::SelectDivideScale(var_, other.var_);
    PLEXUS_ASSIGN_OR_RETURN(engine::Var quotient,
                            engine::Divide(var_, other.var_, rscale, /*round=*/true));
    return FromVar(std::move(quotient));
  }
  return DivideTruncate(other);  // the special cases of / and div() agree
}

Result<Numeric> Numeric::DivideTruncate(const Numeric& other) const {
  if (IsFinite() && other.IsFinite()) {
    PLEXUS_ASSIGN_OR_RETURN(engine::Var quotient,
                            engine::Divide(var_, other.var_, 0, /*round=*/false));
    return FromVar(std::move(quotient));
  }
  if (IsNaN() || other.IsNaN()) return NaN();
  if (IsInfinite()) {
    if (other.IsInfinite()) return NaN();
    int sign = other.SignNumber();
    if (sign == 0) return engine::DivisionByZeroError();
    return (sign > 0) == (kind_ == Kind::kPositiveInfinity) ? Infinity() : NegativeInfinity();
  }
  return Numeric();  // finite / infinite: PostgreSQL gives 0 rather than an underflow
}

Result<Numeric> Numeric::Modulo(const Numeric& other) const {
  if (IsFinite() && other.IsFinite()) {
    PLEXUS_ASSIGN_OR_RETURN(engine::Var remainder, engine::Modulo(var_, other.var_));
    return FromVar(std::move(remainder));
  }
  if (IsNaN() || other.IsNaN()) return NaN();
  if (IsInfinite()) {
    if (other.SignNumber() == 0) return engine::DivisionByZeroError();
    return NaN();
  }
  return *this;  // finite % infinite
}

Numeric Numeric::Negate() const {
  Numeric result = *this;
  if (kind_ == Kind::kPositiveInfinity) result.kind_ = Kind::kNegativeInfinity;
  if (kind_ == Kind::kNegativeInfinity) result.kind_ = Kind::kPositiveInfinity;
  if (IsFinite() && !var_.IsZero()) result.var_.negative = !var_.negative;
  return result;
}

Numeric Numeric::Abs() const {
  Numeric result = *this;
  if (kind_ == Kind::kNegativeInfinity) result.kind_ = Kind::kPositiveInfinity;
  result.var_.negative = false;
  return result;
}

Numeric Numeric::Sign() const {
  if (IsNaN()) return NaN();
  return FromInt64(SignNumber());
}

Result<Numeric> Numeric::Round(int scale) const {
  if (!IsFinite()) return *this;
  scale = ClampRoundingScale(scale);
  engine::Var rounded = var_;
  engine::Round(&rounded, scale);
  rounded.dscale = std::max(scale, 0);
  return FromVar(std::move(rounded));
}

Numeric Numeric::Trunc(int scale) const {
  if (!IsFinite()) return *this;
  scale = ClampRoundingScale(scale);
  engine::Var truncated = var_;
  engine::Truncate(&truncated, scale);
  truncated.dscale = std::max(scale, 0);
  Result<Numeric> result = FromVar(std::move(truncated));
  PLEXUS_ASSERT(result.ok());  // truncation never raises the weight
  return std::move(result).value();
}

Result<Numeric> Numeric::Ceil() const {
  if (!IsFinite()) return *this;
  return FromVar(engine::Ceil(var_));
}

Result<Numeric> Numeric::Floor() const {
  if (!IsFinite()) return *this;
  return FromVar(engine::Floor(var_));
}

Result<int64_t> Numeric::ToInt64() const {
  if (IsNaN()) return engine::CannotConvertError("NaN", "bigint");
  if (IsInfinite()) return engine::CannotConvertError("infinity", "bigint");
  int64_t value = 0;
  if (!engine::VarToInt64(var_, &value)) return engine::IntegerOutOfRangeError("bigint");
  return value;
}

Result<int32_t> Numeric::ToInt32() const {
  if (IsNaN()) return engine::CannotConvertError("NaN", "integer");
  if (IsInfinite()) return engine::CannotConvertError("infinity", "integer");
  int64_t value = 0;
  if (!engine::VarToInt64(var_, &value) || value < INT32_MIN || value > INT32_MAX) {
    return engine::IntegerOutOfRangeError("integer");
  }
  return static_cast<int32_t>(value);
}

Result<int16_t> Numeric::ToInt16() const {
  if (IsNaN()) return engine::CannotConvertError("NaN", "smallint");
  if (IsInfinite()) return engine::CannotConvertError("infinity", "smallint");
  int64_t value = 0;
  if (!engine::VarToInt64(var_, &value) || value < INT16_MIN || value > INT16_MAX) {
    return engine::IntegerOutOfRangeError("smallint");
  }
  return static_cast<int16_t>(value);
}

Status Numeric::ValidateTypmod(int precision, int scale) {
  if (precision < 1 || precision > kNumericPrecisionMax) {
    return SqlError(kInvalidParameterValue, "NUMERIC precision " + std::to_string(precision) +
                                                " must be between 1 and " +
                                                std::to_string(kNumericPrecisionMax));
  }
  if (scale < kNumericScaleMin || scale > kNumericScaleMax) {
    return SqlError(kInvalidParameterValue, "NUMERIC scale " + std::to_string(scale) +
                                                " must be between " +
                                                std::to_string(kNumericScaleMin) + " and " +
                                                std::to_string(kNumericScaleMax));
  }
  return Status::Ok();
}

Result<Numeric> Numeric::ApplyTypmod(int precision, int scale) const {
  PLEXUS_ASSERT(ValidateTypmod(precision, scale).ok());
  std::string field =
      "A field with precision " + std::to_string(precision) + ", scale " + std::to_string(scale);
  if (IsNaN()) return *this;
  if (IsInfinite()) {
    Status status = SqlError(kNumericValueOutOfRange, "numeric field overflow");
    status.SetDetail(field + " cannot hold an infinite value.");
    return status;
  }
  engine::Var rounded = var_;
  engine::Round(&rounded, scale);
  rounded.dscale = std::max(rounded.dscale, 0);
  // Decimal digits before the point, discounting leading zeros of the first nonzero digit.
  int digits_max = precision - scale;
  int integer_digits = (rounded.weight + 1) * engine::kBaseDigits;
  for (engine::Digit digit : rounded.digits) {
    if (integer_digits <= digits_max) break;
    if (digit != 0) {
      integer_digits -= digit < 10 ? 3 : digit < 100 ? 2 : digit < 1000 ? 1 : 0;
      if (integer_digits > digits_max) {
        Status status = SqlError(kNumericValueOutOfRange, "numeric field overflow");
        std::string bound = digits_max == 0 ? "1" : "10^" + std::to_string(digits_max);
        status.SetDetail(field + " must round to an absolute value less than " + bound + ".");
        return status;
      }
      break;
    }
    integer_digits -= engine::kBaseDigits;
  }
  return FromVar(std::move(rounded));
}

}  // namespace plexus::sql
