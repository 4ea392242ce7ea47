// The periodic WAL syncer's thread.
#include "plexus/storage/wal_syncer.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace plexus::storage {

WalSyncer::WalSyncer(uint32_t period_ms, std::function<Status()> sync)
    : period_ms_(period_ms), sync_(std::move(sync)), thread_([this] { Run(); }) {}

WalSyncer::~WalSyncer() { Stop(); }

void WalSyncer::MarkDirty() {
  // The common case — already dirty — costs one relaxed load and no lock.
  if (dirty_.load(std::memory_order_relaxed)) return;
  if (dirty_.exchange(true, std::memory_order_acq_rel)) return;
  std::lock_guard<std::mutex> guard(mutex_);
  wake_.notify_one();
}

void WalSyncer::Stop() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void WalSyncer::SyncNow() {
  dirty_.store(false, std::memory_order_release);
  Status status = sync_();
  if (!status.ok()) {
    // Commits in periodic mode were acknowledged before this sync; all we can do is report it
    // and retry on the next period.
    spdlog::error("periodic WAL sync failed: {}", status.ToString());
    dirty_.store(true, std::memory_order_release);
    return;
  }
  sync_count_.fetch_add(1, std::memory_order_relaxed);
}

void WalSyncer::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || dirty_.load(std::memory_order_acquire); });
    if (stopping_) break;
    // Let the period pass so that one sync covers every commit made during it.
    wake_.wait_for(lock, std::chrono::milliseconds(period_ms_), [this] { return stopping_; });
    lock.unlock();
    SyncNow();
    lock.lock();
  }
  lock.unlock();
  if (dirty_.load(std::memory_order_acquire)) SyncNow();
}

}  // namespace plexus::storage
