// Operators and functions over numeric (+ - * / %, comparisons, abs, round, trunc, ceil, floor,
// sign, sqrt, exp, ln, log, power, div, mod), and the double precision versions of the math
// functions. The double precision ones are registered first: for an integer argument both
// overloads cost one implicit cast, and PostgreSQL then prefers float8 (its category's preferred
// type), so sqrt(2) is double precision while sqrt(2.0) is numeric.
#include <cmath>
#include <string>

#include "plexus/sql/func/math_support.h"
#include "plexus/sql/func/registry.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/numeric_error.h"

namespace plexus::sql {

namespace {

namespace engine = numeric_internal;

using UnaryOperation = Result<Numeric> (*)(const Numeric&);
using BinaryOperation = Result<Numeric> (*)(const Numeric&, const Numeric&);

template <UnaryOperation kOperation>
Status UnaryKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                   ExecContext&) {
  NumericReader value(*args[0]);
  std::string scratch;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(const Numeric* input, value.At(row));
    PLEXUS_ASSIGN_OR_RETURN(Numeric result, kOperation(*input));
    StoreNumeric(out, row, result, &scratch);
  }
  return Status::Ok();
}

template <BinaryOperation kOperation>
Status BinaryKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  NumericReader left(*args[0]);
  NumericReader right(*args[1]);
  std::string scratch;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(const Numeric* a, left.At(row));
    PLEXUS_ASSIGN_OR_RETURN(const Numeric* b, right.At(row));
    PLEXUS_ASSIGN_OR_RETURN(Numeric result, kOperation(*a, *b));
    StoreNumeric(out, row, result, &scratch);
  }
  return Status::Ok();
}

// round(numeric, integer) and trunc(numeric, integer).
template <bool kRound>
Status RoundToScaleKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                          Vector* out, ExecContext&) {
  NumericReader value(*args[0]);
  const int32_t* scales = args[1]->values<int32_t>();
  std::string scratch;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(const Numeric* input, value.At(row));
    if constexpr (kRound) {
      PLEXUS_ASSIGN_OR_RETURN(Numeric result, input->Round(scales[row]));
      StoreNumeric(out, row, result, &scratch);
    } else {
      StoreNumeric(out, row, input->Trunc(scales[row]), &scratch);
    }
  }
  return Status::Ok();
}

enum class NumericTest { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual };

template <NumericTest kTest>
Status CompareKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                     ExecContext&) {
  NumericReader left(*args[0]);
  NumericReader right(*args[1]);
  uint8_t* result = out->values<uint8_t>();
  for (size_t row = 0; row < rows; ++row) {
    result[row] = 0;
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(const Numeric* a, left.At(row));
    PLEXUS_ASSIGN_OR_RETURN(const Numeric* b, right.At(row));
    const int comparison = a->Compare(*b);
    switch (kTest) {
      case NumericTest::kEqual: result[row] = comparison == 0; break;
      case NumericTest::kNotEqual: result[row] = comparison != 0; break;
      case NumericTest::kLess: result[row] = comparison < 0; break;
      case NumericTest::kLessEqual: result[row] = comparison <= 0; break;
      case NumericTest::kGreater: result[row] = comparison > 0; break;
      case NumericTest::kGreaterEqual: result[row] = comparison >= 0; break;
    }
  }
  return Status::Ok();
}

