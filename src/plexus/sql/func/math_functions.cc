// Math functions beyond arithmetic: trigonometric functions (in radians and in degrees),
// hyperbolic functions, cbrt (and ||/), pi, degrees, radians, random and setseed (PostgreSQL's
// xoroshiro128** generator, so a seeded sequence repeats PostgreSQL's), gcd, lcm, factorial,
// width_bucket, scale, min_scale, trim_scale, and the integer bitwise operators. Errors as
// PostgreSQL's float.c, int.c and numeric.c report them.
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string_view>
#include <type_traits>
#include <string>

#include "plexus/sql/func/math_support.h"
#include "plexus/sql/func/registry.h"
#include "plexus/sql/types/numeric_error.h"

namespace plexus::sql {

namespace {

// Class 22 condition that sql/sqlstate.h does not list yet.
inline constexpr SqlState kInvalidArgumentForWidthBucket{"2201G", StatusCode::kInvalidArgument};

Status InputOutOfRange() { return SqlError(kNumericValueOutOfRange, "input is out of range"); }

constexpr double kRadiansPerDegree = 0.0174532925199432957692;

double Sine(double x) { return std::sin(x); }
double Cosine(double x) { return std::cos(x); }
double Tangent(double x) { return std::tan(x); }
double ArcSine(double x) { return std::asin(x); }
double ArcCosine(double x) { return std::acos(x); }

// sin, cos, tan: NaN gives NaN, an infinite input is an error.
template <double (*kFunction)(double)>
Result<double> FloatCircular(double x) {
  if (std::isnan(x)) return x;
  if (std::isinf(x)) return InputOutOfRange();
  return kFunction(x);
}

Result<double> FloatCot(double x) {
  if (std::isnan(x)) return x;
  if (std::isinf(x)) return InputOutOfRange();
  return 1.0 / std::tan(x);  // cot(0) is Infinity, as in PostgreSQL
}

// asin, acos: defined on [-1, 1].
template <double (*kFunction)(double)>
Result<double> FloatArc(double x) {
  if (std::isnan(x)) return x;
  if (x < -1.0 || x > 1.0) return InputOutOfRange();
  return kFunction(x);
}

Result<double> FloatAtan(double x) { return std::atan(x); }
Result<double> FloatAtan2(double y, double x) { return std::atan2(y, x); }

// sinh and cosh: beyond double's range the result is an infinity, not an error.
Result<double> FloatSinh(double x) {
  const double result = std::sinh(x);
  if (std::isinf(result)) return x < 0 ? -HUGE_VAL : HUGE_VAL;
  return result;
}
Result<double> FloatCosh(double x) {
  const double result = std::cosh(x);
  return std::isinf(result) ? HUGE_VAL : result;
}
Result<double> FloatTanh(double x) { return std::tanh(x); }
Result<double> FloatAsinh(double x) { return std::asinh(x); }
Result<double> FloatAcosh(double x) {
  if (x < 1.0) return InputOutOfRange();  // NaN passes: acosh(NaN) is NaN
  return std::acosh(x);
}
Result<double> FloatAtanh(double x) {
  if (x < -1.0 || x > 1.0) return InputOutOfRange();
  if (x == -1.0) return -HUGE_VAL;
  if (x == 1.0) return HUGE_VAL;
  return std::atanh(x);
}

// The degree versions (sind, cosd, ...) as PostgreSQL computes them: exact at the multiples of
// 30 and 45 degrees, by scaling against the same functions at 30, 45 and 60 degrees. The
// volatile stores keep the compiler from merging steps, which would lose that exactness.
struct DegreeConstants {
  double sin_30;
  double one_minus_cos_60;
  double asin_0_5;
  double acos_0_5;
  double atan_1_0;
  double tan_45;
  double cot_45;
};

double SinZeroTo30(const DegreeConstants& c, double x) {
  volatile double sin_x = std::sin(x * kRadiansPerDegree);
  return (sin_x / c.sin_30) / 2.0;
}
double CosZeroTo60(const DegreeConstants& c, double x) {
  volatile double one_minus_cos_x = 1.0 - std::cos(x * kRadiansPerDegree);
  return 1.0 - (one_minus_cos_x / c.one_minus_cos_60) / 2.0;
}
double SinFirstQuadrant(const DegreeConstants& c, double x) {
  return x <= 30.0 ? SinZeroTo30(c, x) : CosZeroTo60(c, 90.0 - x);
}
double CosFirstQuadrant(const DegreeConstants& c, double x) {
  return x <= 60.0 ? CosZeroTo60(c, x) : SinZeroTo30(c, 90.0 - x);
}

const DegreeConstants& Degrees() {
  static const DegreeConstants constants = [] {
    // Through volatile variables, as PostgreSQL does, so nothing is folded at compile time.
    volatile double thirty = 30.0;
    volatile double sixty = 60.0;
    volatile double half = 0.5;
    volatile double one = 1.0;
    volatile double forty_five = 45.0;
    DegreeConstants c{};
    c.sin_30 = std::sin(thirty * kRadiansPerDegree);
    c.one_minus_cos_60 = 1.0 - std::cos(sixty * kRadiansPerDegree);
    c.asin_0_5 = std::asin(half);
    c.acos_0_5 = std::acos(half);
    c.atan_1_0 = std::atan(one);
    c.tan_45 = SinFirstQuadrant(c, forty_five) / CosFirstQuadrant(c, forty_five);
    c.cot_45 = CosFirstQuadrant(c, forty_five) / SinFirstQuadrant(c, forty_five);
    return c;
  }();
  return constants;
}

double ArcSinFirstQuadrant(double x) {
  const DegreeConstants& c = Degrees();
  if (x <= 0.5) {
    volatile double asin_x = std::asin(x);
    return (asin_x / c.asin_0_5) * 30.0;
  }
  volatile double acos_x = std::acos(x);
  return 90.0 - (acos_x / c.acos_0_5) * 60.0;
}
double ArcCosFirstQuadrant(double x) {
  const DegreeConstants& c = Degrees();
  if (x <= 0.5) {
    volatile double asin_x = std::asin(x);
    return 90.0 - (asin_x / c.asin_0_5) * 30.0;
  }
  volatile double acos_x = std::acos(x);
  return (acos_x / c.acos_0_5) * 60.0;
}

enum class DegreeFunction { kSin, kCos, kTan, kCot };

// sind, cosd, tand, cotd: the angle reduced to [0, 90] with the sign the symmetry gives.
template <DegreeFunction kFunction>
Result<double> FloatDegreeCircular(double x) {
  if (std::isnan(x)) return x;
  if (std::isinf(x)) return InputOutOfRange();
  const DegreeConstants& c = Degrees();
  double sign = 1.0;
  x = std::fmod(x, 360.0);
  if (x < 0.0) {
    x = -x;
    if (kFunction != DegreeFunction::kCos) sign = -sign;
  }
  if (x > 180.0) {
    x = 360.0 - x;
    if (kFunction != DegreeFunction::kCos) sign = -sign;
  }
  if (x > 90.0) {
    x = 180.0 - x;
    if (kFunction != DegreeFunction::kSin) sign = -sign;
  }
  double result = 0;
  switch (kFunction) {
    case DegreeFunction::kSin: result = sign * SinFirstQuadrant(c, x); break;
    case DegreeFunction::kCos: result = sign * CosFirstQuadrant(c, x); break;
    case DegreeFunction::kTan:
      result = sign * ((SinFirstQuadrant(c, x) / CosFirstQuadrant(c, x)) / c.tan_45);
      break;
    case DegreeFunction::kCot:
      result = sign * ((CosFirstQuadrant(c, x) / SinFirstQuadrant(c, x)) / c.cot_45);
      break;
  }
  if (kFunction == DegreeFunction::kTan || kFunction == DegreeFunction::kCot) {
    if (result == 0.0) result = 0.0;  // no minus zero from tand/cotd, as in PostgreSQL
  } else if (std::isinf(result)) {
    return FloatOverflow();
  }
  return result;
}

Result<double> FloatArcSinDegrees(double x) {
  if (std::isnan(x)) return x;
  if (x < -1.0 || x > 1.0) return InputOutOfRange();
  return x >= 0.0 ? ArcSinFirstQuadrant(x) : -ArcSinFirstQuadrant(-x);
}
Result<double> FloatArcCosDegrees(double x) {
  if (std::isnan(x)) return x;
  if (x < -1.0 || x > 1.0) return InputOutOfRange();
  return x >= 0.0 ? ArcCosFirstQuadrant(x) : 90.0 + ArcSinFirstQuadrant(-x);
}
Result<double> FloatArcTanDegrees(double x) {
  if (std::isnan(x)) return x;
  volatile double atan_x = std::atan(x);
  return (atan_x / Degrees().atan_1_0) * 45.0;
}
Result<double> FloatArcTan2Degrees(double y, double x) {
  if (std::isnan(y) || std::isnan(x)) return std::nan("");
  volatile double atan2_y_x = std::atan2(y, x);
  return (atan2_y_x / Degrees().atan_1_0) * 45.0;
}

Result<double> FloatCbrt(double x) {
  const double result = std::cbrt(x);
  if (std::isinf(result) && !std::isinf(x)) return FloatOverflow();
  if (result == 0 && x != 0) return FloatUnderflow();
  return result;
}

// degrees and radians: float8_div / float8_mul with their overflow and underflow checks.
Result<double> FloatDegrees(double x) {
  const double result = x / kRadiansPerDegree;
  if (std::isinf(result) && !std::isinf(x)) return FloatOverflow();
  if (result == 0 && x != 0) return FloatUnderflow();
  return result;
}
Result<double> FloatRadians(double x) {
  const double result = x * kRadiansPerDegree;
  if (std::isinf(result) && !std::isinf(x)) return FloatOverflow();
  if (result == 0 && x != 0) return FloatUnderflow();
  return result;
}

Status PiKernel(const Vector* const*, size_t rows, const uint8_t* active, Vector* out,
                ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (active[row]) out->values<double>()[row] = M_PI;
  }
  return Status::Ok();
}

// PostgreSQL's pg_prng: xoroshiro128** seeded through splitmix64. One generator per thread
// (PostgreSQL keeps one per backend); unseeded, it starts from std::random_device.
struct RandomState {
  uint64_t s0 = 0;
  uint64_t s1 = 0;
  bool seeded = false;
};

thread_local RandomState random_state;

uint64_t SplitMix64(uint64_t* state) {
  uint64_t value = (*state += 0x9E3779B97F4A7C15ull);
  value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ull;
  value = (value ^ (value >> 27)) * 0x94D049BB133111EBull;
  return value ^ (value >> 31);
}

void Seed(RandomState* state, uint64_t seed) {
  state->s0 = SplitMix64(&seed);
  state->s1 = SplitMix64(&seed);
  if (state->s0 == 0 && state->s1 == 0) {  // the all-zero state is a fixed point
    state->s0 = 0x5851F42D4C957F2Dull;
    state->s1 = 0x14057B7EF767814Full;
  }
  state->seeded = true;
}

uint64_t RotateLeft(uint64_t x, int bits) { return (x << bits) | (x >> (64 - bits)); }

// A double uniformly in [0, 1) from the top 52 bits (pg_prng_double).
double NextRandom(RandomState* state) {
  if (!state->seeded) {
    std::random_device device;
    Seed(state, (static_cast<uint64_t>(device()) << 32) ^ device());
  }
  const uint64_t s0 = state->s0;
  const uint64_t sx = state->s1 ^ s0;
  const uint64_t value = RotateLeft(s0 * 5, 7) * 9;
  state->s0 = RotateLeft(s0, 24) ^ sx ^ (sx << 16);
  state->s1 = RotateLeft(sx, 37);
  return std::ldexp(static_cast<double>(value >> 12), -52);
}

Status RandomKernel(const Vector* const*, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (active[row]) out->values<double>()[row] = NextRandom(&random_state);
  }
  return Status::Ok();
}

