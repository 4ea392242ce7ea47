#include "plexus/server/net/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace plexus::server::net {
namespace {

// A task that waits for a later task must not wait for a free thread: the pool grows.
TEST(WorkerPoolTest, WaitingTaskDoesNotBlockLaterTasks) {
  WorkerPool pool;
  std::mutex mutex;
  std::condition_variable changed;
  int released = 0;
  constexpr int kWaiters = 8;
  for (int i = 0; i < kWaiters; ++i) {
    pool.Submit([&] {
      std::unique_lock<std::mutex> lock(mutex);
      changed.wait(lock, [&] { return released > 0; });
    });
  }
  pool.Submit([&] {
    std::lock_guard<std::mutex> lock(mutex);
    released = 1;
    changed.notify_all();
  });
  // No thread was idle at any Submit (the waiters block until the last task runs).
  EXPECT_EQ(pool.thread_count(), size_t{kWaiters} + 1);
  pool.Stop();  // returns: every waiter was released
  EXPECT_EQ(released, 1);
}

TEST(WorkerPoolTest, ReusesIdleThreads) {
  WorkerPool pool;
  std::atomic<int> done{0};
  for (int round = 0; round < 50; ++round) {
    pool.Submit([&] { done.fetch_add(1); });
    while (done.load() != round + 1) std::this_thread::yield();
  }
  // One task at a time: never more than a couple of threads (a new task may arrive just
  // before the previous thread counts itself idle).
  EXPECT_LE(pool.thread_count(), 3u);
  pool.Stop();
  EXPECT_EQ(done.load(), 50);
}

TEST(WorkerPoolTest, StopRunsQueuedTasksAndDropsLaterOnes) {
  WorkerPool pool;
  std::atomic<int> ran{0};
  for (int i = 0; i < 20; ++i) pool.Submit([&] { ran.fetch_add(1); });
  pool.Stop();
  EXPECT_EQ(ran.load(), 20);
  pool.Submit([&] { ran.fetch_add(1); });
  pool.Stop();  // idempotent
  EXPECT_EQ(ran.load(), 20);
}

}  // namespace
}  // namespace plexus::server::net
