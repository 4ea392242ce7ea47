// SAVE and BGSAVE: Redis writes dump.rdb; Plexus, whose writes are durable in the WAL already,
// takes a RocksDB checkpoint of the whole store (KV and SQL data) into a new directory
// <data>/checkpoints/<UTC time>, which Store::Open can open as a data directory (a backup).
// BGSAVE runs the checkpoint on its own thread, off the event loops.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>

#include "plexus/base/logging.h"
#include "plexus/server/resp/service.h"
#include "plexus/storage/checkpoint.h"

namespace plexus::server::resp {
namespace {

// "20261126T120304.123Z": names sort in time order.
std::string CheckpointName(int64_t now_ms) {
  const std::time_t seconds = static_cast<std::time_t>(now_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof(text), "%04d%02d%02dT%02d%02d%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(now_ms % 1000));
  return text;
}

// Removes all but the newest `kept` checkpoints of `root`.
void RemoveOldCheckpoints(const std::filesystem::path& root, size_t kept) {
  std::error_code error;
  std::vector<std::filesystem::path> found;
  for (const auto& entry : std::filesystem::directory_iterator(root, error)) {
    if (entry.is_directory(error)) found.push_back(entry.path());
  }
  if (found.size() <= kept) return;
  std::sort(found.begin(), found.end());
  for (size_t i = 0; i + kept < found.size(); ++i) {
    std::filesystem::remove_all(found[i], error);
    if (error) base::LogWarn("removing old checkpoint {}: {}", found[i].string(), error.message());
  }
}

}  // namespace

// REQUIRES: save_in_progress_ was set by this caller (so only one checkpoint is written at a
// time).
Status Service::WriteCheckpoint() {
  storage::Store* store = keyspace_->store();
  if (store == nullptr) return Status::NotSupported("this keyspace has no store to checkpoint");
  const uint64_t changes = keyspace_->change_count();
  const int64_t now_ms = kv::NowMs();
  const std::filesystem::path root =
      std::filesystem::path(options_.data_dir.empty() ? store->dir() : options_.data_dir) /
      "checkpoints";
  std::filesystem::path dir = root / CheckpointName(now_ms);
  std::error_code error;
  for (int suffix = 1; std::filesystem::exists(dir, error); ++suffix) {
    dir = root / (CheckpointName(now_ms) + "-" + std::to_string(suffix));
  }
  const Status status = storage::CreateCheckpoint(*store, dir.string());
  std::lock_guard<std::mutex> lock(save_mutex_);
  save_in_progress_ = false;
  last_save_ok_ = status.ok();
  if (!status.ok()) {
    base::LogError("checkpoint {} failed: {}", dir.string(), status.ToString());
    return status;
  }
  last_save_s_ = now_ms / 1000;
  changes_at_save_ = changes;
  last_checkpoint_ = dir.string();
  base::LogInfo("checkpoint written to {}", dir.string());
  RemoveOldCheckpoints(root, kCheckpointsKept);
  return status;
}

Status Service::Save() {
  {
    std::lock_guard<std::mutex> lock(save_mutex_);
    if (save_in_progress_) return Status::Busy("Background save already in progress");
    save_in_progress_ = true;
  }
  return WriteCheckpoint();
}

bool Service::StartBackgroundSave() {
  std::lock_guard<std::mutex> lock(save_mutex_);
  if (save_in_progress_) return false;
  save_in_progress_ = true;
  // The previous background save has finished (save_in_progress_ was false): reap its thread.
  if (background_save_.joinable()) background_save_.join();
  background_save_ = std::thread([this] { [[maybe_unused]] Status ignored = WriteCheckpoint(); });
  return true;
}

Service::PersistenceState Service::persistence() {
  std::lock_guard<std::mutex> lock(save_mutex_);
  const uint64_t changes = keyspace_->change_count();
  return {last_save_s_, save_in_progress_, last_save_ok_,
          changes >= changes_at_save_ ? changes - changes_at_save_ : 0, last_checkpoint_};
}

}  // namespace plexus::server::resp
