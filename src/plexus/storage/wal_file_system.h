// The RocksDB Env Plexus opens its data directory with: the default file system, except that
// WAL files are zero-filled ahead of the commits that sync them, so an fdatasync writes only
// the commit's data blocks and never the file's inode (its size).
#pragma once

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <memory>
#include <string_view>

namespace plexus::storage {

// A WAL file grows by at least this much zero-filled space at a time, and at most by
// kWalFillBytesMax: the growth doubles with the file, so a small WAL of occasional commits
// costs little disk and a busy one rarely extends.
inline constexpr uint64_t kWalFillBytesMin = 64 << 10;
inline constexpr uint64_t kWalFillBytesMax = 4 << 20;
static_assert(kWalFillBytesMin <= kWalFillBytesMax);

// Whether `path` names a RocksDB WAL file (digits then ".log"; not the info log "LOG").
bool IsWalFileName(std::string_view path);

// `target` with WAL files kept zero-filled past their end. A WAL file, on Sync/Fsync, first
// writes zeros past the end of its data when the data comes within half a fill of the zeros
// already written (unless more than kWalFillBytesMax were appended since the last sync: a large
// transaction's sync does not wait for zeros too); the sync then makes both durable. Later commits overwrite blocks that are
// allocated and initialised within the file's size, so their syncs change no metadata (ext4
// writes the inode in every fdatasync that extends a file). Recovery reads a zero header as
// padding and skips it (RocksDB's log reader treats kZeroType like the padding it writes at the
// end of each block), and closing a WAL file truncates it to its data (PosixWritableFile::Close).
std::shared_ptr<rocksdb::FileSystem> NewWalFillingFileSystem(
    std::shared_ptr<rocksdb::FileSystem> target);

// The process's Env over NewWalFillingFileSystem(FileSystem::Default()); lives until exit.
rocksdb::Env* WalFillingEnv();

}  // namespace plexus::storage
