// Casts to and from numeric (integers, floats, text, and numeric -> numeric(p,s) with its
// rounding and overflow check), and numeric's text output. PostgreSQL has no numeric <-> boolean
// cast; every numeric cast it has goes through this file.
#include <string>

#include "plexus/sql/exec/vector_numeric.h"
#include "plexus/sql/func/cast_families.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

bool IsIntegerOrFloat(TypeId id) {
  return catalog::IsInteger(id) || id == TypeId::kFloat32 || id == TypeId::kFloat64;
}

// The value at `row` of a non-numeric input, as a numeric.
Result<Numeric> ToNumeric(const Vector& in, size_t row) {
  switch (in.type().id) {
    case TypeId::kNumeric: return NumericAt(in, row);
    case TypeId::kInt16: return Numeric::FromInt64(in.values<int16_t>()[row]);
    case TypeId::kInt32: return Numeric::FromInt64(in.values<int32_t>()[row]);
    case TypeId::kInt64: return Numeric::FromInt64(in.values<int64_t>()[row]);
    case TypeId::kFloat32: return Numeric::FromFloat(in.values<float>()[row]);
    case TypeId::kFloat64: return Numeric::FromDouble(in.values<double>()[row]);
    default: return Numeric::Parse(in.GetString(row));
  }
}

// Stores a numeric into a non-numeric output slot.
Status FromNumeric(const Numeric& value, Vector* out, size_t row, std::string* scratch) {
  switch (out->type().id) {
    case TypeId::kInt16: {
      PLEXUS_ASSIGN_OR_RETURN(out->values<int16_t>()[row], value.ToInt16());
      return Status::Ok();
    }
    case TypeId::kInt32: {
      PLEXUS_ASSIGN_OR_RETURN(out->values<int32_t>()[row], value.ToInt32());
      return Status::Ok();
    }
    case TypeId::kInt64: {
      PLEXUS_ASSIGN_OR_RETURN(out->values<int64_t>()[row], value.ToInt64());
      return Status::Ok();
    }
    case TypeId::kFloat32: {
      PLEXUS_ASSIGN_OR_RETURN(out->values<float>()[row], value.ToFloat());
      return Status::Ok();
    }
    case TypeId::kFloat64: {
      PLEXUS_ASSIGN_OR_RETURN(out->values<double>()[row], value.ToDouble());
      return Status::Ok();
    }
    default:
      *scratch = value.ToString();
      out->values<std::string_view>()[row] = out->arena().Copy(*scratch);
      return Status::Ok();
  }
}

}  // namespace

bool NumericCastExists(const Type& from, const Type& to) {
  const TypeId other = IsNumericFamily(from) ? to.id : from.id;
  if (other == TypeId::kNumeric || IsIntegerOrFloat(other) || catalog::IsString(other)) {
    return true;
  }
  // An untyped literal converts into numeric; nothing converts into unknown.
  return other == TypeId::kUnknown && !IsNumericFamily(from);
}

Status CastNumericFamily(const Vector& in, size_t rows, const uint8_t* active, Vector* out) {
  const Type& target = out->type();
  const bool to_numeric = target.id == TypeId::kNumeric;
  const bool constrained = to_numeric && target.typmod != catalog::kNoTypmod;
  const int precision = target.numeric_precision();
  const int scale = target.numeric_scale();  // sign-extended: numeric(3,-2) is allowed
  if (constrained) PLEXUS_RETURN_IF_ERROR(Numeric::ValidateTypmod(precision, scale));
  if (!to_numeric && in.type().id != TypeId::kNumeric) {
    return SqlError(kFeatureNotSupported, "cast from " + catalog::FormatType(in.type()) + " to " +
                                              catalog::FormatType(target) + " is not supported");
  }
  std::string scratch;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(Numeric value, ToNumeric(in, row));
    if (!to_numeric) {
      PLEXUS_RETURN_IF_ERROR(FromNumeric(value, out, row, &scratch));
      continue;
    }
    if (constrained) {
      PLEXUS_ASSIGN_OR_RETURN(value, value.ApplyTypmod(precision, scale));
    }
    StoreNumeric(out, row, value, &scratch);
  }
  return Status::Ok();
}

Status FormatNumericText(const Vector& vector, size_t row, std::string* out) {
  PLEXUS_ASSIGN_OR_RETURN(Numeric value, NumericAt(vector, row));
  out->append(value.ToString());
  return Status::Ok();
}

}  // namespace plexus::sql
