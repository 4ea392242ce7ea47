// Hash aggregation: groups are found by their encoded key; each group keeps one state per
// aggregate. Without GROUP BY there is exactly one group, even over no rows.
//
// GROUPING SETS / ROLLUP / CUBE: each input row goes to one group per set, whose key starts with
// the set's number and holds only the set's expressions (the others are NULL in its row); an
// empty set has its one group even over no rows. These queries keep their groups in memory
// (no spilling: a spilled row would have to remember which of its sets are still to do).
//
// Past work_mem (PostgreSQL 13's hash aggregate spill): the groups in memory keep taking their
// rows, but rows of new groups go to kSpillPartitions spill files by a hash of their key. Once the
// input ends, the groups in memory are emitted; then each partition is read back as the input
// of a fresh table, with a hash of the next level, and may spill again. Each pass takes at
// least its first group, so it always ends.
#include <cstring>
#include <deque>
#include <string>
#include <unordered_map>

#include "plexus/sql/exec/aggregate_state.h"
#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_buffer.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/spill_file.h"
#include "plexus/sql/exec/vector_compare.h"
#include "plexus/sql/exec/vector_numeric.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/aggregate.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

// What a group costs besides its key and values: its hash table entry and state vector.
constexpr size_t kGroupOverheadBytes = 96;

