// AppendedWrites: a transaction's writes to one group of keys (a table's rows) made in ascending
// key order, as bulk loads make them: appending costs one copy, and finding a key a binary search,
// where RocksDB's indexed write batch pays a skiplist search of every key it holds per write
// and per read (40% of a million-row INSERT).
//
// The writes are kept as a RocksDB transaction's write batch, byte for byte (db/write_batch.cc:
// a 12-byte header — sequence number, fixed64, and record count, fixed32 —, the Noop record a
// transaction's batch begins with, then per Put the type tag, the column family id as a varint32
// unless it is 0, and the key and the value each as a varint32 length and its bytes). The commit
// hands these bytes to RocksDB as they are: a second copy of a bulk load goes, and with it its
// fresh pages (a first touch of a page costs ~10 µs on this project's VMs).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace plexus::txn {

class AppendedWrites {
 public:
  // Header bytes (RocksDB's WriteBatchInternal::kHeader), then the Noop record.
  static constexpr size_t kHeaderBytes = 12;
  static constexpr char kNoop = 0xD;  // db/dbformat.h kTypeNoop
  static constexpr size_t kRecordsOffset = kHeaderBytes + 1;

  bool empty() const { return records_ == 0; }
  size_t size() const { return records_; }
  // The bytes of the Put records (tags, lengths, keys and values).
  size_t bytes() const { return batch_.empty() ? 0 : batch_.size() - kRecordsOffset; }

  // Appends when `key` sorts after every key appended so far; otherwise changes nothing. Every
  // write of the group goes to one column family.
  bool TryAppend(uint32_t column_family, std::string_view key, std::string_view value);

  // The value appended under `key`, if any.
  bool Find(std::string_view key, std::string* value) const;

  // Calls visit(key, value) in key order.
  template <typename Visit>
  void ForEach(Visit visit) const {
    size_t offset = kRecordsOffset;
    while (offset < batch_.size()) {
      const Record record = RecordAt(offset);
      visit(record.key, record.value);
      offset = record.end;
    }
  }

  // The first record's key and value. REQUIRES: !empty().
  std::string_view first_key() const { return RecordAt(kRecordsOffset).key; }
  std::string_view first_value() const { return RecordAt(kRecordsOffset).value; }

  // The records after the first, as write-batch bytes. REQUIRES: !empty().
  std::string_view records_after_first() const;

  // Swaps the whole batch (header with the record count set, Noop, records) with `batch`, a
  // write batch's bytes, and clears this object. REQUIRES: !empty().
  void SwapBatch(std::string* batch);

  void Clear();

  // Sets the record count in the header of a write batch's bytes.
  static void SetBatchCount(std::string* batch, uint32_t count);

 private:
  // Every kIndexStride-th record's offset is kept: a lookup searches those, then at most that
  // many records.
  static constexpr size_t kIndexStride = 16;
  // The batch grows by 2x up to this size, by 8x from there to kFastGrowthBytesMax, then by 2x:
  // a large reservation costs no memory until written (no page is touched), so a bulk load is
  // copied fewer times than a string's doubling copies it, and a small transaction's batch
  // stays small.
  static constexpr size_t kFastGrowthBytesMin = 1 << 20;
  static constexpr size_t kFastGrowthBytesMax = 64 << 20;

  struct Record {
    std::string_view key;
    std::string_view value;
    size_t end;  // offset of the next record
  };
  Record RecordAt(size_t offset) const;
  void Reserve(size_t bytes);

  std::string batch_;      // header, Noop, then the records
  std::string prefix_;     // each record's tag and column family id
  size_t records_ = 0;
  size_t last_key_offset_ = 0;  // of the greatest key's bytes in batch_
  size_t last_key_size_ = 0;
  std::vector<size_t> index_;  // offsets of records 0, kIndexStride, 2 * kIndexStride, ...
};

}  // namespace plexus::txn
