// Casts among booleans, integers, floats and text (numeric, date/time and the rest arrive with
// their types), plus PostgreSQL's text output of each value.
#include "plexus/sql/func/cast.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "plexus/sql/func/cast_families.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

std::string_view TypeWord(TypeId id) {
  switch (id) {
    case TypeId::kInt16: return "smallint";
    case TypeId::kInt32: return "integer";
    case TypeId::kInt64: return "bigint";
    case TypeId::kFloat32: return "real";
    case TypeId::kFloat64: return "double precision";
    case TypeId::kBool: return "boolean";
    default: return catalog::TypeName(id);
  }
}

Status InvalidInput(TypeId id, std::string_view text) {
  return SqlError(kInvalidTextRepresentation, "invalid input syntax for type " +
                                                  std::string(TypeWord(id)) + ": \"" +
                                                  std::string(text) + "\"");
}

std::string_view TrimSpaces(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
                                      c == '\f' || c == '\v'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

Result<int64_t> ParseInteger(std::string_view original, TypeId id) {
  std::string_view text = TrimSpaces(original);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || end != text.data() + text.size() ||
      (error != std::errc() && error != std::errc::result_out_of_range)) {
    return InvalidInput(id, original);
  }
  int64_t min = id == TypeId::kInt16   ? std::numeric_limits<int16_t>::min()
                : id == TypeId::kInt32 ? std::numeric_limits<int32_t>::min()
                                       : std::numeric_limits<int64_t>::min();
  int64_t max = id == TypeId::kInt16   ? std::numeric_limits<int16_t>::max()
                : id == TypeId::kInt32 ? std::numeric_limits<int32_t>::max()
                                       : std::numeric_limits<int64_t>::max();
  if (error == std::errc::result_out_of_range || value < min || value > max) {
    return SqlError(kNumericValueOutOfRange, "value \"" + std::string(original) +
                                                 "\" is out of range for type " +
                                                 std::string(TypeWord(id)));
  }
  return value;
}

