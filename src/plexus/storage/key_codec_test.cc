// Key codec tests: exact bytes of the format and round trips at the boundaries.
#include "plexus/storage/key_codec.h"

#include <gtest/gtest.h>

#include "plexus/storage/key_codec_test_util.h"

// Inside key_codec_testing, whose names need no using-directive here: in a unity batch one would
// reach the files after this one (its Family would clash with storage::Family).
namespace plexus::storage::key_codec_testing {
namespace {

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

}  // namespace
}  // namespace plexus::storage::key_codec_testing
