// Aggregate names and result types (PostgreSQL's: sum(int4) is bigint, sum(int8) and avg(int4)
// are numeric, avg(float) is double, sum/avg(interval) interval, array_agg(T) is T[]).
#include "plexus/sql/func/aggregate.h"

#include <array>
#include <string>

#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

using catalog::TypeId;

constexpr std::array<AggregateFunction, 35> kAggregates{{
    {"count", AggregateKind::kCount},
    {"sum", AggregateKind::kSum},
    {"avg", AggregateKind::kAvg},
    {"min", AggregateKind::kMin},
    {"max", AggregateKind::kMax},
    {"bool_and", AggregateKind::kBoolAnd},
    {"bool_or", AggregateKind::kBoolOr},
    {"every", AggregateKind::kBoolAnd},
    {"string_agg", AggregateKind::kStringAgg},
    {"array_agg", AggregateKind::kArrayAgg},
    {"jsonb_agg", AggregateKind::kJsonbAgg},
    {"jsonb_object_agg", AggregateKind::kJsonbObjectAgg},
    // json is jsonb here; json_agg's text is jsonb_agg's (json_object_agg's is not: PostgreSQL's
    // keeps duplicate keys, in its own layout).
    {"json_agg", AggregateKind::kJsonbAgg},
    {"count(*)", AggregateKind::kCountStar},
    {"variance", AggregateKind::kVarSamp},
    {"var_samp", AggregateKind::kVarSamp},
    {"var_pop", AggregateKind::kVarPop},
    {"stddev", AggregateKind::kStddevSamp},
    {"stddev_samp", AggregateKind::kStddevSamp},
    {"stddev_pop", AggregateKind::kStddevPop},
    {"corr", AggregateKind::kCorr},
    {"covar_pop", AggregateKind::kCovarPop},
    {"covar_samp", AggregateKind::kCovarSamp},
    {"regr_slope", AggregateKind::kRegrSlope},
    {"regr_intercept", AggregateKind::kRegrIntercept},
    {"regr_count", AggregateKind::kRegrCount},
    {"regr_r2", AggregateKind::kRegrR2},
    {"regr_avgx", AggregateKind::kRegrAvgX},
    {"regr_avgy", AggregateKind::kRegrAvgY},
    {"bit_and", AggregateKind::kBitAnd},
    {"bit_or", AggregateKind::kBitOr},
    {"bit_xor", AggregateKind::kBitXor},
    {"percentile_cont", AggregateKind::kPercentileCont},
    {"percentile_disc", AggregateKind::kPercentileDisc},
    {"mode", AggregateKind::kMode},

}};

Status NoSuchAggregate(const AggregateFunction& function, const Type& argument) {
  Status status = SqlError(kUndefinedFunction, "function " + std::string(function.name) + "(" +
                                                   catalog::FormatType(argument) +
                                                   ") does not exist");
  status.SetHint(
      "No function matches the given name and argument types. You might need to add explicit "
      "type casts.");
  return status;
}

}  // namespace

const AggregateFunction* FindAggregate(std::string_view name) {
  for (const AggregateFunction& function : kAggregates) {
    if (function.name == name) return &function;
  }
  return nullptr;
}

bool AggregateIsRegression(const AggregateFunction& function) {
  switch (function.kind) {
    case AggregateKind::kCorr:
    case AggregateKind::kCovarPop:
    case AggregateKind::kCovarSamp:
    case AggregateKind::kRegrSlope:
    case AggregateKind::kRegrIntercept:
    case AggregateKind::kRegrCount:
    case AggregateKind::kRegrR2:
    case AggregateKind::kRegrAvgX:
    case AggregateKind::kRegrAvgY:
      return true;
    default:
      return false;
  }
}

bool AggregateIsOrderedSet(const AggregateFunction& function) {
  return function.kind == AggregateKind::kPercentileCont ||
         function.kind == AggregateKind::kPercentileDisc || function.kind == AggregateKind::kMode;
}

Result<Type> OrderedSetValueType(const AggregateFunction& function, const Type& value) {
  if (function.kind != AggregateKind::kPercentileCont) {
    if (value.id == TypeId::kUnknown) return Type::Of(TypeId::kText);
    return value;
  }
  if (value.id == TypeId::kInterval) return value;
  if (catalog::IsNumeric(value.id) || value.id == TypeId::kUnknown) {
    return Type::Of(TypeId::kFloat64);
  }
  return NoSuchAggregate(function, value);
}

Result<Type> OrderedSetResultType(const AggregateFunction& function, const Type& value,
                                  const Type& fraction) {
  if (function.kind == AggregateKind::kMode) return value;
  if (fraction.id == TypeId::kArray) return Type{TypeId::kArray, value.typmod, value.id};
  return value;
}

// The direct arguments of an ordered-set aggregate count as its arity.
size_t AggregateArity(const AggregateFunction& function) {
  if (AggregateIsRegression(function)) return 2;
  switch (function.kind) {
    case AggregateKind::kMode: return 0;
    case AggregateKind::kCountStar: return 0;
    case AggregateKind::kStringAgg:
    case AggregateKind::kJsonbObjectAgg:
      return 2;
    default: return 1;
  }
}

