// Operators and functions over numeric. (None yet.)
#include "plexus/sql/func/registry.h"

namespace plexus::sql {

void RegisterNumericFunctions(FunctionRegistry&) {}

}  // namespace plexus::sql
