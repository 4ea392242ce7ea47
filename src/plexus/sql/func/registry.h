// Registration hooks: each family of built-in functions adds itself to the registry.
#pragma once

#include "plexus/sql/func/function.h"

namespace plexus::sql {

void RegisterArithmetic(FunctionRegistry& registry);
void RegisterComparison(FunctionRegistry& registry);
void RegisterStringFunctions(FunctionRegistry& registry);      // string_functions.cc
void RegisterStringEditFunctions(FunctionRegistry& registry);  // string_edit_functions.cc
void RegisterStringFormatFunctions(FunctionRegistry& registry);  // string_format.cc
void RegisterRegexpFunctions(FunctionRegistry& registry);      // regexp_functions.cc
void RegisterMathFunctions(FunctionRegistry& registry);        // math_functions.cc
void RegisterSystemFunctions(FunctionRegistry& registry);      // system_functions.cc
void RegisterNumericFunctions(FunctionRegistry& registry);   // numeric_functions.cc
void RegisterNumberFormatFunctions(FunctionRegistry& registry);  // number_format.cc
void RegisterDateTimeFunctions(FunctionRegistry& registry);  // datetime_functions.cc
void RegisterByteaUuidFunctions(FunctionRegistry& registry);  // bytea_uuid_functions.cc
void RegisterExtensionFunctions(FunctionRegistry& registry);  // extension_functions.cc
void RegisterJsonbFunctions(FunctionRegistry& registry);      // jsonb_functions.cc
void RegisterArrayFunctions(FunctionRegistry& registry);      // array_functions.cc
void RegisterSequenceFunctions(FunctionRegistry& registry);   // sequence_functions.cc

}  // namespace plexus::sql