bool AggregateIsOrderSensitive(const AggregateFunction& function) {
  switch (function.kind) {
    case AggregateKind::kStringAgg:
    case AggregateKind::kArrayAgg:
    case AggregateKind::kJsonbAgg:
    case AggregateKind::kJsonbObjectAgg:
      return true;
    default:
      return false;
  }
}

std::optional<Type> AggregateArgumentCast(const AggregateFunction& function, size_t index,
                                          const Type& argument, const Type& first) {
  if (index > 0 && function.kind == AggregateKind::kStringAgg) return first;
  // Their only signature is (double precision, double precision): other numbers convert.
  if (AggregateIsRegression(function) &&
      (catalog::IsNumeric(argument.id) || argument.id == TypeId::kUnknown)) {
    return Type::Of(TypeId::kFloat64);
  }
  if (argument.id == TypeId::kUnknown) return Type::Of(TypeId::kText);
  return std::nullopt;
}

Result<Type> AggregateResultType(const AggregateFunction& function, const Type& argument) {
  switch (function.kind) {
    case AggregateKind::kCountStar:
    case AggregateKind::kCount:
      return Type::Of(TypeId::kInt64);
    case AggregateKind::kSum:
      switch (argument.id) {
        case TypeId::kInt16:
        case TypeId::kInt32:
          return Type::Of(TypeId::kInt64);
        case TypeId::kInt64:
        case TypeId::kNumeric:
          return Type::Of(TypeId::kNumeric);
        case TypeId::kFloat32:
        case TypeId::kFloat64:
        case TypeId::kInterval:
          return argument;
        default:
          return NoSuchAggregate(function, argument);
      }
    case AggregateKind::kAvg:
      if (argument.id == TypeId::kFloat32 || argument.id == TypeId::kFloat64) {
        return Type::Of(TypeId::kFloat64);
      }
      if (catalog::IsNumeric(argument.id)) return Type::Of(TypeId::kNumeric);
      if (argument.id == TypeId::kInterval) return argument;
      return NoSuchAggregate(function, argument);
    case AggregateKind::kMin:
    case AggregateKind::kMax:
      if (argument.id == TypeId::kJsonb || argument.id == TypeId::kUnknown) {
        return NoSuchAggregate(function, argument);
      }
      return argument;
    case AggregateKind::kBoolAnd:
    case AggregateKind::kBoolOr:
      if (argument.id != TypeId::kBool) return NoSuchAggregate(function, argument);
      return argument;
    case AggregateKind::kStringAgg:
      if (!catalog::IsString(argument.id) && argument.id != TypeId::kBytea) {
        return NoSuchAggregate(function, argument);
      }
      return argument.id == TypeId::kBytea ? argument : Type::Of(TypeId::kText);
    case AggregateKind::kArrayAgg:
      // Arrays of arrays would be two-dimensional, which our arrays are not.
      if (argument.id == TypeId::kArray) {
        return SqlError(kFeatureNotSupported, "array_agg of arrays is not supported yet");
      }
      return Type{TypeId::kArray, argument.typmod, argument.id};
    case AggregateKind::kJsonbAgg:
    case AggregateKind::kJsonbObjectAgg:
      return Type::Of(TypeId::kJsonb);
    case AggregateKind::kVarSamp:
    case AggregateKind::kVarPop:
    case AggregateKind::kStddevSamp:
    case AggregateKind::kStddevPop:
      if (argument.id == TypeId::kFloat32 || argument.id == TypeId::kFloat64) {
        return Type::Of(TypeId::kFloat64);
      }
      if (catalog::IsNumeric(argument.id)) return Type::Of(TypeId::kNumeric);
      return NoSuchAggregate(function, argument);
    case AggregateKind::kBitAnd:
    case AggregateKind::kBitOr:
    case AggregateKind::kBitXor:
      if (argument.id == TypeId::kInt16 || argument.id == TypeId::kInt32 ||
          argument.id == TypeId::kInt64) {
        return argument;
      }
      return NoSuchAggregate(function, argument);
    case AggregateKind::kRegrCount:
    case AggregateKind::kCorr:
    case AggregateKind::kCovarPop:
    case AggregateKind::kCovarSamp:
    case AggregateKind::kRegrSlope:
    case AggregateKind::kRegrIntercept:
    case AggregateKind::kRegrR2:
    case AggregateKind::kRegrAvgX:
    case AggregateKind::kRegrAvgY:
      if (argument.id != TypeId::kFloat64) return NoSuchAggregate(function, argument);
      return Type::Of(function.kind == AggregateKind::kRegrCount ? TypeId::kInt64
                                                                 : TypeId::kFloat64);
    case AggregateKind::kPercentileCont:
    case AggregateKind::kPercentileDisc:
    case AggregateKind::kMode:
      return OrderedSetValueType(function, argument);
  }
  return NoSuchAggregate(function, argument);
}

}  // namespace plexus::sql
