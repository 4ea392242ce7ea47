// Sequence values. As in PostgreSQL, nextval is not transactional: a value handed out is never
// handed out again, even when the transaction that took it rolls back. Values come from memory;
// the store keeps a bound of what may have been handed out, moved ahead a block at a time with
// a write of its own (so a crash skips at most a block, as PostgreSQL's 32 pre-logged values).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "plexus/base/status.h"
#include "plexus/catalog/table.h"

namespace plexus::txn {
class TransactionManager;
}  // namespace plexus::txn

namespace plexus::catalog {

class SequenceValues {
 public:
  // REQUIRES: `transactions` outlives this.
  explicit SequenceValues(txn::TransactionManager* transactions) : transactions_(transactions) {}

  // nextval: the next value, or 2200H when the sequence is exhausted (and does not cycle).
  Result<int64_t> Next(const SequenceDef& sequence);
  // setval: the next nextval returns value + increment (is_called) or value itself; 22003 when
  // value is outside the sequence's bounds.
  Status Set(const SequenceDef& sequence, int64_t value, bool is_called);

 private:
  struct State {
    int64_t next = 0;      // what nextval returns next
    int64_t reserved = 0;  // the stored bound: values from here on were never handed out
    bool exhausted = false;
  };
  // The state of `sequence`, loaded from the store the first time. REQUIRES: mutex_ held.
  Result<State*> Load(const SequenceDef& sequence);
  Status Store(const SequenceDef& sequence, int64_t reserved);

  txn::TransactionManager* transactions_;
  std::mutex mutex_;
  std::unordered_map<uint32_t, State> states_;  // by sequence id; guarded by mutex_
};

// What one session remembers of sequences: the last value nextval gave it per sequence
// (currval) and overall (lastval), and names it has resolved (valid at one catalog version).
struct SessionSequences {
  std::unordered_map<uint32_t, int64_t> current;
  int64_t last = 0;
  bool has_last = false;
  std::unordered_map<std::string, std::shared_ptr<const SequenceDef>> resolved;
  uint64_t resolved_version = ~uint64_t{0};
};

// The key of a sequence's stored bound in the catalog family.
std::string SequenceValueKey(uint32_t sequence_id);

}  // namespace plexus::catalog