// setseed(seed in [-1, 1]) as pg_prng_fseed. PostgreSQL returns void, which prints as an empty
// value; we have no void type, so the result is the empty text.
Status SetSeedKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                     ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    const double seed = args[0]->values<double>()[row];
    if (seed < -1 || seed > 1 || std::isnan(seed)) {
      char text[64];
      std::snprintf(text, sizeof(text), "%g", seed);
      return SqlError(kInvalidParameterValue, std::string("setseed parameter ") + text +
                                                  " is out of allowed range [-1,1]");
    }
    const auto fixed = static_cast<int64_t>(static_cast<double>((uint64_t{1} << 52) - 1) * seed);
    Seed(&random_state, static_cast<uint64_t>(fixed));
    out->SetString(row, "");
  }
  return Status::Ok();
}

template <typename T>
Status IntegerOutOfRange() {
  return numeric_internal::IntegerOutOfRangeError(std::is_same_v<T, int32_t> ? "integer"
                                                                              : "bigint");
}

// int4gcd_internal / int8gcd_internal: Euclid in negative space so that the minimum value works
// where it can.
template <typename T>
Result<T> IntegerGcd(T a, T b) {
  constexpr T kMin = std::numeric_limits<T>::min();
  const T negative_a = a < 0 ? a : static_cast<T>(-a);
  const T negative_b = b < 0 ? b : static_cast<T>(-b);
  if (negative_a > negative_b) std::swap(a, b);
  if (a == kMin) {
    if (b == 0 || b == kMin) return IntegerOutOfRange<T>();
    if (b == -1) return T{1};
  }
  while (b != 0) {
    const T remainder = static_cast<T>(a % b);
    a = b;
    b = remainder;
  }
  return a < 0 ? static_cast<T>(-a) : a;
}