// The operations, as plain functions so they can be template arguments.
Result<Numeric> Add(const Numeric& a, const Numeric& b) { return a.Add(b); }
Result<Numeric> Subtract(const Numeric& a, const Numeric& b) { return a.Subtract(b); }
Result<Numeric> Multiply(const Numeric& a, const Numeric& b) { return a.Multiply(b); }
Result<Numeric> Divide(const Numeric& a, const Numeric& b) { return a.Divide(b); }
Result<Numeric> DivideTruncate(const Numeric& a, const Numeric& b) { return a.DivideTruncate(b); }
Result<Numeric> Modulo(const Numeric& a, const Numeric& b) { return a.Modulo(b); }
Result<Numeric> Power(const Numeric& a, const Numeric& b) { return a.Power(b); }
// log(b, x): the logarithm of x in base b.
Result<Numeric> LogBase(const Numeric& base, const Numeric& x) { return x.Log(base); }
Result<Numeric> Negate(const Numeric& a) { return a.Negate(); }
Result<Numeric> Abs(const Numeric& a) { return a.Abs(); }
Result<Numeric> Sign(const Numeric& a) { return a.Sign(); }
Result<Numeric> RoundToInteger(const Numeric& a) { return a.Round(0); }
Result<Numeric> TruncToInteger(const Numeric& a) { return a.Trunc(0); }
Result<Numeric> Ceil(const Numeric& a) { return a.Ceil(); }
Result<Numeric> Floor(const Numeric& a) { return a.Floor(); }
Result<Numeric> Sqrt(const Numeric& a) { return a.Sqrt(); }
Result<Numeric> Exp(const Numeric& a) { return a.Exp(); }
Result<Numeric> Ln(const Numeric& a) { return a.Ln(); }
Result<Numeric> Log10(const Numeric& a) { return a.Log10(); }

// Double precision math, with PostgreSQL's errors (float.c).
Result<double> FloatRound(double x) { return std::nearbyint(x); }  // rint: half to even
Result<double> FloatTrunc(double x) { return std::trunc(x); }
Result<double> FloatCeil(double x) { return std::ceil(x); }
Result<double> FloatFloor(double x) { return std::floor(x); }
Result<double> FloatSign(double x) { return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0); }

Result<double> FloatSqrt(double x) {
  if (x < 0) return engine::NegativeSqrtError();
  return std::sqrt(x);
}

Result<double> FloatExp(double x) {
  if (std::isnan(x)) return x;
  if (std::isinf(x)) return x > 0 ? x : 0.0;
  const double result = std::exp(x);
  if (std::isinf(result)) return FloatOverflow();
  if (result == 0) return FloatUnderflow();
  return result;
}

template <double (*kLog)(double)>
Result<double> FloatLog(double x) {
  if (x == 0) return engine::LogOfZeroError();
  if (x < 0) return engine::LogOfNegativeError();
  const double result = kLog(x);
  if (std::isinf(result) && !std::isinf(x)) return FloatOverflow();
  if (result == 0 && x != 1) return FloatUnderflow();
  return result;
}
double NaturalLog(double x) { return std::log(x); }
double DecimalLog(double x) { return std::log10(x); }

bool IsOddInteger(double y) { return std::fabs(std::fmod(y, 2.0)) == 1.0; }

Result<double> FloatPower(double x, double y) {
  if (std::isnan(x)) return std::isnan(y) || y != 0 ? x : 1.0;
  if (std::isnan(y)) return x != 1 ? y : 1.0;
  if (x == 0 && y < 0) return engine::ZeroToNegativePowerError();
  if (x < 0 && std::floor(y) != y) return engine::ComplexPowerError();
  const double infinity = HUGE_VAL;
  if (std::isinf(y)) {
    const double magnitude = std::fabs(x);
    if (magnitude == 1) return 1.0;
    if (magnitude > 1) return y > 0 ? infinity : 0.0;
    return y > 0 ? 0.0 : infinity;
  }
  if (std::isinf(x)) {
    if (y == 0) return 1.0;
    if (x > 0) return y > 0 ? infinity : 0.0;
    if (y > 0) return IsOddInteger(y) ? -infinity : infinity;
    return IsOddInteger(y) ? -0.0 : 0.0;
  }
  const double result = std::pow(x, y);
  if (std::isinf(result)) return FloatOverflow();
  if (result == 0 && x != 0) return FloatUnderflow();
  return result;
}

