// Casts and text output of the type families that live in their own files: numeric
// (numeric_cast.cc) and date/time (datetime_cast.cc). cast.cc dispatches to them.
#pragma once

#include <string>

#include "plexus/base/status.h"
#include "plexus/sql/exec/vector.h"

namespace plexus::sql {

inline bool IsNumericFamily(const Type& type) { return type.id == TypeId::kNumeric; }
inline bool IsDateTimeFamily(const Type& type) {
  return type.id == TypeId::kDate || type.id == TypeId::kTime || type.id == TypeId::kTimestamp ||
         type.id == TypeId::kTimestampTz || type.id == TypeId::kInterval;
}

// REQUIRES: IsNumericFamily(from) || IsNumericFamily(to) (resp. date/time for the others).
bool NumericCastExists(const Type& from, const Type& to);
Status CastNumericFamily(const Vector& in, size_t rows, const uint8_t* active, Vector* out);
Status FormatNumericText(const Vector& vector, size_t row, std::string* out);

bool DateTimeCastExists(const Type& from, const Type& to);
Status CastDateTimeFamily(const Vector& in, size_t rows, const uint8_t* active, Vector* out);
Status FormatDateTimeText(const Vector& vector, size_t row, std::string* out);

}  // namespace plexus::sql