template <typename T>
Result<T> IntegerLcm(T a, T b) {
  if (a == 0 || b == 0) return T{0};
  PLEXUS_ASSIGN_OR_RETURN(T gcd, IntegerGcd(a, b));
  T result;
  if (__builtin_mul_overflow(static_cast<T>(a / gcd), b, &result) ||
      result == std::numeric_limits<T>::min()) {
    return IntegerOutOfRange<T>();
  }
  return result < 0 ? static_cast<T>(-result) : result;
}

template <typename T, Result<T> (*kOperation)(T, T)>
Status IntegerBinaryKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                           Vector* out, ExecContext&) {
  const T* left = args[0]->values<T>();
  const T* right = args[1]->values<T>();
  T* result = out->values<T>();
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(result[row], kOperation(left[row], right[row]));
  }
  return Status::Ok();
}

// gcd and lcm of numerics: NaN for a special operand; display scale the larger of the two.
Result<Numeric> NumericGcdMagnitude(Numeric a, Numeric b) {
  a = a.Abs();
  b = b.Abs();
  while (!b.IsZero()) {
    PLEXUS_ASSIGN_OR_RETURN(Numeric remainder, a.Modulo(b));
    a = b;
    b = remainder;
  }
  return a;
}

Result<Numeric> NumericGcd(const Numeric& a, const Numeric& b) {
  if (!a.IsFinite() || !b.IsFinite()) return Numeric::NaN();
  PLEXUS_ASSIGN_OR_RETURN(Numeric gcd, NumericGcdMagnitude(a, b));
  return gcd.Round(std::max(a.scale(), b.scale()));
}

