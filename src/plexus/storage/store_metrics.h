// A Store's RocksDB statistics and properties (memtables, block cache, compaction, write
// stalls) and its WAL syncs, exported in base::DefaultRegistry() as callbacks read at export.
#pragma once

#include "plexus/storage/store.h"

namespace plexus::storage {

// Registers the callbacks for `store` on construction, removes them on destruction: destroy it
// before closing the store. One at a time per process (a second replaces the first's series).
class StoreMetrics {
 public:
  // REQUIRES: `store` is open and outlives this object.
  explicit StoreMetrics(Store* store);
  ~StoreMetrics();
  StoreMetrics(const StoreMetrics&) = delete;
  StoreMetrics& operator=(const StoreMetrics&) = delete;
};

}  // namespace plexus::storage
