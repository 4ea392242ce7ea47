// The errors numeric operations report, each worded and coded as PostgreSQL 15 reports it. Every
// numeric source file makes its errors here, so that each message is written once.
#pragma once

#include <string>
#include <string_view>

#include "plexus/sql/sqlstate.h"

namespace plexus::sql::numeric_internal {

// Class 22 conditions that sql/sqlstate.h does not list yet.
inline constexpr SqlState kInvalidArgumentForLogarithm{"2201E", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidArgumentForPower{"2201F", StatusCode::kInvalidArgument};

inline Status NumericOverflowError() {
  return SqlError(kNumericValueOutOfRange, "value overflows numeric format");
}

inline Status DivisionByZeroError() { return SqlError(kDivisionByZero, "division by zero"); }

inline Status NumericSyntaxError(std::string_view text) {
  std::string message = "invalid input syntax for type numeric: \"";
  message.append(text);
  message.push_back('"');
  return SqlError(kInvalidTextRepresentation, message);
}

inline Status NegativeSqrtError() {
  return SqlError(kInvalidArgumentForPower, "cannot take square root of a negative number");
}

inline Status LogOfZeroError() {
  return SqlError(kInvalidArgumentForLogarithm, "cannot take logarithm of zero");
}

inline Status LogOfNegativeError() {
  return SqlError(kInvalidArgumentForLogarithm, "cannot take logarithm of a negative number");
}

inline Status ZeroToNegativePowerError() {
  return SqlError(kInvalidArgumentForPower, "zero raised to a negative power is undefined");
}

inline Status ComplexPowerError() {
  return SqlError(kInvalidArgumentForPower,
                  "a negative number raised to a non-integer power yields a complex result");
}

// `type_name` is the SQL name of the integer type: "bigint", "integer" or "smallint".
inline Status IntegerOutOfRangeError(std::string_view type_name) {
  std::string message(type_name);
  message.append(" out of range");
  return SqlError(kNumericValueOutOfRange, message);
}

// `what` is "NaN" or "infinity".
inline Status CannotConvertError(std::string_view what, std::string_view type_name) {
  std::string message = "cannot convert ";
  message.append(what).append(" to ").append(type_name);
  return SqlError(kFeatureNotSupported, message);
}

}  // namespace plexus::sql::numeric_internal
