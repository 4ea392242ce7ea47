// RowIdAllocator: hidden row ids for tables without a primary key. Ids grow per table from one
// past the largest stored id (found once, by seeking to the table's last row), so they are
// unique without a persisted counter.
#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "plexus/base/status.h"

namespace plexus::txn {
class Transaction;
}  // namespace plexus::txn

namespace plexus::sql {

class RowIdAllocator {
 public:
  Result<int64_t> Next(txn::Transaction& transaction, uint32_t table_id);

 private:
  std::mutex mutex_;
  std::unordered_map<uint32_t, int64_t> next_;  // guarded by mutex_
};

}  // namespace plexus::sql
