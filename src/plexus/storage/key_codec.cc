// Key codec: encoders and the decoder for order-preserving key parts. The byte format is in
// key_codec.h.
#include "plexus/storage/key_codec.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <utility>

#include "plexus/base/assert.h"

namespace plexus::storage {
namespace {

// Inside bytes and text, 0x00 starts a two-byte sequence: 0x00 0xFF is a content zero byte and
// 0x00 0x01 ends the part. Both second bytes sort so that a shorter string comes first.
constexpr uint8_t kEscape = 0x00;
constexpr uint8_t kEscapedZero = 0xFF;
constexpr uint8_t kTerminator = 0x01;
constexpr size_t kDoubleBytes = 8;
constexpr uint64_t kSignBit = uint64_t{1} << 63;
// The quiet NaN with no payload: the one NaN the format stores.
constexpr uint64_t kCanonicalNanBits = 0x7FF8000000000000;
constexpr uint64_t kInt64MinMagnitude = kSignBit;

static_assert(kEscapedZero > kTerminator);
static_assert(kKeyIntZero + kKeyIntBytesMax <= kKeyAscendingTagMax);

constexpr std::string_view kErrorEmpty = "key codec: expected a key part, found the end of the key";
constexpr std::string_view kErrorUnknownTag = "key codec: unknown key part tag";
constexpr std::string_view kErrorTruncatedInteger = "key codec: truncated integer";
constexpr std::string_view kErrorNonCanonicalInteger = "key codec: integer not in shortest form";
constexpr std::string_view kErrorIntegerRange = "key codec: negative integer below INT64_MIN";
constexpr std::string_view kErrorTruncatedDouble = "key codec: truncated double";
constexpr std::string_view kErrorNonCanonicalDouble = "key codec: -0.0 or a non-canonical NaN";
constexpr std::string_view kErrorUnterminated = "key codec: unterminated bytes or text";
constexpr std::string_view kErrorBadEscape = "key codec: invalid escape in bytes or text";

// Grows capacity geometrically: reserve() may allocate exactly what is asked for, which would
// make a run of small appends quadratic.
void ReserveExtra(std::string* out, size_t extra) {
  const size_t needed = out->size() + extra;
  if (needed > out->capacity()) out->reserve(std::max(needed, 2 * out->capacity()));
}

void InvertFrom(std::string* out, size_t start) {
  PLEXUS_DCHECK(start <= out->size());
  for (size_t i = start; i < out->size(); ++i) (*out)[i] = static_cast<char>(~(*out)[i]);
}

uint8_t FlipFor(SortOrder order) { return order == SortOrder::kDescending ? 0xFF : 0x00; }

// Bytes needed for `magnitude` without leading zero bytes; 0 for zero.
int MagnitudeBytes(uint64_t magnitude) { return (std::bit_width(magnitude) + 7) / 8; }

uint64_t LowBytesMask(int bytes) {
  PLEXUS_DCHECK(bytes >= 0);
  PLEXUS_DCHECK(bytes <= kKeyIntBytesMax);
  return bytes == kKeyIntBytesMax ? ~uint64_t{0} : (uint64_t{1} << (8 * bytes)) - 1;
}

void AppendInteger(std::string* out, bool negative, uint64_t magnitude, SortOrder order) {
  PLEXUS_DCHECK(!negative || magnitude != 0);
  PLEXUS_DCHECK(!negative || magnitude <= kInt64MinMagnitude);
  const int length = MagnitudeBytes(magnitude);
  const uint64_t body = negative ? ~magnitude : magnitude;
  const uint8_t flip = FlipFor(order);
  char buffer[1 + kKeyIntBytesMax];
  buffer[0] = static_cast<char>((negative ? kKeyIntZero - length : kKeyIntZero + length) ^ flip);
  for (int i = 0; i < length; ++i) {
    buffer[1 + i] = static_cast<char>(static_cast<uint8_t>(body >> (8 * (length - 1 - i))) ^ flip);
  }
  out->append(buffer, 1 + length);
}

// The order-preserving 64-bit image of a double, before any inversion for descending order.
uint64_t DoubleKeyBits(double value) {
  if (std::isnan(value)) return kCanonicalNanBits ^ kSignBit;
  if (value == 0.0) value = 0.0;  // -0.0 == 0.0: store both as +0.0
  const uint64_t bits = std::bit_cast<uint64_t>(value);
  return (bits & kSignBit) != 0 ? ~bits : bits ^ kSignBit;
}

void AppendEscaped(std::string* out, uint8_t tag, std::string_view value, SortOrder order) {
  const size_t start = out->size();
  ReserveExtra(out, value.size() + 3);  // tag + terminator, plus one byte per zero if any
  out->push_back(static_cast<char>(tag));
  const char* position = value.data();
  const char* const end = position + value.size();
  while (position != end) {
    const void* zero = std::memchr(position, kEscape, end - position);
    if (zero == nullptr) {
      out->append(position, end);
      break;
    }
    const char* after_zero = static_cast<const char*>(zero) + 1;
    out->append(position, after_zero);
    out->push_back(static_cast<char>(kEscapedZero));
    position = after_zero;
  }
  const char terminator[2] = {static_cast<char>(kEscape), static_cast<char>(kTerminator)};
  out->append(terminator, 2);
  PLEXUS_DCHECK(out->size() >= start + value.size() + 3);
  if (order == SortOrder::kDescending) InvertFrom(out, start);
}

// Reads `length` bytes of `body` as a big-endian number, undoing `flip`.
// REQUIRES: length <= body.size() and length <= 8.
uint64_t ReadBigEndian(std::string_view body, size_t length, uint8_t flip) {
  uint64_t result = 0;
  for (size_t i = 0; i < length; ++i) {
    result = (result << 8) | (static_cast<uint8_t>(body[i]) ^ flip);
  }
  return result;
}

// Each Decode* below reads the body that follows the tag and sets *length to its size in bytes.

Status DecodeInteger(std::string_view body, uint8_t tag, uint8_t flip, KeyValue* value,
                     size_t* length) {
  const int signed_length = static_cast<int>(tag) - kKeyIntZero;
  const bool negative = signed_length < 0;
  const int bytes = negative ? -signed_length : signed_length;
  PLEXUS_DCHECK(bytes <= kKeyIntBytesMax);
  if (body.size() < static_cast<size_t>(bytes)) return Status::Corruption(kErrorTruncatedInteger);
  const uint64_t raw = ReadBigEndian(body, bytes, flip);
  const uint64_t magnitude = negative ? ~raw & LowBytesMask(bytes) : raw;
  // Zero has only the bare tag; any other magnitude must start with a nonzero byte.
  if (MagnitudeBytes(magnitude) != bytes) return Status::Corruption(kErrorNonCanonicalInteger);
  if (negative) {
    if (magnitude > kInt64MinMagnitude) return Status::Corruption(kErrorIntegerRange);
    *value = static_cast<int64_t>(uint64_t{0} - magnitude);  // modular: 2^63 gives INT64_MIN
  } else if (magnitude <= static_cast<uint64_t>(INT64_MAX)) {
    *value = static_cast<int64_t>(magnitude);
  } else {
    *value = magnitude;
  }
  *length = bytes;
  return Status::Ok();
}

Status DecodeDouble(std::string_view body, uint8_t flip, KeyValue* value, size_t* length) {
  if (body.size() < kDoubleBytes) return Status::Corruption(kErrorTruncatedDouble);
  const uint64_t key_bits = ReadBigEndian(body, kDoubleBytes, flip);
  const uint64_t bits = (key_bits & kSignBit) != 0 ? key_bits ^ kSignBit : ~key_bits;
  const double result = std::bit_cast<double>(bits);
  if (bits == kSignBit || (std::isnan(result) && bits != kCanonicalNanBits)) {
    return Status::Corruption(kErrorNonCanonicalDouble);
  }
  *value = result;
  *length = kDoubleBytes;
  return Status::Ok();
}

Status DecodeEscaped(std::string_view body, uint8_t flip, std::string* content, size_t* length) {
  const char escape = static_cast<char>(kEscape ^ flip);
  const char* position = body.data();
  const char* const end = position + body.size();
  for (;;) {
    const void* found = position == end ? nullptr : std::memchr(position, escape, end - position);
    if (found == nullptr) return Status::Corruption(kErrorUnterminated);
    const char* escape_position = static_cast<const char*>(found);
    if (escape_position + 1 == end) return Status::Corruption(kErrorUnterminated);
    content->append(position, escape_position);
    const uint8_t next = static_cast<uint8_t>(escape_position[1]) ^ flip;
    position = escape_position + 2;
    if (next == kTerminator) break;
    if (next != kEscapedZero) return Status::Corruption(kErrorBadEscape);
    content->push_back(escape);
  }
  if (flip != 0) {
    for (char& c : *content) c = static_cast<char>(~c);
  }
  *length = position - body.data();
  PLEXUS_DCHECK(*length <= body.size());
  PLEXUS_DCHECK(*length >= content->size() + 2);
  return Status::Ok();
}

// Decodes the body of a non-NULL part with ascending tag `tag`.
Status DecodeValue(std::string_view body, uint8_t tag, uint8_t flip, KeyValue* value,
                   size_t* length) {
  if (tag == kKeyFalse || tag == kKeyTrue) {
    *value = tag == kKeyTrue;
    *length = 0;
    return Status::Ok();
  }
  if (tag >= kKeyIntZero - kKeyIntBytesMax && tag <= kKeyIntZero + kKeyIntBytesMax) {
    return DecodeInteger(body, tag, flip, value, length);
  }
  if (tag == kKeyDouble) return DecodeDouble(body, flip, value, length);
  if (tag == kKeyBytes || tag == kKeyText) {
    std::string content;
    PLEXUS_RETURN_IF_ERROR(DecodeEscaped(body, flip, &content, length));
    if (tag == kKeyText) {
      *value = std::move(content);
    } else {
      *value = KeyBytes{std::move(content)};
    }
    return Status::Ok();
  }
  return Status::Corruption(kErrorUnknownTag);
}

}  // namespace

void AppendNull(std::string* out, NullOrder nulls) {
  out->push_back(static_cast<char>(nulls == NullOrder::kNullsFirst ? kKeyNullFirst : kKeyNullLast));
}

void AppendBool(std::string* out, bool value, SortOrder order) {
  out->push_back(static_cast<char>((value ? kKeyTrue : kKeyFalse) ^ FlipFor(order)));
}

void AppendInt(std::string* out, int64_t value, SortOrder order) {
  if (value >= 0) {
    AppendInteger(out, false, static_cast<uint64_t>(value), order);
  } else {
    // Unsigned negation is defined for INT64_MIN, whose magnitude 2^63 has no int64_t form.
    AppendInteger(out, true, uint64_t{0} - static_cast<uint64_t>(value), order);
  }
}

void AppendUint(std::string* out, uint64_t value, SortOrder order) {
  AppendInteger(out, false, value, order);
}

void AppendDouble(std::string* out, double value, SortOrder order) {
  const uint64_t key_bits = DoubleKeyBits(value);
  const uint8_t flip = FlipFor(order);
  char buffer[1 + kDoubleBytes];
  buffer[0] = static_cast<char>(kKeyDouble ^ flip);
  for (size_t i = 0; i < kDoubleBytes; ++i) {
    buffer[1 + i] =
        static_cast<char>(static_cast<uint8_t>(key_bits >> (8 * (kDoubleBytes - 1 - i))) ^ flip);
  }
  out->append(buffer, sizeof(buffer));
}

void AppendText(std::string* out, std::string_view value, SortOrder order) {
  AppendEscaped(out, kKeyText, value, order);
}

void AppendBytes(std::string* out, std::string_view value, SortOrder order) {
  AppendEscaped(out, kKeyBytes, value, order);
}

Status DecodeNextPart(std::string_view* input, KeyPart* part) {
  if (input->empty()) return Status::Corruption(kErrorEmpty);
  const uint8_t first = static_cast<uint8_t>(input->front());
  if (first == kKeyNullFirst || first == kKeyNullLast) {
    part->value = std::monostate{};
    part->order = SortOrder::kAscending;
    part->nulls = first == kKeyNullFirst ? NullOrder::kNullsFirst : NullOrder::kNullsLast;
    input->remove_prefix(1);
    return Status::Ok();
  }
  const SortOrder order =
      first > kKeyAscendingTagMax ? SortOrder::kDescending : SortOrder::kAscending;
  const uint8_t flip = FlipFor(order);
  KeyValue value;
  size_t length = 0;
  PLEXUS_RETURN_IF_ERROR(DecodeValue(input->substr(1), first ^ flip, flip, &value, &length));
  PLEXUS_DCHECK(1 + length <= input->size());
  PLEXUS_DCHECK(!std::holds_alternative<std::monostate>(value));
  part->value = std::move(value);
  part->order = order;
  part->nulls = NullOrder::kNullsLast;
  input->remove_prefix(1 + length);
  return Status::Ok();
}

Result<std::vector<KeyPart>> DecodeKey(std::string_view encoded) {
  std::vector<KeyPart> parts;
  while (!encoded.empty()) {
    KeyPart part;
    PLEXUS_RETURN_IF_ERROR(DecodeNextPart(&encoded, &part));
    parts.push_back(std::move(part));
  }
  return parts;
}

std::string PrefixSuccessor(std::string_view prefix) {
  // Drop trailing 0xFF bytes (nothing follows them at that position), then bump the last byte.
  const size_t last_not_ff = prefix.find_last_not_of('\xff');
  if (last_not_ff == std::string_view::npos) return std::string();
  std::string successor(prefix.substr(0, last_not_ff + 1));
  successor.back() = static_cast<char>(static_cast<uint8_t>(successor.back()) + 1);
  PLEXUS_DCHECK(successor > prefix);
  return successor;
}

}  // namespace plexus::storage
