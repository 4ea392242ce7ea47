// What keyspace.cc and keyspace_format.cc share: the byte layout's constants and fixed-width
// integer codecs (little-endian in metadata values, big-endian where keys must sort by number).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace plexus::kv {

// First byte of the expiry index's keys in kv_meta: [0xFE][expire_at_ms:8 BE][db][key].
inline constexpr char kExpiryPrefix = '\xFE';
// Metadata value: [type][expire_at_ms:8][version:8][size:8], then list head or string value.
inline constexpr size_t kMetaFixedBytes = 1 + 8 + 8 + 8;

inline void PutFixed64(std::string* out, uint64_t value) {
  char bytes[8];
  std::memcpy(bytes, &value, 8);
  out->append(bytes, 8);
}

inline uint64_t GetFixed64(const char* bytes) {
  uint64_t value;
  std::memcpy(&value, bytes, 8);
  return value;
}

inline void PutBigEndian64(std::string* out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(value >> shift));
}

inline uint64_t GetBigEndian64(const char* bytes) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

}  // namespace plexus::kv
