// Test support for the key codec tests: a reference ordering of key values, canonical forms,
// boundary values and seeded random keys. Shared by key_codec_test.cc (exact bytes, boundaries)
// and key_codec_property_test.cc (random round trips and orders, malformed input).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "plexus/storage/key_codec.h"

namespace plexus::storage::key_codec_testing {

// Fixed so that runs are repeatable; PLEXUS_TEST_SEED=<n> explores other seeds.
inline constexpr uint64_t kSeed = 0x5EEDC0DE2024;
inline constexpr int kValuesPerDirection = 4000;
inline constexpr int kRandomPairChecks = 20000;
inline constexpr uint64_t kCanonicalNanBits = 0x7FF8000000000000;

inline constexpr SortOrder kAsc = SortOrder::kAscending;
inline constexpr SortOrder kDesc = SortOrder::kDescending;

using Parts = std::vector<KeyPart>;

inline uint64_t BaseSeed() {
  const char* text = std::getenv("PLEXUS_TEST_SEED");
  return text != nullptr ? std::strtoull(text, nullptr, 0) : kSeed;
}

// Each test draws from its own stream: the base seed plus a salt of its own.
inline uint64_t TestSeed(uint64_t salt) { return BaseSeed() + salt; }

inline std::string SeedMessage(uint64_t seed) {
  return "seed " + std::to_string(seed) +
         " (reproduce with PLEXUS_TEST_SEED=" + std::to_string(BaseSeed()) + ")";
}

inline std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (char c : bytes) {
    const auto byte = static_cast<uint8_t>(c);
    text += kDigits[byte >> 4];
    text += kDigits[byte & 0xF];
    text += ' ';
  }
  return text;
}

// ---- Test model of the value order --------------------------------------------------------

inline KeyPart Value(KeyValue value, SortOrder order = kAsc) {
  return KeyPart{std::move(value), order};
}
inline KeyPart Null(NullOrder nulls) { return KeyPart{std::monostate{}, kAsc, nulls}; }

inline void AppendPart(std::string* out, const KeyPart& part) {
  std::visit(
      [&](const auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::monostate>) AppendNull(out, part.nulls);
        if constexpr (std::is_same_v<T, bool>) AppendBool(out, value, part.order);
        if constexpr (std::is_same_v<T, int64_t>) AppendInt(out, value, part.order);
        if constexpr (std::is_same_v<T, uint64_t>) AppendUint(out, value, part.order);
        if constexpr (std::is_same_v<T, double>) AppendDouble(out, value, part.order);
        if constexpr (std::is_same_v<T, std::string>) AppendText(out, value, part.order);
        if constexpr (std::is_same_v<T, KeyBytes>) AppendBytes(out, value.value, part.order);
      },
      part.value);
}

inline std::string Encode(const Parts& parts) {
  std::string out;
  for (const KeyPart& part : parts) AppendPart(&out, part);
  return out;
}

// Decoders read from heap copies of exactly the input's size, so that AddressSanitizer reports
// any read past the end (a view into a longer buffer would hide it).
inline std::vector<char> ExactCopy(std::string_view bytes) { return {bytes.begin(), bytes.end()}; }

inline Result<Parts> DecodeExact(std::string_view bytes) {
  const std::vector<char> copy = ExactCopy(bytes);
  return DecodeKey(std::string_view(copy.data(), copy.size()));
}

inline std::string Describe(const KeyPart& part) {
  const char* direction = part.order == kDesc ? " desc" : "";
  return std::visit(
      [&](const auto& value) -> std::string {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return part.nulls == NullOrder::kNullsFirst ? "NULL first" : "NULL last";
        } else if constexpr (std::is_same_v<T, bool>) {
          return (value ? "true" : "false") + std::string(direction);
        } else if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, uint64_t>) {
          return (std::is_same_v<T, int64_t> ? "i:" : "u:") + std::to_string(value) + direction;
        } else if constexpr (std::is_same_v<T, double>) {
          char buffer[64];
          std::snprintf(buffer, sizeof(buffer), "d:%a", value);
          return buffer + std::string(direction);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return "t:[" + Hex(value) + "]" + direction;
        } else {
          return "b:[" + Hex(value.value) + "]" + direction;
        }
      },
      part.value);
}

inline std::string Describe(const Parts& parts) {
  std::string text = "(";
  for (const KeyPart& part : parts) text += Describe(part) + ", ";
  return text + ")";
}

// Value families in the order of their tags.
enum Family { kBoolFamily, kIntegerFamily, kDoubleFamily, kBytesFamily, kTextFamily };

