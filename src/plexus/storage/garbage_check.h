// Compaction-time garbage collection for a family whose entries a data model above storage can
// declare dead (the kv model's elements of deleted or overwritten collections). The model
// registers a GarbageCheck with Store::SetGarbageCheck; compactions of that family ask it about
// each entry and drop the ones it calls garbage. No RocksDB type crosses this interface.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "plexus/base/status.h"
#include "plexus/storage/family.h"

namespace plexus::storage {

// Reads the latest committed value of a key (kNotFound when absent).
using FamilyReader = std::function<Status(Family family, std::string_view key, std::string* value)>;

class GarbageCheck {
 public:
  virtual ~GarbageCheck() = default;
  // Whether the entry `key` is dead. Must be conservative: when unsure (a read fails), false.
  // Called from compaction threads, concurrently.
  virtual bool IsGarbage(std::string_view key, const FamilyReader& read) const = 0;
};

}  // namespace plexus::storage
