// Casts of bytea and uuid: from and to text (PostgreSQL has no other casts for them), and their
// text output (bytea in hex, uuid lower-case hyphenated).
#include <cstring>
#include <string>

#include "plexus/sql/func/cast_families.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/bytea.h"
#include "plexus/sql/types/uuid.h"

namespace plexus::sql {

namespace {

Status CastOne(const Vector& in, size_t row, Vector* out, std::string* scratch) {
  const TypeId from = in.type().id;
  const TypeId to = out->type().id;
  if (from == to) {
    out->CopyRow(in, row, row);
    return Status::Ok();
  }
  scratch->clear();
  if (IsTextLike(from) && to == TypeId::kBytea) {
    PLEXUS_RETURN_IF_ERROR(ParseBytea(in.GetString(row), scratch));
    out->values<std::string_view>()[row] = out->arena().Copy(*scratch);
    return Status::Ok();
  }
  if (IsTextLike(from) && to == TypeId::kUuid) {
    PLEXUS_ASSIGN_OR_RETURN(UuidBytes uuid, ParseUuid(in.GetString(row)));
    std::memcpy(out->values<Bytes16>()[row].bytes, uuid.data(), uuid.size());
    return Status::Ok();
  }
  if (catalog::IsString(to)) {
    PLEXUS_RETURN_IF_ERROR(FormatByteaUuidText(in, row, scratch));
    out->values<std::string_view>()[row] = out->arena().Copy(*scratch);
    return Status::Ok();
  }
  return SqlError(kFeatureNotSupported, "cast from " + catalog::FormatType(in.type()) + " to " +
                                            catalog::FormatType(out->type()) + " is not supported");
}

}  // namespace

bool ByteaUuidCastExists(const Type& from, const Type& to) {
  if (from.id == to.id) return true;
  return IsTextLike(from.id) || catalog::IsString(to.id);
}

Status CastByteaUuidFamily(const Vector& in, size_t rows, const uint8_t* active, Vector* out) {
  std::string scratch;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_RETURN_IF_ERROR(CastOne(in, row, out, &scratch));
  }
  return Status::Ok();
}

Status FormatByteaUuidText(const Vector& vector, size_t row, std::string* out) {
  if (vector.type().id == TypeId::kUuid) {
    FormatUuid(vector.values<Bytes16>()[row].bytes, out);
  } else {
    FormatBytea(vector.GetString(row), out);
  }
  return Status::Ok();
}

}  // namespace plexus::sql