Result<double> ParseFloat(std::string_view original, TypeId id) {
  std::string text(TrimSpaces(original));
  std::string lowered;
  for (char c : text) lowered.push_back(static_cast<char>(std::tolower(static_cast<uint8_t>(c))));
  if (lowered == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (lowered == "infinity" || lowered == "+infinity" || lowered == "inf" || lowered == "+inf") {
    return std::numeric_limits<double>::infinity();
  }
  if (lowered == "-infinity" || lowered == "-inf") return -std::numeric_limits<double>::infinity();
  if (text.empty()) return InvalidInput(id, original);
  char* end = nullptr;
  errno = 0;
  double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return InvalidInput(id, original);
  if (errno == ERANGE && (std::isinf(value) || value != 0)) {
    return SqlError(kNumericValueOutOfRange, "\"" + std::string(original) +
                                                 "\" is out of range for type " +
                                                 std::string(TypeWord(id)));
  }
  return value;
}

Result<bool> ParseBool(std::string_view original) {
  std::string lowered;
  for (char c : TrimSpaces(original)) {
    lowered.push_back(static_cast<char>(std::tolower(static_cast<uint8_t>(c))));
  }
  // PostgreSQL accepts any unique prefix of true/false/yes/no, and on/off/1/0.
  auto prefix_of = [&](std::string_view word) {
    return !lowered.empty() && word.substr(0, lowered.size()) == lowered;
  };
  if (prefix_of("true") || prefix_of("yes") || lowered == "on" || lowered == "1") return true;
  if (prefix_of("false") || prefix_of("no") || lowered == "off" || lowered == "0") return false;
  return InvalidInput(TypeId::kBool, original);
}

// PostgreSQL's float output: the shortest digits that read back exactly, in positional form
// unless the decimal exponent is below -4 or at least `exponent_max` (15 for double precision,
// 6 for real), where it switches to d.ddde+XX.
void FormatFloat(double value, int exponent_max, std::string* out) {
  if (std::isnan(value)) return out->append("NaN"), void();
  if (std::isinf(value)) return out->append(value > 0 ? "Infinity" : "-Infinity"), void();
  if (value == 0) return out->append(std::signbit(value) ? "-0" : "0"), void();
  char buffer[64];
  auto result = exponent_max == 6
                    ? std::to_chars(buffer, buffer + sizeof(buffer), static_cast<float>(value),
                                    std::chars_format::scientific)
                    : std::to_chars(buffer, buffer + sizeof(buffer), value,
                                    std::chars_format::scientific);
  std::string_view scientific(buffer, static_cast<size_t>(result.ptr - buffer));
  size_t e = scientific.find('e');
  int exponent = std::stoi(std::string(scientific.substr(e + 1)));
  std::string digits;
  bool negative = scientific.front() == '-';
  for (char c : scientific.substr(0, e)) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  if (negative) out->push_back('-');
  if (exponent < -4 || exponent >= exponent_max) {
    out->push_back(digits[0]);
    if (digits.size() > 1) {
      out->push_back('.');
      out->append(digits, 1);
    }
    char exponent_text[16];
    std::snprintf(exponent_text, sizeof(exponent_text), "e%c%02d", exponent < 0 ? '-' : '+',
                  std::abs(exponent));
    out->append(exponent_text);
  } else if (exponent < 0) {
    out->append("0.");
    out->append(static_cast<size_t>(-exponent - 1), '0');
    out->append(digits);
  } else if (static_cast<size_t>(exponent) + 1 >= digits.size()) {
    out->append(digits);
    out->append(static_cast<size_t>(exponent) + 1 - digits.size(), '0');
  } else {
    out->append(digits, 0, static_cast<size_t>(exponent) + 1);
    out->push_back('.');
    out->append(digits, static_cast<size_t>(exponent) + 1);
  }
}

int64_t IntegerAt(const Vector& vector, size_t row) {
  switch (vector.physical()) {
    case PhysicalType::kBool: return vector.values<uint8_t>()[row];
    case PhysicalType::kInt16: return vector.values<int16_t>()[row];
    case PhysicalType::kInt32: return vector.values<int32_t>()[row];
    default: return vector.values<int64_t>()[row];
  }
}

double FloatAt(const Vector& vector, size_t row) {
  return vector.physical() == PhysicalType::kFloat32 ? vector.values<float>()[row]
                                                     : vector.values<double>()[row];
}

Status StoreInteger(Vector* out, size_t row, int64_t value) {
  const TypeId id = out->type().id;
  switch (id) {
    case TypeId::kBool: out->values<uint8_t>()[row] = value != 0; return Status::Ok();
    case TypeId::kInt16:
      if (value < INT16_MIN || value > INT16_MAX) {
        return SqlError(kNumericValueOutOfRange, "smallint out of range");
      }
      out->values<int16_t>()[row] = static_cast<int16_t>(value);
      return Status::Ok();
    case TypeId::kInt32:
      if (value < INT32_MIN || value > INT32_MAX) {
        return SqlError(kNumericValueOutOfRange, "integer out of range");
      }
      out->values<int32_t>()[row] = static_cast<int32_t>(value);
      return Status::Ok();
    case TypeId::kInt64: out->values<int64_t>()[row] = value; return Status::Ok();
    case TypeId::kFloat32: out->values<float>()[row] = static_cast<float>(value); return Status::Ok();
    case TypeId::kFloat64: out->values<double>()[row] = static_cast<double>(value); return Status::Ok();
    default: return SqlError(kFeatureNotSupported, "cast is not supported yet");
  }
}

Status StoreFloat(Vector* out, size_t row, double value) {
  const TypeId id = out->type().id;
  if (id == TypeId::kFloat32) {
    if (std::isfinite(value) && std::fabs(value) > std::numeric_limits<float>::max()) {
      return SqlError(kNumericValueOutOfRange, "value out of range: overflow");
    }
    out->values<float>()[row] = static_cast<float>(value);
    return Status::Ok();
  }
  if (id == TypeId::kFloat64) {
    out->values<double>()[row] = value;
    return Status::Ok();
  }
  // To an integer: round half to even (rint), then range-check, as PostgreSQL does.
  double rounded = std::nearbyint(value);
  if (!std::isfinite(rounded) || rounded < -9.2233720368547758e18 ||
      rounded >= 9.2233720368547758e18) {
    return SqlError(kNumericValueOutOfRange, std::string(TypeWord(id)) + " out of range");
  }
  return StoreInteger(out, row, static_cast<int64_t>(rounded));
}

Status CastFromText(std::string_view text, Vector* out, size_t row) {
  const TypeId id = out->type().id;
  switch (id) {
    case TypeId::kBool: {
      PLEXUS_ASSIGN_OR_RETURN(bool value, ParseBool(text));
      out->values<uint8_t>()[row] = value;
      return Status::Ok();
    }
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64: {
      PLEXUS_ASSIGN_OR_RETURN(int64_t value, ParseInteger(text, id));
      return StoreInteger(out, row, value);
    }
    case TypeId::kFloat32:
    case TypeId::kFloat64: {
      PLEXUS_ASSIGN_OR_RETURN(double value, ParseFloat(text, id));
      return StoreFloat(out, row, value);
    }
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kChar:
    case TypeId::kUnknown:
      out->values<std::string_view>()[row] = out->arena().Copy(text);
      return Status::Ok();
    default:
      return SqlError(kFeatureNotSupported,
                      "cast to " + catalog::FormatType(out->type()) + " is not supported yet");
  }
}

}  // namespace

