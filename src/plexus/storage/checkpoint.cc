#include "plexus/storage/checkpoint.h"

#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/utilities/transaction_db.h>

#include <filesystem>
#include <memory>

#include "plexus/storage/file_util.h"
#include "plexus/storage/manifest.h"
#include "plexus/storage/rocksdb_status.h"

namespace plexus::storage {

Status CreateCheckpoint(const Store& store, const std::string& dir) {
  std::error_code error;
  if (std::filesystem::exists(dir, error)) {
    return Status::InvalidArgument("checkpoint directory already exists: " + dir);
  }
  const std::filesystem::path parent = std::filesystem::path(dir).parent_path();
  if (!parent.empty()) PLEXUS_RETURN_IF_ERROR(CreateDirectories(parent.string()));
  rocksdb::Checkpoint* raw = nullptr;
  PLEXUS_RETURN_IF_ERROR(FromRocksDB(rocksdb::Checkpoint::Create(store.db(), &raw)));
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // log_size_for_flush 0: flush the memtables first, so the copy needs no WAL replay.
  PLEXUS_RETURN_IF_ERROR(FromRocksDB(checkpoint->CreateCheckpoint(dir, /*log_size_for_flush=*/0))
                             .WithContext("writing checkpoint " + dir));
  return WriteManifest(dir, store.manifest());
}

}  // namespace plexus::storage
