// Casts to and from numeric, and numeric's text output. (Not wired yet.)
#include "plexus/sql/func/cast_families.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

bool NumericCastExists(const Type&, const Type&) { return false; }

Status CastNumericFamily(const Vector&, size_t, const uint8_t*, Vector*) {
  return SqlError(kFeatureNotSupported, "numeric is not supported in expressions yet");
}

Status FormatNumericText(const Vector&, size_t, std::string*) {
  return SqlError(kFeatureNotSupported, "numeric is not supported in expressions yet");
}

}  // namespace plexus::sql
