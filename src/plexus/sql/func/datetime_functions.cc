// Operators and functions over the date/time types. (None yet.)
#include "plexus/sql/func/registry.h"

namespace plexus::sql {

void RegisterDateTimeFunctions(FunctionRegistry&) {}

}  // namespace plexus::sql