inline Family FamilyOf(const KeyValue& value) {
  if (std::holds_alternative<bool>(value)) return kBoolFamily;
  if (std::holds_alternative<int64_t>(value) || std::holds_alternative<uint64_t>(value)) {
    return kIntegerFamily;
  }
  if (std::holds_alternative<double>(value)) return kDoubleFamily;
  if (std::holds_alternative<KeyBytes>(value)) return kBytesFamily;
  return kTextFamily;
}

template <typename T>
inline int Sign(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Orders int64_t and uint64_t values in one space: negatives first, then by unsigned image.
inline std::pair<bool, uint64_t> IntegerRank(const KeyValue& value) {
  if (const auto* signed_value = std::get_if<int64_t>(&value)) {
    return {*signed_value >= 0, static_cast<uint64_t>(*signed_value)};
  }
  return {true, std::get<uint64_t>(value)};
}

inline int CompareDoubles(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return Sign(std::isnan(a), std::isnan(b));
  return Sign(a, b);  // -0.0 == 0.0
}

inline int CompareValues(const KeyValue& a, const KeyValue& b) {
  const Family family = FamilyOf(a);
  if (family != FamilyOf(b)) return Sign(family, FamilyOf(b));
  switch (family) {
    case kBoolFamily:
      return Sign(std::get<bool>(a), std::get<bool>(b));
    case kIntegerFamily:
      return Sign(IntegerRank(a), IntegerRank(b));
    case kDoubleFamily:
      return CompareDoubles(std::get<double>(a), std::get<double>(b));
    case kBytesFamily:
      return Sign(std::get<KeyBytes>(a).value, std::get<KeyBytes>(b).value);
    case kTextFamily:
      return Sign(std::get<std::string>(a), std::get<std::string>(b));
  }
  return 0;
}

// Where a part sorts before looking at its value: NULLS FIRST, ascending values, descending
// values, NULLS LAST. Within one column (one direction, one null order) this reduces to the SQL
// rule: NULL before or after every value as the NullOrder says, values reversed when descending.
inline int PartClass(const KeyPart& part) {
  if (std::holds_alternative<std::monostate>(part.value)) {
    return part.nulls == NullOrder::kNullsFirst ? 0 : 3;
  }
  return part.order == kAsc ? 1 : 2;
}

inline int CompareParts(const KeyPart& a, const KeyPart& b) {
  const int class_order = Sign(PartClass(a), PartClass(b));
  if (class_order != 0 || PartClass(a) == 0 || PartClass(a) == 3) return class_order;
  const int value_order = CompareValues(a.value, b.value);
  return a.order == kDesc ? -value_order : value_order;
}

// The expected order of keys: part by part; a key that is a prefix of another sorts first.
inline int CompareKeys(const Parts& a, const Parts& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (const int order = CompareParts(a[i], b[i]); order != 0) return order;
  }
  return Sign(a.size(), b.size());
}

// What decoding must return: -0.0 as 0.0, one NaN, uint64_t only above INT64_MAX, NULL without a
// direction, values with the default NullOrder.
inline KeyPart Canonical(const KeyPart& part) {
  KeyPart result = part;
  if (std::holds_alternative<std::monostate>(part.value)) {
    result.order = kAsc;
    return result;
  }
  // KeyPart's default. (Read off a temporary KeyPart, GCC 12 took its string maybe-uninitialized
  // where both key codec tests share a unity batch.)
  result.nulls = NullOrder::kNullsLast;
  if (const auto* value = std::get_if<double>(&part.value)) {
    if (std::isnan(*value)) result.value = std::bit_cast<double>(kCanonicalNanBits);
    if (*value == 0.0) result.value = 0.0;
  }
  if (const auto* value = std::get_if<uint64_t>(&part.value)) {
    if (*value <= static_cast<uint64_t>(INT64_MAX)) result.value = static_cast<int64_t>(*value);
  }
  return result;
}

inline bool SameValue(const KeyValue& a, const KeyValue& b) {
  if (a.index() != b.index()) return false;
  if (const auto* value = std::get_if<double>(&a)) {
    return std::bit_cast<uint64_t>(*value) == std::bit_cast<uint64_t>(std::get<double>(b));
  }
  return a == b;
}

inline bool SameParts(const Parts& a, const Parts& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!SameValue(a[i].value, b[i].value) || a[i].order != b[i].order ||
        a[i].nulls != b[i].nulls) {
      return false;
    }
  }
  return true;
}

inline Parts CanonicalParts(const Parts& parts) {
  Parts result;
  for (const KeyPart& part : parts) result.push_back(Canonical(part));
  return result;
}

