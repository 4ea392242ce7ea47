// Key codec property tests (seeded): memcmp order of encodings == value order,
// decode(encode(x)) == x, bad bytes give kCorruption and never a crash, prefix ranges.
#include <gtest/gtest.h>

#include "plexus/storage/key_codec.h"
#include "plexus/storage/key_codec_test_util.h"

// Inside key_codec_testing, whose names need no using-directive here: in a unity batch one would
// reach the files after this one (its Family would clash with storage::Family).
namespace plexus::storage::key_codec_testing {
namespace {

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
}  // namespace plexus::storage::key_codec_testing
