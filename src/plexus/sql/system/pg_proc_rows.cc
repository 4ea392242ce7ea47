// pg_proc: a row per built-in function plexus implements — the scalar functions of the
// registry (operators, named by their symbols, are pg_operator's and left out), aggregates per
// argument type they accept, window functions and set-returning functions — with
// pg_get_function_result / pg_get_function_arguments over them, so psql's \df and tools that
// join pg_proc see what exists. OIDs are stable for one binary: kProcOidBase + position.
#include <algorithm>
#include <cctype>
#include <set>

#include "plexus/sql/func/aggregate.h"
#include "plexus/sql/func/function.h"
#include "plexus/sql/system/catalog_functions.h"
#include "plexus/sql/system/function_support.h"
#include "plexus/sql/system/name_lookup.h"
#include "plexus/sql/system/row_generators.h"
#include "plexus/sql/system/row_values.h"

// GCC 12 at -O1 with the sanitizers (the `make test` build) reports the std::optional<std::string>
// the kernels return through Result as maybe-uninitialized: a known false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace plexus::sql::system {

namespace {

inline constexpr int64_t kProcOidBase = int64_t{3} << 28;  // below constraint OIDs (2^29)
inline constexpr int64_t kAnyOid = 2276;
inline constexpr int64_t kAnyArrayOid = 2277;
inline constexpr int64_t kAnyElementOid = 2283;
inline constexpr int64_t kInternalLanguageOid = 12;

struct Proc {
  int64_t oid = 0;
  std::string name;
  char kind = 'f';  // f function, a aggregate, w window
  bool returns_set = false;
  bool strict = true;
  char volatility = 'i';
  bool variadic = false;
  int64_t result_type = 0;
  std::vector<int64_t> argument_types;
};

int64_t ProcTypeOid(const catalog::Type& type) {
  if (type.id == TypeId::kUnknown) return kAnyOid;
  if (type.id == TypeId::kArray && type.element == TypeId::kUnknown) return kAnyArrayOid;
  return catalog::TypeOid(type);
}

bool IsIdentifier(std::string_view name) {
  return !name.empty() &&
         (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
}

void AddScalarFunctions(std::vector<Proc>* procs) {
  std::set<std::pair<std::string, std::vector<int64_t>>> seen;
  for (const ScalarFunction& function : FunctionRegistry::BuiltIn().functions()) {
    if (!IsIdentifier(function.name)) continue;
    Proc proc;
    proc.name = function.name;
    proc.strict = function.strict;
    proc.volatility = function.volatile_ ? 'v' : 'i';
    proc.variadic = function.variadic;
    proc.result_type = ProcTypeOid(function.result_type);
    for (const Type& type : function.argument_types) {
      proc.argument_types.push_back(ProcTypeOid(type));
    }
    if (!seen.insert({proc.name, proc.argument_types}).second) continue;
    procs->push_back(std::move(proc));
  }
}

void AddAggregates(std::vector<Proc>* procs) {
  static constexpr std::string_view kNames[] = {"avg", "bool_and", "bool_or", "count", "every",
                                                "max", "min", "sum", "string_agg", "array_agg",
                                                "variance", "var_samp", "var_pop", "stddev",
                                                "stddev_samp", "stddev_pop", "bit_and", "bit_or",
                                                "bit_xor", "corr", "covar_pop", "covar_samp",
                                                "regr_slope", "regr_intercept", "regr_count",
                                                "regr_r2", "regr_avgx", "regr_avgy"};
  static constexpr TypeId kCandidates[] = {
      TypeId::kInt16, TypeId::kInt32, TypeId::kInt64, TypeId::kFloat32, TypeId::kFloat64,
      TypeId::kNumeric, TypeId::kText, TypeId::kBool, TypeId::kDate, TypeId::kTimestamp,
      TypeId::kTimestampTz, TypeId::kInterval};
  for (std::string_view name : kNames) {
    const AggregateFunction* function = FindAggregate(name);
    if (function == nullptr) continue;
    Proc proc;
    proc.name = std::string(name);
    proc.kind = 'a';
    proc.strict = false;
    if (name == "count") {
      proc.result_type = catalog::TypeOid(Type::Of(TypeId::kInt64));
      procs->push_back(proc);  // count(*)
      proc.argument_types = {kAnyOid};
      procs->push_back(proc);
      continue;
    }
    if (name == "array_agg") {
      proc.result_type = kAnyArrayOid;
      proc.argument_types = {kAnyElementOid};
      procs->push_back(proc);
      continue;
    }
    if (AggregateIsRegression(*function)) {
      const int64_t float8 = catalog::TypeOid(Type::Of(TypeId::kFloat64));
      Result<Type> result = AggregateResultType(*function, Type::Of(TypeId::kFloat64));
      PLEXUS_ASSERT(result.ok());
      proc.result_type = catalog::TypeOid(*result);
      proc.argument_types = {float8, float8};
      procs->push_back(proc);
      continue;
    }
    if (name == "string_agg") {
      proc.result_type = catalog::TypeOid(Type::Of(TypeId::kText));
      proc.argument_types = {proc.result_type, proc.result_type};
      procs->push_back(proc);
      continue;
    }
    for (TypeId candidate : kCandidates) {
      Result<Type> result = AggregateResultType(*function, Type::Of(candidate));
      if (!result.ok()) continue;
      proc.result_type = catalog::TypeOid(*result);
      proc.argument_types = {catalog::TypeOid(Type::Of(candidate))};
      procs->push_back(proc);
    }
  }
}

void AddWindowAndSetFunctions(std::vector<Proc>* procs) {
  const int64_t int4 = catalog::TypeOid(Type::Of(TypeId::kInt32));
  const int64_t int8 = catalog::TypeOid(Type::Of(TypeId::kInt64));
  const int64_t float8 = catalog::TypeOid(Type::Of(TypeId::kFloat64));
  const int64_t numeric = catalog::TypeOid(Type::Of(TypeId::kNumeric));
  const int64_t text = catalog::TypeOid(Type::Of(TypeId::kText));
  const int64_t jsonb = catalog::TypeOid(Type::Of(TypeId::kJsonb));
  const int64_t timestamp = catalog::TypeOid(Type::Of(TypeId::kTimestamp));
  const int64_t timestamptz = catalog::TypeOid(Type::Of(TypeId::kTimestampTz));
  const int64_t interval = catalog::TypeOid(Type::Of(TypeId::kInterval));
  auto window = [&](std::string_view name, int64_t result, std::vector<int64_t> arguments) {
    procs->push_back(Proc{0, std::string(name), 'w', false, false, 'i', false, result,
                          std::move(arguments)});
  };
  window("row_number", int8, {});
  window("rank", int8, {});
  window("dense_rank", int8, {});
  window("percent_rank", float8, {});
  window("cume_dist", float8, {});
  window("ntile", int4, {int4});
  for (std::string_view name : {"lag", "lead"}) {
    window(name, kAnyElementOid, {kAnyElementOid});
    window(name, kAnyElementOid, {kAnyElementOid, int4});
    window(name, kAnyElementOid, {kAnyElementOid, int4, kAnyElementOid});
  }
  window("first_value", kAnyElementOid, {kAnyElementOid});
  window("last_value", kAnyElementOid, {kAnyElementOid});
  window("nth_value", kAnyElementOid, {kAnyElementOid, int4});
  auto set = [&](std::string_view name, int64_t result, std::vector<int64_t> arguments) {
    procs->push_back(Proc{0, std::string(name), 'f', true, true, 'i', false, result,
                          std::move(arguments)});
  };
  set("generate_series", int4, {int4, int4});
  set("generate_series", int4, {int4, int4, int4});
  set("generate_series", int8, {int8, int8});
  set("generate_series", int8, {int8, int8, int8});
  set("generate_series", numeric, {numeric, numeric});
  set("generate_series", numeric, {numeric, numeric, numeric});
  set("generate_series", timestamp, {timestamp, timestamp, interval});
  set("generate_series", timestamptz, {timestamptz, timestamptz, interval});
  set("generate_subscripts", int4, {kAnyArrayOid, int4});
  set("unnest", kAnyElementOid, {kAnyArrayOid});
  set("jsonb_array_elements", jsonb, {jsonb});
  set("jsonb_array_elements_text", text, {jsonb});
  set("jsonb_object_keys", text, {jsonb});
}

const std::vector<Proc>& Procs() {
  static const std::vector<Proc> procs = [] {
    std::vector<Proc> all;
    AddScalarFunctions(&all);
    AddAggregates(&all);
    AddWindowAndSetFunctions(&all);
    for (size_t i = 0; i < all.size(); ++i) all[i].oid = kProcOidBase + static_cast<int64_t>(i);
    return all;
  }();
  return procs;
}

const Proc* ProcByOid(int64_t oid) {
  const std::vector<Proc>& procs = Procs();
  if (oid < kProcOidBase || oid >= kProcOidBase + static_cast<int64_t>(procs.size())) {
    return nullptr;
  }
  return &procs[static_cast<size_t>(oid - kProcOidBase)];
}

std::string ArgumentsText(const Proc& proc) {
  std::string text;
  for (size_t i = 0; i < proc.argument_types.size(); ++i) {
    if (i > 0) text += ", ";
    if (proc.variadic && i + 1 == proc.argument_types.size()) {
      text += "VARIADIC " + FormatTypeOid(proc.argument_types[i] == kAnyOid
                                              ? kAnyArrayOid
                                              : proc.argument_types[i], -1);
      continue;
    }
    text += FormatTypeOid(proc.argument_types[i], -1);
  }
  if (proc.kind == 'a' && proc.argument_types.empty()) return "*";
  return text;
}

template <bool result>
Status FunctionTextKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                          Vector* out, ExecContext&) {
  return ForEachText(rows, active, out, [&](size_t row) -> Result<OptionalText> {
    const Proc* proc = ProcByOid(IntegerArgument(*args[0], row));
    if (proc == nullptr) return OptionalText();
    if (!result) return OptionalText(ArgumentsText(*proc));
    return OptionalText((proc->returns_set ? "SETOF " : "") +
                        FormatTypeOid(proc->result_type, -1));
  });
}

}  // namespace

