// Key codec tests: exact bytes of the format, round trips at the boundaries, and seeded property
// tests (memcmp order of encodings == value order; decode(encode(x)) == x; bad bytes give
// kCorruption, never a crash).
#include "plexus/storage/key_codec.h"

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

namespace plexus::storage {
namespace {

// Fixed so that runs are repeatable; PLEXUS_TEST_SEED=<n> explores other seeds.
constexpr uint64_t kSeed = 0x5EEDC0DE2024;
constexpr int kValuesPerDirection = 4000;
constexpr int kRandomPairChecks = 20000;
constexpr uint64_t kCanonicalNanBits = 0x7FF8000000000000;

constexpr SortOrder kAsc = SortOrder::kAscending;
constexpr SortOrder kDesc = SortOrder::kDescending;

using Parts = std::vector<KeyPart>;

uint64_t BaseSeed() {
  const char* text = std::getenv("PLEXUS_TEST_SEED");
  return text != nullptr ? std::strtoull(text, nullptr, 0) : kSeed;
}

// Each test draws from its own stream: the base seed plus a salt of its own.
uint64_t TestSeed(uint64_t salt) { return BaseSeed() + salt; }

std::string SeedMessage(uint64_t seed) {
  return "seed " + std::to_string(seed) +
         " (reproduce with PLEXUS_TEST_SEED=" + std::to_string(BaseSeed()) + ")";
}

std::string Hex(std::string_view bytes) {
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

KeyPart Value(KeyValue value, SortOrder order = kAsc) { return KeyPart{std::move(value), order}; }
KeyPart Null(NullOrder nulls) { return KeyPart{std::monostate{}, kAsc, nulls}; }

void AppendPart(std::string* out, const KeyPart& part) {
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

std::string Encode(const Parts& parts) {
  std::string out;
  for (const KeyPart& part : parts) AppendPart(&out, part);
  return out;
}

// Decoders read from heap copies of exactly the input's size, so that AddressSanitizer reports
// any read past the end (a view into a longer buffer would hide it).
std::vector<char> ExactCopy(std::string_view bytes) { return {bytes.begin(), bytes.end()}; }

Result<Parts> DecodeExact(std::string_view bytes) {
  const std::vector<char> copy = ExactCopy(bytes);
  return DecodeKey(std::string_view(copy.data(), copy.size()));
}

std::string Describe(const KeyPart& part) {
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

std::string Describe(const Parts& parts) {
  std::string text = "(";
  for (const KeyPart& part : parts) text += Describe(part) + ", ";
  return text + ")";
}

// Value families in the order of their tags.
enum Family { kBoolFamily, kIntegerFamily, kDoubleFamily, kBytesFamily, kTextFamily };

Family FamilyOf(const KeyValue& value) {
  if (std::holds_alternative<bool>(value)) return kBoolFamily;
  if (std::holds_alternative<int64_t>(value) || std::holds_alternative<uint64_t>(value)) {
    return kIntegerFamily;
  }
  if (std::holds_alternative<double>(value)) return kDoubleFamily;
  if (std::holds_alternative<KeyBytes>(value)) return kBytesFamily;
  return kTextFamily;
}

template <typename T>
int Sign(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Orders int64_t and uint64_t values in one space: negatives first, then by unsigned image.
std::pair<bool, uint64_t> IntegerRank(const KeyValue& value) {
  if (const auto* signed_value = std::get_if<int64_t>(&value)) {
    return {*signed_value >= 0, static_cast<uint64_t>(*signed_value)};
  }
  return {true, std::get<uint64_t>(value)};
}

int CompareDoubles(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return Sign(std::isnan(a), std::isnan(b));
  return Sign(a, b);  // -0.0 == 0.0
}

int CompareValues(const KeyValue& a, const KeyValue& b) {
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
int PartClass(const KeyPart& part) {
  if (std::holds_alternative<std::monostate>(part.value)) {
    return part.nulls == NullOrder::kNullsFirst ? 0 : 3;
  }
  return part.order == kAsc ? 1 : 2;
}

int CompareParts(const KeyPart& a, const KeyPart& b) {
  const int class_order = Sign(PartClass(a), PartClass(b));
  if (class_order != 0 || PartClass(a) == 0 || PartClass(a) == 3) return class_order;
  const int value_order = CompareValues(a.value, b.value);
  return a.order == kDesc ? -value_order : value_order;
}

// The expected order of keys: part by part; a key that is a prefix of another sorts first.
int CompareKeys(const Parts& a, const Parts& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (const int order = CompareParts(a[i], b[i]); order != 0) return order;
  }
  return Sign(a.size(), b.size());
}

// What decoding must return: -0.0 as 0.0, one NaN, uint64_t only above INT64_MAX, NULL without a
// direction, values with the default NullOrder.
KeyPart Canonical(const KeyPart& part) {
  KeyPart result = part;
  if (std::holds_alternative<std::monostate>(part.value)) {
    result.order = kAsc;
    return result;
  }
  result.nulls = KeyPart().nulls;
  if (const auto* value = std::get_if<double>(&part.value)) {
    if (std::isnan(*value)) result.value = std::bit_cast<double>(kCanonicalNanBits);
    if (*value == 0.0) result.value = 0.0;
  }
  if (const auto* value = std::get_if<uint64_t>(&part.value)) {
    if (*value <= static_cast<uint64_t>(INT64_MAX)) result.value = static_cast<int64_t>(*value);
  }
  return result;
}

bool SameValue(const KeyValue& a, const KeyValue& b) {
  if (a.index() != b.index()) return false;
  if (const auto* value = std::get_if<double>(&a)) {
    return std::bit_cast<uint64_t>(*value) == std::bit_cast<uint64_t>(std::get<double>(b));
  }
  return a == b;
}

bool SameParts(const Parts& a, const Parts& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!SameValue(a[i].value, b[i].value) || a[i].order != b[i].order ||
        a[i].nulls != b[i].nulls) {
      return false;
    }
  }
  return true;
}

Parts CanonicalParts(const Parts& parts) {
  Parts result;
  for (const KeyPart& part : parts) result.push_back(Canonical(part));
  return result;
}

// decode(encode(key)) == canonical(key), and re-encoding the decoded parts gives the same bytes.
::testing::AssertionResult RoundTrips(const Parts& key) {
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

::testing::AssertionResult OrderAgrees(const Parts& a, const std::string& encoded_a, const Parts& b,
                                       const std::string& encoded_b) {
  const int byte_order = Sign(encoded_a, encoded_b);
  const int value_order = CompareKeys(a, b);
  if (byte_order == value_order) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << Describe(a) << " [" << Hex(encoded_a) << "] vs " << Describe(b) << " ["
         << Hex(encoded_b) << "]: memcmp order " << byte_order << ", value order " << value_order;
}

// Round trip of every key, then memcmp order == value order: for neighbours in byte order (which
// with a total value order implies it for every pair) and for random pairs.
void CheckKeys(const std::vector<Parts>& keys, std::mt19937_64* rng) {
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

bool OneIn(std::mt19937_64* rng, int n) { return (*rng)() % n == 0; }

// Both ends of every encoded length, as int64_t and (where not negative) uint64_t.
std::vector<KeyValue> BoundaryIntegers() {
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
std::vector<double> BoundaryDoubles() {
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

int64_t RandomInt64(std::mt19937_64* rng) {
  static const std::vector<KeyValue> kBoundaries = BoundaryIntegers();
  if (OneIn(rng, 8)) {
    const KeyValue& value = kBoundaries[(*rng)() % kBoundaries.size()];
    if (const auto* signed_value = std::get_if<int64_t>(&value)) return *signed_value;
  }
  // A random bit width covers every encoded length evenly.
  const uint64_t bits = (*rng)() >> ((*rng)() % 64);
  return std::bit_cast<int64_t>(OneIn(rng, 2) ? ~bits : bits);
}

uint64_t RandomUint64(std::mt19937_64* rng) {
  if (OneIn(rng, 8)) return UINT64_MAX - (*rng)() % 3;
  return (*rng)() >> ((*rng)() % 64);
}

double RandomDouble(std::mt19937_64* rng) {
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

std::string RandomString(std::mt19937_64* rng, bool narrow) {
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
KeyValue RandomValue(std::mt19937_64* rng, Family family, bool narrow) {
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

constexpr Family kFamilies[] = {kBoolFamily, kIntegerFamily, kDoubleFamily, kBytesFamily,
                                kTextFamily};

struct Column {
  Family family;
  SortOrder order;
  NullOrder nulls;
};

Column RandomColumn(std::mt19937_64* rng) {
  return Column{kFamilies[(*rng)() % std::size(kFamilies)], OneIn(rng, 2) ? kAsc : kDesc,
                OneIn(rng, 2) ? NullOrder::kNullsFirst : NullOrder::kNullsLast};
}

KeyPart RandomPart(std::mt19937_64* rng, const Column& column) {
  if (OneIn(rng, 7)) return KeyPart{std::monostate{}, column.order, column.nulls};
  return KeyPart{RandomValue(rng, column.family, OneIn(rng, 2)), column.order, column.nulls};
}

std::vector<Column> RandomSchema(std::mt19937_64* rng) {
  std::vector<Column> schema(2 + (*rng)() % 3);
  for (Column& column : schema) column = RandomColumn(rng);
  return schema;
}

Parts RandomKey(std::mt19937_64* rng, const std::vector<Column>& schema) {
  Parts key;
  for (const Column& column : schema) key.push_back(RandomPart(rng, column));
  return key;
}

// ---- Exact bytes --------------------------------------------------------------------------

std::string Bytes(std::initializer_list<int> bytes) {
  std::string result;
  for (int byte : bytes) result.push_back(static_cast<char>(byte));
  return result;
}

template <typename Append, typename T>
std::string One(Append append, T value, SortOrder order = kAsc) {
  std::string out;
  append(&out, value, order);
  return out;
}

TEST(KeyCodecTest, NullAndBoolBytes) {
  std::string out;
  AppendNull(&out, NullOrder::kNullsFirst);
  AppendNull(&out, NullOrder::kNullsLast);
  EXPECT_EQ(out, Bytes({0x00, 0xFF}));
  EXPECT_EQ(One(AppendBool, false), Bytes({0x02}));
  EXPECT_EQ(One(AppendBool, true), Bytes({0x03}));
  EXPECT_EQ(One(AppendBool, false, kDesc), Bytes({0xFD}));
  EXPECT_EQ(One(AppendBool, true, kDesc), Bytes({0xFC}));
}

TEST(KeyCodecTest, IntegerBytes) {
  EXPECT_EQ(One(AppendInt, int64_t{0}), Bytes({0x14}));
  EXPECT_EQ(One(AppendInt, int64_t{1}), Bytes({0x15, 0x01}));
  EXPECT_EQ(One(AppendInt, int64_t{-1}), Bytes({0x13, 0xFE}));
  EXPECT_EQ(One(AppendInt, int64_t{255}), Bytes({0x15, 0xFF}));
  EXPECT_EQ(One(AppendInt, int64_t{-255}), Bytes({0x13, 0x00}));
  EXPECT_EQ(One(AppendInt, int64_t{256}), Bytes({0x16, 0x01, 0x00}));
  EXPECT_EQ(One(AppendInt, int64_t{-256}), Bytes({0x12, 0xFE, 0xFF}));
  EXPECT_EQ(One(AppendInt, INT64_MAX),
            Bytes({0x1C, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(One(AppendInt, INT64_MIN),
            Bytes({0x0C, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(One(AppendUint, UINT64_MAX),
            Bytes({0x1C, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(One(AppendUint, uint64_t{256}), One(AppendInt, int64_t{256}));
  EXPECT_EQ(One(AppendInt, int64_t{1}, kDesc), Bytes({0xEA, 0xFE}));
}

TEST(KeyCodecTest, DoubleBytes) {
  using Limits = std::numeric_limits<double>;
  EXPECT_EQ(One(AppendDouble, 0.0), Bytes({0x20, 0x80, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(One(AppendDouble, -0.0), One(AppendDouble, 0.0));
  EXPECT_EQ(One(AppendDouble, 1.0), Bytes({0x20, 0xBF, 0xF0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(One(AppendDouble, -1.0), Bytes({0x20, 0x40, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(One(AppendDouble, Limits::infinity()), Bytes({0x20, 0xFF, 0xF0, 0, 0, 0, 0, 0, 0}));
  const std::string nan = Bytes({0x20, 0xFF, 0xF8, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(One(AppendDouble, Limits::quiet_NaN()), nan);
  EXPECT_EQ(One(AppendDouble, -Limits::quiet_NaN()), nan);
  EXPECT_EQ(One(AppendDouble, Limits::signaling_NaN()), nan);
  EXPECT_EQ(One(AppendDouble, std::bit_cast<double>(uint64_t{0xFFF0000000000001})), nan);
  EXPECT_GT(nan, One(AppendDouble, Limits::infinity()));
}

TEST(KeyCodecTest, TextAndBytesBytes) {
  EXPECT_EQ(One(AppendBytes, std::string_view()), Bytes({0x28, 0x00, 0x01}));
  EXPECT_EQ(One(AppendText, std::string_view()), Bytes({0x29, 0x00, 0x01}));
  EXPECT_EQ(One(AppendText, std::string_view("a\0b", 3)),
            Bytes({0x29, 'a', 0x00, 0xFF, 'b', 0x00, 0x01}));
  EXPECT_EQ(One(AppendBytes, std::string_view("\0\xff", 2)),
            Bytes({0x28, 0x00, 0xFF, 0xFF, 0x00, 0x01}));
  EXPECT_EQ(One(AppendText, std::string_view("a"), kDesc), Bytes({0xD6, 0x9E, 0xFF, 0xFE}));
}

TEST(KeyCodecTest, DescendingInvertsEveryByte) {
  std::mt19937_64 rng(TestSeed(1));
  SCOPED_TRACE(SeedMessage(TestSeed(1)));
  for (int i = 0; i < kValuesPerDirection; ++i) {
    const Family family = kFamilies[i % std::size(kFamilies)];
    const KeyValue value = RandomValue(&rng, family, false);
    std::string ascending = Encode({Value(value, kAsc)});
    const std::string descending = Encode({Value(value, kDesc)});
    for (char& c : ascending) c = static_cast<char>(~c);
    ASSERT_EQ(ascending, descending) << Describe(Value(value));
    const uint8_t tag = static_cast<uint8_t>(descending[0]);
    ASSERT_TRUE(tag >= 0x80 && tag <= 0xFE) << Describe(Value(value));
  }
}

// ---- Boundaries -------------------------------------------------------------------------

TEST(KeyCodecTest, IntegerBoundaries) {
  const std::vector<KeyValue> values = BoundaryIntegers();
  std::vector<Parts> keys;
  for (const KeyValue& value : values) {
    keys.push_back({Value(value, kAsc)});
    keys.push_back({Value(value, kDesc)});
  }
  std::mt19937_64 rng(TestSeed(2));
  SCOPED_TRACE(SeedMessage(TestSeed(2)));
  CheckKeys(keys, &rng);
}

TEST(KeyCodecTest, DoubleBoundaries) {
  const std::vector<double> values = BoundaryDoubles();
  std::vector<Parts> keys;
  for (double value : values) {
    keys.push_back({Value(value, kAsc)});
    keys.push_back({Value(value, kDesc)});
  }
  std::mt19937_64 rng(TestSeed(3));
  SCOPED_TRACE(SeedMessage(TestSeed(3)));
  CheckKeys(keys, &rng);
}

TEST(KeyCodecTest, TextAndBytesBoundaries) {
  const std::vector<std::string> values = {"",
                                           std::string(1, '\0'),
                                           std::string(2, '\0'),
                                           std::string("\0\x01", 2),
                                           std::string("\0\xff", 2),
                                           "\xff",
                                           "\xff\xff",
                                           std::string("\xff\0", 2),
                                           "\x01",
                                           "a",
                                           std::string("a\0", 2),
                                           std::string("a\0\0", 3),
                                           "a\x01",
                                           "a\xff",
                                           "ab",
                                           "b",
                                           std::string(1000, 'z'),
                                           std::string(1000, '\0')};
  std::vector<Parts> keys;
  for (const std::string& value : values) {
    for (SortOrder order : {kAsc, kDesc}) {
      keys.push_back({Value(value, order)});
      keys.push_back({Value(KeyBytes{value}, order)});
      keys.push_back({Value(value, order), Value(int64_t{7}, order)});
    }
  }
  std::mt19937_64 rng(TestSeed(4));
  SCOPED_TRACE(SeedMessage(TestSeed(4)));
  CheckKeys(keys, &rng);
}

TEST(KeyCodecTest, UnsignedDecodesAsSignedWhenItFits) {
  const std::string small = One(AppendUint, uint64_t{INT64_MAX});
  Result<Parts> decoded = DecodeKey(small);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(std::get<int64_t>((*decoded)[0].value), INT64_MAX);
  decoded = DecodeKey(One(AppendUint, uint64_t{INT64_MAX} + 1));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(std::get<uint64_t>((*decoded)[0].value), uint64_t{INT64_MAX} + 1);
}

TEST(KeyCodecTest, NullsSortAtTheirEndWhateverTheDirection) {
  std::vector<Parts> keys;
  for (SortOrder order : {kAsc, kDesc}) {
    for (NullOrder nulls : {NullOrder::kNullsFirst, NullOrder::kNullsLast}) {
      keys.push_back({Null(nulls), Value(int64_t{1}, order)});
      keys.push_back({Value(INT64_MIN, order)});
      keys.push_back({Value(UINT64_MAX, order)});
      keys.push_back({Value(std::string("\xff\xff"), order)});
      keys.push_back({Value(false, order), Null(nulls)});
    }
  }
  std::mt19937_64 rng(TestSeed(5));
  SCOPED_TRACE(SeedMessage(TestSeed(5)));
  CheckKeys(keys, &rng);
}

// ---- Properties ---------------------------------------------------------------------------

TEST(KeyCodecTest, RandomValuesOfEachTypeRoundTripAndOrder) {
  for (Family family : kFamilies) {
    for (SortOrder order : {kAsc, kDesc}) {
      const uint64_t seed = TestSeed(100 + 2 * family + (order == kDesc ? 1 : 0));
      SCOPED_TRACE(SeedMessage(seed) + ", family " + std::to_string(family));
      std::mt19937_64 rng(seed);
      std::vector<Parts> keys;
      for (int i = 0; i < kValuesPerDirection; ++i) {
        keys.push_back({Value(RandomValue(&rng, family, false), order)});
      }
      CheckKeys(keys, &rng);
      if (HasFatalFailure()) return;
    }
  }
}

TEST(KeyCodecTest, RandomCompositeKeysRoundTripAndOrder) {
  constexpr int kSchemas = 40;
  constexpr int kKeysPerSchema = 250;
  const uint64_t seed = TestSeed(6);
  SCOPED_TRACE(SeedMessage(seed));
  std::mt19937_64 rng(seed);
  for (int i = 0; i < kSchemas; ++i) {
    const std::vector<Column> schema = RandomSchema(&rng);
    std::vector<Parts> keys;
    for (int j = 0; j < kKeysPerSchema; ++j) keys.push_back(RandomKey(&rng, schema));
    CheckKeys(keys, &rng);
    if (HasFatalFailure()) return;
  }
}

// Keys of unrelated shapes still order as the model says: by tag, direction and null marker.
TEST(KeyCodecTest, RandomHeterogeneousKeysRoundTripAndOrder) {
  const uint64_t seed = TestSeed(7);
  SCOPED_TRACE(SeedMessage(seed));
  std::mt19937_64 rng(seed);
  std::vector<Parts> keys;
  for (int i = 0; i < 5000; ++i) {
    Parts key;
    const size_t parts = 1 + rng() % 4;
    for (size_t j = 0; j < parts; ++j) key.push_back(RandomPart(&rng, RandomColumn(&rng)));
    keys.push_back(std::move(key));
  }
  CheckKeys(keys, &rng);
}

// ---- Malformed input -----------------------------------------------------------------------

::testing::AssertionResult IsCorruption(std::string_view bytes) {
  const std::vector<char> copy = ExactCopy(bytes);
  std::string_view input(copy.data(), copy.size());
  KeyPart part;
  Status first = DecodeNextPart(&input, &part);
  Result<Parts> all = DecodeExact(bytes);
  if (all.ok() || !all.status().IsCorruption()) {
    return ::testing::AssertionFailure()
           << "[" << Hex(bytes) << "] gave " << all.status().ToString();
  }
  if (!first.ok() && input.size() != bytes.size()) {
    return ::testing::AssertionFailure() << "[" << Hex(bytes) << "] moved input on error";
  }
  return ::testing::AssertionSuccess();
}

TEST(KeyCodecTest, MalformedPartsAreCorruption) {
  EXPECT_TRUE(IsCorruption(Bytes({0x01})));              // unused tag
  EXPECT_TRUE(IsCorruption(Bytes({0x7F})));              // unused tag
  EXPECT_TRUE(IsCorruption(Bytes({0x80})));              // inverted unused tag
  EXPECT_TRUE(IsCorruption(Bytes({0x15})));              // integer without body
  EXPECT_TRUE(IsCorruption(Bytes({0x15, 0x00})));        // positive, leading zero
  EXPECT_TRUE(IsCorruption(Bytes({0x13, 0xFF})));        // negative, leading zero
  EXPECT_TRUE(IsCorruption(Bytes({0x16, 0x00, 0xFF})));  // 255 in two bytes
  EXPECT_TRUE(IsCorruption(Bytes({0x0C, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE})));
  EXPECT_TRUE(IsCorruption(Bytes({0x0C, 0x00, 0, 0, 0, 0, 0, 0, 0})));  // -(2^64 - 1)
  EXPECT_TRUE(IsCorruption(Bytes({0xEA, 0xFF})));                       // descending, leading zero
  EXPECT_TRUE(IsCorruption(Bytes({0x20, 0x80, 0, 0, 0, 0, 0, 0})));     // short double
  EXPECT_TRUE(IsCorruption(Bytes({0x20, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})));
  EXPECT_TRUE(IsCorruption(Bytes({0x20, 0xFF, 0xF8, 0, 0, 0, 0, 0, 1})));  // NaN payload
  EXPECT_TRUE(IsCorruption(Bytes({0x20, 0x00, 0x07, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})));
  EXPECT_TRUE(IsCorruption(Bytes({0x29})));                    // no terminator
  EXPECT_TRUE(IsCorruption(Bytes({0x29, 'a', 0x00})));         // cut inside the terminator
  EXPECT_TRUE(IsCorruption(Bytes({0x29, 'a', 0x00, 0x02})));   // bad escape
  EXPECT_TRUE(IsCorruption(Bytes({0x28, 0x00, 0xFF})));        // escaped zero, no terminator
  EXPECT_TRUE(IsCorruption(Bytes({0xD6, 0x9E, 0xFF, 0x01})));  // descending bad escape
  EXPECT_TRUE(IsCorruption(Bytes({0x14, 0x15})));              // good part, then a bad one
}

// Every prefix of a valid key decodes exactly when it ends on a part boundary.
TEST(KeyCodecTest, EveryPrefixOfAValidKeyDecodesOrIsCorruption) {
  const uint64_t seed = TestSeed(8);
  SCOPED_TRACE(SeedMessage(seed));
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 1000; ++i) {
    const Parts key = RandomKey(&rng, RandomSchema(&rng));
    std::string encoded;
    std::vector<size_t> boundaries = {0};
    for (const KeyPart& part : key) {
      AppendPart(&encoded, part);
      boundaries.push_back(encoded.size());
    }
    for (size_t length = 0; length <= encoded.size(); ++length) {
      const std::string_view prefix(encoded.data(), length);
      const auto boundary = std::find(boundaries.begin(), boundaries.end(), length);
      if (boundary == boundaries.end()) {
        ASSERT_TRUE(IsCorruption(prefix)) << Describe(key);
        continue;
      }
      Result<Parts> decoded = DecodeExact(prefix);
      ASSERT_TRUE(decoded.ok()) << Describe(key) << " " << decoded.status().ToString();
      const Parts leading(key.begin(), key.begin() + (boundary - boundaries.begin()));
      ASSERT_TRUE(SameParts(*decoded, CanonicalParts(leading))) << Describe(key);
    }
  }
}

// Random and mutated bytes never crash; what decodes is canonical (re-encodes to the input).
TEST(KeyCodecTest, GarbageIsCorruptionOrCanonical) {
  const uint64_t seed = TestSeed(9);
  SCOPED_TRACE(SeedMessage(seed));
  std::mt19937_64 rng(seed);
  static constexpr int kTags[] = {0x00, 0xFF, 0x02, 0x03, 0x0C, 0x13, 0x14, 0x15,
                                  0x1C, 0x20, 0x28, 0x29, 0xD6, 0xDF, 0xEB, 0xFD};
  int decoded_count = 0;
  for (int i = 0; i < 40000; ++i) {
    std::string bytes;
    if (i % 2 == 0) {
      bytes.resize(rng() % 24);
      for (char& c : bytes) {
        c = static_cast<char>(OneIn(&rng, 3) ? kTags[rng() % std::size(kTags)] : rng());
      }
    } else {
      bytes = Encode(RandomKey(&rng, RandomSchema(&rng)));
      const size_t position = rng() % bytes.size();
      switch (rng() % 3) {
        case 0:
          bytes[position] = static_cast<char>(rng());
          break;
        case 1:
          bytes.erase(position, 1);
          break;
        default:
          bytes.insert(position, 1, static_cast<char>(rng()));
          break;
      }
    }
    Result<Parts> decoded = DecodeExact(bytes);
    if (!decoded.ok()) {
      ASSERT_TRUE(decoded.status().IsCorruption()) << decoded.status().ToString();
      continue;
    }
    ++decoded_count;
    ASSERT_EQ(Hex(Encode(*decoded)), Hex(bytes)) << Describe(*decoded);
  }
  EXPECT_GT(decoded_count, 100);  // the test must also reach the success path
}

// ---- Prefix scans --------------------------------------------------------------------------

TEST(KeyCodecTest, PrefixSuccessorExamples) {
  EXPECT_EQ(PrefixSuccessor(""), "");
  EXPECT_EQ(PrefixSuccessor("\xff"), "");
  EXPECT_EQ(PrefixSuccessor("\xff\xff\xff"), "");
  EXPECT_EQ(PrefixSuccessor("a"), "b");
  EXPECT_EQ(PrefixSuccessor("a\xff\xff"), "b");
  EXPECT_EQ(PrefixSuccessor(std::string_view("\0", 1)), "\x01");
  EXPECT_EQ(PrefixSuccessor("\x01\xfe\xff"), "\x01\xff");
  EXPECT_EQ(PrefixSuccessor("\x7f"), "\x80");
}

bool InPrefixRange(const std::string& key, const std::string& prefix, const std::string& end) {
  return key >= prefix && (end.empty() || key < end);
}

// [prefix, PrefixSuccessor(prefix)) holds exactly the strings that start with prefix.
TEST(KeyCodecTest, PrefixRangeHoldsExactlyTheKeysWithThePrefix) {
  const uint64_t seed = TestSeed(10);
  SCOPED_TRACE(SeedMessage(seed));
  std::mt19937_64 rng(seed);
  // Short strings over an alphabet of edge bytes.
  std::vector<std::string> strings;
  for (int i = 0; i < 600; ++i) {
    std::string text(rng() % 5, '\0');
    for (char& c : text) c = "\x00\x01\x7f\xfe\xff"[rng() % 5];
    strings.push_back(text);
  }
  // Keys of one schema, and every leading-parts prefix of them.
  const std::vector<Column> schema = RandomSchema(&rng);
  std::vector<std::string> prefixes;
  for (int i = 0; i < 1500; ++i) {
    const Parts key = RandomKey(&rng, schema);
    std::string encoded;
    for (const KeyPart& part : key) {
      AppendPart(&encoded, part);
      if (OneIn(&rng, 8)) prefixes.push_back(encoded);
    }
    strings.push_back(encoded);
  }
  for (int i = 0; i < 60; ++i) prefixes.push_back(strings[rng() % 600]);
  for (const std::string& prefix : prefixes) {
    const std::string end = PrefixSuccessor(prefix);
    ASSERT_TRUE(end.empty() || end > prefix) << Hex(prefix);
    for (const std::string& key : strings) {
      ASSERT_EQ(key.starts_with(prefix), InPrefixRange(key, prefix, end))
          << "prefix [" << Hex(prefix) << "] end [" << Hex(end) << "] key [" << Hex(key) << "]";
    }
  }
}

// ---- The public Key wrapper ------------------------------------------------------------------

TEST(KeyCodecApiTest, KeyBuildsDecodesAndBoundsPrefixScans) {
  Key key;
  key.AddInt(-3).AddText("a", SortOrder::kDescending).AddNull(NullOrder::kNullsFirst);
  key.AddBool(true).AddUint(UINT64_MAX).AddDouble(-0.0).AddBytes(std::string_view("\0", 1));
  Result<Parts> parts = key.Decode();
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 7u);
  EXPECT_EQ(std::get<int64_t>((*parts)[0].value), -3);
  EXPECT_EQ(std::get<std::string>((*parts)[1].value), "a");
  EXPECT_EQ((*parts)[1].order, SortOrder::kDescending);
  EXPECT_EQ((*parts)[2].nulls, NullOrder::kNullsFirst);
  EXPECT_TRUE(std::get<bool>((*parts)[3].value));
  EXPECT_EQ(std::get<uint64_t>((*parts)[4].value), UINT64_MAX);
  EXPECT_FALSE(std::signbit(std::get<double>((*parts)[5].value)));
  EXPECT_EQ(std::get<KeyBytes>((*parts)[6].value).value, std::string(1, '\0'));

  Key prefix;
  prefix.AddInt(-3);
  Key longer = prefix;
  longer.AddText("zzz");
  EXPECT_TRUE(longer.encoded().starts_with(prefix.encoded()));
  EXPECT_LT(prefix, longer);
  EXPECT_LT(longer.encoded(), prefix.PrefixEnd());
  EXPECT_EQ(Key().PrefixEnd(), "");
  EXPECT_TRUE(Key().empty());
  EXPECT_EQ(Key::FromEncoded(key.encoded()), key);
  EXPECT_TRUE(Key::FromEncoded("\x29\x61").Decode().status().IsCorruption());
}

}  // namespace
}  // namespace plexus::storage
