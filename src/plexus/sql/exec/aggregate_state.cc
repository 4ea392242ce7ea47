// Aggregate states: how one group's rows fold into each aggregate's value (shared by hash
// aggregation and window aggregates). An aggregate with ORDER BY keeps its rows and folds them
// in order when its value is asked for.
#include "plexus/sql/exec/aggregate_state.h"

#include <algorithm>
#include <numeric>

#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/vector_compare.h"
#include "plexus/sql/exec/vector_numeric.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/aggregate.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/func/datetime_support.h"
#include "plexus/sql/func/jsonb_support.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

// What a DISTINCT set entry or an ORDER BY row costs besides its bytes (for held_bytes).
constexpr size_t kEntryOverheadBytes = 48;

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
    case PhysicalType::kBytes16: {  // interval: part by part, 22008 past their range
      PLEXUS_ASSIGN_OR_RETURN(state->interval_sum,
                              AddIntervals(state->interval_sum, Slot<Interval>::Get(argument, row)));
      return Status::Ok();
    }
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

// DISTINCT: whether the argument's value is new to the state (NULL counts as a value).
Result<bool> FirstOccurrence(const Vector& argument, size_t row, AggregateState* state) {
  if (!state->seen) state->seen = std::make_unique<std::unordered_set<std::string>>();
  std::string key;
  PLEXUS_RETURN_IF_ERROR(AppendKeyPart(argument, row, &key));
  const bool inserted = state->seen->insert(key).second;
  if (inserted) state->held_bytes += key.size() + kEntryOverheadBytes;
  return inserted;
}

// jsonb_agg and jsonb_object_agg: every row counts, NULL values as JSON null.
Status AccumulateJson(const AggregateCall& call, const Vector* const* arguments, size_t row,
                      AggregateState* state) {
  const Vector& first = *arguments[0];
  if (call.distinct) {
    PLEXUS_ASSIGN_OR_RETURN(bool new_value, FirstOccurrence(first, row, state));
    if (!new_value) return Status::Ok();
  }
  const bool object = call.function->kind == AggregateKind::kJsonbObjectAgg;
  const Vector& value = *arguments[object ? 1 : 0];
  Jsonb element = Jsonb::Null();
  if (!value.IsNull(row)) {
    PLEXUS_ASSIGN_OR_RETURN(element, ToJsonb(value, row));
  }
  // (a decoded value's strings plus its nodes, roughly)
  size_t bytes = sizeof(Jsonb) + element.scalar.size();
  if (value.physical() == PhysicalType::kString && !value.IsNull(row)) {
    bytes += value.GetString(row).size();
  }
  if (!state->json) {
    state->json = std::make_unique<Jsonb>(object ? Jsonb::Object() : Jsonb::Array());
  }
  if (object) {
    if (first.IsNull(row)) {
      return SqlError(kInvalidParameterValue, "field name must not be null");
    }
    std::string key;
    PLEXUS_RETURN_IF_ERROR(FormatText(first, row, &key));
    bytes += key.size() + sizeof(JsonbMember);
    state->json->members.emplace_back(std::move(key), std::move(element));
  } else {
    state->json->elements.push_back(std::move(element));
  }
  state->held_bytes += bytes;
  ++state->count;
  return Status::Ok();
}