void RegisterFloatMath(FunctionRegistry& registry) {
  const Type type = Type::Of(TypeId::kFloat64);
  registry.Add({"round", {type}, type, FloatUnaryKernel<FloatRound>});
  registry.Add({"trunc", {type}, type, FloatUnaryKernel<FloatTrunc>});
  registry.Add({"ceil", {type}, type, FloatUnaryKernel<FloatCeil>});
  registry.Add({"ceiling", {type}, type, FloatUnaryKernel<FloatCeil>});
  registry.Add({"floor", {type}, type, FloatUnaryKernel<FloatFloor>});
  registry.Add({"sign", {type}, type, FloatUnaryKernel<FloatSign>});
  registry.Add({"sqrt", {type}, type, FloatUnaryKernel<FloatSqrt>});
  registry.Add({"exp", {type}, type, FloatUnaryKernel<FloatExp>});
  registry.Add({"ln", {type}, type, FloatUnaryKernel<FloatLog<NaturalLog>>});
  registry.Add({"log", {type}, type, FloatUnaryKernel<FloatLog<DecimalLog>>});
  registry.Add({"log10", {type}, type, FloatUnaryKernel<FloatLog<DecimalLog>>});
  for (const char* name : {"power", "pow", "^"}) {
    registry.Add({name, {type, type}, type, FloatBinaryKernel<FloatPower>});
  }
  registry.Add({"|/", {type}, type, FloatUnaryKernel<FloatSqrt>});
}

void RegisterNumericMath(FunctionRegistry& registry) {
  const Type type = Type::Of(TypeId::kNumeric);
  const Type integer = Type::Of(TypeId::kInt32);
  registry.Add({"+", {type, type}, type, BinaryKernel<Add>});
  registry.Add({"-", {type, type}, type, BinaryKernel<Subtract>});
  registry.Add({"*", {type, type}, type, BinaryKernel<Multiply>});
  registry.Add({"/", {type, type}, type, BinaryKernel<Divide>});
  registry.Add({"%", {type, type}, type, BinaryKernel<Modulo>});
  registry.Add({"mod", {type, type}, type, BinaryKernel<Modulo>});
  registry.Add({"div", {type, type}, type, BinaryKernel<DivideTruncate>});
  for (const char* name : {"power", "pow", "^"}) {
    registry.Add({name, {type, type}, type, BinaryKernel<Power>});
  }
  registry.Add({"log", {type, type}, type, BinaryKernel<LogBase>});
  registry.Add({"-", {type}, type, UnaryKernel<Negate>});
  registry.Add({"abs", {type}, type, UnaryKernel<Abs>});
  registry.Add({"sign", {type}, type, UnaryKernel<Sign>});
  registry.Add({"round", {type}, type, UnaryKernel<RoundToInteger>});
  registry.Add({"round", {type, integer}, type, RoundToScaleKernel<true>});
  registry.Add({"trunc", {type}, type, UnaryKernel<TruncToInteger>});
  registry.Add({"trunc", {type, integer}, type, RoundToScaleKernel<false>});
  registry.Add({"ceil", {type}, type, UnaryKernel<Ceil>});
  registry.Add({"ceiling", {type}, type, UnaryKernel<Ceil>});
  registry.Add({"floor", {type}, type, UnaryKernel<Floor>});
  registry.Add({"sqrt", {type}, type, UnaryKernel<Sqrt>});
  registry.Add({"exp", {type}, type, UnaryKernel<Exp>});
  registry.Add({"ln", {type}, type, UnaryKernel<Ln>});
  registry.Add({"log", {type}, type, UnaryKernel<Log10>});
  registry.Add({"log10", {type}, type, UnaryKernel<Log10>});
  const Type boolean = Type::Of(TypeId::kBool);
  registry.Add({"=", {type, type}, boolean, CompareKernel<NumericTest::kEqual>});
  registry.Add({"<>", {type, type}, boolean, CompareKernel<NumericTest::kNotEqual>});
  registry.Add({"<", {type, type}, boolean, CompareKernel<NumericTest::kLess>});
  registry.Add({"<=", {type, type}, boolean, CompareKernel<NumericTest::kLessEqual>});
  registry.Add({">", {type, type}, boolean, CompareKernel<NumericTest::kGreater>});
  registry.Add({">=", {type, type}, boolean, CompareKernel<NumericTest::kGreaterEqual>});
}

}  // namespace

void RegisterNumericFunctions(FunctionRegistry& registry) {
  RegisterFloatMath(registry);  // first: see the comment at the top of the file
  RegisterNumericMath(registry);
}

}  // namespace plexus::sql