Result<Numeric> NumericLcm(const Numeric& a, const Numeric& b) {
  if (!a.IsFinite() || !b.IsFinite()) return Numeric::NaN();
  const int scale = std::max(a.scale(), b.scale());
  if (a.IsZero() || b.IsZero()) return Numeric().Round(scale);
  PLEXUS_ASSIGN_OR_RETURN(Numeric gcd, NumericGcdMagnitude(a, b));
  PLEXUS_ASSIGN_OR_RETURN(Numeric quotient, a.DivideTruncate(gcd));
  PLEXUS_ASSIGN_OR_RETURN(Numeric product, quotient.Multiply(b));
  return product.Abs().Round(scale);
}

using NumericBinary = Result<Numeric> (*)(const Numeric&, const Numeric&);

template <NumericBinary kOperation>
Status NumericBinaryKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                           Vector* out, ExecContext&) {
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

// factorial(bigint) as numeric_fac.
constexpr int64_t kFactorialArgumentMax = 32177;  // beyond it the result overflows numeric

Status FactorialKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                       Vector* out, ExecContext&) {
  std::string scratch;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    const int64_t n = args[0]->values<int64_t>()[row];
    if (n < 0) {
      return SqlError(kNumericValueOutOfRange, "factorial of a negative number is undefined");
    }
    if (n > kFactorialArgumentMax) return numeric_internal::NumericOverflowError();
    Numeric result = Numeric::FromInt64(1);
    for (int64_t i = 2; i <= n; ++i) {
      PLEXUS_ASSIGN_OR_RETURN(result, result.Multiply(Numeric::FromInt64(i)));
    }
    StoreNumeric(out, row, result, &scratch);
  }
  return Status::Ok();
}

