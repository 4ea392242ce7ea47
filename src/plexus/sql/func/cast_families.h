// Casts and text output of the type families that live in their own files: numeric
// (numeric_cast.cc), date/time (datetime_cast.cc), bytea and uuid (bytea_uuid_cast.cc), jsonb
// (jsonb_cast.cc) and arrays (array_cast.cc). cast.cc dispatches to them.
#pragma once

#include <string>

#include "plexus/base/status.h"
#include "plexus/sql/exec/vector.h"

namespace plexus::sql {

inline bool IsArrayFamily(const Type& type) { return type.id == TypeId::kArray; }
inline bool IsJsonbFamily(const Type& type) { return type.id == TypeId::kJsonb; }
inline bool IsByteaUuidFamily(const Type& type) {
  return type.id == TypeId::kBytea || type.id == TypeId::kUuid;
}
inline bool IsNumericFamily(const Type& type) { return type.id == TypeId::kNumeric; }
inline bool IsDateTimeFamily(const Type& type) {
  return type.id == TypeId::kDate || type.id == TypeId::kTime || type.id == TypeId::kTimestamp ||
         type.id == TypeId::kTimestampTz || type.id == TypeId::kInterval;
}

// Text types and untyped literals: the sources each family parses from text.
inline bool IsTextLike(TypeId id) { return catalog::IsString(id) || id == TypeId::kUnknown; }

// REQUIRES: IsNumericFamily(from) || IsNumericFamily(to) (resp. date/time for the others).
bool NumericCastExists(const Type& from, const Type& to);
Status CastNumericFamily(const Vector& in, size_t rows, const uint8_t* active, Vector* out);
Status FormatNumericText(const Vector& vector, size_t row, std::string* out);

bool DateTimeCastExists(const Type& from, const Type& to);
Status CastDateTimeFamily(const Vector& in, size_t rows, const uint8_t* active, Vector* out);
Status FormatDateTimeText(const Vector& vector, size_t row, std::string* out);

bool ByteaUuidCastExists(const Type& from, const Type& to);
Status CastByteaUuidFamily(const Vector& in, size_t rows, const uint8_t* active, Vector* out);
Status FormatByteaUuidText(const Vector& vector, size_t row, std::string* out);

bool JsonbCastExists(const Type& from, const Type& to);
Status CastJsonbFamily(const Vector& in, size_t rows, const uint8_t* active, Vector* out);
Status FormatJsonbText(const Vector& vector, size_t row, std::string* out);

// Arrays convert element by element (so int[] -> bigint[] exists when int -> bigint does), and
// from/to text with PostgreSQL's array syntax.
bool ArrayCastExists(const Type& from, const Type& to);
bool IsImplicitArrayCast(const Type& from, const Type& to);
Status CastArrayFamily(const Vector& in, size_t rows, const uint8_t* active, Vector* out);
Status FormatArrayText(const Vector& vector, size_t row, std::string* out);

}  // namespace plexus::sql
