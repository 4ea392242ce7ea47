// Hash aggregation: groups are found by their encoded key; each group keeps one state per
// aggregate. Without GROUP BY there is exactly one group, even over no rows.
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_buffer.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/vector_compare.h"
#include "plexus/sql/exec/vector_numeric.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/aggregate.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

struct AggregateState {
  int64_t count = 0;
  // sum/avg of integers and numerics: integer_sum + numeric_sum, the integer part spilling into
  // numeric_sum when it would overflow (PostgreSQL's sum(bigint) is exact).
  int64_t integer_sum = 0;
  Numeric numeric_sum;
  bool numeric_spilled = false;  // numeric_sum holds integer overflow
  double float_sum = 0;
  bool has_value = false;
  bool flag = false;  // bool_and / bool_or accumulator
  std::unique_ptr<RowBuffer> extreme;  // min/max: one row holding the current extreme
  std::unique_ptr<std::unordered_set<std::string>> seen;  // DISTINCT
};

std::vector<Type> GroupTypes(const PlanNode& plan) {
  std::vector<Type> types;
  for (const ExprPtr& group : plan.groups) types.push_back(group->type);
  return types;
}

class AggregateOperator final : public Operator {
 public:
  AggregateOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)), input_(child_->plan().types),
        groups_(GroupTypes(plan)), group_values_(GroupTypes(plan)) {
    for (const ExprPtr& group : plan.groups) group_evaluators_.emplace_back(*group);
    for (const AggregateCall& call : plan.aggregates) {
      argument_evaluators_.push_back(
          call.args.empty() ? nullptr : std::make_unique<ExpressionEvaluator>(*call.args[0]));
      filter_evaluators_.push_back(call.filter ? std::make_unique<ExpressionEvaluator>(*call.filter)
                                               : nullptr);
    }
  }

  Status Open(ExecContext& context) override {
    group_index_.clear();
    states_.clear();
    groups_.Clear();
    next_group_ = 0;
    done_ = false;
    return child_->Open(context);
  }

  Status Next(ExecContext& context, Batch* out) override {
    if (!done_) PLEXUS_RETURN_IF_ERROR(Consume(context));
    out->Reset();
    size_t rows = 0;
    const size_t group_count = plan().groups.size();
    for (; rows < kBatchRowsMax && next_group_ < states_.size(); ++rows, ++next_group_) {
      for (size_t column = 0; column < group_count; ++column) {
        out->column(column).CopyRow(groups_.column(next_group_, column),
                                    RowBuffer::Slot(next_group_), rows);
      }
      for (size_t i = 0; i < plan().aggregates.size(); ++i) {
        PLEXUS_RETURN_IF_ERROR(Finish(plan().aggregates[i], states_[next_group_][i],
                                      &out->column(group_count + i), rows));
      }
    }
    out->set_rows(rows);
    return Status::Ok();
  }

 private:
  Status Consume(ExecContext& context) {
    std::vector<const Vector*> groups(group_evaluators_.size());
    std::vector<const Vector*> arguments(argument_evaluators_.size());
    std::vector<const Vector*> filters(filter_evaluators_.size());
    std::string key;
    while (true) {
      input_.Reset();
      PLEXUS_RETURN_IF_ERROR(child_->Next(context, &input_));
      if (input_.rows() == 0) break;
      for (size_t i = 0; i < group_evaluators_.size(); ++i) {
        PLEXUS_ASSIGN_OR_RETURN(groups[i], group_evaluators_[i].Evaluate(context, input_, nullptr));
      }
      for (size_t i = 0; i < argument_evaluators_.size(); ++i) {
        arguments[i] = nullptr;
        filters[i] = nullptr;
        if (argument_evaluators_[i]) {
          PLEXUS_ASSIGN_OR_RETURN(arguments[i],
                                  argument_evaluators_[i]->Evaluate(context, input_, nullptr));
        }
        if (filter_evaluators_[i]) {
          PLEXUS_ASSIGN_OR_RETURN(filters[i],
                                  filter_evaluators_[i]->Evaluate(context, input_, nullptr));
        }
      }
      for (size_t row = 0; row < input_.rows(); ++row) {
        key.clear();
        for (const Vector* group : groups) PLEXUS_RETURN_IF_ERROR(AppendKeyPart(*group, row, &key));
        size_t group = FindOrAddGroup(key, groups, row);
        for (size_t i = 0; i < arguments.size(); ++i) {
          if (filters[i] && (filters[i]->IsNull(row) || !filters[i]->values<uint8_t>()[row])) {
            continue;
          }
          PLEXUS_RETURN_IF_ERROR(
              Accumulate(plan().aggregates[i], arguments[i], row, &states_[group][i]));
        }
      }
    }
    if (plan().groups.empty() && states_.empty()) states_.emplace_back(plan().aggregates.size());
    done_ = true;
    return Status::Ok();
  }

  size_t FindOrAddGroup(const std::string& key, const std::vector<const Vector*>& groups,
                        size_t row) {
    auto [found, inserted] = group_index_.emplace(key, states_.size());
    if (!inserted) return found->second;
    group_values_.Reset();
    for (size_t i = 0; i < groups.size(); ++i) group_values_.column(i).CopyRow(*groups[i], row, 0);
    group_values_.set_rows(1);
    groups_.Append(group_values_, 0);
    states_.emplace_back(plan().aggregates.size());
    return found->second;
  }

  static Status Accumulate(const AggregateCall& call, const Vector* argument, size_t row,
                           AggregateState* state) {
    const AggregateKind kind = call.function->kind;
    if (kind == AggregateKind::kCountStar) {
      ++state->count;
      return Status::Ok();
    }
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
      default:
        return Status::Ok();
    }
  }

  static Status AddToSum(const Vector& argument, size_t row, AggregateState* state) {
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
  static Result<Numeric> NumericTotal(const AggregateState& state) {
    if (state.integer_sum == 0) return state.numeric_sum;
    return state.numeric_sum.Add(Numeric::FromInt64(state.integer_sum));
  }

  static Status SetNumeric(Vector* out, size_t row, const Numeric& value) {
    std::string scratch;
    out->SetNull(row, false);
    StoreNumeric(out, row, value, &scratch);
    return Status::Ok();
  }

  static Status Finish(const AggregateCall& call, const AggregateState& state, Vector* out,
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
      default:
        out->SetNull(row, true);
        return Status::Ok();
    }
  }

  OperatorPtr child_;
  Batch input_;
  std::vector<ExpressionEvaluator> group_evaluators_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> argument_evaluators_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> filter_evaluators_;
  std::unordered_map<std::string, size_t> group_index_;
  RowBuffer groups_;
  Batch group_values_;
  std::vector<std::vector<AggregateState>> states_;
  size_t next_group_ = 0;
  bool done_ = false;
};

class DistinctOperator final : public Operator {
 public:
  DistinctOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)) {}
  Status Open(ExecContext& context) override {
    seen_.clear();
    return child_->Open(context);
  }
  Status Next(ExecContext& context, Batch* out) override {
    std::string key;
    while (true) {
      PLEXUS_RETURN_IF_ERROR(child_->Next(context, out));
      if (out->rows() == 0) return Status::Ok();
      for (size_t row = 0; row < out->rows(); ++row) {
        key.clear();
        for (size_t column = 0; column < out->column_count(); ++column) {
          PLEXUS_RETURN_IF_ERROR(AppendKeyPart(out->column(column), row, &key));
        }
        keep_[row] = seen_.insert(key).second;
      }
      out->Compact(keep_);
      if (out->rows() > 0) return Status::Ok();
    }
  }

 private:
  OperatorPtr child_;
  std::unordered_set<std::string> seen_;
  uint8_t keep_[kBatchRowsMax];
};

}  // namespace

OperatorPtr MakeAggregateOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<AggregateOperator>(plan, std::move(child));
}
OperatorPtr MakeDistinctOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<DistinctOperator>(plan, std::move(child));
}

}  // namespace plexus::sql
