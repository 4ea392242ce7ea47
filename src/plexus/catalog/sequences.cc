// Sequence values: in memory, with a stored bound a block ahead.
#include "plexus/catalog/sequences.h"

#include <charconv>

#include "plexus/storage/key_codec.h"
#include "plexus/txn/transaction.h"

namespace plexus::catalog {

namespace {

// Values handed out between writes of the stored bound.
constexpr int64_t kValuesPerWrite = 32;

Status Exhausted(const SequenceDef& sequence) {
  const bool up = sequence.increment > 0;
  Status status(StatusCode::kInvalidArgument,
                std::string("nextval: reached ") + (up ? "maximum" : "minimum") +
                    " value of sequence \"" + sequence.name + "\" (" +
                    std::to_string(up ? sequence.max_value : sequence.min_value) + ")");
  status.SetSqlState("2200H");  // sequence_generator_limit_exceeded
  return status;
}

// a + b, saturated at the int64 range.
int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) {
    return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  }
  return sum;
}

}  // namespace

std::string SequenceValueKey(uint32_t sequence_id) {
  std::string key;
  storage::AppendText(&key, "sequence_value", SortOrder::kAscending);
  storage::AppendInt(&key, sequence_id, SortOrder::kAscending);
  return key;
}

Result<SequenceValues::State*> SequenceValues::Load(const SequenceDef& sequence) {
  auto found = states_.find(sequence.id);
  if (found != states_.end()) return &found->second;
  State state;
  std::string stored;
  Status status = transactions_->Get(storage::Family::kCatalog, SequenceValueKey(sequence.id), &stored);
  if (status.IsNotFound()) {
    state.next = sequence.start;
    state.reserved = sequence.start;
  } else {
    PLEXUS_RETURN_IF_ERROR(status);
    int64_t reserved = 0;
    auto [end, error] = std::from_chars(stored.data(), stored.data() + stored.size(), reserved);
    if (error != std::errc() || end != stored.data() + stored.size()) {
      return Status::Corruption("catalog: bad sequence value \"" + stored + "\"");
    }
    state.next = state.reserved = reserved;
  }
  return &states_.emplace(sequence.id, state).first->second;
}

Status SequenceValues::Store(const SequenceDef& sequence, int64_t reserved) {
  return transactions_->Put(storage::Family::kCatalog, SequenceValueKey(sequence.id),
                            std::to_string(reserved));
}

Result<int64_t> SequenceValues::Next(const SequenceDef& sequence) {
  std::lock_guard<std::mutex> guard(mutex_);
  PLEXUS_ASSIGN_OR_RETURN(State * state, Load(sequence));
  const bool up = sequence.increment > 0;
  int64_t value = state->next;
  if (state->exhausted || value > sequence.max_value || value < sequence.min_value) {
    if (!sequence.cycle) return Exhausted(sequence);
    value = up ? sequence.min_value : sequence.max_value;
    state->exhausted = false;
  }
  int64_t after = 0;
  if (__builtin_add_overflow(value, sequence.increment, &after)) {
    state->exhausted = true;  // the next call finds the sequence at its end
    after = value;
  }
  // Move the stored bound a block ahead before handing out a value at or past it.
  if (up ? value >= state->reserved : value <= state->reserved) {
    const int64_t reserved = SaturatingAdd(value, sequence.increment * kValuesPerWrite);
    PLEXUS_RETURN_IF_ERROR(Store(sequence, reserved));
    state->reserved = reserved;
  }
  state->next = after;
  return value;
}

Status SequenceValues::Set(const SequenceDef& sequence, int64_t value, bool is_called) {
  if (value < sequence.min_value || value > sequence.max_value) {
    Status status(StatusCode::kInvalidArgument,
                  "setval: value " + std::to_string(value) + " is out of bounds for sequence \"" +
                      sequence.name + "\" (" + std::to_string(sequence.min_value) + ".." +
                      std::to_string(sequence.max_value) + ")");
    status.SetSqlState("22003");
    return status;
  }
  std::lock_guard<std::mutex> guard(mutex_);
  PLEXUS_ASSIGN_OR_RETURN(State * state, Load(sequence));
  state->exhausted = false;
  state->next = value;
  if (is_called && __builtin_add_overflow(value, sequence.increment, &state->next)) {
    state->next = value;
    state->exhausted = true;
  }
  // Stored now: values before the new position are never handed out again after a crash.
  PLEXUS_RETURN_IF_ERROR(Store(sequence, state->next));
  state->reserved = state->next;
  return Status::Ok();
}

}  // namespace plexus::catalog