bool CastExists(const Type& from, const Type& to) {
  if (IsArrayFamily(from) || IsArrayFamily(to)) return ArrayCastExists(from, to);
  if (from.id == to.id) return true;
  if (IsJsonbFamily(from) || IsJsonbFamily(to)) return JsonbCastExists(from, to);
  if (IsByteaUuidFamily(from) || IsByteaUuidFamily(to)) return ByteaUuidCastExists(from, to);
  if (IsNumericFamily(from) || IsNumericFamily(to)) return NumericCastExists(from, to);
  if (IsDateTimeFamily(from) || IsDateTimeFamily(to)) return DateTimeCastExists(from, to);
  const bool from_text = catalog::IsString(from.id) || from.id == TypeId::kUnknown;
  const bool to_text = catalog::IsString(to.id);
  if (from_text || to_text) return true;
  if (catalog::IsNumeric(from.id) && catalog::IsNumeric(to.id)) return true;
  return (from.id == TypeId::kBool && to.id == TypeId::kInt32) ||
         (from.id == TypeId::kInt32 && to.id == TypeId::kBool);
}

bool IsImplicitCast(const Type& from, const Type& to) {
  if (from.id == TypeId::kArray && to.id == TypeId::kArray) return IsImplicitArrayCast(from, to);
  if (from.id == to.id || from.id == TypeId::kUnknown) return true;
  if (catalog::IsString(from.id) && catalog::IsString(to.id)) return true;
  // date -> timestamp -> timestamptz widen implicitly, as in PostgreSQL.
  if (from.id == TypeId::kDate && (to.id == TypeId::kTimestamp || to.id == TypeId::kTimestampTz)) {
    return true;
  }
  if (from.id == TypeId::kTimestamp && to.id == TypeId::kTimestampTz) return true;
  auto rank = [](TypeId id) {
    switch (id) {
      case TypeId::kInt16: return 1;
      case TypeId::kInt32: return 2;
      case TypeId::kInt64: return 3;
      case TypeId::kNumeric: return 4;
      case TypeId::kFloat32: return 5;
      case TypeId::kFloat64: return 6;
      default: return 0;
    }
  };
  return rank(from.id) > 0 && rank(to.id) > 0 && rank(from.id) < rank(to.id);
}