// decode(encode(key)) == canonical(key), and re-encoding the decoded parts gives the same bytes.
inline ::testing::AssertionResult RoundTrips(const Parts& key) {
  const std::string encoded = Encode(key);
  Result<Parts> decoded = DecodeExact(encoded);
  if (!decoded.ok()) {
    return ::testing::AssertionFailure() << Describe(key) << " [" << Hex(encoded)
                                         << "] failed to decode: " << decoded.status().ToString();
  }
  if (!SameParts(*decoded, CanonicalParts(key)) || Encode(*decoded) != encoded) {
    return ::testing::AssertionFailure()
           << Describe(key) << " [" << Hex(encoded) << "] decoded as " << Describe(*decoded);
  }
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult OrderAgrees(const Parts& a, const std::string& encoded_a,
                                              const Parts& b, const std::string& encoded_b) {
  const int byte_order = Sign(encoded_a, encoded_b);
  const int value_order = CompareKeys(a, b);
  if (byte_order == value_order) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << Describe(a) << " [" << Hex(encoded_a) << "] vs " << Describe(b) << " ["
         << Hex(encoded_b) << "]: memcmp order " << byte_order << ", value order " << value_order;
}

// Round trip of every key, then memcmp order == value order: for neighbours in byte order (which
// with a total value order implies it for every pair) and for random pairs.
inline void CheckKeys(const std::vector<Parts>& keys, std::mt19937_64* rng) {
  std::vector<std::string> encoded;
  encoded.reserve(keys.size());
  for (const Parts& key : keys) {
    ASSERT_TRUE(RoundTrips(key));
    encoded.push_back(Encode(key));
  }
  std::vector<size_t> by_bytes(keys.size());
  for (size_t i = 0; i < by_bytes.size(); ++i) by_bytes[i] = i;
  std::sort(by_bytes.begin(), by_bytes.end(),
            [&](size_t a, size_t b) { return encoded[a] < encoded[b]; });
  for (size_t i = 1; i < by_bytes.size(); ++i) {
    const size_t a = by_bytes[i - 1];
    const size_t b = by_bytes[i];
    ASSERT_TRUE(OrderAgrees(keys[a], encoded[a], keys[b], encoded[b]));
  }
  if (keys.empty()) return;
  for (int i = 0; i < kRandomPairChecks; ++i) {
    const size_t a = (*rng)() % keys.size();
    const size_t b = (*rng)() % keys.size();
    ASSERT_TRUE(OrderAgrees(keys[a], encoded[a], keys[b], encoded[b]));
  }
}

// ---- Random values ------------------------------------------------------------------------

inline bool OneIn(std::mt19937_64* rng, int n) { return (*rng)() % n == 0; }

// Both ends of every encoded length, as int64_t and (where not negative) uint64_t.
inline std::vector<KeyValue> BoundaryIntegers() {
  std::vector<KeyValue> values = {INT64_MIN,      INT64_MIN + 1,           INT64_MAX,
                                  INT64_MAX - 1,  uint64_t{1} << 63,       UINT64_MAX,
                                  UINT64_MAX - 1, (uint64_t{1} << 63) + 1, uint64_t{0}};
  for (int shift = 0; shift < 63; ++shift) {
    const int64_t power = int64_t{1} << shift;
    for (int64_t value : {power - 1, power, power + 1}) {
      values.emplace_back(value);
      values.emplace_back(-value);
      values.emplace_back(static_cast<uint64_t>(value));
    }
  }
  return values;
}

// Zeros, ones, infinities, NaNs (quiet, signaling, negative), the edges of the normal and
// denormal ranges, and neighbours of 1.0 and 2^53, each with both signs.
inline std::vector<double> BoundaryDoubles() {
  using Limits = std::numeric_limits<double>;
  const double magnitudes[] = {0.0,
                               0.5,
                               1.0,
                               1.0 + Limits::epsilon(),
                               std::nextafter(1.0, 0.0),
                               Limits::epsilon(),
                               9007199254740993.0,
                               Limits::infinity(),
                               Limits::quiet_NaN(),
                               Limits::signaling_NaN(),
                               Limits::min(),
                               Limits::denorm_min(),
                               Limits::min() - Limits::denorm_min(),
                               Limits::max()};
  std::vector<double> values;
  for (double magnitude : magnitudes) {
    values.push_back(magnitude);
    values.push_back(-magnitude);
  }
  return values;
}

inline int64_t RandomInt64(std::mt19937_64* rng) {
  static const std::vector<KeyValue> kBoundaries = BoundaryIntegers();
  if (OneIn(rng, 8)) {
    const KeyValue& value = kBoundaries[(*rng)() % kBoundaries.size()];
    if (const auto* signed_value = std::get_if<int64_t>(&value)) return *signed_value;
  }
  // A random bit width covers every encoded length evenly.
  const uint64_t bits = (*rng)() >> ((*rng)() % 64);
  return std::bit_cast<int64_t>(OneIn(rng, 2) ? ~bits : bits);
}

inline uint64_t RandomUint64(std::mt19937_64* rng) {
  if (OneIn(rng, 8)) return UINT64_MAX - (*rng)() % 3;
  return (*rng)() >> ((*rng)() % 64);
}

inline double RandomDouble(std::mt19937_64* rng) {
  static const std::vector<double> kBoundaries = BoundaryDoubles();
  switch ((*rng)() % 5) {
    case 0:
      return kBoundaries[(*rng)() % kBoundaries.size()];
    case 1:
      return static_cast<double>(static_cast<int>((*rng)() % 41) - 20) / 4;
    case 2: {  // a denormal (or zero) of either sign
      const uint64_t sign = OneIn(rng, 2) ? uint64_t{1} << 63 : 0;
      return std::bit_cast<double>(sign | ((*rng)() & 0x000FFFFFFFFFFFFF));
    }
    default:
      return std::bit_cast<double>((*rng)());  // any bits: NaN payloads, infinities
  }
}

inline std::string RandomString(std::mt19937_64* rng, bool narrow) {
  static constexpr char kAlphabet[] = {'\x00', '\x01', '\x02', '\x7f', '\x80',
                                       '\xfe', '\xff', 'a',    'b'};
  const size_t length = narrow ? (*rng)() % 3 : (OneIn(rng, 20) ? (*rng)() % 200 : (*rng)() % 10);
  std::string text(length, '\0');
  for (char& c : text) {
    c = (OneIn(rng, 3) || narrow) ? kAlphabet[(*rng)() % std::size(kAlphabet)]
                                  : static_cast<char>((*rng)());
  }
  return text;
}

// `narrow` draws from a few values, so that composite keys often tie on a part.
inline KeyValue RandomValue(std::mt19937_64* rng, Family family, bool narrow) {
  switch (family) {
    case kBoolFamily:
      return OneIn(rng, 2);
    case kIntegerFamily:
      if (narrow) return static_cast<int64_t>((*rng)() % 5) - 2;
      if (OneIn(rng, 3)) return RandomUint64(rng);
      return RandomInt64(rng);
    case kDoubleFamily:
      if (narrow) return static_cast<double>((*rng)() % 3) - 1;
      return RandomDouble(rng);
    case kBytesFamily:
      return KeyBytes{RandomString(rng, narrow)};
    case kTextFamily:
      return RandomString(rng, narrow);
  }
  return std::monostate{};
}

inline constexpr Family kFamilies[] = {kBoolFamily, kIntegerFamily, kDoubleFamily, kBytesFamily,
                                       kTextFamily};

struct Column {
  Family family;
  SortOrder order;
  NullOrder nulls;
};

inline Column RandomColumn(std::mt19937_64* rng) {
  return Column{kFamilies[(*rng)() % std::size(kFamilies)], OneIn(rng, 2) ? kAsc : kDesc,
                OneIn(rng, 2) ? NullOrder::kNullsFirst : NullOrder::kNullsLast};
}

inline KeyPart RandomPart(std::mt19937_64* rng, const Column& column) {
  if (OneIn(rng, 7)) return KeyPart{std::monostate{}, column.order, column.nulls};
  return KeyPart{RandomValue(rng, column.family, OneIn(rng, 2)), column.order, column.nulls};
}

inline std::vector<Column> RandomSchema(std::mt19937_64* rng) {
  std::vector<Column> schema(2 + (*rng)() % 3);
  for (Column& column : schema) column = RandomColumn(rng);
  return schema;
}

inline Parts RandomKey(std::mt19937_64* rng, const std::vector<Column>& schema) {
  Parts key;
  for (const Column& column : schema) key.push_back(RandomPart(rng, column));
  return key;
}

// ---- Exact bytes --------------------------------------------------------------------------

inline std::string Bytes(std::initializer_list<int> bytes) {
  std::string result;
  for (int byte : bytes) result.push_back(static_cast<char>(byte));
  return result;
}

template <typename Append, typename T>
inline std::string One(Append append, T value, SortOrder order = kAsc) {
  std::string out;
  append(&out, value, order);
  return out;
}

}  // namespace plexus::storage::key_codec_testing
