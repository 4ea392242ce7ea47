// WAL files zero-filled ahead of their syncs (see wal_file_system.h for why).
#include "plexus/storage/wal_file_system.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>

namespace plexus::storage {

namespace {

constexpr size_t kZeroBlockBytes = 64 << 10;

// A WAL file that keeps zeros written past its data. `mutex_` orders the zero writes after every
// append they could overlap: RocksDB may sync a WAL (SyncWAL) while its writer appends.
class WalFillingFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  WalFillingFile(std::unique_ptr<rocksdb::FSWritableFile> target, std::string path,
                 uint64_t filled_bytes)
      : FSWritableFileOwnerWrapper(std::move(target)),
        path_(std::move(path)),
        filled_bytes_(filled_bytes) {}
  ~WalFillingFile() override { CloseFillDescriptor(); }

  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* debug) override {
    std::lock_guard<std::mutex> lock(mutex_);
    rocksdb::IOStatus status = target()->Append(data, options, debug);
    if (status.ok()) end_bytes_ += data.size();
    return status;
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           const rocksdb::DataVerificationInfo& verification,
                           rocksdb::IODebugContext* debug) override {
    std::lock_guard<std::mutex> lock(mutex_);
    rocksdb::IOStatus status = target()->Append(data, options, verification, debug);
    if (status.ok()) end_bytes_ += data.size();
    return status;
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                     const rocksdb::IOOptions& options,
                                     rocksdb::IODebugContext* debug) override {
    std::lock_guard<std::mutex> lock(mutex_);
    rocksdb::IOStatus status = target()->PositionedAppend(data, offset, options, debug);
    if (status.ok()) end_bytes_ = std::max(end_bytes_, offset + data.size());
    return status;
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                     const rocksdb::IOOptions& options,
                                     const rocksdb::DataVerificationInfo& verification,
                                     rocksdb::IODebugContext* debug) override {
    std::lock_guard<std::mutex> lock(mutex_);
    rocksdb::IOStatus status =
        target()->PositionedAppend(data, offset, options, verification, debug);
    if (status.ok()) end_bytes_ = std::max(end_bytes_, offset + data.size());
    return status;
  }
  rocksdb::IOStatus Truncate(uint64_t size, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* debug) override {
    std::lock_guard<std::mutex> lock(mutex_);
    rocksdb::IOStatus status = target()->Truncate(size, options, debug);
    end_bytes_ = size;
    synced_end_bytes_ = std::min(synced_end_bytes_, size);
    // Past `size` the file is now shorter, or a hole if the call grew it.
    filled_bytes_ = std::min(filled_bytes_, size);
    return status;
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                         rocksdb::IODebugContext* debug) override {
    FillAhead();
    return target()->Sync(options, debug);
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                          rocksdb::IODebugContext* debug) override {
    FillAhead();
    return target()->Fsync(options, debug);
  }
  rocksdb::IOStatus Close(const rocksdb::IOOptions& options,
                          rocksdb::IODebugContext* debug) override {
    std::lock_guard<std::mutex> lock(mutex_);
    CloseFillDescriptor();
    return target()->Close(options, debug);
  }

