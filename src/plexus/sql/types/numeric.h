// Numeric: PostgreSQL's exact decimal type (numeric/decimal) with its special values NaN,
// Infinity and -Infinity. Every operation gives PostgreSQL 15's answer digit for digit, display
// scale included ('1.50' prints 1.50, 1.50 * 2 prints 3.00, 10 / 4 prints 2.5000000000000000).
//
// Stored value (EncodeTo / Decode), for a row's column:
//   byte 0       kind: 0x00 finite >= 0, 0x01 finite < 0, 0x02 NaN, 0x03 Infinity, 0x04 -Infinity
//   finite only: varint32 dscale, varint32 zigzag(weight), then the base-10000 digits, two bytes
//                each (big-endian), running to the end; first and last digit nonzero, none for 0.
//   1.50 is 00 02 00 00 01 13 88 (dscale 2, weight 0, digits 1 and 5000).
//
// Key (AppendKey): a self-delimiting part whose memcmp order is Compare order, equal values
// (1.0, 1.00) giving equal bytes. Ascending tags (0x30..0x35 leave the key codec's tags free):
//   0x30 -Infinity      0x32 zero           0x34 Infinity
//   0x31 negative       0x33 positive       0x35 NaN (above everything, as in PostgreSQL)
// A positive value continues with its magnitude: weight + 0x8000 as two bytes big-endian, then
// each base-10000 digit d as two bytes (d / 100 + 1, d % 100), then a 0x00 terminator. A
// negative value continues with the bytes of its magnitude each inverted (~b), terminator
// included, so larger magnitudes sort first. A descending part is the ascending one with every
// byte inverted, tag included.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "plexus/base/status.h"
#include "plexus/sql/types/numeric_var.h"

namespace plexus::sql {

// Typmod limits: numeric(precision, scale).
inline constexpr int kNumericPrecisionMax = 1000;
inline constexpr int kNumericScaleMin = -1000;
inline constexpr int kNumericScaleMax = 1000;

class Numeric {
 public:
  // Zero with display scale 0.
  Numeric() = default;

  static Numeric NaN();
  static Numeric Infinity();
  static Numeric NegativeInfinity();
  static Numeric FromInt64(int64_t value);
  static Numeric FromUint64(uint64_t value);
  // As PostgreSQL's float8 -> numeric cast: the double's 15 significant digits (DBL_DIG).
  static Numeric FromDouble(double value);
  // As float4 -> numeric: 6 significant digits (FLT_DIG).
  static Numeric FromFloat(float value);

  // PostgreSQL's numeric input: optional surrounding whitespace, sign, digits with at most one
  // '.', exponent (e/E); or NaN, Infinity, inf with optional sign, in any case. Fails with 22P02
  // "invalid input syntax for type numeric" or 22003 "value overflows numeric format".
  static Result<Numeric> Parse(std::string_view text);
  // PostgreSQL's output text: all digits, dscale decimals; "NaN", "Infinity", "-Infinity".
  std::string ToString() const;

  bool IsNaN() const { return kind_ == Kind::kNaN; }
  bool IsInfinite() const {
    return kind_ == Kind::kPositiveInfinity || kind_ == Kind::kNegativeInfinity;
  }
  bool IsFinite() const { return kind_ == Kind::kFinite; }
  bool IsZero() const { return IsFinite() && var_.IsZero(); }
  // True below zero, -Infinity included.
  bool IsNegative() const {
    return kind_ == Kind::kNegativeInfinity || (IsFinite() && var_.negative);
  }
  // Display scale: the number of decimals printed (PostgreSQL's scale()); 0 for special values.
  int scale() const { return var_.dscale; }
  // The fewest decimals that show the value exactly (min_scale()); 0 for special values.
  int MinScale() const;
  // The value with trailing fractional zeros removed (trim_scale()).
  Numeric TrimScale() const;

