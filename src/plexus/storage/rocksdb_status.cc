// RocksDB reports write conflicts and deadlocks as Busy (with a subcode) and lock waits that ran
// out as TimedOut; we give each its own code so that SQL can answer 40001, 40P01 and 55P03.
#include "plexus/storage/rocksdb_status.h"

#include <string>

namespace plexus::storage {

Status FromRocksDB(const rocksdb::Status& status) {
  if (status.ok()) return Status::Ok();
  const std::string message = status.ToString();
  switch (status.code()) {
    case rocksdb::Status::kNotFound:
      return Status::NotFound(message);
    case rocksdb::Status::kCorruption:
      return Status::Corruption(message);
    case rocksdb::Status::kNotSupported:
      return Status::NotSupported(message);
    case rocksdb::Status::kInvalidArgument:
      return Status::InvalidArgument(message);
    case rocksdb::Status::kIOError:
      if (status.subcode() == rocksdb::Status::kNoSpace) return Status::ResourceExhausted(message);
      return Status::IOError(message);
    case rocksdb::Status::kBusy:
      if (status.subcode() == rocksdb::Status::kDeadlock) {
        return Status::Deadlock("deadlock detected; this transaction was chosen to abort");
      }
      return Status::SerializationFailure(
          "could not serialize access due to concurrent update");
    case rocksdb::Status::kTimedOut:
      if (status.subcode() == rocksdb::Status::kLockTimeout) {
        return Status::LockTimeout("timed out waiting for a lock held by another transaction");
      }
      return Status::LockTimeout(message);
    case rocksdb::Status::kTryAgain:
      // The memtable no longer holds enough history to check a write against the snapshot.
      return Status::SerializationFailure(message);
    case rocksdb::Status::kExpired:
      return Status::Aborted("transaction expired");
    case rocksdb::Status::kAborted:
      return Status::Aborted(message);
    case rocksdb::Status::kIncomplete:
    case rocksdb::Status::kShutdownInProgress:
      return Status::Aborted(message);
    default:
      return Status::Internal(message);
  }
}

}  // namespace plexus::storage
