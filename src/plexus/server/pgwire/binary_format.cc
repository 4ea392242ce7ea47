// Binary and text wire formats of values (see binary_format.h).
#include "plexus/server/pgwire/binary_format.h"

#include <bit>
#include <cstring>

#include "plexus/server/pgwire/protocol.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/array.h"
#include "plexus/sql/types/interval.h"

namespace plexus::server::pgwire {

using catalog::TypeId;
using sql::Type;
using sql::Value;

namespace {

// Numeric sign words of PostgreSQL's binary format.
constexpr uint16_t kNumericPositive = 0x0000;
constexpr uint16_t kNumericNegative = 0x4000;
constexpr uint16_t kNumericNaN = 0xC000;
constexpr uint16_t kNumericPositiveInfinity = 0xD000;
constexpr uint16_t kNumericNegativeInfinity = 0xF000;
constexpr int kNumericDisplayScaleMax = 0x3FFF;
// A binary numeric has at most this many base-10000 digits (PostgreSQL's NUMERIC_MAX_PRECISION
// is 1000 decimal digits, but values computed without a typmod may be longer).
constexpr int kNumericDigitsMax = 131072 / 4 + 16384 / 4 + 2;
constexpr int kArrayDimensionsMax = 6;  // PostgreSQL's MAXDIM
// Scratch vector slots of this file (sql::ScratchVector), apart from the engine's own.
constexpr int kTextSlot = 10;
constexpr int kValueSlot = 11;

Status Malformed(const Type& type) {
  return sql::SqlError(sql::kInvalidBinaryRepresentation,
                       "incorrect binary data format in bind parameter of type " +
                           std::string(catalog::TypeName(type.id)));
}

}  // namespace

Status NumericTextToBinary(std::string_view text, std::string* out) {
  auto special = [&](uint16_t sign) {
    AppendInt16(out, 0);
    AppendInt16(out, 0);
    AppendInt16(out, static_cast<int16_t>(sign));
    AppendInt16(out, 0);
    return Status::Ok();
  };
  if (text == "NaN") return special(kNumericNaN);
  if (text == "Infinity") return special(kNumericPositiveInfinity);
  if (text == "-Infinity") return special(kNumericNegativeInfinity);
  bool negative = false;
  if (!text.empty() && text[0] == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  const size_t point = text.find('.');
  std::string integer(text.substr(0, point));
  std::string fraction(point == std::string_view::npos ? "" : text.substr(point + 1));
  for (const char c : integer + fraction) {
    if (c < '0' || c > '9') return Status::Internal("numeric text is not a decimal");
  }
  const int display_scale = static_cast<int>(fraction.size());
  // Group into base-10000 digits aligned at the decimal point.
  integer.insert(0, (4 - integer.size() % 4) % 4, '0');
  fraction.append((4 - fraction.size() % 4) % 4, '0');
  std::vector<int16_t> digits;
  const std::string all = integer + fraction;
  for (size_t i = 0; i < all.size(); i += 4) {
    digits.push_back(static_cast<int16_t>(std::stoi(all.substr(i, 4))));
  }
  int weight = static_cast<int>(integer.size() / 4) - 1;
  size_t first = 0;
  while (first < digits.size() && digits[first] == 0) {
    ++first;
    --weight;
  }
  size_t last = digits.size();
  while (last > first && digits[last - 1] == 0) --last;
  if (first == last) weight = 0;
  AppendInt16(out, static_cast<int16_t>(last - first));
  AppendInt16(out, static_cast<int16_t>(weight));
  AppendInt16(out, static_cast<int16_t>(negative && first != last ? kNumericNegative
                                                                  : kNumericPositive));
  AppendInt16(out, static_cast<int16_t>(display_scale));
  for (size_t i = first; i < last; ++i) AppendInt16(out, digits[i]);
  return Status::Ok();
}

Result<std::string> NumericBinaryToText(std::string_view bytes) {
  const Type numeric = Type::Of(TypeId::kNumeric);
  if (bytes.size() < 8) return Malformed(numeric);
  const int count = LoadInt16(bytes.data());
  const int weight = LoadInt16(bytes.data() + 2);
  const auto sign = static_cast<uint16_t>(LoadInt16(bytes.data() + 4));
  const int display_scale = LoadInt16(bytes.data() + 6);
  if (count < 0 || count > kNumericDigitsMax || bytes.size() != 8 + size_t(count) * 2 ||
      display_scale < 0 || display_scale > kNumericDisplayScaleMax) {
    return Malformed(numeric);
  }
  if (sign == kNumericNaN) return std::string("NaN");
  if (sign == kNumericPositiveInfinity) return std::string("Infinity");
  if (sign == kNumericNegativeInfinity) return std::string("-Infinity");
  if (sign != kNumericPositive && sign != kNumericNegative) return Malformed(numeric);
  std::vector<int> digits(count);
  for (int i = 0; i < count; ++i) {
    digits[i] = LoadInt16(bytes.data() + 8 + 2 * i);
    if (digits[i] < 0 || digits[i] >= 10000) return Malformed(numeric);
  }
  // Digit i stands for digits[i] * 10000^(weight - i).
  auto digit_at = [&](int power) {
    const int index = weight - power;
    return index >= 0 && index < count ? digits[index] : 0;
  };
  std::string text = sign == kNumericNegative ? "-" : "";
  std::string integer;
  for (int power = std::max(weight, 0); power >= 0; --power) {
    char group[8];
    std::snprintf(group, sizeof(group), "%04d", digit_at(power));
    integer += group;
  }
  const size_t nonzero = integer.find_first_not_of('0');
  text += nonzero == std::string::npos ? "0" : integer.substr(nonzero);
  if (display_scale > 0) {
    std::string fraction;
    for (int power = -1; static_cast<int>(fraction.size()) < display_scale; --power) {
      char group[8];
      std::snprintf(group, sizeof(group), "%04d", digit_at(power));
      fraction += group;
    }
    text += "." + fraction.substr(0, display_scale);
  }
  return text;
}

namespace {

Status EncodeArray(const sql::Vector& vector, size_t row, std::string* out) {
  const Type element = sql::ArrayElementType(vector.type());
  PLEXUS_ASSIGN_OR_RETURN(sql::ArrayView array,
                          sql::ArrayView::Open(vector.GetString(row), element));
  bool has_null = false;
  for (size_t i = 0; i < array.size(); ++i) has_null = has_null || array.IsNull(i);
  const bool empty = array.size() == 0;
  AppendInt32(out, empty ? 0 : 1);  // dimensions
  AppendInt32(out, has_null ? 1 : 0);
  AppendInt32(out, static_cast<int32_t>(catalog::TypeOid(Type::Of(element.id))));
  if (empty) return Status::Ok();
  AppendInt32(out, static_cast<int32_t>(array.size()));
  AppendInt32(out, 1);  // lower bound
  sql::Vector& values = sql::ScratchVector(element, kValueSlot);
  for (size_t i = 0; i < array.size(); ++i) {
    if (array.IsNull(i)) {
      AppendInt32(out, -1);
      continue;
    }
    array.CopyTo(i, &values, 0);
    const size_t length_at = out->size();
    AppendInt32(out, 0);
    PLEXUS_RETURN_IF_ERROR(EncodeBinary(values, 0, out));
    const auto length = static_cast<uint32_t>(out->size() - length_at - 4);
    for (int b = 0; b < 4; ++b) (*out)[length_at + b] = static_cast<char>(length >> (24 - 8 * b));
  }
  return Status::Ok();
}

Result<Value> DecodeArray(const Type& type, std::string_view bytes) {
  const Type element = sql::ArrayElementType(type);
  MessageReader reader(bytes);
  int32_t dimensions = 0;
  int32_t has_null = 0;
  int32_t element_oid = 0;
  if (!reader.ReadInt32(&dimensions) || !reader.ReadInt32(&has_null) ||
      !reader.ReadInt32(&element_oid) || dimensions < 0 || dimensions > kArrayDimensionsMax) {
    return Malformed(type);
  }
  sql::ArrayBuilder builder(element);
  if (dimensions == 0) return Value::String(type, builder.Finish());
  if (dimensions > 1) {
    return sql::SqlError(sql::kFeatureNotSupported,
                         "multidimensional arrays are not supported");
  }
  int32_t count = 0;
  int32_t lower_bound = 0;
  if (!reader.ReadInt32(&count) || !reader.ReadInt32(&lower_bound) || count < 0 ||
      static_cast<size_t>(count) > reader.remaining() / 4) {
    return Malformed(type);
  }
  for (int32_t i = 0; i < count; ++i) {
    int32_t length = 0;
    if (!reader.ReadInt32(&length)) return Malformed(type);
    if (length == -1) {
      builder.AppendNull();
      continue;
    }
    std::string_view item;
    if (length < 0 || !reader.ReadBytes(static_cast<size_t>(length), &item)) {
      return Malformed(type);
    }
    PLEXUS_ASSIGN_OR_RETURN(const Value value, DecodeBinary(Type::Of(element.id), item));
    builder.AppendValue(value);
  }
  if (!reader.done()) return Malformed(type);
  return Value::String(type, builder.Finish());
}

}  // namespace

Status EncodeBinary(const sql::Vector& vector, size_t row, std::string* out) {
  const Type& type = vector.type();
  switch (type.id) {
    case TypeId::kBool:
      out->push_back(vector.values<uint8_t>()[row] != 0 ? 1 : 0);
      return Status::Ok();
    case TypeId::kInt16:
      AppendInt16(out, vector.values<int16_t>()[row]);
      return Status::Ok();
    case TypeId::kInt32:
    case TypeId::kDate:
      AppendInt32(out, vector.values<int32_t>()[row]);
      return Status::Ok();
    case TypeId::kInt64:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      AppendInt64(out, vector.values<int64_t>()[row]);
      return Status::Ok();
    case TypeId::kFloat32:
      AppendInt32(out, std::bit_cast<int32_t>(vector.values<float>()[row]));
      return Status::Ok();
    case TypeId::kFloat64:
      AppendInt64(out, std::bit_cast<int64_t>(vector.values<double>()[row]));
      return Status::Ok();
    case TypeId::kInterval: {
      sql::Interval interval;
      std::memcpy(&interval, vector.values<sql::Bytes16>()[row].bytes, sizeof(interval));
      AppendInt64(out, interval.micros);
      AppendInt32(out, interval.days);
      AppendInt32(out, interval.months);
      return Status::Ok();
    }
    case TypeId::kUuid:
      out->append(reinterpret_cast<const char*>(vector.values<sql::Bytes16>()[row].bytes), 16);
      return Status::Ok();
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kChar:
    case TypeId::kBytea:
      out->append(vector.GetString(row));
      return Status::Ok();
    case TypeId::kNumeric: {
      std::string text;
      PLEXUS_RETURN_IF_ERROR(sql::FormatText(vector, row, &text));
      return NumericTextToBinary(text, out);
    }
    case TypeId::kJsonb: {
      out->push_back(1);  // jsonb binary format version
      return sql::FormatText(vector, row, out);
    }
    case TypeId::kArray:
      return EncodeArray(vector, row, out);
    case TypeId::kUnknown:
      break;
  }
  return sql::SqlError(sql::kFeatureNotSupported,
                       "no binary output function available for type " +
                           catalog::FormatType(type));
}

Result<Value> DecodeBinary(const Type& type, std::string_view bytes) {
  auto need = [&](size_t size) { return bytes.size() == size; };
  switch (type.id) {
    case TypeId::kBool:
      if (!need(1) || static_cast<uint8_t>(bytes[0]) > 1) return Malformed(type);
      return Value::Bool(bytes[0] != 0);
    case TypeId::kInt16:
      if (!need(2)) return Malformed(type);
      return Value::Int16(LoadInt16(bytes.data()));
    case TypeId::kInt32:
      if (!need(4)) return Malformed(type);
      return Value::Int32(LoadInt32(bytes.data()));
    case TypeId::kDate:
      if (!need(4)) return Malformed(type);
      return Value::Integer(type, LoadInt32(bytes.data()));
    case TypeId::kInt64:
      if (!need(8)) return Malformed(type);
      return Value::Int64(LoadInt64(bytes.data()));
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      if (!need(8)) return Malformed(type);
      return Value::Integer(type, LoadInt64(bytes.data()));
    case TypeId::kFloat32:
      if (!need(4)) return Malformed(type);
      return Value::Float32(std::bit_cast<float>(LoadInt32(bytes.data())));
    case TypeId::kFloat64:
      if (!need(8)) return Malformed(type);
      return Value::Float64(std::bit_cast<double>(LoadInt64(bytes.data())));
    case TypeId::kInterval: {
      if (!need(16)) return Malformed(type);
      sql::Interval interval;
      interval.micros = LoadInt64(bytes.data());
      interval.days = LoadInt32(bytes.data() + 8);
      interval.months = LoadInt32(bytes.data() + 12);
      sql::Bytes16 slot;
      std::memcpy(slot.bytes, &interval, sizeof(interval));
      return Value::Bytes16Of(type, slot.bytes);
    }
    case TypeId::kUuid:
      if (!need(16)) return Malformed(type);
      return Value::Bytes16Of(type, bytes.data());
    case TypeId::kBytea:
      return Value::String(type, bytes);
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kChar:
      // Text in the client encoding (UTF8); the cast checks typmods and encoding.
      return DecodeText(type, bytes);
    case TypeId::kNumeric: {
      PLEXUS_ASSIGN_OR_RETURN(const std::string text, NumericBinaryToText(bytes));
      return DecodeText(type, text);
    }
    case TypeId::kJsonb:
      if (bytes.empty() || bytes[0] != 1) {
        return sql::SqlError(sql::kInvalidBinaryRepresentation,
                             "unsupported jsonb version number " +
                                 std::to_string(bytes.empty() ? 0 : bytes[0]));
      }
      return DecodeText(type, bytes.substr(1));
    case TypeId::kArray:
      return DecodeArray(type, bytes);
    case TypeId::kUnknown:
      break;
  }
  return sql::SqlError(sql::kFeatureNotSupported,
                       "no binary input function available for type " +
                           catalog::FormatType(type));
}

Result<Value> DecodeText(const Type& type, std::string_view text) {
  if (type.id == TypeId::kText || type.id == TypeId::kUnknown) {
    return Value::Text(text);
  }
  sql::Vector& input = sql::ScratchVector(Type::Of(TypeId::kText), kTextSlot);
  input.SetString(0, text);
  sql::Vector& output = sql::ScratchVector(type, kValueSlot);
  const uint8_t active = 1;
  PLEXUS_RETURN_IF_ERROR(sql::CastVector(input, 1, &active, &output));
  return sql::GetValue(output, 0);
}

}  // namespace plexus::server::pgwire
