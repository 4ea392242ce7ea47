// Key: a composite key built from typed parts, encoded so that comparing the encoded bytes
// (memcmp) orders keys as their values order, part by part. Parts may sort descending, and NULL
// may sort first or last. The format is in src/plexus/storage/key_codec.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "plexus/status.h"

namespace plexus {

enum class SortOrder : uint8_t { kAscending, kDescending };
enum class NullOrder : uint8_t { kNullsFirst, kNullsLast };

// Raw bytes, as distinct from text (both sort bytewise; they decode as different types).
struct KeyBytes {
  std::string value;
  bool operator==(const KeyBytes&) const = default;
};

// One decoded part. std::monostate is SQL NULL. Integers come back as int64_t when they fit,
// as uint64_t otherwise (signed and unsigned integers share one ordered space).
using KeyValue = std::variant<std::monostate, bool, int64_t, uint64_t, double, std::string, KeyBytes>;

struct KeyPart {
  KeyValue value;
  SortOrder order = SortOrder::kAscending;
  NullOrder nulls = NullOrder::kNullsLast;  // meaningful only when value is NULL
};

class Key {
 public:
  Key() = default;
  static Key FromEncoded(std::string encoded) {
    Key key;
    key.encoded_ = std::move(encoded);
    return key;
  }

  Key& AddNull(NullOrder nulls = NullOrder::kNullsLast);
  Key& AddBool(bool value, SortOrder order = SortOrder::kAscending);
  Key& AddInt(int64_t value, SortOrder order = SortOrder::kAscending);
  Key& AddUint(uint64_t value, SortOrder order = SortOrder::kAscending);
  // -0.0 is stored as 0.0; every NaN is one NaN that sorts above +infinity (as in PostgreSQL).
  Key& AddDouble(double value, SortOrder order = SortOrder::kAscending);
  Key& AddText(std::string_view value, SortOrder order = SortOrder::kAscending);
  Key& AddBytes(std::string_view value, SortOrder order = SortOrder::kAscending);

  const std::string& encoded() const { return encoded_; }
  bool empty() const { return encoded_.empty(); }

  // The parts this key was built from. Fails with kCorruption on bytes no Key produced.
  Result<std::vector<KeyPart>> Decode() const;

  // The smallest encoded key greater than every key that starts with this one: the exclusive
  // upper bound of a prefix scan. Empty when there is none (the key is all 0xff bytes).
  std::string PrefixEnd() const;

  friend bool operator==(const Key& a, const Key& b) { return a.encoded_ == b.encoded_; }
  friend auto operator<=>(const Key& a, const Key& b) { return a.encoded_ <=> b.encoded_; }

 private:
  std::string encoded_;
};

}  // namespace plexus
