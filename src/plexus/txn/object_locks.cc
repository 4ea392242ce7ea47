// ObjectLocks: intent locks shared by writers, upgraded to exclusive by a lone bulk writer.
#include "plexus/txn/object_locks.h"

#include <chrono>

#include "plexus/base/assert.h"

namespace plexus::txn {

Status ObjectLocks::AcquireIntent(std::string_view object, const void* owner,
                                  uint32_t timeout_ms) {
  std::unique_lock lock(mutex_);
  const auto available = [&] {
    auto found = entries_.find(object);
    PLEXUS_DCHECK(found == entries_.end() || found->second.exclusive != owner);
    return found == entries_.end() || found->second.exclusive == nullptr;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  if (!released_.wait_until(lock, deadline, available)) {
    return Status::LockTimeout("timed out waiting for a transaction writing the whole table");
  }
  auto found = entries_.find(object);
  if (found == entries_.end()) found = entries_.emplace(std::string(object), Entry{}).first;
  ++found->second.intents;
  return Status::Ok();
}

bool ObjectLocks::TryUpgrade(std::string_view object, const void* owner) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(object);
  PLEXUS_ASSERT(found != entries_.end() && found->second.intents > 0);
  if (found->second.intents != 1) return false;
  found->second.exclusive = owner;
  return true;
}

void ObjectLocks::Release(std::string_view object, const void* owner) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    auto found = entries_.find(object);
    PLEXUS_ASSERT(found != entries_.end() && found->second.intents > 0);
    if (found->second.exclusive == owner) {
      found->second.exclusive = nullptr;
      wake = true;
    }
    if (--found->second.intents == 0) entries_.erase(found);
  }
  if (wake) released_.notify_all();
}

size_t ObjectLocks::locked_object_count() {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace plexus::txn
