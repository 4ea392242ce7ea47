// Key ranges of access paths, shared by table and index scans.
#include "plexus/sql/exec/key_range.h"

#include "plexus/storage/key_codec.h"

namespace plexus::sql {

KeyRangeEvaluator::KeyRangeEvaluator(const PlanNode& plan) : plan_(plan) {
  for (const ExprPtr& value : plan.key_prefix) prefix_values_.emplace_back(*value);
  if (plan.key_lower) lower_ = std::make_unique<ExpressionEvaluator>(*plan.key_lower);
  if (plan.key_upper) upper_ = std::make_unique<ExpressionEvaluator>(*plan.key_upper);
}

Result<KeyRangeEvaluator::Range> KeyRangeEvaluator::Evaluate(ExecContext& context,
                                                             std::string prefix,
                                                             const AppendPart& append) {
  Range range;
  Batch one_row;
  one_row.set_rows(1);
  auto append_value = [&](ExpressionEvaluator& value, size_t position, std::string* key) -> Status {
    PLEXUS_ASSIGN_OR_RETURN(const Vector* result, value.Evaluate(context, one_row, nullptr));
    if (result->IsNull(0)) {
      range.empty = true;
      return Status::Ok();
    }
    return append(*result, position, key);
  };
  for (size_t i = 0; i < prefix_values_.size(); ++i) {
    PLEXUS_RETURN_IF_ERROR(append_value(prefix_values_[i], i, &prefix));
  }
  const size_t next = prefix_values_.size();
  range.start = prefix;
  range.end = storage::PrefixSuccessor(prefix);
  if (lower_) {
    std::string bound = prefix;
    PLEXUS_RETURN_IF_ERROR(append_value(*lower_, next, &bound));
    range.start = plan_.lower_inclusive ? bound : storage::PrefixSuccessor(bound);
  }
  if (upper_) {
    std::string bound = prefix;
    PLEXUS_RETURN_IF_ERROR(append_value(*upper_, next, &bound));
    range.end = plan_.upper_inclusive ? storage::PrefixSuccessor(bound) : bound;
  }
  if (range.empty || range.start >= range.end) range.end = range.start;
  range.prefix = std::move(prefix);
  return range;
}

}  // namespace plexus::sql
