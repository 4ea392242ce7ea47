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

}  // namespace plexus::storage
