// AppendedWrites: a transaction's writes to one group of keys (a table's rows) made in ascending
// key order, as bulk loads make them: appending costs one copy, and finding a key a binary search,
// where RocksDB's indexed write batch pays a skiplist search of every key it holds per write
// and per read (40% of a million-row INSERT).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace plexus::txn {

class AppendedWrites {
 public:
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  // The bytes of every key and value appended.
  size_t bytes() const { return bytes_; }

  // Appends when `key` sorts after every key appended so far; otherwise changes nothing.
  bool TryAppend(std::string_view key, std::string_view value) {
    if (!entries_.empty() && key <= entries_.back().key()) return false;
    char* data = Allocate(key.size() + value.size());
    std::char_traits<char>::copy(data, key.data(), key.size());
    std::char_traits<char>::copy(data + key.size(), value.data(), value.size());
    entries_.push_back(
        {data, static_cast<uint32_t>(key.size()), static_cast<uint32_t>(value.size())});
    bytes_ += key.size() + value.size();
    return true;
  }

  // The value appended under `key`, if any.
  bool Find(std::string_view key, std::string* value) const {
    if (entries_.empty() || key > entries_.back().key()) return false;
    size_t low = 0;
    size_t high = entries_.size();
    while (low < high) {
      const size_t middle = low + (high - low) / 2;
      if (entries_[middle].key() < key) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    if (low == entries_.size() || entries_[low].key() != key) return false;
    value->assign(entries_[low].value());
    return true;
  }

  // Calls visit(key, value) in key order.
  template <typename Visit>
  void ForEach(Visit visit) const {
    for (const Entry& entry : entries_) visit(entry.key(), entry.value());
  }

  void Clear() {
    entries_ = {};
    chunks_ = decltype(chunks_)();
    next_ = nullptr;
    free_ = 0;
    bytes_ = 0;
  }

 private:
  // Chunks grow from 4 KiB (a small transaction's few rows) to 1 MiB; a bulk load's data is
  // then copied once, where one string doubling its size copied all of it again each time.
  static constexpr size_t kChunkBytesMin = 4 * 1024;
  static constexpr size_t kChunkBytesMax = 1024 * 1024;

  struct Entry {
    const char* data;  // the key, then the value
    uint32_t key_size;
    uint32_t value_size;

    std::string_view key() const { return {data, key_size}; }
    std::string_view value() const { return {data + key_size, value_size}; }
  };

  char* Allocate(size_t bytes) {
    if (free_ < bytes) {
      const size_t grown = chunks_.empty() ? kChunkBytesMin : 2 * chunk_bytes_;
      chunk_bytes_ = std::max(bytes, std::min(grown, kChunkBytesMax));
      chunks_.push_back(std::unique_ptr<char[]>(new char[chunk_bytes_]));
      next_ = chunks_.back().get();
      free_ = chunk_bytes_;
    }
    char* result = next_;
    next_ += bytes;
    free_ -= bytes;
    return result;
  }

  // Entries point into the chunks, which stay where they are when the object moves.
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t chunk_bytes_ = 0;  // of the newest chunk
  char* next_ = nullptr;    // its first free byte
  size_t free_ = 0;         // its free bytes
  size_t bytes_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace plexus::txn
