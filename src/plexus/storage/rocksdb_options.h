// Every RocksDB tuning decision of Plexus, in one place.
#pragma once

#include <rocksdb/options.h>
#include <rocksdb/utilities/transaction_db.h>

#include "plexus/options.h"

namespace plexus::storage {

struct RocksDBOptions {
  rocksdb::DBOptions db;
  rocksdb::ColumnFamilyOptions family;
  rocksdb::TransactionDBOptions transaction_db;
};

RocksDBOptions MakeRocksDBOptions(const Options& options);

// The WriteOptions of a commit under `durability`.
rocksdb::WriteOptions WriteOptionsFor(Durability durability);
// A transaction's (and the transaction manager's single writes): the write never syncs the WAL
// itself; under `sync` durability the committer waits for a shared sync after releasing its
// locks (storage::Store::WaitDurable).
rocksdb::WriteOptions TransactionWriteOptions();

}  // namespace plexus::storage