Status PgProcRows(CatalogSnapshot&, std::vector<SystemRow>* rows) {
  for (const Proc& proc : Procs()) {
    rows->push_back({OidValue(proc.oid), NameValue(proc.name), OidValue(kPgCatalogNamespaceOid),
                     OidValue(kBootstrapUserOid), OidValue(kInternalLanguageOid),
                     Float32Value(1), Float32Value(proc.returns_set ? 1000 : 0),
                     OidValue(proc.variadic ? proc.argument_types.back() : 0), OidValue(0),
                     CharValue(proc.kind), BoolValue(false), BoolValue(false),
                     BoolValue(proc.strict), BoolValue(proc.returns_set),
                     CharValue(proc.volatility), CharValue('s'),
                     Int16Value(static_cast<int64_t>(proc.argument_types.size())), Int16Value(0),
                     OidValue(proc.result_type), OidArrayValue(proc.argument_types),
                     NullValue(OidArrayType()), NullValue(TextArrayType()),
                     NullValue(TextArrayType()), NullValue(TextType()), NullValue(OidArrayType()),
                     TextValue(proc.name), NullValue(TextType()), NullValue(TextType()),
                     NullValue(TextArrayType()), NullValue(TextArrayType())});
  }
  return Status::Ok();
}

void RegisterProcFunctions(FunctionRegistry& registry) {
  for (std::string_view name : {"pg_get_function_arguments", "pg_get_function_identity_arguments"}) {
    ScalarFunction function{std::string(name), {Oid()}, Text(), FunctionTextKernel<false>};
    registry.Add(std::move(function));
  }
  registry.Add(ScalarFunction{"pg_get_function_result", {Oid()}, Text(), FunctionTextKernel<true>});
}

}  // namespace plexus::sql::system