bool IsAssignmentCast(const Type& from, const Type& to) {
  if (IsImplicitCast(from, to)) return true;
  if (!CastExists(from, to)) return false;
  if (from.id == TypeId::kArray && to.id == TypeId::kArray) {
    return IsAssignmentCast(Type::Of(from.element), Type::Of(to.element));
  }
  if (catalog::IsString(to.id)) return true;  // PostgreSQL's I/O conversion casts to text
  auto numeric = [](TypeId id) {
    return id == TypeId::kInt16 || id == TypeId::kInt32 || id == TypeId::kInt64 ||
           id == TypeId::kNumeric || id == TypeId::kFloat32 || id == TypeId::kFloat64;
  };
  if (numeric(from.id) && numeric(to.id)) return true;
  const bool stamp = from.id == TypeId::kTimestamp || from.id == TypeId::kTimestampTz;
  if (stamp && (to.id == TypeId::kTimestamp || to.id == TypeId::kDate || to.id == TypeId::kTime)) {
    return true;
  }
  return from.id == TypeId::kInterval && to.id == TypeId::kTime;
}

Status FormatText(const Vector& vector, size_t row, std::string* out) {
  if (IsArrayFamily(vector.type())) return FormatArrayText(vector, row, out);
  if (IsJsonbFamily(vector.type())) return FormatJsonbText(vector, row, out);
  if (IsByteaUuidFamily(vector.type())) return FormatByteaUuidText(vector, row, out);
  if (IsNumericFamily(vector.type())) return FormatNumericText(vector, row, out);
  if (IsDateTimeFamily(vector.type())) return FormatDateTimeText(vector, row, out);
  switch (vector.type().id) {
    case TypeId::kBool: out->push_back(vector.values<uint8_t>()[row] ? 't' : 'f'); break;
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64: out->append(std::to_string(IntegerAt(vector, row))); break;
    case TypeId::kFloat32: FormatFloat(vector.values<float>()[row], 6, out); break;
    case TypeId::kFloat64: FormatFloat(vector.values<double>()[row], 15, out); break;
    case TypeId::kUnknown:
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kChar: out->append(vector.GetString(row)); break;
    default:
      return SqlError(kFeatureNotSupported,
                      "output of " + catalog::FormatType(vector.type()) + " is not supported yet");
  }
  return Status::Ok();
}

Status CastVector(const Vector& in, size_t rows, const uint8_t* active, Vector* out) {
  if (IsArrayFamily(in.type()) || IsArrayFamily(out->type())) {
    return CastArrayFamily(in, rows, active, out);
  }
  if (IsJsonbFamily(in.type()) || IsJsonbFamily(out->type())) {
    return CastJsonbFamily(in, rows, active, out);
  }
  if (IsByteaUuidFamily(in.type()) || IsByteaUuidFamily(out->type())) {
    return CastByteaUuidFamily(in, rows, active, out);
  }
  if (IsNumericFamily(in.type()) || IsNumericFamily(out->type())) {
    return CastNumericFamily(in, rows, active, out);
  }
  if (IsDateTimeFamily(in.type()) || IsDateTimeFamily(out->type())) {
    return CastDateTimeFamily(in, rows, active, out);
  }
  const TypeId from = in.type().id;
  const TypeId to = out->type().id;
  const bool from_text = catalog::IsString(from) || from == TypeId::kUnknown;
  std::string text;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    Status status;
    if (from_text) {
      status = CastFromText(in.GetString(row), out, row);
    } else if (catalog::IsString(to) && from == TypeId::kBool) {
      // PostgreSQL's boolean to text cast spells the value out (output is still t/f).
      out->values<std::string_view>()[row] = in.values<uint8_t>()[row] ? "true" : "false";
    } else if (catalog::IsString(to)) {
      text.clear();
      status = FormatText(in, row, &text);
      if (status.ok()) out->values<std::string_view>()[row] = out->arena().Copy(text);
    } else if (from == TypeId::kFloat32 || from == TypeId::kFloat64) {
      status = StoreFloat(out, row, FloatAt(in, row));
    } else if (catalog::IsInteger(from) || from == TypeId::kBool) {
      status = StoreInteger(out, row, IntegerAt(in, row));
    } else {
      status = SqlError(kFeatureNotSupported, "cast from " + catalog::FormatType(in.type()) +
                                                  " to " + catalog::FormatType(out->type()) +
                                                  " is not supported yet");
    }
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

}  // namespace plexus::sql
