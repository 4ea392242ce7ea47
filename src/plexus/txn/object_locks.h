// Object locks: intention locks on groups of keys (a table's rows, an index's entries), so that a
// transaction writing many keys of one group can stop locking them one by one.
//
// Every transaction that locks or writes a key of a group first holds the group's intent lock
// (shared among writers). A transaction that has locked many keys of a group and is the group's
// only intent holder may upgrade to the exclusive lock: from then on nobody else can lock or
// write the group's keys until it ends, so its further writes there need no row locks (RocksDB's
// lock manager was half the time of a large INSERT). Reads without locks are never affected:
// they see snapshots. PostgreSQL takes no row locks for inserts at all (new tuples are
// invisible); SQL Server and DB2 escalate row locks the same way.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "plexus/base/status.h"

namespace plexus::txn {

class ObjectLocks {
 public:
  // Takes the intent lock of `object` for `owner`, waiting up to `timeout_ms` while another
  // transaction holds it exclusively; kLockTimeout after that. REQUIRES: `owner` does not hold it.
  Status AcquireIntent(std::string_view object, const void* owner, uint32_t timeout_ms);
  // Upgrades `owner`'s intent lock to exclusive when no other transaction holds the intent
  // lock; never waits. REQUIRES: `owner` holds the intent lock.
  bool TryUpgrade(std::string_view object, const void* owner);
  // Releases `owner`'s lock of `object` (intent, or exclusive after TryUpgrade).
  void Release(std::string_view object, const void* owner);

  // Objects with a holder (for tests).
  size_t locked_object_count();

 private:
  struct Entry {
    uint32_t intents = 0;               // holders, the exclusive one included
    const void* exclusive = nullptr;    // the holder that upgraded, if any
  };

  std::mutex mutex_;
  std::condition_variable released_;  // an exclusive lock was released
  // Lets find() take a string_view.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };

  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;  // guarded by mutex_;
                                                                            // no entry: no holder
};

}  // namespace plexus::txn
