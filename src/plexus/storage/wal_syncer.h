// WalSyncer: the background thread of the `periodic` durability mode. A commit that did not
// sync marks the WAL dirty; the thread then waits the period and syncs once for every commit
// made meanwhile. It sleeps without a deadline while nothing is dirty (no polling when idle).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "plexus/base/status.h"

namespace plexus::storage {

class WalSyncer {
 public:
  // `sync` makes the WAL durable; it runs on the syncer's thread.
  WalSyncer(uint32_t period_ms, std::function<Status()> sync);
  ~WalSyncer();  // Stop()

  void MarkDirty();
  // Syncs what is dirty and joins the thread. Idempotent.
  void Stop();

  uint64_t sync_count() const { return sync_count_.load(std::memory_order_relaxed); }

 private:
  void Run();
  void SyncNow();

  const uint32_t period_ms_;
  const std::function<Status()> sync_;
  std::atomic<bool> dirty_{false};
  std::atomic<uint64_t> sync_count_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace plexus::storage