Status WidthBucketError(std::string_view message) {
  return SqlError(kInvalidArgumentForWidthBucket, message);
}

// width_bucket(operand, low, high, count) as width_bucket_float8: the bucket of `operand` among
// `count` equal buckets between the bounds (which may run downwards), 0 below, count + 1 above.
Result<int32_t> FloatWidthBucket(double operand, double low, double high, int32_t count) {
  if (count <= 0) return WidthBucketError("count must be greater than zero");
  if (std::isnan(operand) || std::isnan(low) || std::isnan(high)) {
    return WidthBucketError("operand, lower bound, and upper bound cannot be NaN");
  }
  if (std::isinf(low) || std::isinf(high)) {
    return WidthBucketError("lower and upper bounds must be finite");
  }
  if (low == high) return WidthBucketError("lower bound cannot equal upper bound");
  const bool upwards = low < high;
  if (upwards ? operand < low : operand > low) return 0;
  if (upwards ? operand >= high : operand <= high) {
    if (count == std::numeric_limits<int32_t>::max()) return IntegerOutOfRange<int32_t>();
    return count + 1;
  }
  const double from = upwards ? operand - low : low - operand;
  const double width = upwards ? high - low : low - high;
  double fraction = from / width;
  if (std::isinf(width)) {  // halve everything so the difference fits
    fraction = upwards ? (operand / 2 - low / 2) / (high / 2 - low / 2)
                       : (low / 2 - operand / 2) / (low / 2 - high / 2);
  }
  auto bucket = static_cast<int32_t>(count * fraction);
  if (bucket >= count) bucket = count - 1;  // the quotient can round up to 1.0
  return bucket + 1;
}

