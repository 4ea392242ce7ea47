// Window functions: buffers the input, then for each call orders the rows by (partition, order),
// walks each partition computing the call's value per row over its frame, and emits the rows in
// the last call's order (as PostgreSQL does) with one extra column per call.
//
// Past work_mem the rows stream instead: each stage (consecutive calls over one window) sorts
// them by its partition and order keys through an ExternalSorter, which spills, and only the
// current partition is held in memory while the calls' values are computed over it — frames
// need random access to it, so a single partition larger than work_mem stays in memory
// (EXPLAIN ANALYZE: "Maximum Storage"). Stages whose calls need no row past the current row's
// peers (row_number, rank, dense_rank, and aggregates over frames from UNBOUNDED PRECEDING to
// CURRENT ROW) hold only the current peer group (row_number and ROWS frames: a batch of rows),
// with a running state per call. The rows of one stage's partitions, with its values, go into
// the next stage's sorter; the last stage's partitions are emitted.
#include <algorithm>
#include <numeric>

#include "plexus/base/assert.h"
#include "plexus/sql/exec/aggregate_state.h"
#include "plexus/sql/exec/external_sort.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_buffer.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/spill_file.h"
#include "plexus/sql/exec/vector_compare.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

std::vector<Type> ResultTypes(const PlanNode& plan) {
  std::vector<Type> types;
  for (const WindowCall& call : plan.windows) types.push_back(call.type);
  return types;
}

