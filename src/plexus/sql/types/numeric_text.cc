// Numeric as text: PostgreSQL 15's numeric input syntax and output format, and the conversions
// to and from binary floating point that PostgreSQL routes through text.
#include <algorithm>
#include <cerrno>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "plexus/base/assert.h"
#include "plexus/sql/types/numeric.h"
#include "plexus/sql/types/numeric_error.h"

namespace plexus::sql {
namespace {

namespace engine = numeric_internal;

// isspace() in the C locale.
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool IsDecimalDigit(char c) { return c >= '0' && c <= '9'; }

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); i++) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// The exponent after 'e', read as strtol() reads it (leading whitespace, optional sign, digits,
// saturating at the long range). False when there are no digits.
bool ParseExponent(std::string_view text, size_t* position, int64_t* exponent) {
  size_t i = *position;
  while (i < text.size() && IsSpace(text[i])) i++;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  if (i >= text.size() || !IsDecimalDigit(text[i])) return false;
  int64_t value = 0;
  for (; i < text.size() && IsDecimalDigit(text[i]); i++) {
    int digit = text[i] - '0';
    // Saturates, as strtol does; the caller rejects anything this large.
    value = value > (INT64_MAX - digit) / 10 ? INT64_MAX : value * 10 + digit;
  }
  *exponent = negative ? -value : value;
  *position = i;
  return true;
}

// PostgreSQL's set_var_from_str: the number at text[*position], without surrounding spaces.
// Advances *position past it; syntax errors quote all of `text`. The format's weight and
// scale limits are left to the caller, which checks them after any trailing junk, as PostgreSQL
// does; values beyond int are clamped (still beyond the limits).
Status ParseNumber(std::string_view text, size_t* position, engine::Var* var) {
  size_t i = *position;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) var->negative = text[i++] == '-';
  bool have_point = false;
  if (i < text.size() && text[i] == '.') {
    have_point = true;
    i++;
  }
  if (i >= text.size() || !IsDecimalDigit(text[i])) return engine::NumericSyntaxError(text);
  std::string decimals;         // every digit, as values 0-9
  int64_t decimal_weight = -1;  // power of ten of the first digit
  int64_t scale = 0;
  for (; i < text.size(); i++) {
    if (IsDecimalDigit(text[i])) {
      decimals.push_back(static_cast<char>(text[i] - '0'));
      (have_point ? scale : decimal_weight)++;
    } else if (text[i] == '.') {
      if (have_point) return engine::NumericSyntaxError(text);
      have_point = true;
    } else {
      break;
    }
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    i++;
    int64_t exponent = 0;
    if (!ParseExponent(text, &i, &exponent)) return engine::NumericSyntaxError(text);
    if (exponent >= INT_MAX / 2 || exponent <= -(INT_MAX / 2)) {
      return engine::NumericOverflowError();
    }
    decimal_weight += exponent;
    scale = std::max<int64_t>(scale - exponent, 0);
  }
  *position = i;
  var->dscale = static_cast<int>(std::min<int64_t>(scale, INT_MAX / 2));
  size_t first = decimals.find_first_not_of('\0');
  if (first == std::string::npos) {  // zero
    var->negative = false;
    return Status::Ok();
  }
  size_t last = decimals.find_last_not_of('\0');
  decimal_weight -= static_cast<int64_t>(first);
  // Base-10000 weight of the first nonzero decimal: floor(decimal_weight / 4).
  int64_t weight = decimal_weight >= 0 ? decimal_weight / engine::kBaseDigits
                                       : -((-decimal_weight - 1) / engine::kBaseDigits + 1);
  // Decimal places left empty in front of the first decimal within its base-10000 digit.
  int64_t offset = (weight + 1) * engine::kBaseDigits - (decimal_weight + 1);
  int64_t count = (static_cast<int64_t>(last - first + 1) + offset + engine::kBaseDigits - 1) /
                  engine::kBaseDigits;
  static constexpr int kPlaceValues[engine::kBaseDigits] = {1000, 100, 10, 1};
  var->digits.assign(count, 0);
  for (size_t d = first; d <= last; d++) {
    int64_t slot = static_cast<int64_t>(d - first) + offset;
    var->digits[slot / engine::kBaseDigits] =
        static_cast<engine::Digit>(var->digits[slot / engine::kBaseDigits] +
                                   decimals[d] * kPlaceValues[slot % engine::kBaseDigits]);
  }
  var->weight = static_cast<int>(std::clamp<int64_t>(weight, INT_MIN / 2, INT_MAX / 2));
  engine::Strip(var);
  return Status::Ok();
}

