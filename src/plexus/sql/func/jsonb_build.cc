// SQL values to jsonb: to_jsonb, array_to_json, jsonb_build_object, jsonb_build_array and
// json_build_array.
#include <algorithm>
#include <cstring>

#include "plexus/sql/exec/vector_numeric.h"
#include "plexus/sql/func/array_functions.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/func/jsonb_support.h"
#include "plexus/sql/func/registry.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/array.h"

namespace plexus::sql {

namespace {

// Date/time text in JSON's ISO 8601 form: a 'T' between date and time, offsets as +hh:mm.
std::string IsoDateTime(const std::string& text, TypeId id) {
  if (id != TypeId::kTimestamp && id != TypeId::kTimestampTz) return text;
  std::string iso = text;
  const size_t space = iso.find(' ');
  if (space == std::string::npos) return iso;  // infinity, -infinity
  iso[space] = 'T';
  if (id == TypeId::kTimestampTz) {
    const size_t sign = iso.find_last_of("+-");
    if (sign != std::string::npos && sign > space && iso.size() - sign == 3) iso += ":00";
  }
  return iso;
}

Result<Jsonb> ArrayToJsonb(const Vector& vector, size_t row) {
  const Type element = ArrayElementType(vector.type());
  PLEXUS_ASSIGN_OR_RETURN(ArrayView array, ArrayView::Open(vector.GetString(row), element));
  Jsonb result = Jsonb::Array();
  Vector values(element);
  for (size_t first = 0; first < array.size(); first += kBatchRowsMax) {
    const size_t count = std::min(kBatchRowsMax, array.size() - first);
    values.ResetArena();
    for (size_t i = 0; i < count; ++i) {
      array.CopyTo(first + i, &values, i);
      if (values.IsNull(i)) {
        result.elements.push_back(Jsonb::Null());
        continue;
      }
      PLEXUS_ASSIGN_OR_RETURN(Jsonb item, ToJsonb(values, i));
      result.elements.push_back(std::move(item));
    }
  }
  return result;
}

}  // namespace

Result<std::vector<std::optional<std::string>>> TextArrayAt(const Vector& vector, size_t row) {
  PLEXUS_ASSIGN_OR_RETURN(ArrayView array,
                          ArrayView::Open(vector.GetString(row), ArrayElementType(vector.type())));
  std::vector<std::optional<std::string>> items;
  items.reserve(array.size());
  for (size_t i = 0; i < array.size(); ++i) {
    if (array.IsNull(i)) {
      items.emplace_back(std::nullopt);
    } else {
      items.emplace_back(std::string(array.Bytes(i)));
    }
  }
  return items;
}

Result<Jsonb> ToJsonb(const Vector& vector, size_t row) {
  const TypeId id = vector.type().id;
  switch (id) {
    case TypeId::kJsonb:
      return JsonbAt(vector, row);
    case TypeId::kBool:
      return Jsonb::Bool(vector.values<uint8_t>()[row] != 0);
    case TypeId::kNumeric: {
      PLEXUS_ASSIGN_OR_RETURN(Numeric value, NumericAt(vector, row));
      if (!value.IsFinite()) return Jsonb::String(value.ToString());
      return Jsonb::Number(value);
    }
    case TypeId::kArray:
      return ArrayToJsonb(vector, row);
    default:
      break;
  }
  std::string text;
  PLEXUS_RETURN_IF_ERROR(FormatText(vector, row, &text));
  if (catalog::IsNumeric(id)) {
    // Integers and finite floats are numbers; NaN and the infinities are strings.
    Result<Numeric> value = Numeric::Parse(text);
    if (value.ok() && value->IsFinite()) return Jsonb::Number(*value);
    return Jsonb::String(text);
  }
  return Jsonb::String(IsoDateTime(text, id));
}

namespace {

size_t CountArguments(const Vector* const* args) {
  size_t count = 0;
  while (args[count] != nullptr) ++count;
  return count;
}

Status ToJsonbKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                     ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(Jsonb value, ToJsonb(*args[0], row));
    StoreJsonb(out, row, value);
  }
  return Status::Ok();
}

Result<Jsonb> ValueOrNull(const Vector& vector, size_t row) {
  if (vector.IsNull(row)) return Jsonb::Null();
  return ToJsonb(vector, row);
}

Status BuildArrayKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                        ExecContext&) {
  const size_t count = CountArguments(args);
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    out->SetNull(row, false);
    Jsonb result = Jsonb::Array();
    for (size_t i = 0; i < count; ++i) {
      PLEXUS_ASSIGN_OR_RETURN(Jsonb item, ValueOrNull(*args[i], row));
      result.elements.push_back(std::move(item));
    }
    StoreJsonb(out, row, result);
  }
  return Status::Ok();
}

Status BuildObjectKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                         ExecContext&) {
  const size_t count = CountArguments(args);
  if (count % 2 != 0) {
    Status status =
        SqlError(kInvalidParameterValue, "argument list must have even number of elements");
    status.SetHint(
        "The arguments of jsonb_build_object() must consist of alternating keys and "
        "values.");
    return status;
  }
  std::string key;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    out->SetNull(row, false);
    Jsonb result = Jsonb::Object();
    for (size_t i = 0; i < count; i += 2) {
      if (args[i]->IsNull(row)) {
        return SqlError(kNullValueNotAllowed,
                        "argument " + std::to_string(i + 1) + ": key must not be null");
      }
      key.clear();
      PLEXUS_RETURN_IF_ERROR(FormatText(*args[i], row, &key));
      PLEXUS_ASSIGN_OR_RETURN(Jsonb item, ValueOrNull(*args[i + 1], row));
      result.members.emplace_back(key, std::move(item));
    }
    result.Canonicalize();
    StoreJsonb(out, row, result);
  }
  return Status::Ok();
}

}  // namespace

void RegisterJsonbBuildFunctions(FunctionRegistry& registry) {
  const Type jsonb = Type::Of(TypeId::kJsonb);
  registry.Add({"to_jsonb", {AnyArgumentType()}, jsonb, ToJsonbKernel});
  // json is jsonb here (as json_build_object and json_agg): array_to_json and json_build_array
  // give jsonb, whose text has jsonb's spacing.
  registry.Add({"array_to_json", {AnyArrayType()}, jsonb, ToJsonbKernel});
  for (const char* name : {"jsonb_build_array", "json_build_array"}) {
    ScalarFunction build_array{name, {AnyArgumentType()}, jsonb, BuildArrayKernel};
    build_array.strict = false;
    build_array.variadic = true;
    registry.Add(build_array);
    ScalarFunction empty_array{name, {}, jsonb, BuildArrayKernel};
    empty_array.strict = false;
    registry.Add(empty_array);
  }
  ScalarFunction build_object{"jsonb_build_object", {AnyArgumentType()}, jsonb, BuildObjectKernel};
  build_object.strict = false;
  build_object.variadic = true;
  registry.Add(build_object);
  ScalarFunction empty_object{"jsonb_build_object", {}, jsonb, BuildObjectKernel};
  empty_object.strict = false;
  registry.Add(empty_object);
}

}  // namespace plexus::sql