Status AccumulateValue(const AggregateCall& call, const Vector* const* arguments, size_t row,
                       AggregateState* state) {
  const AggregateKind kind = call.function->kind;
  if (kind == AggregateKind::kCountStar) {
    ++state->count;
    return Status::Ok();
  }
  if (kind == AggregateKind::kJsonbAgg || kind == AggregateKind::kJsonbObjectAgg) {
    return AccumulateJson(call, arguments, row, state);
  }
  if (AggregateIsRegression(*call.function)) {
    return AccumulateStatistics(call, arguments, row, state);
  }
  const Vector* argument = arguments[0];
  if (kind == AggregateKind::kArrayAgg) {
    if (call.distinct) {
      PLEXUS_ASSIGN_OR_RETURN(bool first, FirstOccurrence(*argument, row, state));
      if (!first) return Status::Ok();
    }
    if (!state->array) state->array = std::make_unique<ArrayBuilder>(argument->type());
    state->array->AppendSlot(*argument, row);
    state->held_bytes += argument->physical() == PhysicalType::kString
                             ? argument->GetString(row).size() + sizeof(std::string_view)
                             : sizeof(uint64_t);
    ++state->count;
    return Status::Ok();
  }
  if (argument->IsNull(row)) return Status::Ok();
  if (call.distinct) {
    PLEXUS_ASSIGN_OR_RETURN(bool first, FirstOccurrence(*argument, row, state));
    if (!first) return Status::Ok();
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
      const size_t before = state->text.size();
      if (state->has_value && !arguments[1]->IsNull(row)) state->text += arguments[1]->GetString(row);
      state->text += argument->GetString(row);
      state->held_bytes += state->text.size() - before;
      state->has_value = true;
      return Status::Ok();
    }
    case AggregateKind::kVarSamp:
    case AggregateKind::kVarPop:
    case AggregateKind::kStddevSamp:
    case AggregateKind::kStddevPop:
      return AccumulateStatistics(call, arguments, row, state);
    case AggregateKind::kBitAnd:
    case AggregateKind::kBitOr:
    case AggregateKind::kBitXor: {
      const int64_t value = argument->physical() == PhysicalType::kInt16
                                ? argument->values<int16_t>()[row]
                                : argument->physical() == PhysicalType::kInt32
                                      ? argument->values<int32_t>()[row]
                                      : argument->values<int64_t>()[row];
      if (!state->has_value) {
        state->integer_sum = value;
      } else if (kind == AggregateKind::kBitAnd) {
        state->integer_sum &= value;
      } else if (kind == AggregateKind::kBitOr) {
        state->integer_sum |= value;
      } else {
        state->integer_sum ^= value;
      }
      state->has_value = true;
      return Status::Ok();
    }
    default:
      return Status::Ok();
  }
}