// The value of a float printed with `significant_digits` digits, as PostgreSQL converts
// float4/float8 to numeric.
engine::Var VarFromFloatingText(double value, int significant_digits) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.*g", significant_digits, value);
  engine::Var var;
  size_t position = 0;
  Status status = ParseNumber(text, &position, &var);
  PLEXUS_ASSERT(status.ok() && position == std::strlen(text));
  return var;
}

// `text` out of a floating type's range: the error float8in/float4in report.
Status FloatRangeError(const std::string& text, std::string_view type_name) {
  std::string message = "\"" + text + "\" is out of range for type ";
  message.append(type_name);
  return SqlError(kNumericValueOutOfRange, message);
}

}  // namespace

Numeric Numeric::FromDouble(double value) {
  if (std::isnan(value)) return NaN();
  if (std::isinf(value)) return value < 0 ? NegativeInfinity() : Infinity();
  Result<Numeric> result = FromVar(VarFromFloatingText(value, DBL_DIG));
  PLEXUS_ASSERT(result.ok());  // a double's exponent is far inside the numeric range
  return std::move(result).value();
}

Numeric Numeric::FromFloat(float value) {
  if (std::isnan(value)) return NaN();
  if (std::isinf(value)) return value < 0 ? NegativeInfinity() : Infinity();
  Result<Numeric> result = FromVar(VarFromFloatingText(value, FLT_DIG));
  PLEXUS_ASSERT(result.ok());
  return std::move(result).value();
}

Result<double> Numeric::ToDouble() const {
  if (IsNaN()) return std::nan("");
  if (IsInfinite()) return kind_ == Kind::kPositiveInfinity ? HUGE_VAL : -HUGE_VAL;
  std::string text = ToString();
  errno = 0;
  double value = std::strtod(text.c_str(), nullptr);
  if (errno == ERANGE && (value == 0.0 || std::isinf(value))) {
    return FloatRangeError(text, "double precision");
  }
  return value;
}

Result<float> Numeric::ToFloat() const {
  if (IsNaN()) return std::nanf("");
  if (IsInfinite()) return kind_ == Kind::kPositiveInfinity ? HUGE_VALF : -HUGE_VALF;
  std::string text = ToString();
  errno = 0;
  float value = std::strtof(text.c_str(), nullptr);
  if (errno == ERANGE && (value == 0.0f || std::isinf(value))) return FloatRangeError(text, "real");
  return value;
}

Result<Numeric> Numeric::Parse(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && IsSpace(text[i])) i++;
  std::string_view rest = text.substr(i);
  // The special values, as float8in also spells them; longer spellings first where they share
  // a prefix with a shorter one.
  struct Special {
    std::string_view spelling;
    Kind kind;
  };
  static constexpr Special kSpecials[] = {
      {"nan", Kind::kNaN},
      {"infinity", Kind::kPositiveInfinity},
      {"+infinity", Kind::kPositiveInfinity},
      {"-infinity", Kind::kNegativeInfinity},
      {"inf", Kind::kPositiveInfinity},
      {"+inf", Kind::kPositiveInfinity},
      {"-inf", Kind::kNegativeInfinity},
  };
  Numeric result;
  bool special = false;
  for (const Special& candidate : kSpecials) {
    if (StartsWithIgnoringCase(rest, candidate.spelling)) {
      result = Numeric(candidate.kind);
      i += candidate.spelling.size();
      special = true;
      break;
    }
  }
  engine::Var var;
  if (!special) PLEXUS_RETURN_IF_ERROR(ParseNumber(text, &i, &var));
  for (; i < text.size(); i++) {
    if (!IsSpace(text[i])) return engine::NumericSyntaxError(text);
  }
  if (special) return result;
  return FromVar(std::move(var));
}

std::string Numeric::ToString() const {
  switch (kind_) {
    case Kind::kNaN:
      return "NaN";
    case Kind::kPositiveInfinity:
      return "Infinity";
    case Kind::kNegativeInfinity:
      return "-Infinity";
    case Kind::kFinite:
      break;
  }
  return engine::VarToText(var_);
}

}  // namespace plexus::sql
