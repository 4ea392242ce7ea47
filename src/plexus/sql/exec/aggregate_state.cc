// Aggregate states: how one group's rows fold into each aggregate's value (shared by hash
// aggregation and window aggregates).
#include "plexus/sql/exec/aggregate_state.h"

#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/vector_compare.h"
#include "plexus/sql/exec/vector_numeric.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/aggregate.h"

namespace plexus::sql {

namespace {

Status AddToSum(const Vector& argument, size_t row, AggregateState* state) {
  state->has_value = true;
  switch (argument.physical()) {
    case PhysicalType::kInt16:
    case PhysicalType::kInt32:
    case PhysicalType::kInt64: {
      int64_t value = argument.physical() == PhysicalType::kInt16
                          ? argument.values<int16_t>()[row]
                          : argument.physical() == PhysicalType::kInt32
                                ? argument.values<int32_t>()[row]
                                : argument.values<int64_t>()[row];
      int64_t sum = 0;
      if (__builtin_add_overflow(state->integer_sum, value, &sum)) {
        PLEXUS_ASSIGN_OR_RETURN(state->numeric_sum,
                                state->numeric_sum.Add(Numeric::FromInt64(state->integer_sum)));
        sum = value;
        state->numeric_spilled = true;
      }
      state->integer_sum = sum;
      return Status::Ok();
    }
    case PhysicalType::kFloat32:
      state->float_sum += argument.values<float>()[row];
      return Status::Ok();
    case PhysicalType::kFloat64:
      state->float_sum += argument.values<double>()[row];
      return Status::Ok();
    default: {
      PLEXUS_ASSIGN_OR_RETURN(Numeric value, NumericAt(argument, row));
      PLEXUS_ASSIGN_OR_RETURN(state->numeric_sum, state->numeric_sum.Add(value));
      return Status::Ok();
    }
  }
}

// The exact sum of integers or numerics.
Result<Numeric> NumericTotal(const AggregateState& state) {
  if (state.integer_sum == 0) return state.numeric_sum;
  return state.numeric_sum.Add(Numeric::FromInt64(state.integer_sum));
}

Status SetNumeric(Vector* out, size_t row, const Numeric& value) {
  std::string scratch;
  out->SetNull(row, false);
  StoreNumeric(out, row, value, &scratch);
  return Status::Ok();
}

}  // namespace

Status AccumulateAggregate(const AggregateCall& call, const Vector* const* arguments, size_t row,
                           AggregateState* state) {
  const AggregateKind kind = call.function->kind;
  if (kind == AggregateKind::kCountStar) {
    ++state->count;
    return Status::Ok();
  }
  const Vector* argument = arguments[0];
  if (argument->IsNull(row)) return Status::Ok();
  if (call.distinct) {
    if (!state->seen) state->seen = std::make_unique<std::unordered_set<std::string>>();
    std::string key;
    PLEXUS_RETURN_IF_ERROR(AppendKeyPart(*argument, row, &key));
    if (!state->seen->insert(key).second) return Status::Ok();
  }
  ++state->count;
  switch (kind) {
    case AggregateKind::kSum:
    case AggregateKind::kAvg:
      return AddToSum(*argument, row, state);
    case AggregateKind::kMin:
    case AggregateKind::kMax: {
      if (!state->extreme) state->extreme = std::make_unique<RowBuffer>(std::vector<Type>{argument->type()});
      RowBuffer& extreme = *state->extreme;
      if (extreme.size() == 0) {
        Batch one({argument->type()});
        one.column(0).CopyRow(*argument, row, 0);
        one.set_rows(1);
        extreme.Append(one, 0);
        return Status::Ok();
      }
      Vector& current = extreme.mutable_chunk(0).column(0);
      int comparison = CompareSlots(*argument, row, current, 0);
      if ((kind == AggregateKind::kMin && comparison < 0) ||
          (kind == AggregateKind::kMax && comparison > 0)) {
        current.CopyRow(*argument, row, 0);
      }
      return Status::Ok();
    }
    case AggregateKind::kBoolAnd:
    case AggregateKind::kBoolOr: {
      const bool value = argument->values<uint8_t>()[row] != 0;
      if (!state->has_value) state->flag = value;
      state->flag = kind == AggregateKind::kBoolAnd ? (state->flag && value) : (state->flag || value);
      state->has_value = true;
      return Status::Ok();
    }
    case AggregateKind::kStringAgg: {
      // The delimiter of each value but the first goes before it; a NULL delimiter is empty.
      if (state->has_value && !arguments[1]->IsNull(row)) state->text += arguments[1]->GetString(row);
      state->text += argument->GetString(row);
      state->has_value = true;
      return Status::Ok();
    }
    default:
      return Status::Ok();
  }
}

Status FinishAggregate(const AggregateCall& call, const AggregateState& state, Vector* out,
                       size_t row) {
  const AggregateKind kind = call.function->kind;
  if (kind == AggregateKind::kCount || kind == AggregateKind::kCountStar) {
    SetValue(out, row, Value::Int64(state.count));
    return Status::Ok();
  }
  if (state.count == 0) {
    out->SetNull(row, true);
    return Status::Ok();
  }
  const TypeId result = out->type().id;
  switch (kind) {
    case AggregateKind::kSum:
      if (result == TypeId::kInt64) {
        // sum(smallint/integer) is bigint; past bigint it fails as PostgreSQL's int8 sum does.
        if (state.numeric_spilled) {
          PLEXUS_ASSIGN_OR_RETURN(Numeric total, NumericTotal(state));
          PLEXUS_ASSIGN_OR_RETURN(int64_t value, total.ToInt64());
          SetValue(out, row, Value::Int64(value));
        } else {
          SetValue(out, row, Value::Int64(state.integer_sum));
        }
      } else if (result == TypeId::kNumeric) {
        PLEXUS_ASSIGN_OR_RETURN(Numeric total, NumericTotal(state));
        return SetNumeric(out, row, total);
      } else {
        SetValue(out, row, Value::Float64(state.float_sum).Relabel(out->type()));
      }
      return Status::Ok();
    case AggregateKind::kAvg:
      if (result == TypeId::kNumeric) {
        // PostgreSQL divides the numeric sum by the count with numeric division's scale.
        PLEXUS_ASSIGN_OR_RETURN(Numeric total, NumericTotal(state));
        PLEXUS_ASSIGN_OR_RETURN(Numeric average, total.Divide(Numeric::FromInt64(state.count)));
        return SetNumeric(out, row, average);
      }
      SetValue(out, row, Value::Float64(state.float_sum / static_cast<double>(state.count)));
      return Status::Ok();
    case AggregateKind::kMin:
    case AggregateKind::kMax:
      out->CopyRow(state.extreme->chunk(0).column(0), 0, row);
      return Status::Ok();
    case AggregateKind::kBoolAnd:
    case AggregateKind::kBoolOr:
      SetValue(out, row, Value::Bool(state.flag));
      return Status::Ok();
    case AggregateKind::kStringAgg:
      out->SetString(row, state.text);
      return Status::Ok();
    default:
      out->SetNull(row, true);
      return Status::Ok();
  }
}

}  // namespace plexus::sql
