// Helpers shared by the jsonb function files: reading and writing jsonb and text slots, text[]
// arguments, and SQL values to jsonb (to_jsonb's conversion).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plexus/sql/exec/vector.h"
#include "plexus/sql/types/jsonb.h"

namespace plexus::sql {

inline Result<Jsonb> JsonbAt(const Vector& vector, size_t row) {
  return DecodeJsonb(vector.GetString(row));
}

inline void StoreJsonb(Vector* out, size_t row, const Jsonb& value) {
  std::string encoded;
  EncodeJsonb(value, &encoded);
  out->values<std::string_view>()[row] = out->arena().Copy(encoded);
}

inline void StoreText(Vector* out, size_t row, std::string_view text) {
  out->values<std::string_view>()[row] = out->arena().Copy(text);
}

// The elements of a text[] slot (nullopt for NULL elements).
Result<std::vector<std::optional<std::string>>> TextArrayAt(const Vector& vector, size_t row);

// The value at `row` of any vector as jsonb, as to_jsonb converts it: numbers stay numbers
// (non-finite floats become strings), date/time values their ISO 8601 text, arrays arrays.
// REQUIRES: the slot is not NULL.
Result<Jsonb> ToJsonb(const Vector& vector, size_t row);

}  // namespace plexus::sql
