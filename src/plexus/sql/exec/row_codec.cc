// Row encoding and decoding, one switch per column on the physical type.
#include "plexus/sql/exec/row_codec.h"

#include <algorithm>
#include <cstring>

#include "plexus/sql/exec/vector_numeric.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/array.h"
#include "plexus/base/varint.h"
#include "plexus/sql/types/interval.h"
#include "plexus/sql/types/jsonb.h"
#include "plexus/storage/key_codec.h"

namespace plexus::sql {

namespace {

constexpr uint8_t kRowFormat = 1;

using base::GetVarint32;
using base::PutVarint32;

Status CorruptRow() { return Status::Corruption("stored row is malformed"); }

// An array's key: the key parts of its elements (NULL elements as nulls-last markers) wrapped
// as one bytes part. Parts are prefix-free, so keys order element by element, NULLs above
// values and a prefix before the longer array, as PostgreSQL orders arrays; elements that
// compare equal (numeric 1.0 and 1) give equal keys.
Status AppendArrayKey(const Vector& column, size_t row, std::string* key) {
  const Type element = ArrayElementType(column.type());
  PLEXUS_ASSIGN_OR_RETURN(ArrayView array, ArrayView::Open(column.GetString(row), element));
  std::string elements_key;
  Vector& values = ScratchVector(element, 3);
  for (size_t first = 0; first < array.size(); first += kBatchRowsMax) {
    const size_t count = std::min(kBatchRowsMax, array.size() - first);
    values.ResetArena();
    for (size_t i = 0; i < count; ++i) {
      array.CopyTo(first + i, &values, i);
      PLEXUS_RETURN_IF_ERROR(AppendKeyPart(values, i, &elements_key));
    }
  }
  storage::AppendBytes(key, elements_key, SortOrder::kAscending);
  return Status::Ok();
}

}  // namespace

std::string TableKeyPrefix(uint32_t table_id) {
  std::string prefix;
  storage::AppendUint(&prefix, table_id, SortOrder::kAscending);
  return prefix;
}

Status AppendKeyPart(const Vector& column, size_t row, std::string* key) {
  if (column.IsNull(row)) {
    storage::AppendNull(key, NullOrder::kNullsLast);
    return Status::Ok();
  }
  constexpr SortOrder kAsc = SortOrder::kAscending;
  switch (column.physical()) {
    case PhysicalType::kBool: storage::AppendBool(key, column.values<uint8_t>()[row], kAsc); break;
    case PhysicalType::kInt16: storage::AppendInt(key, column.values<int16_t>()[row], kAsc); break;
    case PhysicalType::kInt32: storage::AppendInt(key, column.values<int32_t>()[row], kAsc); break;
    case PhysicalType::kInt64: storage::AppendInt(key, column.values<int64_t>()[row], kAsc); break;
    case PhysicalType::kFloat32:
      storage::AppendDouble(key, column.values<float>()[row], kAsc);
      break;
    case PhysicalType::kFloat64:
      storage::AppendDouble(key, column.values<double>()[row], kAsc);
      break;
    case PhysicalType::kBytes16:
      if (column.type().id == TypeId::kInterval) {
        // By normalized value, so '1 mon' and '30 days' are one key, as in a PostgreSQL btree.
        Interval value;
        static_assert(sizeof(value) == sizeof(Bytes16));
        std::memcpy(&value, column.values<Bytes16>()[row].bytes, sizeof(value));
        std::string interval_key;
        AppendKey(&interval_key, value);
        storage::AppendBytes(key, interval_key, kAsc);
        break;
      }
      storage::AppendBytes(
          key, std::string_view(reinterpret_cast<const char*>(column.values<Bytes16>()[row].bytes), 16),
          kAsc);
      break;
    case PhysicalType::kString:
      if (column.type().id == TypeId::kNumeric) {
        // By value, not by stored bytes, so 1.0 and 1.00 are one key.
        PLEXUS_ASSIGN_OR_RETURN(Numeric value, NumericAt(column, row));
        value.AppendKey(key, /*descending=*/false);
        break;
      }
      if (column.type().id == TypeId::kJsonb) {
        // By value: equal jsonb values (numbers 1.0 and 1) are one key.
        PLEXUS_ASSIGN_OR_RETURN(Jsonb value, DecodeJsonb(column.GetString(row)));
        AppendJsonbKey(value, key);
        break;
      }
      if (column.type().id == TypeId::kArray) {
        PLEXUS_RETURN_IF_ERROR(AppendArrayKey(column, row, key));
        break;
      }
      storage::AppendBytes(key, column.GetString(row), kAsc);
      break;
  }
  return Status::Ok();
}

void EncodeRow(const std::vector<const Vector*>& columns, size_t row, std::string* out) {
  out->push_back(static_cast<char>(kRowFormat));
  for (const Vector* column : columns) {
    if (column->IsNull(row)) {
      out->push_back(1);
      continue;
    }
    out->push_back(0);
    if (column->physical() == PhysicalType::kString) {
      std::string_view value = column->GetString(row);
      PutVarint32(out, static_cast<uint32_t>(value.size()));
      out->append(value);
    } else {
      const size_t width = PhysicalWidth(column->physical());
      out->append(reinterpret_cast<const char*>(column->values<uint8_t>()) + row * width, width);
    }
  }
}

namespace {

// Copies a fixed-width value of `sizeof(T)` bytes from the front of `stored` into `row` of
// `column` (whose slots are that wide). False when too few bytes are left.
template <typename T>
bool CopyFixed(std::string_view* stored, Vector& column, size_t row) {
  if (stored->size() < sizeof(T)) return false;
  std::memcpy(reinterpret_cast<char*>(column.values<uint8_t>()) + row * sizeof(T),
              stored->data(), sizeof(T));
  stored->remove_prefix(sizeof(T));
  return true;
}

}  // namespace

Status DecodeRow(std::string_view stored, Batch* out, size_t row) {
  if (stored.empty() || static_cast<uint8_t>(stored.front()) != kRowFormat) return CorruptRow();
  stored.remove_prefix(1);
  for (size_t index = 0; index < out->column_count(); ++index) {
    Vector& column = out->column(index);
    if (stored.empty()) {
      // A column added after the row was written: NULL until it is set.
      column.SetNull(row, true);
      continue;
    }
    const bool is_null = stored.front() != 0;
    stored.remove_prefix(1);
    column.SetNull(row, is_null);
    if (is_null) continue;
    // Fixed widths copied with a constant size (inlined: a range scan decodes every row here).
    switch (column.physical()) {
      case PhysicalType::kBool:
        if (!CopyFixed<uint8_t>(&stored, column, row)) return CorruptRow();
        break;
      case PhysicalType::kInt16:
        if (!CopyFixed<int16_t>(&stored, column, row)) return CorruptRow();
        break;
      case PhysicalType::kInt32:
      case PhysicalType::kFloat32:
        if (!CopyFixed<int32_t>(&stored, column, row)) return CorruptRow();
        break;
      case PhysicalType::kInt64:
      case PhysicalType::kFloat64:
        if (!CopyFixed<int64_t>(&stored, column, row)) return CorruptRow();
        break;
      case PhysicalType::kBytes16:
        if (!CopyFixed<Bytes16>(&stored, column, row)) return CorruptRow();
        break;
      case PhysicalType::kString: {
        uint32_t size = 0;
        if (!GetVarint32(&stored, &size) || stored.size() < size) return CorruptRow();
        column.values<std::string_view>()[row] = column.arena().Copy(stored.substr(0, size));
        stored.remove_prefix(size);
        break;
      }
    }
  }
  return Status::Ok();
}

}  // namespace plexus::sql