// Input rows of groups that did not fit, waiting for their pass.
struct Partition {
  std::unique_ptr<SpillFile> file;
  uint32_t level;  // of the hash that put rows here; the pass reading it hashes at level + 1
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
      argument_evaluators_.emplace_back();
      for (const ExprPtr& arg : call.args) argument_evaluators_.back().emplace_back(*arg);
      // ORDER BY inside the call: its keys follow the arguments (see AccumulateAggregate).
      for (const SortKey& key : call.order) argument_evaluators_.back().emplace_back(*key.expr);
      filter_evaluators_.push_back(call.filter ? std::make_unique<ExpressionEvaluator>(*call.filter)
                                               : nullptr);
    }
    for (size_t i = 0; i < input_.column_count(); ++i) input_columns_.push_back(&input_.column(i));
    group_bytes_ = kGroupOverheadBytes + plan.aggregates.size() * sizeof(AggregateState);
  }

  Status Open(ExecContext& context) override {
    ClearGroups();
    done_ = false;
    pending_.clear();
    partitions_.clear();
    reader_.reset();
    level_ = 0;
    batches_ = 1;
    peak_bytes_ = 0;
    disk_bytes_ = 0;
    return child_->Open(context);
  }

  Status Next(ExecContext& context, Batch* out) override {
    while (true) {
      if (!done_) PLEXUS_RETURN_IF_ERROR(Consume(context));
      out->Reset();
      size_t rows = 0;
      const size_t group_count = plan().groups.size();
      const size_t grouping_base = group_count + plan().aggregates.size();
      for (; rows < kBatchRowsMax && next_group_ < states_.size(); ++rows, ++next_group_) {
        for (size_t column = 0; column < group_count; ++column) {
          out->column(column).CopyRow(groups_.column(next_group_, column),
                                      RowBuffer::Slot(next_group_), rows);
        }
        for (size_t i = 0; i < plan().aggregates.size(); ++i) {
          PLEXUS_RETURN_IF_ERROR(FinishAggregate(plan().aggregates[i], states_[next_group_][i],
                                                 &out->column(group_count + i), rows));
        }
        const uint64_t set = plan().grouping_sets.empty() ? ~uint64_t{0}
                                                          : plan().grouping_sets[group_sets_[next_group_]];
        for (size_t c = 0; c < plan().grouping_calls.size(); ++c) {
          int32_t bits = 0;
          for (const uint32_t group : plan().grouping_calls[c]) {
            bits = (bits << 1) | ((set >> group) & 1 ? 0 : 1);
          }
          out->column(grouping_base + c).values<int32_t>()[rows] = bits;
          out->column(grouping_base + c).SetNull(rows, false);
        }
      }
      out->set_rows(rows);
      if (rows > 0 || pending_.empty()) {
        if (rows == 0 && !plan().groups.empty()) Report(context);
        return Status::Ok();
      }
      // The groups in memory are out: the next partition's rows make a fresh table.
      PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
      ClearGroups();
      Partition& next = pending_.front();
      level_ = next.level + 1;
      reader_ = std::make_unique<SpillReader>(next.file.get(), 0, next.file->offset());
      reading_ = std::move(next.file);
      pending_.pop_front();
      ++batches_;
      done_ = false;
    }
  }

 private:
  Status Consume(ExecContext& context) {
    std::vector<const Vector*> groups(group_evaluators_.size());
    // arguments[i]: the argument vectors of aggregate i.
    std::vector<std::vector<const Vector*>> arguments(argument_evaluators_.size());
    for (size_t i = 0; i < arguments.size(); ++i) arguments[i].resize(argument_evaluators_[i].size());
    std::vector<const Vector*> filters(filter_evaluators_.size());
    std::string key;
    const size_t work_mem = context.work_mem();
    while (true) {
      if (reader_ != nullptr) {
        PLEXUS_RETURN_IF_ERROR(reader_->Next(&input_));
      } else {
        input_.Reset();
        PLEXUS_RETURN_IF_ERROR(child_->Next(context, &input_));
      }
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
        if (!plan().grouping_sets.empty()) {
          PLEXUS_RETURN_IF_ERROR(AccumulateSets(groups, arguments, filters, row, &key));
          continue;
        }
        key.clear();
        for (const Vector* group : groups) PLEXUS_RETURN_IF_ERROR(AppendKeyPart(*group, row, &key));
        size_t group;
        if (!spilling_) {
          group = FindOrAddGroup(key, groups, row);
        } else {
          auto found = group_index_.find(key);
          if (found == group_index_.end()) {
            PLEXUS_RETURN_IF_ERROR(SpillRow(context, key, row));
            continue;
          }
          group = found->second;
        }
        PLEXUS_RETURN_IF_ERROR(AccumulateRow(arguments, filters, row, group));
      }
      if (!spilling_ && !plan().groups.empty() && plan().grouping_sets.empty()) {
        const size_t bytes = MemoryBytes();
        peak_bytes_ = std::max(peak_bytes_, bytes);
        spilling_ = bytes > work_mem;
      }
    }
    if (plan().groups.empty() && plan().grouping_sets.empty() && states_.empty()) {
      states_.emplace_back(plan().aggregates.size());
    }
    // The empty grouping set's one group, over no rows too.
    for (size_t set = 0; set < plan().grouping_sets.size(); ++set) {
      if (plan().grouping_sets[set] != 0) continue;
      key.assign(reinterpret_cast<const char*>(&set), sizeof(set));
      FindOrAddGroup(key, groups, 0, set);
    }
    // This pass's input is read: its partitions wait for their passes, ahead of the older
    // ones (depth first, so at most kSpillPartitions files per level are open).
    reader_.reset();
    reading_.reset();
    for (auto file = partitions_.rbegin(); file != partitions_.rend(); ++file) {
      if (*file == nullptr) continue;
      PLEXUS_RETURN_IF_ERROR((*file)->Flush());
      disk_bytes_ += (*file)->offset();
      pending_.push_front({std::move(*file), level_});
    }
    partitions_.clear();
    done_ = true;
    return Status::Ok();
  }

  Status AccumulateRow(const std::vector<std::vector<const Vector*>>& arguments,
                       const std::vector<const Vector*>& filters, size_t row, size_t group) {
    for (size_t i = 0; i < arguments.size(); ++i) {
      if (filters[i] && (filters[i]->IsNull(row) || !filters[i]->values<uint8_t>()[row])) {
        continue;
      }
      AggregateState& state = states_[group][i];
      const size_t held = state.held_bytes;
      PLEXUS_RETURN_IF_ERROR(
          AccumulateAggregate(plan().aggregates[i], arguments[i].data(), row, &state));
      state_bytes_ += state.held_bytes - held;
    }
    return Status::Ok();
  }

  // Row `row` into its group of every grouping set.
  Status AccumulateSets(const std::vector<const Vector*>& groups,
                        const std::vector<std::vector<const Vector*>>& arguments,
                        const std::vector<const Vector*>& filters, size_t row, std::string* key) {
    for (size_t set = 0; set < plan().grouping_sets.size(); ++set) {
      const uint64_t mask = plan().grouping_sets[set];
      key->assign(reinterpret_cast<const char*>(&set), sizeof(set));
      for (size_t i = 0; i < groups.size(); ++i) {
        if ((mask >> i) & 1) PLEXUS_RETURN_IF_ERROR(AppendKeyPart(*groups[i], row, key));
      }
      PLEXUS_RETURN_IF_ERROR(AccumulateRow(arguments, filters, row, FindOrAddGroup(*key, groups, row, set)));
    }
    return Status::Ok();
  }

  // Sends input row `row` (of a group not in memory) to its partition's file.
  Status SpillRow(ExecContext& context, std::string_view key, size_t row) {
    if (partitions_.empty()) partitions_.resize(kSpillPartitions);
    std::unique_ptr<SpillFile>& file = partitions_[SpillPartitionOf(key, level_)];
    if (file == nullptr) {
      PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
      PLEXUS_ASSIGN_OR_RETURN(file, SpillFile::Create(context));
    }
    return file->Append(input_columns_, row);
  }

  // The memory the groups hold, roughly: keys, group values, states (with what DISTINCT and
  // ORDER BY inside calls, string_agg and array_agg keep) and table entries.
  size_t MemoryBytes() const {
    return groups_.memory_bytes() + key_bytes_ + states_.size() * group_bytes_ + state_bytes_;
  }

  void ClearGroups() {
    group_index_.clear();
    states_.clear();
    group_sets_.clear();
    groups_.Clear();
    next_group_ = 0;
    key_bytes_ = 0;
    state_bytes_ = 0;
    spilling_ = false;
  }

  // EXPLAIN ANALYZE's line, as PostgreSQL's HashAggregate shows it.
  void Report(ExecContext& context) {
    std::string line = "Batches: " + std::to_string(batches_) +
                       "  Memory Usage: " + Kilobytes(peak_bytes_);
    if (disk_bytes_ > 0) line += "  Disk Usage: " + Kilobytes(disk_bytes_);
    context.set_explain_note(&plan(), std::move(line));
  }

  // With grouping sets, the groups outside set number `set` are NULL in the group's row.
  size_t FindOrAddGroup(const std::string& key, const std::vector<const Vector*>& groups,
                        size_t row, size_t set = 0) {
    auto [found, inserted] = group_index_.emplace(key, states_.size());
    if (!inserted) return found->second;
    key_bytes_ += key.size();
    group_values_.Reset();
    const uint64_t mask = plan().grouping_sets.empty() ? ~uint64_t{0} : plan().grouping_sets[set];
    for (size_t i = 0; i < groups.size(); ++i) {
      if ((mask >> i) & 1) {
        group_values_.column(i).CopyRow(*groups[i], row, 0);
      } else {
        group_values_.column(i).SetNull(0, true);
      }
    }
    group_values_.set_rows(1);
    groups_.Append(group_values_, 0);
    states_.emplace_back(plan().aggregates.size());
    if (!plan().grouping_sets.empty()) group_sets_.push_back(static_cast<uint32_t>(set));
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
  std::vector<uint32_t> group_sets_;  // with grouping sets: each group's set
  size_t next_group_ = 0;
  bool done_ = false;
  // Spilling (see the top of the file).
  std::vector<const Vector*> input_columns_;  // input_'s, for SpillFile::Append
  size_t group_bytes_ = 0;                     // per group, besides key and values
  size_t key_bytes_ = 0;
  size_t state_bytes_ = 0;  // the states' held_bytes
  bool spilling_ = false;  // this pass takes no new groups
  uint32_t level_ = 0;     // of this pass's partition hash
  std::vector<std::unique_ptr<SpillFile>> partitions_;  // this pass's, by SpillPartitionOf
  std::deque<Partition> pending_;
  std::unique_ptr<SpillFile> reading_;  // the partition this pass reads, through reader_
  std::unique_ptr<SpillReader> reader_;
  uint64_t batches_ = 1;
  size_t peak_bytes_ = 0;
  uint64_t disk_bytes_ = 0;
};

}  // namespace

OperatorPtr MakeAggregateOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<AggregateOperator>(plan, std::move(child));
}

}  // namespace plexus::sql
