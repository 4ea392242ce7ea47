// Value <-> Vector slot conversions, one switch on the physical type.
#include "plexus/sql/exec/vector_value.h"

#include <algorithm>
#include <cstring>

namespace plexus::sql {

Value GetValue(const Vector& vector, size_t row) {
  const Type& type = vector.type();
  if (vector.IsNull(row)) return Value::Null(type);
  switch (vector.physical()) {
    case PhysicalType::kBool: return Value::Bool(vector.values<uint8_t>()[row] != 0).Relabel(type);
    case PhysicalType::kInt16: return Value::Integer(type, vector.values<int16_t>()[row]);
    case PhysicalType::kInt32: return Value::Integer(type, vector.values<int32_t>()[row]);
    case PhysicalType::kInt64: return Value::Integer(type, vector.values<int64_t>()[row]);
    case PhysicalType::kFloat32:
      return Value::Float64(vector.values<float>()[row]).Relabel(type);
    case PhysicalType::kFloat64:
      return Value::Float64(vector.values<double>()[row]).Relabel(type);
    case PhysicalType::kBytes16:
      return Value::Bytes16Of(type, vector.values<Bytes16>()[row].bytes);
    case PhysicalType::kString: return Value::String(type, vector.GetString(row));
  }
  return Value::Null(type);
}

namespace {

void StoreFixed(Vector* vector, size_t row, const Value& value) {
  switch (vector->physical()) {
    case PhysicalType::kBool:
      vector->values<uint8_t>()[row] = value.bool_value() ? 1 : 0;
      break;
    case PhysicalType::kInt16:
      vector->values<int16_t>()[row] = static_cast<int16_t>(value.integer_value());
      break;
    case PhysicalType::kInt32:
      vector->values<int32_t>()[row] = static_cast<int32_t>(value.integer_value());
      break;
    case PhysicalType::kInt64:
      vector->values<int64_t>()[row] = value.integer_value();
      break;
    case PhysicalType::kFloat32:
      vector->values<float>()[row] = static_cast<float>(value.float_value());
      break;
    case PhysicalType::kFloat64:
      vector->values<double>()[row] = value.float_value();
      break;
    case PhysicalType::kBytes16:
      std::memcpy(vector->values<Bytes16>()[row].bytes, value.bytes16(), 16);
      break;
    case PhysicalType::kString:
      break;
  }
}

}  // namespace

void SetValue(Vector* vector, size_t row, const Value& value) {
  if (value.is_null()) {
    vector->SetNull(row, true);
    return;
  }
  vector->SetNull(row, false);
  if (vector->physical() == PhysicalType::kString) {
    vector->SetString(row, value.string_value());
  } else {
    StoreFixed(vector, row, value);
  }
}

void FillValue(Vector* vector, size_t rows, const Value& value) {
  std::fill_n(vector->nulls(), rows, value.is_null() ? 1 : 0);
  if (value.is_null()) return;
  if (vector->physical() == PhysicalType::kString) {
    std::fill_n(vector->values<std::string_view>(), rows, value.string_value());
    return;
  }
  for (size_t row = 0; row < rows; ++row) StoreFixed(vector, row, value);
}

}  // namespace plexus::sql
