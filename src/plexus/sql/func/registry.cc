// The built-in function registry, assembled once.
#include "plexus/sql/func/registry.h"

#include "plexus/sql/func/notify.h"
#include "plexus/sql/system/advisory_locks.h"
#include "plexus/sql/system/catalog_functions.h"

namespace plexus::sql {

const FunctionRegistry& FunctionRegistry::BuiltIn() {
  static const FunctionRegistry* registry = [] {
    auto* built = new FunctionRegistry();
    RegisterArithmetic(*built);
    RegisterComparison(*built);
    RegisterStringFunctions(*built);
    // Before the other string functions: substring(text, unknown) is the regular expression
    // form, as PostgreSQL resolves an unknown literal to text first.
    RegisterRegexpFunctions(*built);
    RegisterStringEditFunctions(*built);
    RegisterStringFormatFunctions(*built);
    RegisterNumericFunctions(*built);
    RegisterNumberFormatFunctions(*built);
    RegisterMathFunctions(*built);
    RegisterSystemFunctions(*built);
    RegisterDateTimeFunctions(*built);
    RegisterByteaUuidFunctions(*built);
    RegisterExtensionFunctions(*built);
    RegisterJsonbFunctions(*built);
    RegisterArrayFunctions(*built);
    RegisterSequenceFunctions(*built);
    // After the jsonb functions: json_build_object reuses jsonb_build_object's kernels.
    system::RegisterCatalogFunctions(*built);
    system::RegisterSessionFunctions(*built);
    system::RegisterAdvisoryLockFunctions(*built);
    RegisterNotifyFunctions(*built);
    return built;
  }();
  return *registry;
}

void FunctionRegistry::Add(ScalarFunction function) { functions_.push_back(std::move(function)); }

std::vector<const ScalarFunction*> FunctionRegistry::Overloads(std::string_view name) const {
  std::vector<const ScalarFunction*> overloads;
  for (const ScalarFunction& function : functions_) {
    if (function.name == name) overloads.push_back(&function);
  }
  return overloads;
}

}  // namespace plexus::sql