// As width_bucket_numeric: exact, the bucket is floor(count * distance / width) + 1.
Result<int32_t> NumericWidthBucket(const Numeric& operand, const Numeric& low,
                                   const Numeric& high, int32_t count) {
  if (count <= 0) return WidthBucketError("count must be greater than zero");
  if (operand.IsNaN() || low.IsNaN() || high.IsNaN()) {
    return WidthBucketError("operand, lower bound, and upper bound cannot be NaN");
  }
  if (low.IsInfinite() || high.IsInfinite()) {
    return WidthBucketError("lower and upper bounds must be finite");
  }
  const int order = low.Compare(high);
  if (order == 0) return WidthBucketError("lower bound cannot equal upper bound");
  const bool upwards = order < 0;
  const int position = operand.Compare(low);
  if (upwards ? position < 0 : position > 0) return 0;
  const Numeric buckets = Numeric::FromInt64(count);
  const int against_high = operand.Compare(high);
  Numeric result;
  if (upwards ? against_high >= 0 : against_high <= 0) {
    PLEXUS_ASSIGN_OR_RETURN(result, buckets.Add(Numeric::FromInt64(1)));
  } else {
    PLEXUS_ASSIGN_OR_RETURN(Numeric distance,
                            upwards ? operand.Subtract(low) : low.Subtract(operand));
    PLEXUS_ASSIGN_OR_RETURN(Numeric width, upwards ? high.Subtract(low) : low.Subtract(high));
    PLEXUS_ASSIGN_OR_RETURN(Numeric scaled, distance.Multiply(buckets));
    PLEXUS_ASSIGN_OR_RETURN(Numeric quotient, scaled.DivideTruncate(width));
    PLEXUS_ASSIGN_OR_RETURN(result, quotient.Add(Numeric::FromInt64(1)));
  }
  Result<int32_t> bucket = result.ToInt32();
  if (!bucket.ok()) return IntegerOutOfRange<int32_t>();
  return *bucket;
}

Status FloatWidthBucketKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                              Vector* out, ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(
        out->values<int32_t>()[row],
        FloatWidthBucket(args[0]->values<double>()[row], args[1]->values<double>()[row],
                         args[2]->values<double>()[row], args[3]->values<int32_t>()[row]));
  }
  return Status::Ok();
}

Status NumericWidthBucketKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                                Vector* out, ExecContext&) {
  NumericReader operand(*args[0]);
  NumericReader low(*args[1]);
  NumericReader high(*args[2]);
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(const Numeric* value, operand.At(row));
    PLEXUS_ASSIGN_OR_RETURN(const Numeric* from, low.At(row));
    PLEXUS_ASSIGN_OR_RETURN(const Numeric* to, high.At(row));
    PLEXUS_ASSIGN_OR_RETURN(out->values<int32_t>()[row],
                            NumericWidthBucket(*value, *from, *to,
                                               args[3]->values<int32_t>()[row]));
  }
  return Status::Ok();
}

// scale(numeric) and min_scale(numeric): NULL for NaN and the infinities.
template <bool kMinimum>
Status ScaleKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                   ExecContext&) {
  NumericReader value(*args[0]);
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(const Numeric* number, value.At(row));
    if (!number->IsFinite()) {
      out->SetNull(row, true);
      continue;
    }
    out->values<int32_t>()[row] = kMinimum ? number->MinScale() : number->scale();
  }
  return Status::Ok();
}

Status TrimScaleKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                       Vector* out, ExecContext&) {
  NumericReader value(*args[0]);
  std::string scratch;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(const Numeric* number, value.At(row));
    StoreNumeric(out, row, number->TrimScale(), &scratch);
  }
  return Status::Ok();
}

// The integer bitwise operators & | # ~ << >> (shifts take an integer count, as in PostgreSQL,
// where the count is used as the machine's shift instruction takes it).
enum class BitOperation { kAnd, kOr, kXor, kShiftLeft, kShiftRight };

