// Join keys: which side each operand of an equality reads, and whether both sides' values
// encode alike (integers of any width share one encoding; floats and numerics do not, since
// equal values may differ in bytes).
#include "plexus/sql/exec/join_keys.h"

#include <algorithm>
#include <utility>

#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/spill_file.h"
#include "plexus/sql/func/function.h"

namespace plexus::sql {

namespace {

// Which input an expression reads: 1 left, 2 right, 3 both, 0 neither; 4 when it reads anything
// else (outer rows, subqueries), which keeps it out of hash keys. A parameter is a constant of
// the execution, as a literal is (`ON u.id = t.id + $1` hashes).
int SidesRead(const Expr& expr, size_t left_width) {
  int sides = 0;
  switch (expr.kind) {
    case ExprKind::kColumn: sides = expr.column < left_width ? 1 : 2; break;
    case ExprKind::kOuterColumn:
    case ExprKind::kSubquery: return 4;
    default: break;
  }
  for (const ExprPtr& arg : expr.args) sides |= SidesRead(*arg, left_width);
  return sides;
}

void ShiftColumns(Expr& expr, size_t by) {
  if (expr.kind == ExprKind::kColumn) expr.column -= static_cast<uint32_t>(by);
  for (ExprPtr& arg : expr.args) ShiftColumns(*arg, by);
}

}  // namespace

// Values hash alike when their key encodings are equal: same type, or integers of any width.
bool SameKeyEncoding(const Type& a, const Type& b) {
  if (catalog::IsInteger(a.id) && catalog::IsInteger(b.id)) return true;
  // (bpchar compares without trailing blanks, which its key bytes keep.)
  if (catalog::IsString(a.id) && catalog::IsString(b.id)) {
    return a.id != TypeId::kChar && b.id != TypeId::kChar;
  }
  return a.id == b.id && a.id != TypeId::kFloat32 && a.id != TypeId::kFloat64 &&
         a.id != TypeId::kNumeric && a.id != TypeId::kInterval;
}

namespace {

// Whether `expr` reads no column but `column` (and no outer row or subquery).
bool ReadsOnly(const Expr& expr, uint32_t column) {
  if (expr.kind == ExprKind::kColumn && expr.column != column) return false;
  if (expr.kind == ExprKind::kOuterColumn || expr.kind == ExprKind::kSubquery) return false;
  for (const ExprPtr& arg : expr.args) {
    if (!ReadsOnly(*arg, column)) return false;
  }
  return true;
}

}  // namespace

bool SubqueryHashes(const Expr& expr) {
  if (expr.kind != ExprKind::kSubquery || expr.correlated || !expr.compare || !expr.subquery ||
      expr.subquery->types.size() != 1) {
    return false;
  }
  const Expr& compare = *expr.compare;
  const char* op = expr.subquery_kind == SubqueryKind::kAny   ? "="
                   : expr.subquery_kind == SubqueryKind::kAll ? "<>" : nullptr;
  if (op == nullptr || compare.kind != ExprKind::kCall || compare.name != op ||
      compare.args.size() != 2 || !compare.function || !compare.function->strict) {
    return false;
  }
  return ReadsOnly(*compare.args[0], 0) && ReadsOnly(*compare.args[1], 1) &&
         SameKeyEncoding(compare.args[0]->type, compare.args[1]->type);
}

void CollectJoinKeys(const Expr& condition, size_t left_width, std::vector<ExprPtr>* left,
                     std::vector<ExprPtr>* right) {
  if (condition.kind == ExprKind::kAnd) {
    for (const ExprPtr& arg : condition.args) CollectJoinKeys(*arg, left_width, left, right);
    return;
  }
  if (condition.kind != ExprKind::kCall || condition.name != "=" || condition.args.size() != 2 ||
      !condition.function || !condition.function->strict) {
    return;
  }
  const Expr* a = condition.args[0].get();
  const Expr* b = condition.args[1].get();
  if (SidesRead(*a, left_width) == 2 && SidesRead(*b, left_width) == 1) std::swap(a, b);
  if (SidesRead(*a, left_width) != 1 || SidesRead(*b, left_width) != 2) return;
  if (!SameKeyEncoding(a->type, b->type)) return;
  left->push_back(a->Clone());
  ExprPtr shifted = b->Clone();
  ShiftColumns(*shifted, left_width);
  right->push_back(std::move(shifted));
}

Result<bool> ReadAhead(ExecContext& context, Operator& input, size_t rows_max,
                       std::vector<Batch>* batches, size_t* count) {
  *count = 0;
  size_t rows = 0;
  while (rows <= rows_max) {
    if (*count == batches->size()) batches->emplace_back(input.plan().types);
    Batch& batch = (*batches)[*count];
    batch.Reset();
    PLEXUS_RETURN_IF_ERROR(input.Next(context, &batch));
    if (batch.rows() == 0) return true;
    rows += batch.rows();
    ++*count;
  }
  return false;
}

Result<bool> EncodeJoinKey(const std::vector<const Vector*>& parts, size_t row, std::string* key) {
  key->clear();
  for (const Vector* part : parts) {
    if (part->IsNull(row)) return false;
    PLEXUS_RETURN_IF_ERROR(AppendKeyPart(*part, row, key));
  }
  return true;
}

namespace {

Status PartitionByJoinKey(ExecContext& context, std::vector<ExpressionEvaluator>& evaluators,
                          const Batch& batch, std::vector<std::unique_ptr<SpillFile>>* parts) {
  std::vector<const Vector*> keys(evaluators.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    PLEXUS_ASSIGN_OR_RETURN(keys[i], evaluators[i].Evaluate(context, batch, nullptr));
  }
  std::vector<const Vector*> columns(batch.column_count());
  for (size_t i = 0; i < columns.size(); ++i) columns[i] = &batch.column(i);
  std::string key;
  for (size_t row = 0; row < batch.rows(); ++row) {
    PLEXUS_ASSIGN_OR_RETURN(bool valid, EncodeJoinKey(keys, row, &key));
    std::unique_ptr<SpillFile>& file = (*parts)[valid ? SpillPartitionOf(key, 0) : 0];
    if (file == nullptr) {
      PLEXUS_ASSIGN_OR_RETURN(file, SpillFile::Create(context));
    }
    PLEXUS_RETURN_IF_ERROR(file->Append(columns, row));
  }
  return Status::Ok();
}

}  // namespace

GracePartitions::GracePartitions() = default;
GracePartitions::~GracePartitions() = default;

void GracePartitions::Reset() {
  started_ = false;
  right_.clear();
  left_.clear();
  partition_ = 0;
  left_reader_.reset();
  left_reading_.reset();
  peak_bytes_ = 0;
  disk_bytes_ = 0;
}

void GracePartitions::Start() {
  Reset();
  started_ = true;
  right_.resize(kSpillPartitions);
  left_.resize(kSpillPartitions);
}

Status GracePartitions::AddRight(ExecContext& context, std::vector<ExpressionEvaluator>& evaluators,
                                 const Batch& batch) {
  return PartitionByJoinKey(context, evaluators, batch, &right_);
}

Status GracePartitions::AddLeft(ExecContext& context, std::vector<ExpressionEvaluator>& evaluators,
                                const Batch& batch) {
  return PartitionByJoinKey(context, evaluators, batch, &left_);
}

Result<SpillFile*> GracePartitions::RightFile(ExecContext& context, std::string_view key) {
  std::unique_ptr<SpillFile>& file = right_[SpillPartitionOf(key, 0)];
  if (file == nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(file, SpillFile::Create(context));
  }
  return file.get();
}

Status GracePartitions::Seal() {
  for (auto* side : {&right_, &left_}) {
    for (std::unique_ptr<SpillFile>& file : *side) {
      if (file == nullptr) continue;
      PLEXUS_RETURN_IF_ERROR(file->Flush());
      disk_bytes_ += file->offset();
    }
  }
  partition_ = 0;
  OpenPartition();
  return Status::Ok();
}

void GracePartitions::OpenPartition() {
  left_reading_ = std::move(left_[partition_]);
  left_reader_.reset();
  if (left_reading_ != nullptr) {
    left_reader_ = std::make_unique<SpillReader>(left_reading_.get(), 0, left_reading_->offset());
  }
}

std::unique_ptr<SpillFile> GracePartitions::TakeRight() { return std::move(right_[partition_]); }

Status GracePartitions::NextLeft(Batch* out) {
  out->Reset();
  return left_reader_ == nullptr ? Status::Ok() : left_reader_->Next(out);
}

bool GracePartitions::NextPartition() {
  left_reader_.reset();
  left_reading_.reset();
  if (partition_ + 1 >= kSpillPartitions) return false;
  ++partition_;
  OpenPartition();
  return true;
}

void GracePartitions::NoteMemory(size_t bytes) { peak_bytes_ = std::max(peak_bytes_, bytes); }

std::string GracePartitions::Summary() const {
  return "Batches: " + std::to_string(kSpillPartitions) +
         "  Memory Usage: " + Kilobytes(peak_bytes_) + "  Disk Usage: " + Kilobytes(disk_bytes_);
}

}  // namespace plexus::sql
