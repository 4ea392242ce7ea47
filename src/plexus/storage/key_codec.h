// Key codec: typed key parts appended to a byte string so that memcmp order is value order,
// part by part. Each part is self-delimiting (prefix-free), so parts concatenate into composite
// keys and a key's encoding is a prefix of every longer key built from the same leading parts.
//
// Byte format of one part (ascending; tags lie in [0x01, 0x7F]):
//   NULL     0x00 (nulls first) or 0xFF (nulls last), whatever the part's sort order.
//   false    0x02                      true 0x03
//   integer  0x14                      zero
//            0x14+n  m[n]              positive, n = 1..8 big-endian bytes of the magnitude m,
//                                      no leading zero byte (the shortest form)
//            0x14-n  ~m[n]             negative, ones' complement of the shortest n-byte magnitude
//                                      (INT64_MIN has magnitude 2^63: tag 0x0C, 0x7F 0xFF*7)
//            int64_t and uint64_t share this space; a uint64_t above INT64_MAX takes 8 bytes.
//   double   0x20  b[8]                IEEE bits, big-endian, sign bit flipped when the sign is
//                                      positive, every bit flipped when negative; -0.0 is stored
//                                      as 0.0 and every NaN as one NaN above +infinity.
//   bytes    0x28  escaped 0x00 0x01   content with each 0x00 written 0x00 0xFF, then 0x00 0x01
//   text     0x29  escaped 0x00 0x01   as bytes; text and bytes decode as different types
// A descending part is its ascending encoding with every byte inverted (~b), tag included, so
// descending tags lie in [0x80, 0xFE] and the tag alone tells the decoder the direction.
// Decoding accepts only the canonical form of each value: re-encoding what it returns gives back
// the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/key.h"

namespace plexus::storage {

// Tags of ascending parts; a descending part starts with the inverted tag.
inline constexpr uint8_t kKeyNullFirst = 0x00;
inline constexpr uint8_t kKeyNullLast = 0xFF;
inline constexpr uint8_t kKeyFalse = 0x02;
inline constexpr uint8_t kKeyTrue = 0x03;
inline constexpr uint8_t kKeyIntZero = 0x14;
inline constexpr uint8_t kKeyIntBytesMax = 8;
inline constexpr uint8_t kKeyDouble = 0x20;
inline constexpr uint8_t kKeyBytes = 0x28;
inline constexpr uint8_t kKeyText = 0x29;
inline constexpr uint8_t kKeyAscendingTagMax = 0x7F;

static_assert(kKeyIntZero - kKeyIntBytesMax > kKeyTrue);
static_assert(kKeyIntZero + kKeyIntBytesMax < kKeyDouble);
static_assert(kKeyText <= kKeyAscendingTagMax);

// Each appends one part to *out.
void AppendNull(std::string* out, NullOrder nulls);
void AppendBool(std::string* out, bool value, SortOrder order);
void AppendInt(std::string* out, int64_t value, SortOrder order);
void AppendUint(std::string* out, uint64_t value, SortOrder order);
void AppendDouble(std::string* out, double value, SortOrder order);
void AppendText(std::string* out, std::string_view value, SortOrder order);
void AppendBytes(std::string* out, std::string_view value, SortOrder order);

// Decodes the part at the front of *input into *part and advances *input past it. On malformed
// or truncated input returns kCorruption and leaves *input unchanged. A decoded NULL reports
// its NullOrder and SortOrder::kAscending (the marker does not record a direction); a decoded
// value reports its SortOrder and the default NullOrder.
Status DecodeNextPart(std::string_view* input, KeyPart* part);

// Every part of an encoded key. An empty input is a key with no parts.
Result<std::vector<KeyPart>> DecodeKey(std::string_view encoded);

// The smallest string greater than every string that starts with `prefix`, i.e. the exclusive
// upper bound of a prefix scan. Empty when there is none (`prefix` is empty or all 0xFF bytes).
std::string PrefixSuccessor(std::string_view prefix);

}  // namespace plexus::storage