template <typename T, BitOperation kOperation>
Status BitKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                 ExecContext&) {
  using Unsigned = std::make_unsigned_t<T>;
  const T* left = args[0]->values<T>();
  T* result = out->values<T>();
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    const T a = left[row];
    constexpr bool kShift =
        kOperation == BitOperation::kShiftLeft || kOperation == BitOperation::kShiftRight;
    if constexpr (kShift) {
      // x86 masks the count to the operand's width (int2 shifts as int4), as PostgreSQL's C does.
      constexpr int kWidthBits = sizeof(T) == 8 ? 64 : 32;
      const int count = args[1]->values<int32_t>()[row] & (kWidthBits - 1);
      using Wide = std::conditional_t<sizeof(T) == 8, int64_t, int32_t>;
      using WideUnsigned = std::make_unsigned_t<Wide>;
      const auto wide = static_cast<Wide>(a);
      result[row] = kOperation == BitOperation::kShiftLeft
                        ? static_cast<T>(static_cast<WideUnsigned>(wide) << count)
                        : static_cast<T>(wide >> count);
    } else {
      const T b = args[1]->values<T>()[row];
      const auto x = static_cast<Unsigned>(a);
      const auto y = static_cast<Unsigned>(b);
      result[row] = static_cast<T>(kOperation == BitOperation::kAnd  ? x & y
                                   : kOperation == BitOperation::kOr ? x | y
                                                                     : x ^ y);
    }
  }
  return Status::Ok();
}

template <typename T>
Status BitNotKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  const T* value = args[0]->values<T>();
  T* result = out->values<T>();
  for (size_t row = 0; row < rows; ++row) {
    if (active[row]) result[row] = static_cast<T>(~value[row]);
  }
  return Status::Ok();
}

template <typename T>
void AddBitOperators(FunctionRegistry& registry, TypeId id) {
  const Type type = Type::Of(id);
  const Type count = Type::Of(TypeId::kInt32);
  registry.Add({"&", {type, type}, type, BitKernel<T, BitOperation::kAnd>});
  registry.Add({"|", {type, type}, type, BitKernel<T, BitOperation::kOr>});
  registry.Add({"#", {type, type}, type, BitKernel<T, BitOperation::kXor>});
  registry.Add({"<<", {type, count}, type, BitKernel<T, BitOperation::kShiftLeft>});
  registry.Add({">>", {type, count}, type, BitKernel<T, BitOperation::kShiftRight>});
  registry.Add({"~", {type}, type, BitNotKernel<T>});
}

void RegisterNumericExtras(FunctionRegistry& registry) {
  const Type float8 = Type::Of(TypeId::kFloat64);
  const Type int4 = Type::Of(TypeId::kInt32);
  const Type numeric = Type::Of(TypeId::kNumeric);
  registry.Add({"width_bucket", {float8, float8, float8, int4}, int4, FloatWidthBucketKernel});
  registry.Add(
      {"width_bucket", {numeric, numeric, numeric, int4}, int4, NumericWidthBucketKernel});
  registry.Add({"scale", {numeric}, int4, ScaleKernel<false>});
  registry.Add({"min_scale", {numeric}, int4, ScaleKernel<true>});
  registry.Add({"trim_scale", {numeric}, numeric, TrimScaleKernel});
  AddBitOperators<int16_t>(registry, TypeId::kInt16);
  AddBitOperators<int32_t>(registry, TypeId::kInt32);
  AddBitOperators<int64_t>(registry, TypeId::kInt64);
}

}  // namespace