  // Three-way comparison with PostgreSQL's total order: -Infinity < finite < Infinity < NaN, and
  // NaN equals NaN. Values that differ only in display scale are equal.
  int Compare(const Numeric& other) const;
  friend bool operator==(const Numeric& a, const Numeric& b) { return a.Compare(b) == 0; }
  friend std::weak_ordering operator<=>(const Numeric& a, const Numeric& b) {
    return a.Compare(b) <=> 0;
  }
  // Equal values hash equally (1.0 and 1.00 included).
  uint64_t Hash() const;

  // The operators, with PostgreSQL's result scales and special-value rules. They fail with
  // 22003 when the result does not fit the numeric format, and 22012 on division by zero.
  Result<Numeric> Add(const Numeric& other) const;
  Result<Numeric> Subtract(const Numeric& other) const;
  Result<Numeric> Multiply(const Numeric& other) const;
  Result<Numeric> Divide(const Numeric& other) const;
  // The integer quotient truncated toward zero: PostgreSQL's div(a, b).
  Result<Numeric> DivideTruncate(const Numeric& other) const;
  // Remainder with the sign of this value: PostgreSQL's % and mod().
  Result<Numeric> Modulo(const Numeric& other) const;
  Numeric Negate() const;
  Numeric Abs() const;
  // -1, 0 or 1 (NaN stays NaN).
  Numeric Sign() const;

  // Rounds half away from zero / truncates at `scale` decimals; a negative scale rounds to tens,
  // hundreds, ... and gives display scale 0. Scales beyond the format's reach are clamped.
  Result<Numeric> Round(int scale) const;
  Numeric Trunc(int scale) const;
  Result<Numeric> Ceil() const;
  Result<Numeric> Floor() const;

  Result<Numeric> Sqrt() const;
  Result<Numeric> Exp() const;
  Result<Numeric> Ln() const;
  Result<Numeric> Log10() const;
  // Logarithm of this value in base `base`: PostgreSQL's log(base, x).
  Result<Numeric> Log(const Numeric& base) const;
  // this ^ exponent: PostgreSQL's power().
  Result<Numeric> Power(const Numeric& exponent) const;

  // Conversions rounding half away from zero; 22003 "bigint out of range" (integer, smallint)
  // when the value does not fit, 0A000 for NaN and infinities.
  Result<int64_t> ToInt64() const;
  Result<int32_t> ToInt32() const;
  Result<int16_t> ToInt16() const;
  // The nearest double; 22003 when the value is beyond double's range (as float8in reports).
  Result<double> ToDouble() const;
  Result<float> ToFloat() const;

  // numeric(precision, scale): rounds to `scale` and fails with 22003 "numeric field overflow"
  // (and PostgreSQL's detail) when the integer part does not fit. NaN always fits; infinities
  // never do. REQUIRES: ValidateTypmod(precision, scale).ok().
  Result<Numeric> ApplyTypmod(int precision, int scale) const;
  // Fails with 22023 as PostgreSQL does for a bad numeric(precision, scale) declaration.
  static Status ValidateTypmod(int precision, int scale);

  void EncodeTo(std::string* out) const;
  static Result<Numeric> Decode(std::string_view encoded);
  void AppendKey(std::string* out, bool descending) const;

 private:
  enum class Kind : uint8_t { kFinite, kNaN, kPositiveInfinity, kNegativeInfinity };

  explicit Numeric(Kind kind) : kind_(kind) {}
  // A finite value from an engine result: strips it and checks the format's limits.
  static Result<Numeric> FromVar(numeric_internal::Var var);
  // -1, 0 or 1; REQUIRES: !IsNaN().
  int SignNumber() const;
  Result<Numeric> SpecialPower(const Numeric& exponent) const;
  Result<Numeric> SpecialLog(const Numeric& base) const;
  void AppendMagnitudeKey(std::string* out) const;

  Kind kind_ = Kind::kFinite;
  numeric_internal::Var var_;  // finite values only: stripped, weight and dscale in range
};

}  // namespace plexus::sql