Status FinishValue(const AggregateCall& call, const AggregateState& state, Vector* out,
                   size_t row) {
  const AggregateKind kind = call.function->kind;
  if (kind == AggregateKind::kCount || kind == AggregateKind::kCountStar) {
    SetValue(out, row, Value::Int64(state.count));
    return Status::Ok();
  }
  switch (kind) {
    case AggregateKind::kVarSamp:
    case AggregateKind::kVarPop:
    case AggregateKind::kStddevSamp:
    case AggregateKind::kStddevPop:
      return FinishStatistics(call, state, out, row);
    default:
      if (AggregateIsRegression(*call.function)) return FinishStatistics(call, state, out, row);
      break;
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
      } else if (result == TypeId::kInterval) {
        out->SetNull(row, false);
        Slot<Interval>::Set(out, row, state.interval_sum);
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
      if (result == TypeId::kInterval) {  // PostgreSQL's interval_div of the sum by the count
        PLEXUS_ASSIGN_OR_RETURN(Interval average,
                                DivideInterval(state.interval_sum, static_cast<double>(state.count)));
        out->SetNull(row, false);
        Slot<Interval>::Set(out, row, average);
        return Status::Ok();
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
    case AggregateKind::kBitAnd:
    case AggregateKind::kBitOr:
    case AggregateKind::kBitXor:
      // The folded bits of smallints or integers fit their type: sign extension commutes with
      // and, or and xor.
      if (result == TypeId::kInt16) {
        SetValue(out, row, Value::Int16(static_cast<int16_t>(state.integer_sum)));
      } else if (result == TypeId::kInt32) {
        SetValue(out, row, Value::Int32(static_cast<int32_t>(state.integer_sum)));
      } else {
        SetValue(out, row, Value::Int64(state.integer_sum));
      }
      return Status::Ok();
    case AggregateKind::kStringAgg:
      out->SetString(row, state.text);
      return Status::Ok();
    case AggregateKind::kArrayAgg: {
      ArrayBuilder copy = *state.array;  // Finish empties a builder; the state stays usable
      out->SetString(row, copy.Finish());
      return Status::Ok();
    }
    case AggregateKind::kJsonbAgg:
    case AggregateKind::kJsonbObjectAgg: {
      Jsonb value = *state.json;  // the state stays usable (a window frame grows)
      if (kind == AggregateKind::kJsonbObjectAgg) value.Canonicalize();
      out->SetNull(row, false);
      StoreJsonb(out, row, value);
      return Status::Ok();
    }
    default:
      out->SetNull(row, true);
      return Status::Ok();
  }
}

// Orders two buffered rows by the call's sort keys (columns from `first_key` on).
int CompareOrderedRows(const AggregateCall& call, size_t first_key, const Batch& a, size_t i,
                       const Batch& b, size_t j) {
  for (size_t k = 0; k < call.order.size(); ++k) {
    const Vector& left = a.column(first_key + k);
    const Vector& right = b.column(first_key + k);
    const bool left_null = left.IsNull(i);
    const bool right_null = right.IsNull(j);
    if (left_null || right_null) {
      if (left_null == right_null) continue;
      return left_null == call.order[k].nulls_first ? -1 : 1;
    }
    const int comparison = CompareSlots(left, i, right, j);
    if (comparison != 0) return call.order[k].descending ? -comparison : comparison;
  }
  return 0;
}

// ORDER BY inside the call: decodes the buffered rows, sorts them (stably, so ties keep their
// input order) and folds them into a fresh state.
Status FinishOrdered(const AggregateCall& call, const AggregateState& state, Vector* out,
                     size_t row) {
  std::vector<Type> types;
  for (const ExprPtr& arg : call.args) types.push_back(arg->type);
  for (const SortKey& key : call.order) types.push_back(key.expr->type);
  const size_t count = state.ordered_rows ? state.ordered_rows->size() : 0;
  // Batches cost kBatchRowsMax zeroed slots per column: reuse this thread's between groups
  // (FinishOrdered does not nest).
  thread_local std::vector<Type> chunk_types;
  thread_local std::vector<std::unique_ptr<Batch>> chunks;
  if (chunk_types != types) {
    chunks.clear();
    chunk_types = types;
  }
  while (chunks.size() * kBatchRowsMax < count) chunks.push_back(std::make_unique<Batch>(types));
  for (size_t i = 0; i < count; ++i) {
    Batch& chunk = *chunks[i / kBatchRowsMax];
    if (i % kBatchRowsMax == 0) chunk.Reset();
    PLEXUS_RETURN_IF_ERROR(DecodeRow((*state.ordered_rows)[i], &chunk, i % kBatchRowsMax));
    chunk.set_rows(i % kBatchRowsMax + 1);
  }
  std::vector<size_t> order(count);
  std::iota(order.begin(), order.end(), size_t{0});
  const size_t first_key = call.args.size();
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return CompareOrderedRows(call, first_key, *chunks[a / kBatchRowsMax], a % kBatchRowsMax,
                              *chunks[b / kBatchRowsMax], b % kBatchRowsMax) < 0;
  });
  if (AggregateIsOrderedSet(*call.function)) {
    std::vector<std::pair<const Batch*, size_t>> rows;
    rows.reserve(count);
    for (size_t index : order) {
      rows.emplace_back(chunks[index / kBatchRowsMax].get(), index % kBatchRowsMax);
    }
    Status status = FinishOrderedSet(call, rows, out, row);
    if (chunks.size() > 1) chunks.resize(1);
    return status;
  }
  AggregateState folded;
  std::vector<const Vector*> arguments(call.args.size());
  for (size_t index : order) {
    const Batch& chunk = *chunks[index / kBatchRowsMax];
    for (size_t a = 0; a < arguments.size(); ++a) arguments[a] = &chunk.column(a);
    PLEXUS_RETURN_IF_ERROR(AccumulateValue(call, arguments.data(), index % kBatchRowsMax, &folded));
  }
  Status status = FinishValue(call, folded, out, row);
  if (chunks.size() > 1) chunks.resize(1);  // keep one batch's memory, not the largest group's
  return status;
}

}  // namespace

Status AccumulateAggregate(const AggregateCall& call, const Vector* const* arguments, size_t row,
                           AggregateState* state) {
  if (call.order.empty()) return AccumulateValue(call, arguments, row, state);
  if (!state->ordered_rows) state->ordered_rows = std::make_unique<std::vector<std::string>>();
  const std::vector<const Vector*> columns(arguments,
                                           arguments + call.args.size() + call.order.size());
  std::string& encoded = state->ordered_rows->emplace_back();
  EncodeRow(columns, row, &encoded);
  state->held_bytes += encoded.size() + kEntryOverheadBytes;
  return Status::Ok();
}

Status FinishAggregate(const AggregateCall& call, const AggregateState& state, Vector* out,
                       size_t row) {
  if (!call.order.empty()) return FinishOrdered(call, state, out, row);
  return FinishValue(call, state, out, row);
}

}  // namespace plexus::sql