void RegisterMathFunctions(FunctionRegistry& registry) {
  const Type float8 = Type::Of(TypeId::kFloat64);
  registry.Add({"sin", {float8}, float8, FloatUnaryKernel<FloatCircular<Sine>>});
  registry.Add({"cos", {float8}, float8, FloatUnaryKernel<FloatCircular<Cosine>>});
  registry.Add({"tan", {float8}, float8, FloatUnaryKernel<FloatCircular<Tangent>>});
  registry.Add({"cot", {float8}, float8, FloatUnaryKernel<FloatCot>});
  registry.Add({"asin", {float8}, float8, FloatUnaryKernel<FloatArc<ArcSine>>});
  registry.Add({"acos", {float8}, float8, FloatUnaryKernel<FloatArc<ArcCosine>>});
  registry.Add({"atan", {float8}, float8, FloatUnaryKernel<FloatAtan>});
  registry.Add({"atan2", {float8, float8}, float8, FloatBinaryKernel<FloatAtan2>});
  registry.Add({"sind", {float8}, float8,
                FloatUnaryKernel<FloatDegreeCircular<DegreeFunction::kSin>>});
  registry.Add({"cosd", {float8}, float8,
                FloatUnaryKernel<FloatDegreeCircular<DegreeFunction::kCos>>});
  registry.Add({"tand", {float8}, float8,
                FloatUnaryKernel<FloatDegreeCircular<DegreeFunction::kTan>>});
  registry.Add({"cotd", {float8}, float8,
                FloatUnaryKernel<FloatDegreeCircular<DegreeFunction::kCot>>});
  registry.Add({"asind", {float8}, float8, FloatUnaryKernel<FloatArcSinDegrees>});
  registry.Add({"acosd", {float8}, float8, FloatUnaryKernel<FloatArcCosDegrees>});
  registry.Add({"atand", {float8}, float8, FloatUnaryKernel<FloatArcTanDegrees>});
  registry.Add({"atan2d", {float8, float8}, float8, FloatBinaryKernel<FloatArcTan2Degrees>});
  registry.Add({"sinh", {float8}, float8, FloatUnaryKernel<FloatSinh>});
  registry.Add({"cosh", {float8}, float8, FloatUnaryKernel<FloatCosh>});
  registry.Add({"tanh", {float8}, float8, FloatUnaryKernel<FloatTanh>});
  registry.Add({"asinh", {float8}, float8, FloatUnaryKernel<FloatAsinh>});
  registry.Add({"acosh", {float8}, float8, FloatUnaryKernel<FloatAcosh>});
  registry.Add({"atanh", {float8}, float8, FloatUnaryKernel<FloatAtanh>});
  registry.Add({"cbrt", {float8}, float8, FloatUnaryKernel<FloatCbrt>});
  registry.Add({"||/", {float8}, float8, FloatUnaryKernel<FloatCbrt>});
  registry.Add({"degrees", {float8}, float8, FloatUnaryKernel<FloatDegrees>});
  registry.Add({"radians", {float8}, float8, FloatUnaryKernel<FloatRadians>});
  registry.Add({"pi", {}, float8, PiKernel});
  ScalarFunction random{"random", {}, float8, RandomKernel};
  random.volatile_ = true;
  registry.Add(random);
  ScalarFunction set_seed{"setseed", {float8}, Type::Of(TypeId::kText), SetSeedKernel};
  set_seed.volatile_ = true;
  registry.Add(set_seed);
  const Type int4 = Type::Of(TypeId::kInt32);
  const Type int8 = Type::Of(TypeId::kInt64);
  const Type numeric = Type::Of(TypeId::kNumeric);
  registry.Add({"gcd", {int4, int4}, int4, IntegerBinaryKernel<int32_t, IntegerGcd<int32_t>>});
  registry.Add({"gcd", {int8, int8}, int8, IntegerBinaryKernel<int64_t, IntegerGcd<int64_t>>});
  registry.Add({"gcd", {numeric, numeric}, numeric, NumericBinaryKernel<NumericGcd>});
  registry.Add({"lcm", {int4, int4}, int4, IntegerBinaryKernel<int32_t, IntegerLcm<int32_t>>});
  registry.Add({"lcm", {int8, int8}, int8, IntegerBinaryKernel<int64_t, IntegerLcm<int64_t>>});
  registry.Add({"lcm", {numeric, numeric}, numeric, NumericBinaryKernel<NumericLcm>});
  registry.Add({"factorial", {int8}, numeric, FactorialKernel});
  RegisterNumericExtras(registry);
}

}  // namespace plexus::sql
