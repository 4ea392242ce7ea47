// Casts between SQL types, vectorized: out[i] = CAST(in[i] AS out->type()) for active rows.
// Failures (text that is not a number, out of range) are SQL errors with PostgreSQL's SQLSTATE
// and wording.
#pragma once

#include <cstddef>

#include "plexus/base/status.h"
#include "plexus/sql/exec/vector.h"

namespace plexus::sql {

// Whether a cast from `from` to `to` exists at all (explicitly).
bool CastExists(const Type& from, const Type& to);
// Whether PostgreSQL applies it implicitly (in expressions and assignments).
bool IsImplicitCast(const Type& from, const Type& to);
// Whether PostgreSQL applies it in an assignment (INSERT, UPDATE, ALTER COLUMN TYPE without
// USING): the implicit ones, to a string type, between numeric types, and the narrowing ones
// among dates and times.
bool IsAssignmentCast(const Type& from, const Type& to);

Status CastVector(const Vector& in, size_t rows, const uint8_t* active, Vector* out);

// The text form of one non-null value, exactly as PostgreSQL prints it.
Status FormatText(const Vector& vector, size_t row, std::string* out);

}  // namespace plexus::sql
