// Spill files: unlinked temporary files of encoded rows, written and read in blocks.
#include "plexus/sql/exec/spill_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <system_error>

#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

constexpr SqlState kIoError{"58030", StatusCode::kIOError};

std::mutex root_mutex;
std::string& Root() {
  static std::string root;
  return root;
}

Status FileError(const char* what, int error) {
  return SqlError(kIoError, std::string("could not ") + what + " temporary file: " +
                                std::strerror(error));
}

void PutFixed32(char* out, uint32_t value) { std::memcpy(out, &value, sizeof(value)); }
uint32_t GetFixed32(const char* in) {
  uint32_t value;
  std::memcpy(&value, in, sizeof(value));
  return value;
}

}  // namespace

size_t SpillPartitionOf(std::string_view key, uint32_t level) {
  uint64_t hash = std::hash<std::string_view>()(key) + 0x9e3779b97f4a7c15ULL * (level + 1);
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ULL;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebULL;
  hash ^= hash >> 31;
  return static_cast<size_t>(hash % kSpillPartitions);
}

std::string Kilobytes(uint64_t bytes) { return std::to_string((bytes + 1023) / 1024) + "kB"; }

Status SetSpillRoot(const std::string& data_dir) {
  if (data_dir.empty()) {
    std::lock_guard lock(root_mutex);
    Root().clear();
    return Status::Ok();
  }
  const std::filesystem::path dir = std::filesystem::path(data_dir) / "tmp";
  std::error_code error;
  std::filesystem::remove_all(dir, error);
  std::filesystem::create_directories(dir, error);
  if (error) {
    return Status(StatusCode::kIOError,
                  "could not create temporary directory \"" + dir.string() + "\": " + error.message());
  }
  std::lock_guard lock(root_mutex);
  Root() = dir.string();
  return Status::Ok();
}

std::string SpillDirectory(const ExecContext& context) {
  if (!context.temp_directory().empty()) return context.temp_directory();
  std::lock_guard lock(root_mutex);
  if (Root().empty()) {
    std::error_code error;
    std::filesystem::path base = std::filesystem::temp_directory_path(error);
    if (error) base = "/tmp";
    Root() = (base / ("plexus_tmp." + std::to_string(::getpid()))).string();
  }
  return Root();
}

Result<std::unique_ptr<SpillFile>> SpillFile::Create(ExecContext& context) {
  const std::string dir = SpillDirectory(context);
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  std::string name = dir + "/pgsql_tmp" + std::to_string(::getpid()) + ".XXXXXX";
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) return FileError("create", errno);
  ::unlink(name.c_str());
  std::unique_ptr<SpillFile> file(new SpillFile(fd, &context));
  context.spill_files().push_back(file.get());
  return file;
}

SpillFile::~SpillFile() {
  if (context_ != nullptr) {
    std::vector<SpillFile*>& files = context_->spill_files();
    files.erase(std::find(files.begin(), files.end(), this));
  }
  if (fd_ >= 0) ::close(fd_);
}

void SpillFile::Detach() {
  context_ = nullptr;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  block_.clear();
}

Status SpillFile::Append(const std::vector<const Vector*>& columns, size_t row) {
  if (block_.empty()) block_.resize(sizeof(uint32_t));
  const size_t start = block_.size();
  block_.resize(start + sizeof(uint32_t));
  EncodeRow(columns, row, &block_);
  PutFixed32(block_.data() + start, static_cast<uint32_t>(block_.size() - start - sizeof(uint32_t)));
  ++rows_;
  if (block_.size() >= kSpillBlockBytes) return Flush();
  return Status::Ok();
}

Status SpillFile::Flush() {
  if (block_.empty()) return Status::Ok();
  PutFixed32(block_.data(), static_cast<uint32_t>(block_.size() - sizeof(uint32_t)));
  size_t done = 0;
  while (done < block_.size()) {
    const ssize_t wrote = ::pwrite(fd_, block_.data() + done, block_.size() - done,
                                   static_cast<off_t>(written_ + done));
    if (wrote < 0) {
      if (errno == EINTR) continue;
      return FileError("write to", errno);
    }
    done += static_cast<size_t>(wrote);
  }
  written_ += block_.size();
  block_.clear();
  return Status::Ok();
}

Status SpillReader::ReadBlock() {
  char header[sizeof(uint32_t)];
  auto read_at = [&](char* out, size_t bytes, uint64_t offset) -> Status {
    size_t done = 0;
    while (done < bytes) {
      const ssize_t got = ::pread(file_->fd(), out + done, bytes - done,
                                  static_cast<off_t>(offset + done));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return FileError("read from", errno);
      if (got == 0) return SqlError(kIoError, "could not read from temporary file: unexpected end");
      done += static_cast<size_t>(got);
    }
    return Status::Ok();
  };
  PLEXUS_RETURN_IF_ERROR(read_at(header, sizeof(header), offset_));
  const uint32_t size = GetFixed32(header);
  block_.resize(size);
  PLEXUS_RETURN_IF_ERROR(read_at(block_.data(), size, offset_ + sizeof(header)));
  offset_ += sizeof(header) + size;
  position_ = 0;
  return Status::Ok();
}

Status SpillReader::Next(Batch* out) {
  out->Reset();
  size_t rows = 0;
  while (rows < kBatchRowsMax) {
    if (position_ >= block_.size()) {
      if (offset_ >= end_) break;
      PLEXUS_RETURN_IF_ERROR(ReadBlock());
      continue;
    }
    const uint32_t size = GetFixed32(block_.data() + position_);
    position_ += sizeof(uint32_t);
    PLEXUS_RETURN_IF_ERROR(
        DecodeRow(std::string_view(block_.data() + position_, size), out, rows));
    position_ += size;
    ++rows;
  }
  out->set_rows(rows);
  return Status::Ok();
}

}  // namespace plexus::sql