class WindowOperator final : public Operator {
 public:
  WindowOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)), input_(child_->plan().types),
        batch_(child_->plan().types), partition_(plan.types), full_(plan.types),
        lookahead_(plan.types) {}

  Status Open(ExecContext& context) override {
    input_.Clear();
    results_.clear();
    order_.clear();
    next_ = 0;
    computed_ = false;
    rows_ = &input_;
    streaming_ = false;
    sorter_.reset();
    partition_.Clear();
    lookahead_.Reset();
    lookahead_row_ = 0;
    largest_partition_ = 0;
    running_valid_ = false;
    return child_->Open(context);
  }

  Status Next(ExecContext& context, Batch* out) override {
    if (!computed_) PLEXUS_RETURN_IF_ERROR(Compute(context));
    if (streaming_) return NextStreamed(context, out);
    out->Reset();
    const size_t width = input_.types().size();
    size_t rows = 0;
    for (; rows < kBatchRowsMax && next_ < order_.size(); ++rows, ++next_) {
      const size_t source = order_[next_];
      const size_t slot = RowBuffer::Slot(source);
      for (size_t column = 0; column < width; ++column) {
        out->column(column).CopyRow(input_.column(source, column), slot, rows);
      }
      for (size_t call = 0; call < plan().windows.size(); ++call) {
        out->column(width + call).CopyRow(results_[source / kBatchRowsMax]->column(call), slot, rows);
      }
    }
    out->set_rows(rows);
    return Status::Ok();
  }

 private:
  // A row's position in the buffer.
  using Row = size_t;

  // The rows the calls are computed over: the whole input, or (streaming) one partition.
  const Vector& Column(Row row, uint32_t column) const { return rows_->column(row, column); }

  // Orders two rows by the columns of `keys` (ascending, NULLs last for partitions).
  int CompareKeys(Row a, Row b, const std::vector<WindowOrderKey>& keys) const {
    for (const WindowOrderKey& key : keys) {
      const Vector& left = Column(a, key.column);
      const Vector& right = Column(b, key.column);
      const bool left_null = left.IsNull(RowBuffer::Slot(a));
      const bool right_null = right.IsNull(RowBuffer::Slot(b));
      if (left_null || right_null) {
        if (left_null == right_null) continue;
        return left_null == key.nulls_first ? -1 : 1;
      }
      int comparison = CompareSlots(left, RowBuffer::Slot(a), right, RowBuffer::Slot(b));
      if (comparison != 0) return key.descending ? -comparison : comparison;
    }
    return 0;
  }

  Status Compute(ExecContext& context) {
    while (true) {
      batch_.Reset();
      PLEXUS_RETURN_IF_ERROR(child_->Next(context, &batch_));
      if (batch_.rows() == 0) break;
      for (size_t row = 0; row < batch_.rows(); ++row) input_.Append(batch_, row);
      if (input_.memory_bytes() > context.work_mem()) return StartStreaming(context);
    }
    context.set_explain_note(&plan(), "Storage: Memory  Maximum Storage: " +
                                          Kilobytes(input_.memory_bytes()));
    const std::vector<Type> types = ResultTypes(plan());
    for (size_t chunk = 0; chunk < input_.chunk_count(); ++chunk) {
      results_.push_back(std::make_unique<Batch>(types));
      results_.back()->set_rows(input_.chunk(chunk).rows());
    }
    order_.resize(input_.size());
    std::iota(order_.begin(), order_.end(), 0);
    for (size_t call = 0; call < plan().windows.size(); ++call) {
      PLEXUS_RETURN_IF_ERROR(ComputeCall(plan().windows[call], call));
    }
    computed_ = true;
    return Status::Ok();
  }

  // Whether two calls order their rows alike (same partition and order keys).
  static bool SameWindow(const WindowCall& a, const WindowCall& b) {
    if (a.partition != b.partition || a.order.size() != b.order.size()) return false;
    for (size_t i = 0; i < a.order.size(); ++i) {
      if (a.order[i].column != b.order[i].column || a.order[i].descending != b.order[i].descending ||
          a.order[i].nulls_first != b.order[i].nulls_first) {
        return false;
      }
    }
    return true;
  }

  Status ComputeCall(const WindowCall& call, size_t index) {
    std::vector<WindowOrderKey> keys;
    for (uint32_t column : call.partition) keys.push_back({column, false, false});
    const size_t partition_keys = keys.size();
    keys.insert(keys.end(), call.order.begin(), call.order.end());
    // Calls over the same window (OVER w, OVER w) share the previous call's order.
    if (index == 0 || !SameWindow(plan().windows[index - 1], call)) {
      std::iota(order_.begin(), order_.end(), 0);
      std::stable_sort(order_.begin(), order_.end(),
                       [&](Row a, Row b) { return CompareKeys(a, b, keys) < 0; });
    }
    const std::vector<WindowOrderKey> partition(keys.begin(), keys.begin() + partition_keys);
    for (size_t start = 0; start < order_.size();) {
      size_t end = start + 1;
      while (end < order_.size() && CompareKeys(order_[start], order_[end], partition) == 0) ++end;
      PLEXUS_RETURN_IF_ERROR(ComputePartition(call, index, start, end));
      start = end;
    }
    return Status::Ok();
  }

  Vector& ResultColumn(size_t index, Row row) {
    if (streaming_) {
      return partition_.mutable_chunk(row / kBatchRowsMax).column(input_.types().size() + index);
    }
    return results_[row / kBatchRowsMax]->column(index);
  }

  // ---- streaming (past work_mem) ----

  // A sorter of the rows (input columns, then one per call) by call `index`'s partition and
  // order keys.
  std::unique_ptr<ExternalSorter> MakeSorter(size_t index) const {
    const WindowCall& call = plan().windows[index];
    std::vector<SortColumn> keys;
    for (uint32_t column : call.partition) keys.push_back({column, false, false});
    for (const WindowOrderKey& key : call.order) {
      keys.push_back({key.column, key.descending, key.nulls_first});
    }
    auto sorter = std::make_unique<ExternalSorter>(plan().types, std::move(keys));
    sorter->Reset();
    return sorter;
  }

  // Adds input rows (of the child's columns) to the first call's sorter, the calls' columns
  // NULL until computed.
  Status AddInput(ExecContext& context, Batch& input) {
    const size_t width = input_.types().size();
    full_.Reset();
    for (size_t column = 0; column < width; ++column) {
      std::swap(full_.column(column), input.column(column));
    }
    for (size_t call = 0; call < plan().windows.size(); ++call) {
      for (size_t row = 0; row < input.rows(); ++row) full_.column(width + call).SetNull(row, true);
    }
    full_.set_rows(input.rows());
    const Status added = sorter_->Add(context, full_);
    for (size_t column = 0; column < width; ++column) {
      std::swap(full_.column(column), input.column(column));
    }
    return added;
  }

  // The buffered rows passed work_mem: they and the rest of the input go through the first
  // stage's sorter (a stage: consecutive calls over the same window); every stage but the last
  // is computed here, partition by partition, into the next stage's sorter; the last stage's
  // partitions are computed as Next emits them.
  Status StartStreaming(ExecContext& context) {
    PLEXUS_ASSERT(plan().types.size() == input_.types().size() + plan().windows.size());
    streaming_ = true;
    rows_ = &partition_;
    stages_.clear();
    for (size_t call = 0; call < plan().windows.size(); ++call) {
      if (call == 0 || !SameWindow(plan().windows[call - 1], plan().windows[call])) {
        stages_.push_back({call, call + 1});
      } else {
        stages_.back().second = call + 1;
      }
    }
    running_.resize(plan().windows.size());
    sorter_ = MakeSorter(0);
    for (size_t chunk = 0; chunk < input_.chunk_count(); ++chunk) {
      PLEXUS_RETURN_IF_ERROR(AddInput(context, input_.mutable_chunk(chunk)));
    }
    input_.Clear();
    while (true) {
      batch_.Reset();
      PLEXUS_RETURN_IF_ERROR(child_->Next(context, &batch_));
      if (batch_.rows() == 0) break;
      PLEXUS_RETURN_IF_ERROR(AddInput(context, batch_));
    }
    PLEXUS_RETURN_IF_ERROR(sorter_->Finish(context));
    spilled_ = sorter_->spilled();
    for (size_t stage = 0; stage + 1 < stages_.size(); ++stage) {
      std::unique_ptr<ExternalSorter> next = MakeSorter(stages_[stage + 1].first);
      while (true) {
        bool done = false;
        PLEXUS_RETURN_IF_ERROR(NextPartition(context, stage, &done));
        if (done) break;
        for (size_t chunk = 0; chunk < partition_.chunk_count(); ++chunk) {
          PLEXUS_RETURN_IF_ERROR(next->Add(context, partition_.chunk(chunk)));
        }
      }
      sorter_ = std::move(next);
      PLEXUS_RETURN_IF_ERROR(sorter_->Finish(context));
      spilled_ = spilled_ || sorter_->spilled();
    }
    partition_.Clear();
    next_ = 0;
    computed_ = true;
    return Status::Ok();
  }

  // The rows a call's values are computed over at a time when streaming: its partition; or,
  // when they depend only on the rows up to the current row's last peer, its peer group with a
  // running state; or, when only on the rows up to the current row, a batch of rows.
  enum class Unit { kPartition, kPeers, kRows };
  static Unit UnitOf(const WindowCall& call) {
    switch (call.function) {
      case WindowFunction::kRowNumber: return Unit::kRows;
      case WindowFunction::kRank:
      case WindowFunction::kDenseRank: return Unit::kPeers;
      case WindowFunction::kAggregate:
        if (call.frame.start != FrameBound::kUnboundedPreceding ||
            call.frame.end != FrameBound::kCurrentRow ||
            call.frame.exclude != FrameExclusion::kNone) {
          return Unit::kPartition;
        }
        return call.frame.mode == FrameMode::kRows ? Unit::kRows : Unit::kPeers;
      default: return Unit::kPartition;
    }
  }

  // Whether row `row` of `batch` has the values of partition_'s first row in `columns`.
  bool SameValues(const std::vector<uint32_t>& columns, const Batch& batch, size_t row) const {
    for (uint32_t column : columns) {
      const Vector& first = partition_.column(0, column);
      const Vector& other = batch.column(column);
      const bool first_null = first.IsNull(0);
      if (first_null || other.IsNull(row)) {
        if (first_null != other.IsNull(row)) return false;
        continue;
      }
      if (CompareSlots(first, 0, other, row) != 0) return false;
    }
    return true;
  }

  // Whether row `row` of `batch` is in the partition (or, `peers`, the peer group) of
  // partition_'s rows.
  bool InUnit(const WindowCall& call, bool peers, const Batch& batch, size_t row) const {
    if (!SameValues(call.partition, batch, row)) return false;
    if (!peers) return true;
    for (const WindowOrderKey& key : call.order) {
      if (!SameValues({key.column}, batch, row)) return false;
    }
    return true;
  }

  // partition_ holds a peer group or rows of a stage computed by them (UnitOf): when they
  // start another partition, the running states start over.
  Status StartUnit(const WindowCall& call) {
    std::string partition;
    for (uint32_t column : call.partition) {
      PLEXUS_RETURN_IF_ERROR(AppendKeyPart(partition_.column(0, column), 0, &partition));
    }
    if (running_valid_ && partition == running_partition_) return Status::Ok();
    running_partition_ = std::move(partition);
    running_valid_ = true;
    rows_before_ = 0;
    groups_before_ = 0;
    for (AggregateState& state : running_) state = AggregateState();
    return Status::Ok();
  }

  // Computes call `index`'s values over partition_ (see StartUnit), continuing its running
  // state over the rows before them in their partition.
  Status ComputeRunning(const WindowCall& call, size_t index) {
    AggregateState& running = running_[index];
    const size_t rows = partition_.size();
    auto accumulate = [&](Row row) -> Status {
      const size_t slot = RowBuffer::Slot(row);
      if (call.filter >= 0) {
        const Vector& filter = Column(row, static_cast<uint32_t>(call.filter));
        if (filter.IsNull(slot) || !filter.values<uint8_t>()[slot]) return Status::Ok();
      }
      const Vector* arguments[2] = {nullptr, nullptr};
      for (size_t a = 0; a < call.args.size() && a < 2; ++a) arguments[a] = &Column(row, call.args[a]);
      return AccumulateAggregate(call.aggregate, arguments, slot, &running);
    };
    const bool whole_group = call.frame.mode != FrameMode::kRows;
    if (call.function == WindowFunction::kAggregate && whole_group) {
      for (Row row = 0; row < rows; ++row) PLEXUS_RETURN_IF_ERROR(accumulate(row));
    }
    for (Row row = 0; row < rows; ++row) {
      Vector& out = ResultColumn(index, row);
      const size_t slot = RowBuffer::Slot(row);
      switch (call.function) {
        case WindowFunction::kRowNumber:
          SetValue(&out, slot, Value::Int64(static_cast<int64_t>(rows_before_ + row + 1)));
          break;
        case WindowFunction::kRank:
          SetValue(&out, slot, Value::Int64(static_cast<int64_t>(rows_before_ + 1)));
          break;
        case WindowFunction::kDenseRank:
          SetValue(&out, slot, Value::Int64(static_cast<int64_t>(groups_before_ + 1)));
          break;
        default:
          if (!whole_group) PLEXUS_RETURN_IF_ERROR(accumulate(row));
          PLEXUS_RETURN_IF_ERROR(FinishAggregate(call.aggregate, running, &out, slot));
          break;
      }
    }
    return Status::Ok();
  }

  // Reads stage `stage`'s next partition (or peer group, or rows: the largest UnitOf its calls)
  // from sorter_ into partition_ and computes its calls' values over it; `done` when the sorter
  // is at its end.
  Status NextPartition(ExecContext& context, size_t stage, bool* done) {
    const auto [first, last] = stages_[stage];
    const WindowCall& call = plan().windows[first];
    Unit unit = Unit::kRows;
    for (size_t i = first; i < last; ++i) {
      const Unit own = UnitOf(plan().windows[i]);
      if (own == Unit::kPartition || (own == Unit::kPeers && unit == Unit::kRows)) unit = own;
    }
    partition_.Clear();
    while (true) {
      if (lookahead_row_ >= lookahead_.rows()) {
        lookahead_.Reset();
        lookahead_row_ = 0;
        PLEXUS_RETURN_IF_ERROR(sorter_->Next(context, &lookahead_));
        if (lookahead_.rows() == 0) break;
      }
      if (partition_.size() > 0 &&
          (!InUnit(call, unit == Unit::kPeers, lookahead_, lookahead_row_) ||
           (unit == Unit::kRows && partition_.size() == kBatchRowsMax))) {
        break;
      }
      partition_.Append(lookahead_, lookahead_row_++);
    }
    *done = partition_.size() == 0;
    if (*done) {
      lookahead_.Reset();
      lookahead_row_ = 0;
      running_valid_ = false;
      return Status::Ok();
    }
    PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
    largest_partition_ = std::max(largest_partition_, partition_.memory_bytes());
    if (unit != Unit::kPartition) {
      PLEXUS_RETURN_IF_ERROR(StartUnit(call));
      for (size_t i = first; i < last; ++i) {
        PLEXUS_RETURN_IF_ERROR(ComputeRunning(plan().windows[i], i));
      }
      rows_before_ += partition_.size();
      ++groups_before_;
      return Status::Ok();
    }
    order_.resize(partition_.size());
    std::iota(order_.begin(), order_.end(), 0);
    for (size_t i = first; i < last; ++i) {
      PLEXUS_RETURN_IF_ERROR(ComputePartition(plan().windows[i], i, 0, order_.size()));
    }
    return Status::Ok();
  }

  Status NextStreamed(ExecContext& context, Batch* out) {
    out->Reset();
    if (next_ >= partition_.size()) {
      bool done = false;
      PLEXUS_RETURN_IF_ERROR(NextPartition(context, stages_.size() - 1, &done));
      next_ = 0;
      if (done) {
        context.set_explain_note(&plan(), std::string("Storage: ") + (spilled_ ? "Disk" : "Memory") +
                                              "  Maximum Storage: " + Kilobytes(largest_partition_));
        return Status::Ok();
      }
    }
    size_t rows = 0;
    for (; rows < kBatchRowsMax && next_ < partition_.size(); ++rows, ++next_) {
      for (size_t column = 0; column < out->column_count(); ++column) {
        out->column(column).CopyRow(partition_.column(next_, column), RowBuffer::Slot(next_), rows);
      }
    }
    out->set_rows(rows);
    return Status::Ok();
  }

  // Reads a bigint/integer operand at a row; `what` names it in errors.
  Result<int64_t> Integer(uint32_t column, Row row, const char* what) const {
    const Vector& vector = Column(row, column);
    const size_t slot = RowBuffer::Slot(row);
    if (vector.IsNull(slot)) {
      return SqlError(kNullValueNotAllowed, std::string(what) + " must not be null");
    }
    return vector.physical() == PhysicalType::kInt32 ? vector.values<int32_t>()[slot]
                                                     : vector.values<int64_t>()[slot];
  }

  Status ComputePartition(const WindowCall& call, size_t index, size_t start, size_t end) {
    // Peer groups: rows with equal ORDER BY keys (all rows when there is no ORDER BY).
    std::vector<size_t> group_of(end - start);
    std::vector<size_t> group_start;
    for (size_t i = start; i < end; ++i) {
      if (i == start || CompareKeys(order_[i - 1], order_[i], call.order) != 0) {
        group_start.push_back(i);
      }
      group_of[i - start] = group_start.size() - 1;
    }
    group_start.push_back(end);
    const size_t count = end - start;
    AggregateState state;
    size_t state_start = 0;
    size_t state_end = 0;
    bool state_valid = false;
    for (size_t i = start; i < end; ++i) {
      const Row row = order_[i];
      Vector& out = ResultColumn(index, row);
      const size_t slot = RowBuffer::Slot(row);
      const size_t group = group_of[i - start];
      switch (call.function) {
        case WindowFunction::kRowNumber:
          SetValue(&out, slot, Value::Int64(static_cast<int64_t>(i - start + 1)));
          break;
        case WindowFunction::kRank:
          SetValue(&out, slot, Value::Int64(static_cast<int64_t>(group_start[group] - start + 1)));
          break;
        case WindowFunction::kDenseRank:
          SetValue(&out, slot, Value::Int64(static_cast<int64_t>(group + 1)));
          break;
        case WindowFunction::kPercentRank:
          SetValue(&out, slot,
                   Value::Float64(count <= 1 ? 0.0
                                             : static_cast<double>(group_start[group] - start) /
                                                   static_cast<double>(count - 1)));
          break;
        case WindowFunction::kCumeDist:
          SetValue(&out, slot, Value::Float64(static_cast<double>(group_start[group + 1] - start) /
                                              static_cast<double>(count)));
          break;
        case WindowFunction::kNtile: {
          if (Column(row, call.args[0]).IsNull(slot)) {
            out.SetNull(slot, true);
            break;
          }
          PLEXUS_ASSIGN_OR_RETURN(int64_t buckets, Integer(call.args[0], row, "argument of ntile"));
          if (buckets <= 0) {
            return SqlError(kInvalidArgumentForNtile, "argument of ntile must be greater than zero");
          }
          // The first (count % buckets) buckets get one extra row, as in PostgreSQL.
          const size_t n = static_cast<size_t>(buckets);
          const size_t position = i - start;
          const size_t small = count / n;
          const size_t extra = count % n;
          const size_t large_rows = extra * (small + 1);
          const size_t bucket = position < large_rows ? position / (small + 1)
                                                      : extra + (position - large_rows) / std::max<size_t>(small, 1);
          SetValue(&out, slot, Value::Int32(static_cast<int32_t>(bucket + 1)));
          break;
        }
        case WindowFunction::kLag:
        case WindowFunction::kLead: {
          int64_t offset = 1;
          if (call.args.size() > 1) {
            if (Column(row, call.args[1]).IsNull(slot)) {
              out.SetNull(slot, true);
              break;
            }
            PLEXUS_ASSIGN_OR_RETURN(offset, Integer(call.args[1], row, "offset"));
          }
          const int64_t target = static_cast<int64_t>(i) +
                                 (call.function == WindowFunction::kLag ? -offset : offset);
          if (target >= static_cast<int64_t>(start) && target < static_cast<int64_t>(end)) {
            const Row source = order_[static_cast<size_t>(target)];
            out.CopyRow(Column(source, call.args[0]), RowBuffer::Slot(source), slot);
          } else if (call.args.size() > 2) {
            out.CopyRow(Column(row, call.args[2]), slot, slot);
          } else {
            out.SetNull(slot, true);
          }
          break;
        }
        default: {
          PLEXUS_ASSIGN_OR_RETURN(Frame frame, FrameFor(call, i, start, end, group_start, group));
          PLEXUS_RETURN_IF_ERROR(ComputeOverFrame(call, i, frame, group_start, group, &out, slot,
                                                  &state, &state_start, &state_end, &state_valid));
          break;
        }
      }
    }
    return Status::Ok();
  }

  // A frame as a range [begin, end) of positions in order_.
  struct Frame {
    size_t begin;
    size_t end;
  };

  Result<Frame> FrameFor(const WindowCall& call, size_t i, size_t start, size_t end,
                         const std::vector<size_t>& group_start, size_t group) const {
    const WindowFrame& frame = call.frame;
    Frame result{start, end};
    PLEXUS_ASSIGN_OR_RETURN(result.begin, Bound(call, frame.start, call.start_offset, true, i,
                                                start, end, group_start, group));
    PLEXUS_ASSIGN_OR_RETURN(result.end, Bound(call, frame.end, call.end_offset, false, i, start,
                                              end, group_start, group));
    if (result.end < result.begin) result.end = result.begin;
    return result;
  }

  // One bound of row i's frame as a position: for a start bound the first position in the
  // frame, for an end bound one past the last.
  Result<size_t> Bound(const WindowCall& call, FrameBound bound, int32_t offset_column,
                       bool is_start, size_t i, size_t start, size_t end,
                       const std::vector<size_t>& group_start, size_t group) const {
    const FrameMode mode = call.frame.mode;
    const Row row = order_[i];
    switch (bound) {
      case FrameBound::kUnboundedPreceding: return start;
      case FrameBound::kUnboundedFollowing: return end;
      case FrameBound::kCurrentRow:
        if (mode == FrameMode::kRows) return is_start ? i : i + 1;
        return is_start ? group_start[group] : group_start[group + 1];
      case FrameBound::kOffsetPreceding:
      case FrameBound::kOffsetFollowing:
        break;
    }
    const bool preceding = bound == FrameBound::kOffsetPreceding;
    const char* what = is_start ? "frame starting offset" : "frame ending offset";
    const uint32_t column = static_cast<uint32_t>(offset_column);
    if (mode == FrameMode::kRange) return RangeBound(call, column, is_start, i, start, end, what);
    PLEXUS_ASSIGN_OR_RETURN(int64_t offset, Integer(column, row, what));
    if (offset < 0) {
      return SqlError(kInvalidPrecedingOrFollowingSize, std::string(what) + " must not be negative");
    }
    const auto clamp = [&](int64_t position) {
      return static_cast<size_t>(std::clamp<int64_t>(position, static_cast<int64_t>(start),
                                                     static_cast<int64_t>(end)));
    };
    if (mode == FrameMode::kRows) {
      const int64_t base = static_cast<int64_t>(i) + (preceding ? -offset : offset);
      return clamp(is_start ? base : base + 1);
    }
    // GROUPS: whole peer groups before or after the current row's group.
    const int64_t groups = static_cast<int64_t>(group_start.size()) - 1;
    const int64_t target = static_cast<int64_t>(group) + (preceding ? -offset : offset);
    if (is_start) {
      if (target < 0) return start;
      if (target >= groups) return end;
      return group_start[static_cast<size_t>(target)];
    }
    if (target < 0) return start;
    if (target >= groups) return end;
    return group_start[static_cast<size_t>(target) + 1];
  }

  // RANGE offset bound: the first position whose order key is past (start) or beyond (end) the
  // current row's bound value, in the order's direction. NULL keys are peers of each other only.
  Result<size_t> RangeBound(const WindowCall& call, uint32_t bound_column, bool is_start, size_t i,
                            size_t start, size_t end, const char* what) const {
    const Row row = order_[i];
    const WindowOrderKey& order = call.order[0];
    const uint32_t key_column = static_cast<uint32_t>(call.range_key);
    const Vector& bound = Column(row, bound_column);
    const size_t slot = RowBuffer::Slot(row);
    const bool key_null = Column(row, key_column).IsNull(slot);
    auto is_null = [&](size_t position) {
      return Column(order_[position], key_column).IsNull(RowBuffer::Slot(order_[position]));
    };
    if (key_null || bound.IsNull(slot)) {
      if (!key_null) {
        return SqlError(kNullValueNotAllowed, std::string(what) + " must not be null");
      }
      // The current row's peers: the NULL keys.
      size_t first = i;
      while (first > start && is_null(first - 1)) --first;
      size_t last = i + 1;
      while (last < end && is_null(last)) ++last;
      return is_start ? first : last;
    }
    // In sorted direction, is the key at `position` before the bound value?
    auto before = [&](size_t position) {
      if (is_null(position)) return order.nulls_first;
      const Row other = order_[position];
      int comparison = CompareSlots(Column(other, key_column), RowBuffer::Slot(other), bound, slot);
      if (order.descending) comparison = -comparison;
      return is_start ? comparison < 0 : comparison <= 0;
    };
    size_t position = start;
    while (position < end && before(position)) ++position;
    return position;
  }

  bool Excluded(const WindowCall& call, size_t position, size_t i,
                const std::vector<size_t>& group_start, size_t group) const {
    switch (call.frame.exclude) {
      case FrameExclusion::kNone: return false;
      case FrameExclusion::kCurrentRow: return position == i;
      case FrameExclusion::kGroup:
        return position >= group_start[group] && position < group_start[group + 1];
      case FrameExclusion::kTies:
        return position != i && position >= group_start[group] &&
               position < group_start[group + 1];
    }
    return false;
  }

  Status ComputeOverFrame(const WindowCall& call, size_t i, Frame frame,
                          const std::vector<size_t>& group_start, size_t group, Vector* out,
                          size_t slot, AggregateState* state, size_t* state_start,
                          size_t* state_end, bool* state_valid) {
    if (call.function != WindowFunction::kAggregate) {
      // first_value, last_value, nth_value: the frame's rows after exclusion (without one, the
      // frame's positions are picked from directly).
      std::vector<size_t> rows;
      const bool excludes = call.frame.exclude != FrameExclusion::kNone;
      const size_t frame_rows = frame.end - frame.begin;
      if (excludes) {
        for (size_t position = frame.begin; position < frame.end; ++position) {
          if (!Excluded(call, position, i, group_start, group)) rows.push_back(position);
        }
      }
      const size_t count = excludes ? rows.size() : frame_rows;
      auto position_of = [&](size_t k) { return excludes ? rows[k] : frame.begin + k; };
      size_t pick = count;
      if (call.function == WindowFunction::kFirstValue && count > 0) pick = 0;
      if (call.function == WindowFunction::kLastValue && count > 0) pick = count - 1;
      if (call.function == WindowFunction::kNthValue) {
        const Row row = order_[i];
        if (Column(row, call.args[1]).IsNull(RowBuffer::Slot(row))) {
          out->SetNull(slot, true);
          return Status::Ok();
        }
        PLEXUS_ASSIGN_OR_RETURN(int64_t n, Integer(call.args[1], row, "argument of nth_value"));
        if (n <= 0) {
          return SqlError(kInvalidArgumentForNthValue,
                          "argument of nth_value must be greater than zero");
        }
        if (static_cast<size_t>(n) <= count) pick = static_cast<size_t>(n) - 1;
      }
      if (pick >= count) {
        out->SetNull(slot, true);
        return Status::Ok();
      }
      const Row source = order_[position_of(pick)];
      out->CopyRow(Column(source, call.args[0]), RowBuffer::Slot(source), slot);
      return Status::Ok();
    }
    // Aggregates: extend the previous row's state when the frame only grew at its end.
    const bool extend = *state_valid && call.frame.exclude == FrameExclusion::kNone &&
                        frame.begin == *state_start && frame.end >= *state_end;
    size_t from = *state_end;
    if (!extend) {
      *state = AggregateState();
      from = frame.begin;
    }
    const Vector* arguments[2] = {nullptr, nullptr};
    for (size_t position = from; position < frame.end; ++position) {
      if (Excluded(call, position, i, group_start, group)) continue;
      const Row source = order_[position];
      const size_t source_slot = RowBuffer::Slot(source);
      if (call.filter >= 0) {
        const Vector& filter = Column(source, static_cast<uint32_t>(call.filter));
        if (filter.IsNull(source_slot) || !filter.values<uint8_t>()[source_slot]) continue;
      }
      for (size_t a = 0; a < call.args.size() && a < 2; ++a) {
        arguments[a] = &Column(source, call.args[a]);
      }
      PLEXUS_RETURN_IF_ERROR(AccumulateAggregate(call.aggregate, arguments, source_slot, state));
    }
    *state_start = frame.begin;
    *state_end = frame.end;
    *state_valid = true;
    return FinishAggregate(call.aggregate, *state, out, slot);
  }

  OperatorPtr child_;
  RowBuffer input_;
  Batch batch_;
  std::vector<std::unique_ptr<Batch>> results_;  // one per input chunk: a column per call
  std::vector<Row> order_;
  size_t next_ = 0;
  bool computed_ = false;
  const RowBuffer* rows_ = &input_;  // what Column reads: input_, or partition_ when streaming
  // Streaming (see the top of the file): the sorter of the call being computed, its current
  // partition (input columns, then a column per call), and the sorter's batch being read.
  bool streaming_ = false;
  bool spilled_ = false;
  std::unique_ptr<ExternalSorter> sorter_;
  RowBuffer partition_;
  Batch full_;  // input rows with the calls' columns, for the first sorter
  Batch lookahead_;
  size_t lookahead_row_ = 0;
  size_t largest_partition_ = 0;
  // Calls computed by peer groups or rows: the current partition's key, its rows and groups
  // before partition_, and each call's running state.
  bool running_valid_ = false;
  std::string running_partition_;
  size_t rows_before_ = 0;
  size_t groups_before_ = 0;
  std::vector<AggregateState> running_;
  std::vector<std::pair<size_t, size_t>> stages_;  // [first, last) calls over one window
};

}  // namespace

OperatorPtr MakeWindowOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<WindowOperator>(plan, std::move(child));
}

}  // namespace plexus::sql
