// WorkerPool: threads for work that may block (SQL statements waiting for row locks, long
// scans), so that the event loops keep serving other connections and cancel requests. It grows
// by one thread whenever a task arrives and no thread is idle: a task waiting for a lock that
// another connection's next task will release must never wait for a free thread (a fixed pool
// could deadlock until the lock timeout). Threads stay for reuse; there are at most as many as
// tasks ever ran at once, which the connection limit bounds.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace plexus::server::net {

class WorkerPool {
 public:
  WorkerPool() = default;
  ~WorkerPool();  // Stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `task` on a pool thread. After Stop the task is dropped (the caller's connection is
  // gone by then).
  void Submit(std::function<void()> task);
  // Runs the queued tasks, then joins every thread. Idempotent.
  void Stop();

  size_t thread_count();

 private:
  void Run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace plexus::server::net
