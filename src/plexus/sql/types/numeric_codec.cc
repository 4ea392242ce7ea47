// Numeric's byte forms: the compact stored value (EncodeTo/Decode), the order-preserving key part
// (AppendKey) and the hash. numeric.h documents both byte formats.
#include <string>

#include "plexus/base/assert.h"
#include "plexus/base/varint.h"
#include "plexus/sql/types/numeric.h"

namespace plexus::sql {
namespace {

namespace engine = numeric_internal;
using base::PutVarint32;

// First byte of a stored value.
enum StoredKind : uint8_t {
  kStoredNonNegative = 0x00,
  kStoredNegative = 0x01,
  kStoredNaN = 0x02,
  kStoredInfinity = 0x03,
  kStoredNegativeInfinity = 0x04,
};

// Ascending key tags.
constexpr uint8_t kKeyNegativeInfinity = 0x30;
constexpr uint8_t kKeyNegative = 0x31;
constexpr uint8_t kKeyZero = 0x32;
constexpr uint8_t kKeyPositive = 0x33;
constexpr uint8_t kKeyInfinity = 0x34;
constexpr uint8_t kKeyNaN = 0x35;
constexpr uint8_t kKeyDigitsEnd = 0x00;  // below every digit's first byte (1..100)
constexpr int kKeyWeightBias = 0x8000;

constexpr int kVarint32BytesMax = 5;
// The most digits a value can have: 32768 before the point, 16383 decimals after it.
constexpr size_t kDigitsMax =
    engine::kWeightMax + 1 +
    (engine::kStoredScaleMax + engine::kBaseDigits - 1) / engine::kBaseDigits;

// Reads a varint32 from the front of *input, advancing it. False on truncated, overlong or
// non-shortest input (base::GetVarint32 takes the overlong forms too).
bool GetCanonicalVarint32(std::string_view* input, uint32_t* value) {
  uint32_t result = 0;
  for (int i = 0; i < kVarint32BytesMax && i < static_cast<int>(input->size()); i++) {
    uint32_t byte = static_cast<uint8_t>((*input)[i]);
    result |= (byte & 0x7F) << (7 * i);
    if ((byte & 0x80) == 0) {
      if (i == kVarint32BytesMax - 1 && byte > 0x0F) return false;  // more than 32 bits
      if (i > 0 && byte == 0) return false;  // overlong: not the shortest form
      *value = result;
      input->remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}

uint32_t ZigZag(int32_t value) {
  return (static_cast<uint32_t>(value) << 1) ^ static_cast<uint32_t>(value >> 31);
}

int32_t UnZigZag(uint32_t value) {
  return static_cast<int32_t>(value >> 1) ^ -static_cast<int32_t>(value & 1);
}

Status CorruptNumeric(std::string_view what) {
  std::string message = "numeric value: ";
  message.append(what);
  return Status::Corruption(message);
}

// Mixes one 64-bit word into a running hash (splitmix64's finalizer over the sum).
uint64_t MixHash(uint64_t hash, uint64_t word) {
  uint64_t z = hash + 0x9E3779B97F4A7C15ull + word;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Inverts every byte of *out from `start` on.
void InvertBytes(std::string* out, size_t start) {
  for (size_t i = start; i < out->size(); i++) (*out)[i] = static_cast<char>(~(*out)[i]);
}

}  // namespace

void Numeric::EncodeTo(std::string* out) const {
  switch (kind_) {
    case Kind::kNaN:
      out->push_back(static_cast<char>(kStoredNaN));
      return;
    case Kind::kPositiveInfinity:
      out->push_back(static_cast<char>(kStoredInfinity));
      return;
    case Kind::kNegativeInfinity:
      out->push_back(static_cast<char>(kStoredNegativeInfinity));
      return;
    case Kind::kFinite:
      break;
  }
  out->push_back(static_cast<char>(var_.negative ? kStoredNegative : kStoredNonNegative));
  PutVarint32(out, static_cast<uint32_t>(var_.dscale));
  PutVarint32(out, ZigZag(var_.weight));
  for (engine::Digit digit : var_.digits) {
    out->push_back(static_cast<char>(digit >> 8));
    out->push_back(static_cast<char>(digit & 0xFF));
  }
}

Result<Numeric> Numeric::Decode(std::string_view encoded) {
  if (encoded.empty()) return CorruptNumeric("empty");
  uint8_t kind = static_cast<uint8_t>(encoded[0]);
  encoded.remove_prefix(1);
  if (kind == kStoredNaN || kind == kStoredInfinity || kind == kStoredNegativeInfinity) {
    if (!encoded.empty()) return CorruptNumeric("bytes after a special value");
    if (kind == kStoredNaN) return NaN();
    return kind == kStoredInfinity ? Infinity() : NegativeInfinity();
  }
  if (kind != kStoredNonNegative && kind != kStoredNegative) return CorruptNumeric("bad kind");
  uint32_t dscale = 0;
  uint32_t zigzag_weight = 0;
  if (!GetCanonicalVarint32(&encoded, &dscale) || !GetCanonicalVarint32(&encoded, &zigzag_weight)) {
    return CorruptNumeric("truncated header");
  }
  if (encoded.size() % 2 != 0) return CorruptNumeric("odd digit bytes");
  int32_t weight = UnZigZag(zigzag_weight);
  if (dscale > static_cast<uint32_t>(engine::kStoredScaleMax) || weight > engine::kWeightMax ||
      weight < engine::kWeightMin || encoded.size() / 2 > kDigitsMax) {
    return CorruptNumeric("out of range");
  }
  Numeric result;
  engine::Var& var = result.var_;
  var.negative = kind == kStoredNegative;
  var.dscale = static_cast<int>(dscale);
  var.weight = weight;
  for (size_t i = 0; i < encoded.size(); i += 2) {
    int digit = static_cast<uint8_t>(encoded[i]) << 8 | static_cast<uint8_t>(encoded[i + 1]);
    if (digit >= engine::kBase) return CorruptNumeric("digit out of range");
    var.digits.push_back(static_cast<engine::Digit>(digit));
  }
  // Only the canonical form is accepted: re-encoding gives back the same bytes.
  bool stripped = var.digits.empty() || (var.digits.front() != 0 && var.digits.back() != 0);
  bool zero_canonical = !var.digits.empty() || (!var.negative && var.weight == 0);
  if (!stripped || !zero_canonical) return CorruptNumeric("not canonical");
  if (result.MinScale() > var.dscale) return CorruptNumeric("scale hides digits");
  return result;
}

void Numeric::AppendKey(std::string* out, bool descending) const {
  size_t start = out->size();
  uint8_t tag = kKeyZero;
  if (IsNaN()) {
    tag = kKeyNaN;
  } else if (kind_ == Kind::kPositiveInfinity) {
    tag = kKeyInfinity;
  } else if (kind_ == Kind::kNegativeInfinity) {
    tag = kKeyNegativeInfinity;
  } else if (!var_.IsZero()) {
    tag = var_.negative ? kKeyNegative : kKeyPositive;
  }
  out->push_back(static_cast<char>(tag));
  if (tag == kKeyPositive || tag == kKeyNegative) {
    size_t magnitude_start = out->size();
    AppendMagnitudeKey(out);
    // A negative value inverts its magnitude so that larger magnitudes sort first.
    if (tag == kKeyNegative) InvertBytes(out, magnitude_start);
  }
  if (descending) InvertBytes(out, start);
}

void Numeric::AppendMagnitudeKey(std::string* out) const {
  PLEXUS_DCHECK(IsFinite() && !var_.IsZero());
  PLEXUS_DCHECK(var_.digits.front() != 0 && var_.digits.back() != 0);
  uint32_t biased_weight = static_cast<uint32_t>(var_.weight + kKeyWeightBias);
  out->push_back(static_cast<char>(biased_weight >> 8));
  out->push_back(static_cast<char>(biased_weight & 0xFF));
  for (engine::Digit digit : var_.digits) {
    out->push_back(static_cast<char>(digit / 100 + 1));
    out->push_back(static_cast<char>(digit % 100));
  }
  out->push_back(static_cast<char>(kKeyDigitsEnd));
}

uint64_t Numeric::Hash() const {
  // Hash the value, not its display scale: the stripped digits, weight and sign.
  uint64_t hash = MixHash(0, static_cast<uint64_t>(kind_));
  if (!IsFinite()) return hash;
  hash = MixHash(hash, static_cast<uint64_t>(var_.negative));
  hash = MixHash(hash, static_cast<uint64_t>(static_cast<int64_t>(var_.weight)));
  for (engine::Digit digit : var_.digits) hash = MixHash(hash, static_cast<uint64_t>(digit));
  return hash;
}

}  // namespace plexus::sql