 private:
  // Writes zeros from the end of the data (or of the zeros already there) to a whole number of
  // kWalFillBytesMin past the data, once the data comes within half a fill of them. The writes
  // go through a descriptor of our own: the page cache is the inode's, so the target's sync
  // flushes them, and the target's file offset (where it appends) stays where it was.
  void FillAhead() {
    std::lock_guard<std::mutex> lock(mutex_);
    const uint64_t unsynced_bytes = end_bytes_ - std::min(end_bytes_, synced_end_bytes_);
    synced_end_bytes_ = end_bytes_;
    // A large transaction's sync writes megabytes anyway; its inode write costs nothing next to
    // them, and zeros it would write could delay it. The next small commit fills.
    if (fill_failed_ || unsynced_bytes > kWalFillBytesMax) return;
    const uint64_t fill_bytes = std::clamp(end_bytes_, kWalFillBytesMin, kWalFillBytesMax);
    if (end_bytes_ + fill_bytes / 2 <= filled_bytes_) return;
    const uint64_t target_bytes =
        (end_bytes_ + fill_bytes + kWalFillBytesMin - 1) / kWalFillBytesMin * kWalFillBytesMin;
    if (fill_descriptor_ < 0) {
      fill_descriptor_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
      if (fill_descriptor_ < 0) return StopFilling("open");
    }
    static const std::array<char, kZeroBlockBytes> zeros{};
    for (uint64_t offset = std::max(end_bytes_, filled_bytes_); offset < target_bytes;) {
      const size_t bytes = static_cast<size_t>(std::min<uint64_t>(target_bytes - offset,
                                                                  zeros.size()));
      const ssize_t written = ::pwrite(fill_descriptor_, zeros.data(), bytes,
                                       static_cast<off_t>(offset));
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) return StopFilling("write");
      offset += static_cast<uint64_t>(written);
      filled_bytes_ = offset;
    }
  }

  // A failed fill costs speed, not correctness: the WAL then grows as any file does (its own
  // appends report a full disk), so log it once and stop trying for this file.
  void StopFilling(const char* what) {
    spdlog::warn("WAL {}: cannot {} zeros ahead of the log ({}); syncs extend the file instead",
                 path_, what, std::strerror(errno));
    fill_failed_ = true;
  }

  void CloseFillDescriptor() {
    if (fill_descriptor_ < 0) return;
    // Nothing to report: every byte this descriptor wrote is either synced through the target's
    // descriptor or past the data, where a crash may lose it harmlessly.
    ::close(fill_descriptor_);
    fill_descriptor_ = -1;
  }

  const std::string path_;
  std::mutex mutex_;
  uint64_t end_bytes_ = 0;     // the data RocksDB appended
  uint64_t filled_bytes_ = 0;  // the file holds data or zeros up to here
  uint64_t synced_end_bytes_ = 0;  // end_bytes_ at the last sync
  int fill_descriptor_ = -1;
  bool fill_failed_ = false;
};

class WalFillingFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  explicit WalFillingFileSystem(std::shared_ptr<rocksdb::FileSystem> target)
      : FileSystemWrapper(std::move(target)) {}

  const char* Name() const override { return "PlexusWalFillingFileSystem"; }

  rocksdb::IOStatus NewWritableFile(const std::string& path, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* debug) override {
    rocksdb::IOStatus status = target()->NewWritableFile(path, options, result, debug);
    if (status.ok() && IsWalFileName(path) && !options.use_mmap_writes) {
      *result = std::make_unique<WalFillingFile>(std::move(*result), path, 0);
    }
    return status;
  }

  // A recycled WAL file: RocksDB overwrites the old log in place; zeros go past its old size.
  rocksdb::IOStatus ReuseWritableFile(const std::string& path, const std::string& old_path,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* debug) override {
    rocksdb::IOStatus status =
        target()->ReuseWritableFile(path, old_path, options, result, debug);
    if (!status.ok() || !IsWalFileName(path) || options.use_mmap_writes) return status;
    uint64_t old_bytes = 0;
    // Unknown size: fill from the start of the file, as for a new one.
    if (!target()->GetFileSize(path, rocksdb::IOOptions(), &old_bytes, debug).ok()) old_bytes = 0;
    *result = std::make_unique<WalFillingFile>(std::move(*result), path, old_bytes);
    return status;
  }
};

}  // namespace

bool IsWalFileName(std::string_view path) {
  const size_t slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  constexpr std::string_view kSuffix = ".log";
  if (name.size() <= kSuffix.size() || !name.ends_with(kSuffix)) return false;
  name.remove_suffix(kSuffix.size());
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

std::shared_ptr<rocksdb::FileSystem> NewWalFillingFileSystem(
    std::shared_ptr<rocksdb::FileSystem> target) {
  return std::make_shared<WalFillingFileSystem>(std::move(target));
}

rocksdb::Env* WalFillingEnv() {
  // Never destroyed: RocksDB's background threads may use the Env until the process exits.
  static rocksdb::Env* const env =
      rocksdb::NewCompositeEnv(NewWalFillingFileSystem(rocksdb::FileSystem::Default())).release();
  return env;
}

}  // namespace plexus::storage
