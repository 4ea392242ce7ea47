// Hidden row ids: the first id of a table is found from its last stored key.
#include "plexus/sql/exec/row_id_allocator.h"

#include "plexus/sql/exec/row_codec.h"
#include "plexus/storage/key_codec.h"
#include "plexus/txn/transaction.h"

namespace plexus::sql {

Result<int64_t> RowIdAllocator::Next(txn::Transaction& transaction, uint32_t table_id) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto found = next_.find(table_id);
  if (found == next_.end()) {
    std::string prefix = TableKeyPrefix(table_id);
    PLEXUS_ASSIGN_OR_RETURN(auto iterator,
                            transaction.Scan(storage::Family::kRows, prefix,
                                             storage::PrefixSuccessor(prefix)));
    iterator->SeekToLast();
    int64_t next = 1;
    if (iterator->Valid()) {
      std::string_view key = iterator->key().substr(prefix.size());
      KeyPart part;
      PLEXUS_RETURN_IF_ERROR(storage::DecodeNextPart(&key, &part));
      if (const int64_t* id = std::get_if<int64_t>(&part.value)) next = *id + 1;
    }
    PLEXUS_RETURN_IF_ERROR(iterator->status());
    found = next_.emplace(table_id, next).first;
  }
  return found->second++;
}

}  // namespace plexus::sql
