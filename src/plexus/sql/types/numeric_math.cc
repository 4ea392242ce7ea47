// Numeric's mathematical functions: sqrt, exp, ln, log and power, with the result scales
// PostgreSQL 15 chooses and its rules (POSIX pow() rules, SQL error codes) for special values.
#include <algorithm>

#include "plexus/base/assert.h"
#include "plexus/sql/types/numeric.h"
#include "plexus/sql/types/numeric_error.h"

namespace plexus::sql {
namespace {

namespace engine = numeric_internal;

constexpr double kLog10OfE = 0.434294481903252;

// A result scale giving at least kSignificantDigitsMin significant digits for a result of
// decimal weight `weight`, but no less than the argument's scale.
int ChooseResultScale(int weight, int argument_scale) {
  int rscale = std::max(engine::kSignificantDigitsMin - weight, argument_scale);
  return std::clamp(rscale, engine::kDisplayScaleMin, engine::kDisplayScaleMax);
}

// Whether a finite exponent is an integer, and whether that integer is odd.
bool IsIntegral(const engine::Var& var) {
  return static_cast<int>(var.digits.size()) <= var.weight + 1;
}

bool IsOddInteger(const engine::Var& var) {
  return !var.IsZero() && static_cast<int>(var.digits.size()) == var.weight + 1 &&
         (var.digits.back() & 1) != 0;
}

}  // namespace

Result<Numeric> Numeric::Sqrt() const {
  if (kind_ == Kind::kNegativeInfinity) return engine::NegativeSqrtError();
  if (!IsFinite()) return *this;
  if (var_.negative) return engine::NegativeSqrtError();
  // The root has about half the argument's decimal weight.
  int root_weight = (var_.weight + 1) * engine::kBaseDigits / 2 - 1;
  return FromVar(engine::Sqrt(var_, ChooseResultScale(root_weight, var_.dscale)));
}

Result<Numeric> Numeric::Exp() const {
  if (kind_ == Kind::kNegativeInfinity) return Numeric();
  if (!IsFinite()) return *this;
  // log10(e^x) = x * log10(e) estimates the result's decimal weight.
  double weight = engine::VarToDoubleNoOverflow(var_) * kLog10OfE;
  weight = std::clamp(weight, -1.0 * engine::kResultScaleMax, 1.0 * engine::kResultScaleMax);
  int rscale = ChooseResultScale(static_cast<int>(weight), var_.dscale);
  PLEXUS_ASSIGN_OR_RETURN(engine::Var result, engine::Exp(var_, rscale));
  return FromVar(std::move(result));
}

Result<Numeric> Numeric::Ln() const {
  if (kind_ == Kind::kNegativeInfinity) return engine::LogOfNegativeError();
  if (!IsFinite()) return *this;
  if (var_.IsZero()) return engine::LogOfZeroError();
  if (var_.negative) return engine::LogOfNegativeError();
  int rscale = ChooseResultScale(engine::EstimateLnWeight(var_), var_.dscale);
  return FromVar(engine::Ln(var_, rscale));
}

Result<Numeric> Numeric::Log10() const { return Log(FromInt64(10)); }

Result<Numeric> Numeric::Log(const Numeric& base) const {
  if (!IsFinite() || !base.IsFinite()) return SpecialLog(base);
  for (const Numeric* argument : {&base, this}) {
    if (argument->var_.IsZero()) return engine::LogOfZeroError();
    if (argument->var_.negative) return engine::LogOfNegativeError();
  }
  PLEXUS_ASSIGN_OR_RETURN(engine::Var result, engine::Log(base.var_, var_));
  return FromVar(std::move(result));
}

Result<Numeric> Numeric::SpecialLog(const Numeric& base) const {
  if (IsNaN() || base.IsNaN()) return NaN();
  if (base.SignNumber() < 0 || SignNumber() < 0) return engine::LogOfNegativeError();
  if (base.SignNumber() == 0 || SignNumber() == 0) return engine::LogOfZeroError();
  if (base.kind_ == Kind::kPositiveInfinity) {
    // log(Infinity, Infinity) is Infinity / Infinity; log(Infinity, x) underflows to 0.
    return kind_ == Kind::kPositiveInfinity ? NaN() : Numeric();
  }
  return Infinity();  // log(finite, Infinity)
}

Result<Numeric> Numeric::Power(const Numeric& exponent) const {
  if (!IsFinite() || !exponent.IsFinite()) return SpecialPower(exponent);
  if (var_.IsZero() && exponent.SignNumber() < 0) return engine::ZeroToNegativePowerError();
  PLEXUS_ASSIGN_OR_RETURN(engine::Var result, engine::Power(var_, exponent.var_));
  return FromVar(std::move(result));
}

Result<Numeric> Numeric::SpecialPower(const Numeric& exponent) const {
  // As POSIX pow(): NaN ^ 0 = 1 and 1 ^ NaN = 1; any other NaN operand gives NaN.
  Numeric one = FromInt64(1);
  if (IsNaN()) return exponent.IsZero() ? one : NaN();
  if (exponent.IsNaN()) return IsFinite() && Compare(one) == 0 ? one : NaN();
  if (exponent.IsInfinite()) {
    bool positive_exponent = exponent.kind_ == Kind::kPositiveInfinity;
    if (IsFinite()) {
      int magnitude = engine::CompareAbs(var_, one.var_);  // |base| against 1
      if (magnitude == 0) return one;                      // (+-1) ^ +-Infinity
      if (var_.IsZero() && !positive_exponent) return engine::ZeroToNegativePowerError();
      return (magnitude > 0) == positive_exponent ? Infinity() : Numeric();
    }
    return positive_exponent ? Infinity() : Numeric();  // |+-Infinity| > 1
  }
  // An infinite base, finite exponent.
  if (exponent.IsZero()) return one;
  if (kind_ == Kind::kPositiveInfinity) return exponent.var_.negative ? Numeric() : Infinity();
  if (!IsIntegral(exponent.var_)) return engine::ComplexPowerError();
  if (exponent.var_.negative) return Numeric();
  return IsOddInteger(exponent.var_) ? NegativeInfinity() : Infinity();
}

}  // namespace plexus::sql
