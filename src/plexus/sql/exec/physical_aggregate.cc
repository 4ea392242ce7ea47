// Hash aggregation: groups are found by their encoded key; each group keeps one state per
// aggregate. Without GROUP BY there is exactly one group, even over no rows.
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "plexus/sql/exec/aggregate_state.h"
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
      argument_evaluators_.emplace_back();
      for (const ExprPtr& arg : call.args) argument_evaluators_.back().emplace_back(*arg);
      // ORDER BY inside the call: its keys follow the arguments (see AccumulateAggregate).
      for (const SortKey& key : call.order) argument_evaluators_.back().emplace_back(*key.expr);
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
        PLEXUS_RETURN_IF_ERROR(FinishAggregate(plan().aggregates[i], states_[next_group_][i],
                                               &out->column(group_count + i), rows));
      }
    }
    out->set_rows(rows);
    return Status::Ok();
  }

 private:
  Status Consume(ExecContext& context) {
    std::vector<const Vector*> groups(group_evaluators_.size());
    // arguments[i]: the argument vectors of aggregate i.
    std::vector<std::vector<const Vector*>> arguments(argument_evaluators_.size());
    for (size_t i = 0; i < arguments.size(); ++i) arguments[i].resize(argument_evaluators_[i].size());
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
        filters[i] = nullptr;
        for (size_t a = 0; a < arguments[i].size(); ++a) {
          PLEXUS_ASSIGN_OR_RETURN(arguments[i][a],
                                  argument_evaluators_[i][a].Evaluate(context, input_, nullptr));
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
              AccumulateAggregate(plan().aggregates[i], arguments[i].data(), row, &states_[group][i]));
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

  OperatorPtr child_;
  Batch input_;
  std::vector<ExpressionEvaluator> group_evaluators_;
  std::vector<std::vector<ExpressionEvaluator>> argument_evaluators_;
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
        // DISTINCT ON: only the key columns (column_map); plain DISTINCT: every column.
        if (plan().column_map.empty()) {
          for (size_t column = 0; column < out->column_count(); ++column) {
            PLEXUS_RETURN_IF_ERROR(AppendKeyPart(out->column(column), row, &key));
          }
        } else {
          for (int32_t column : plan().column_map) {
            PLEXUS_RETURN_IF_ERROR(AppendKeyPart(out->column(static_cast<size_t>(column)), row, &key));
          }
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
