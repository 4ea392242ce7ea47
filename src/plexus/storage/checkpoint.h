// A checkpoint: a consistent, openable copy of a store's data directory taken while it runs
// (the RESP front end's SAVE/BGSAVE). RocksDB hard-links the SST files (no copy when the
// checkpoint is on the same file system) and copies the rest; the manifest follows, so
// Store::Open(dir) opens the copy as a data directory of its own.
#pragma once

#include <string>

#include "plexus/base/status.h"
#include "plexus/storage/store.h"

namespace plexus::storage {

// Writes a checkpoint of `store` to `dir`, which must not exist (its parent is created).
// Every commit acknowledged before the call is in the checkpoint. Safe to call from any
// thread while the store serves reads and writes.
Status CreateCheckpoint(const Store& store, const std::string& dir);

}  // namespace plexus::storage
