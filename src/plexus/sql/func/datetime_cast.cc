// Casts to and from the date/time types, and their text output. (Not wired yet.)
#include "plexus/sql/func/cast_families.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

bool DateTimeCastExists(const Type&, const Type&) { return false; }

Status CastDateTimeFamily(const Vector&, size_t, const uint8_t*, Vector*) {
  return SqlError(kFeatureNotSupported, "date/time is not supported in expressions yet");
}

Status FormatDateTimeText(const Vector&, size_t, std::string*) {
  return SqlError(kFeatureNotSupported, "date/time is not supported in expressions yet");
}

}  // namespace plexus::sql
