// Casts of jsonb: from text (parsing), to text (jsonb_out), and, as PostgreSQL 15 allows
// explicitly, from a jsonb number to numeric, the integers and the floats and from a jsonb
// boolean to boolean.
#include <string>

#include "plexus/sql/exec/vector_numeric.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/func/cast_families.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/jsonb.h"

namespace plexus::sql {

namespace {

bool IsJsonbNumberTarget(TypeId id) {
  return catalog::IsNumeric(id);  // integers, floats, numeric
}

std::string_view TargetWord(const Type& type) {
  switch (type.id) {
    case TypeId::kInt16:
      return "smallint";
    case TypeId::kInt32:
      return "integer";
    case TypeId::kInt64:
      return "bigint";
    case TypeId::kFloat32:
      return "real";
    case TypeId::kFloat64:
      return "double precision";
    case TypeId::kBool:
      return "boolean";
    default:
      return "numeric";
  }
}

// PostgreSQL names the jsonb value's kind: "cannot cast jsonb string to type integer".
Status CannotCast(const Jsonb& value, const Type& to) {
  std::string_view kind = JsonbTypeName(value);
  if (kind == "number") kind = "numeric";
  return SqlError(kInvalidParameterValue, "cannot cast jsonb " + std::string(kind) + " to type " +
                                              std::string(TargetWord(to)));
}

Status CastToScalar(const Vector& in, size_t rows, const uint8_t* active, Vector* out) {
  const bool to_bool = out->type().id == TypeId::kBool;
  Vector numbers(Type::Of(TypeId::kNumeric));
  std::string scratch;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(Jsonb value, DecodeJsonb(in.GetString(row)));
    if (to_bool) {
      if (value.kind != JsonbKind::kTrue && value.kind != JsonbKind::kFalse) {
        return CannotCast(value, out->type());
      }
      out->values<uint8_t>()[row] = value.kind == JsonbKind::kTrue;
      continue;
    }
    if (value.kind != JsonbKind::kNumber) return CannotCast(value, out->type());
    numbers.values<std::string_view>()[row] = numbers.arena().Copy(value.scalar);
  }
  if (to_bool) return Status::Ok();
  return CastVector(numbers, rows, active, out);
}

}  // namespace

bool JsonbCastExists(const Type& from, const Type& to) {
  if (from.id == to.id) return true;
  if (from.id == TypeId::kJsonb) {
    return catalog::IsString(to.id) || IsJsonbNumberTarget(to.id) || to.id == TypeId::kBool;
  }
  return IsTextLike(from.id);
}

Status CastJsonbFamily(const Vector& in, size_t rows, const uint8_t* active, Vector* out) {
  const TypeId from = in.type().id;
  const TypeId to = out->type().id;
  if (from == TypeId::kJsonb && (IsJsonbNumberTarget(to) || to == TypeId::kBool)) {
    return CastToScalar(in, rows, active, out);
  }
  std::string scratch;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    if (from == to) {
      out->CopyRow(in, row, row);
      continue;
    }
    scratch.clear();
    if (from == TypeId::kJsonb) {
      PLEXUS_RETURN_IF_ERROR(FormatJsonbText(in, row, &scratch));
    } else {
      PLEXUS_ASSIGN_OR_RETURN(Jsonb value, ParseJsonb(in.GetString(row)));
      EncodeJsonb(value, &scratch);
    }
    out->values<std::string_view>()[row] = out->arena().Copy(scratch);
  }
  return Status::Ok();
}

Status FormatJsonbText(const Vector& vector, size_t row, std::string* out) {
  PLEXUS_ASSIGN_OR_RETURN(Jsonb value, DecodeJsonb(vector.GetString(row)));
  FormatJsonb(value, out);
  return Status::Ok();
}

}  // namespace plexus::sql
