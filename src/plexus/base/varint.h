// Varints of 32 bits as RocksDB and protobuf write them: 7 bits per byte, lowest first, the high
// bit set on every byte but the last. The stored formats (rows, arrays, jsonb, list chunks) and
// the write batches built by hand (txn/appended_writes.cc) use them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace plexus::base {

inline constexpr size_t kVarint32BytesMax = 5;

inline void PutVarint32(std::string* out, uint32_t value) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>(value | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

// Decodes the varint at the front of *input and drops it from *input; false when the bytes end
// first or run past kVarint32BytesMax.
inline bool GetVarint32(std::string_view* input, uint32_t* value) {
  uint32_t result = 0;
  for (int shift = 0; shift <= 28 && !input->empty(); shift += 7) {
    const auto byte = static_cast<uint8_t>(input->front());
    input->remove_prefix(1);
    result |= static_cast<uint32_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

}  // namespace plexus::base
