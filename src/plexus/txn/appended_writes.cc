// AppendedWrites: ascending writes kept as the records of a RocksDB write batch.
#include "plexus/txn/appended_writes.h"

#include <limits>

#include "plexus/base/assert.h"
#include "plexus/base/varint.h"

namespace plexus::txn {
namespace {

// RocksDB's record tags (db/dbformat.h ValueType, part of the WAL format): a Put in the default
// column family, and a Put naming its column family.
constexpr char kTypeValue = 0x1;
constexpr char kTypeColumnFamilyValue = 0x5;
// The record count's place in the header, after the sequence number.
constexpr size_t kCountOffset = 8;
using base::kVarint32BytesMax;
using base::PutVarint32;

// Decodes the varint32 at `*offset` of `data` (written by PutVarint32: well formed).
uint32_t ReadVarint32(std::string_view data, size_t* offset) {
  std::string_view rest = data.substr(*offset);
  uint32_t value = 0;
  [[maybe_unused]] const bool decoded = base::GetVarint32(&rest, &value);
  PLEXUS_DCHECK(decoded);
  *offset = data.size() - rest.size();
  return value;
}

}  // namespace

bool AppendedWrites::TryAppend(uint32_t column_family, std::string_view key,
                               std::string_view value) {
  // RocksDB refuses such a record; the caller's indexed batch reports it.
  constexpr size_t kPartBytesMax = std::numeric_limits<uint32_t>::max();
  if (key.size() > kPartBytesMax || value.size() > kPartBytesMax) return false;
  if (records_ == 0) {
    prefix_.clear();
    if (column_family == 0) {
      prefix_.push_back(kTypeValue);
    } else {
      prefix_.push_back(kTypeColumnFamilyValue);
      PutVarint32(&prefix_, column_family);
    }
    batch_.assign(kHeaderBytes, '\0');
    batch_.push_back(kNoop);
  } else if (key <= std::string_view(batch_).substr(last_key_offset_, last_key_size_)) {
    return false;
  }
  Reserve(prefix_.size() + 2 * kVarint32BytesMax + key.size() + value.size());
  if (records_ % kIndexStride == 0) index_.push_back(batch_.size());
  batch_.append(prefix_);
  PutVarint32(&batch_, static_cast<uint32_t>(key.size()));
  last_key_offset_ = batch_.size();
  last_key_size_ = key.size();
  batch_.append(key);
  PutVarint32(&batch_, static_cast<uint32_t>(value.size()));
  batch_.append(value);
  ++records_;
  return true;
}

void AppendedWrites::Reserve(size_t bytes) {
  const size_t capacity = batch_.capacity();
  if (batch_.size() + bytes <= capacity) return;
  constexpr size_t kCapacityMin = 256;
  const bool fast = capacity >= kFastGrowthBytesMin && capacity < kFastGrowthBytesMax;
  const size_t grown = std::max(kCapacityMin, capacity * (fast ? 8 : 2));
  batch_.reserve(std::max(grown, batch_.size() + bytes));
}

AppendedWrites::Record AppendedWrites::RecordAt(size_t offset) const {
  const std::string_view data(batch_);
  offset += prefix_.size();
  const uint32_t key_size = ReadVarint32(data, &offset);
  const std::string_view key = data.substr(offset, key_size);
  offset += key_size;
  const uint32_t value_size = ReadVarint32(data, &offset);
  const std::string_view value = data.substr(offset, value_size);
  return {key, value, offset + value_size};
}

bool AppendedWrites::Find(std::string_view key, std::string* value) const {
  if (records_ == 0 || key > std::string_view(batch_).substr(last_key_offset_, last_key_size_)) {
    return false;
  }
  // The last indexed record whose key is not above `key`, then the records after it.
  size_t low = 0;
  size_t high = index_.size();
  while (low < high) {
    const size_t middle = low + (high - low) / 2;
    if (RecordAt(index_[middle]).key <= key) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  if (low == 0) return false;  // below the first key
  size_t offset = index_[low - 1];
  for (size_t i = 0; i < kIndexStride && offset < batch_.size(); ++i) {
    const Record record = RecordAt(offset);
    if (record.key >= key) {
      if (record.key != key) return false;
      value->assign(record.value);
      return true;
    }
    offset = record.end;
  }
  return false;
}

std::string_view AppendedWrites::records_after_first() const {
  PLEXUS_DCHECK(records_ > 0);
  return std::string_view(batch_).substr(RecordAt(kRecordsOffset).end);
}

void AppendedWrites::SwapBatch(std::string* batch) {
  PLEXUS_ASSERT(records_ > 0);
  PLEXUS_ASSERT(records_ <= std::numeric_limits<uint32_t>::max());
  SetBatchCount(&batch_, static_cast<uint32_t>(records_));
  batch->swap(batch_);
  Clear();
}

void AppendedWrites::SetBatchCount(std::string* batch, uint32_t count) {
  PLEXUS_ASSERT(batch->size() >= kHeaderBytes);
  for (size_t i = 0; i < 4; ++i) {
    (*batch)[kCountOffset + i] = static_cast<char>((count >> (8 * i)) & 0xFF);
  }
}

void AppendedWrites::Clear() {
  batch_ = std::string();
  prefix_.clear();
  records_ = 0;
  last_key_offset_ = 0;
  last_key_size_ = 0;
  index_ = {};
}

}  // namespace plexus::txn
