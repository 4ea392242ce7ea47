// Translation of RocksDB's Status into ours. Only .cc files of storage/ and txn/ include this
// header, so that RocksDB types stay out of every interface above storage/.
#pragma once

#include <rocksdb/status.h>

#include "plexus/base/status.h"

namespace plexus::storage {

Status FromRocksDB(const rocksdb::Status& status);

}  // namespace plexus::storage
