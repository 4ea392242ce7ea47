// AppendedWrites: a transaction's writes to one group of keys (a table's rows) made in ascending
// key order, as bulk loads make them: appending costs a copy, and finding a key a binary search,
// where RocksDB's indexed write batch pays a skiplist search of every key it holds per write
// and per read (40% of a million-row INSERT).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace plexus::txn {

class AppendedWrites {
 public:
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }

  // Appends when `key` sorts after every key appended so far; otherwise changes nothing.
  bool TryAppend(std::string_view key, std::string_view value) {
    if (!entries_.empty() && key <= Key(entries_.back())) return false;
    entries_.push_back({data_.size(), static_cast<uint32_t>(key.size()),
                        static_cast<uint32_t>(value.size())});
    data_.append(key);
    data_.append(value);
    return true;
  }

  // The value appended under `key`, if any.
  bool Find(std::string_view key, std::string* value) const {
    if (entries_.empty() || key > Key(entries_.back())) return false;
    size_t low = 0;
    size_t high = entries_.size();
    while (low < high) {
      const size_t middle = low + (high - low) / 2;
      if (Key(entries_[middle]) < key) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    if (low == entries_.size() || Key(entries_[low]) != key) return false;
    value->assign(Value(entries_[low]));
    return true;
  }

  // Calls visit(key, value) in key order.
  template <typename Visit>
  void ForEach(Visit visit) const {
    for (const Entry& entry : entries_) visit(Key(entry), Value(entry));
  }

  void Clear() {
    entries_ = {};
    data_ = {};
  }

 private:
  struct Entry {
    size_t offset;  // of the key in data_; the value follows it
    uint32_t key_size;
    uint32_t value_size;
  };

  std::string_view Key(const Entry& entry) const {
    return std::string_view(data_).substr(entry.offset, entry.key_size);
  }
  std::string_view Value(const Entry& entry) const {
    return std::string_view(data_).substr(entry.offset + entry.key_size, entry.value_size);
  }

  std::string data_;  // keys and values back to back
  std::vector<Entry> entries_;
};

}  // namespace plexus::txn
