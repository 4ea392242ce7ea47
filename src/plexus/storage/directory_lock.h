// An exclusive lock on a data directory (flock on PLEXUS_LOCK), held for as long as a store is
// open, so that a second process — or a second open in this one — fails with a clear message.
#pragma once

#include <memory>
#include <string>

#include "plexus/base/status.h"

namespace plexus::storage {

inline constexpr char kLockFileName[] = "PLEXUS_LOCK";

class DirectoryLock {
 public:
  // kBusy, naming the holder's pid, when someone else holds the lock.
  static Result<std::unique_ptr<DirectoryLock>> Acquire(const std::string& dir);
  ~DirectoryLock();  // releases the lock
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  explicit DirectoryLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace plexus::storage
