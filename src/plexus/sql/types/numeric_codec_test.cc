// Numeric byte forms: exact bytes of the stored value and of the key part, round trips, rejection
// of non-canonical or damaged stored values, and seeded properties (memcmp order of keys equals
// Compare order, in both directions and inside composite keys; equal values share key and hash).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "plexus/sql/types/numeric.h"
#include "plexus/sql/types/numeric_test_util.h"

namespace plexus::sql {
namespace {

using numeric_test::N;

// Fixed so that runs repeat; PLEXUS_TEST_SEED=<n> explores other seeds.
constexpr uint64_t kSeed = 0x4E554D45524943;
constexpr int kRandomValues = 3000;
constexpr int kRandomPairChecks = 20000;

uint64_t Seed(uint64_t salt) {
  const char* text = std::getenv("PLEXUS_TEST_SEED");
  return (text != nullptr ? std::strtoull(text, nullptr, 0) : kSeed) + salt;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (char c : bytes) {
    auto byte = static_cast<uint8_t>(c);
    if (!text.empty()) text += ' ';
    text += kDigits[byte >> 4];
    text += kDigits[byte & 0xF];
  }
  return text;
}

std::string Encoded(const Numeric& value) {
  std::string out;
  value.EncodeTo(&out);
  return out;
}

std::string Key(const Numeric& value, bool descending = false) {
  std::string out;
  value.AppendKey(&out, descending);
  return out;
}

int Sign(int value) { return (value > 0) - (value < 0); }

// A value drawn from a wide spread: special values, zeros with scales, integers, long fractions,
// tiny and huge exponents, and near neighbours of each other (shared leading digits).
Numeric RandomNumeric(std::mt19937_64& random) {
  std::uniform_int_distribution<int> percent(0, 99);
  int kind = percent(random);
  if (kind < 3) return Numeric::NaN();
  if (kind < 5) return Numeric::Infinity();
  if (kind < 7) return Numeric::NegativeInfinity();
  if (kind < 10) return N(kind < 8 ? "0" : "-0.000");
  std::string text = percent(random) < 50 ? "-" : "";
  int digit_count = std::uniform_int_distribution<int>(1, kind < 30 ? 4 : 30)(random);
  for (int i = 0; i < digit_count; i++) {
    // Mostly 0s and 9s so that many values share prefixes and carry boundaries.
    int choice = percent(random);
    text += choice < 30 ? '0' : choice < 60 ? '9' : static_cast<char>('0' + choice % 10);
  }
  if (percent(random) < 60) text.insert(text.size() - digit_count / 2, ".");
  if (percent(random) < 25) {
    text += "e" + std::to_string(std::uniform_int_distribution<int>(-200, 200)(random));
  } else if (percent(random) < 3) {
    text += percent(random) < 50 ? "e131000" : "e-16000";
  }
  Result<Numeric> value = Numeric::Parse(text);
  EXPECT_TRUE(value.ok()) << text << ": " << value.status().ToString();
  return value.ok() ? *value : Numeric();
}

TEST(NumericCodecTest, StoredBytes) {
  EXPECT_EQ(Hex(Encoded(N("1.50"))), "00 02 00 00 01 13 88");  // scale 2, weight 0, 1 and 5000
  EXPECT_EQ(Hex(Encoded(N("-1"))), "01 00 00 00 01");
  EXPECT_EQ(Hex(Encoded(N("0.00"))), "00 02 00");
  EXPECT_EQ(Hex(Encoded(N("12345678.9"))), "00 01 02 04 d2 16 2e 23 28");  // weight 1 -> zigzag 2
  EXPECT_EQ(Hex(Encoded(N("0.0001"))), "00 04 01 00 01");                  // weight -1 -> zigzag 1
  EXPECT_EQ(Hex(Encoded(Numeric::NaN())), "02");
  EXPECT_EQ(Hex(Encoded(Numeric::Infinity())), "03");
  EXPECT_EQ(Hex(Encoded(Numeric::NegativeInfinity())), "04");
  EXPECT_EQ(Hex(Encoded(N("1e-200"))), "00 c8 01 63 00 01");  // scale 200, weight -50
}

TEST(NumericCodecTest, RoundTrip) {
  const char* kValues[] = {
      "0",       "0.000",     "1",         "-1",           "1.50",
      "-0.0001", "12345.678", "1e131071",  "-9999e131068", "1e-16383",
      "NaN",     "Infinity",  "-Infinity", "0.1e-16382",   "99999999.99999999"};
  for (const char* text : kValues) {
    Numeric value = N(text);
    std::string bytes = Encoded(value);
    Result<Numeric> decoded = Numeric::Decode(bytes);
    ASSERT_TRUE(decoded.ok()) << text << ": " << decoded.status().ToString();
    EXPECT_EQ(decoded->ToString(), value.ToString()) << text;
    EXPECT_EQ(decoded->scale(), value.scale()) << text;
    EXPECT_EQ(Encoded(*decoded), bytes) << text;
  }
  // The longest value: every digit before and after the point in use.
  Numeric longest = N(std::string(131072, '9') + "." + std::string(16383, '9'));
  Result<Numeric> decoded_longest = Numeric::Decode(Encoded(longest));
  ASSERT_TRUE(decoded_longest.ok()) << decoded_longest.status().ToString();
  EXPECT_EQ(decoded_longest->ToString(), longest.ToString());
  EXPECT_EQ(Encoded(longest).size(), 1 + 2 + 3 + 2 * (32768 + 4096));
  std::mt19937_64 random(Seed(1));
  for (int i = 0; i < kRandomValues; i++) {
    Numeric value = RandomNumeric(random);
    Result<Numeric> decoded = Numeric::Decode(Encoded(value));
    ASSERT_TRUE(decoded.ok()) << value.ToString();
    EXPECT_EQ(decoded->ToString(), value.ToString());
  }
}

TEST(NumericCodecTest, DecodeRejectsDamagedOrNonCanonicalBytes) {
  const std::vector<std::string> kBad = {
      std::string(),                                   // empty
      std::string("\x05", 1),                          // unknown kind
      std::string("\x02\x00", 2),                      // bytes after NaN
      std::string("\x00", 1),                          // no scale
      std::string("\x00\x80", 2),                      // truncated varint
      std::string("\x00\x00\x00\x01", 4),              // odd digit bytes
      std::string("\x00\x00\x00\x27\x10", 5),          // digit 10000
      std::string("\x00\x00\x02\x00\x00\x00\x01", 7),  // leading zero digit
      std::string("\x00\x00\x00\x00\x01\x00\x00", 7),  // trailing zero digit
      std::string("\x01\x00\x00", 3),                  // negative zero
      std::string("\x00\x00\x02", 3),                  // zero with weight 1
      std::string("\x00\x80\x80\x01\x00", 5),          // scale 16384
      std::string("\x00\x00\x80\x80\x04\x00\x01", 7),  // weight 32768
      std::string("\x00\x00\x01\x13\x88", 5),          // 0.5 shown with scale 0
      std::string("\x00\x80\x80\x80\x80\x10\x00", 7),  // varint beyond 32 bits
  };
  for (const std::string& bytes : kBad) {
    Result<Numeric> decoded = Numeric::Decode(bytes);
    EXPECT_FALSE(decoded.ok()) << Hex(bytes);
    if (!decoded.ok()) {
      EXPECT_TRUE(decoded.status().IsCorruption()) << Hex(bytes);
    }
  }
  // Arbitrary bytes never crash, and whatever decodes re-encodes to the same bytes.
  std::mt19937_64 random(Seed(2));
  for (int i = 0; i < 20000; i++) {
    std::string bytes(std::uniform_int_distribution<int>(0, 8)(random), '\0');
    for (char& c : bytes) c = static_cast<char>(random() % 6 == 0 ? random() % 5 : random());
    Result<Numeric> decoded = Numeric::Decode(bytes);
    if (decoded.ok()) {
      EXPECT_EQ(Encoded(*decoded), bytes) << Hex(bytes);
    }
  }
}

TEST(NumericCodecTest, KeyBytes) {
  EXPECT_EQ(Hex(Key(N("1"))), "33 80 00 01 01 00");
  EXPECT_EQ(Hex(Key(N("1.000"))), "33 80 00 01 01 00");
  EXPECT_EQ(Hex(Key(N("-1"))), "31 7f ff fe fe ff");
  EXPECT_EQ(Hex(Key(N("12345.6789"))), "33 80 01 01 01 18 2d 44 59 00");  // digits 1, 2345, 6789
  EXPECT_EQ(Hex(Key(N("0.00"))), "32");
  EXPECT_EQ(Hex(Key(Numeric::NegativeInfinity())), "30");
  EXPECT_EQ(Hex(Key(Numeric::Infinity())), "34");
  EXPECT_EQ(Hex(Key(Numeric::NaN())), "35");
  EXPECT_EQ(Hex(Key(N("1"), /*descending=*/true)), "cc 7f ff fe fe ff");
  EXPECT_EQ(Hex(Key(Numeric::NaN(), /*descending=*/true)), "ca");
}

TEST(NumericCodecTest, EqualValuesShareKeys) {
  const std::vector<std::vector<const char*>> kGroups = {
      {"1", "1.0", "1.00000", "1e0", "0.1e1"},
      {"0", "-0", "0.000", "0e100"},
      {"-250", "-250.0", "-2.5e2"},
      {"0.0001", "1e-4", "0.00010"},
  };
  for (const std::vector<const char*>& group : kGroups) {
    for (const char* text : group) {
      EXPECT_EQ(Key(N(text)), Key(N(group[0]))) << text;
      EXPECT_EQ(Key(N(text), true), Key(N(group[0]), true)) << text;
    }
  }
}

TEST(NumericCodecTest, KeyOrderIsValueOrder) {
  std::mt19937_64 random(Seed(3));
  std::vector<Numeric> values;
  for (int i = 0; i < kRandomValues; i++) values.push_back(RandomNumeric(random));
  for (const char* text : {"0", "1", "-1", "0.9999", "1.0001", "9999", "10000", "-9999", "-10000",
                           "1e131071", "-1e131071", "1e-16383", "-1e-16383"}) {
    values.push_back(N(text));
  }
  std::uniform_int_distribution<size_t> pick(0, values.size() - 1);
  for (int i = 0; i < kRandomPairChecks; i++) {
    const Numeric& a = values[pick(random)];
    const Numeric& b = values[pick(random)];
    int order = Sign(a.Compare(b));
    EXPECT_EQ(Sign(Key(a).compare(Key(b))), order) << a.ToString() << " vs " << b.ToString();
    EXPECT_EQ(Sign(Key(a, true).compare(Key(b, true))), -order)
        << a.ToString() << " vs " << b.ToString();
    if (order == 0) {
      EXPECT_EQ(a.Hash(), b.Hash()) << a.ToString() << " vs " << b.ToString();
    }
    // Key parts are self-delimiting: a composite key orders by its first part, then its second.
    const Numeric& c = values[pick(random)];
    const Numeric& d = values[pick(random)];
    int composite_order = order != 0 ? order : Sign(c.Compare(d));
    EXPECT_EQ(Sign((Key(a) + Key(c)).compare(Key(b) + Key(d))), composite_order)
        << a.ToString() << "," << c.ToString() << " vs " << b.ToString() << "," << d.ToString();
  }
  // Sorting by key bytes gives the Compare order.
  std::vector<Numeric> by_key = values;
  std::stable_sort(by_key.begin(), by_key.end(),
                   [](const Numeric& a, const Numeric& b) { return Key(a) < Key(b); });
  for (size_t i = 1; i < by_key.size(); i++) {
    EXPECT_LE(by_key[i - 1].Compare(by_key[i]), 0)
        << by_key[i - 1].ToString() << " then " << by_key[i].ToString();
  }
}

TEST(NumericCodecTest, RescaledValuesShareKeyAndHash) {
  std::mt19937_64 random(Seed(4));
  for (int i = 0; i < kRandomValues; i++) {
    Numeric value = RandomNumeric(random);
    if (!value.IsFinite() || value.scale() > 16000) continue;
    Result<Numeric> rescaled = value.Round(value.scale() + 7);  // same value, more decimals
    ASSERT_TRUE(rescaled.ok());
    EXPECT_EQ(*rescaled, value) << value.ToString();
    EXPECT_EQ(rescaled->Hash(), value.Hash()) << value.ToString();
    EXPECT_EQ(Key(*rescaled), Key(value)) << value.ToString();
    EXPECT_EQ(value.TrimScale().Hash(), value.Hash()) << value.ToString();
  }
}

}  // namespace
}  // namespace plexus::sql
