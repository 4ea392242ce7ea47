// How table rows are stored in the `rows` family.
//   key:   AppendUint(table id), then the primary key columns (storage/key_codec.h), or
//          AppendInt(hidden row id) for tables without a primary key.
//   value: format byte 0x01, then per column a null byte (1 = NULL) and, when not NULL, the
//          value: fixed-width types as their little-endian bytes, variable-width ones as a
//          varint32 length and the bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/catalog/table.h"
#include "plexus/sql/exec/vector.h"

namespace plexus::sql {

std::string TableKeyPrefix(uint32_t table_id);
// Appends the key part of row `row` of `column` (NULL keys are rejected by NOT NULL first).
// Values that compare equal give equal parts: numerics, intervals, jsonb (numbers by value) and
// arrays (element by element) are keyed by value, not by their stored bytes.
Status AppendKeyPart(const Vector& column, size_t row, std::string* key);

// Appends the stored form of row `row` of `columns` (one vector per table column) to *out.
void EncodeRow(const std::vector<const Vector*>& columns, size_t row, std::string* out);
// Decodes a stored row into row `row` of `out` (one column per table column, in order).
Status DecodeRow(std::string_view stored, Batch* out, size_t row);

}  // namespace plexus::sql
