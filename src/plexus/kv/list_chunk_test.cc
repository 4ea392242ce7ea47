// ListChunk: the chunk value's bytes both ways, malformed values, and Place's run upkeep.
#include "plexus/kv/list_chunk.h"

#include <gtest/gtest.h>

namespace plexus::kv {
namespace {

std::string Encoded(const ListChunk& chunk) {
  std::string bytes;
  chunk.Encode(&bytes);
  return bytes;
}

TEST(ListChunkTest, EncodesTheRunAndDecodesItBack) {
  ListChunk chunk;
  ASSERT_TRUE(chunk.Place(10, 10, 11));  // a push into an absent chunk
  chunk.SetInline(10, "ten");
  ASSERT_TRUE(chunk.Place(9, 9, 11));  // LPUSH
  chunk.SetApart(9);
  ASSERT_TRUE(chunk.Place(11, 9, 12));  // RPUSH
  chunk.SetInline(11, std::string(200, 'e'));
  ASSERT_TRUE(chunk.Place(12, 9, 13));
  chunk.SetInline(12, "");
  const std::string bytes = Encoded(chunk);
  std::string expected("\x09\x04\x01\x06ten", 7);
  expected += std::string("\x90\x03", 2) + std::string(200, 'e') + std::string(1, '\0');
  EXPECT_EQ(bytes, expected);

  ListChunk decoded;
  ASSERT_TRUE(decoded.Decode(bytes).ok());
  EXPECT_EQ(decoded.first(), 9u);
  EXPECT_EQ(decoded.count(), 4u);
  EXPECT_FALSE(decoded.Has(8));
  EXPECT_FALSE(decoded.Has(13));
  EXPECT_TRUE(decoded.Apart(9));
  EXPECT_EQ(decoded.Inline(10), "ten");
  EXPECT_EQ(decoded.Inline(11), std::string(200, 'e'));
  EXPECT_EQ(decoded.Inline(12), "");
  EXPECT_EQ(Encoded(decoded), bytes);
}

TEST(ListChunkTest, RejectsMalformedValues) {
  ListChunk chunk;
  for (const std::string& bad :
       {std::string(), std::string("\x00", 1), std::string("\x3F\x02\x00\x00", 4),  // past slot 63
        std::string("\x00\x01\x08"
                    "abc",
                    6),                  // 4 bytes said, 3 left
        std::string("\x00\x01\x03", 3),  // odd tag other than 1
        std::string("\x00\x01\x00"
                    "x",
                    4),  // bytes after the run
        std::string("\x00\x01\xFF\xFF\xFF\xFF\xFF", 7)}) {
    EXPECT_TRUE(chunk.Decode(bad).IsCorruption()) << testing::PrintToString(bad);
    EXPECT_EQ(chunk.count(), 0u);
  }
  // The full run of 64 slots decodes.
  std::string full("\x00\x40", 2);
  for (int i = 0; i < 64; ++i) full += std::string("\x02", 1) + static_cast<char>('0' + i % 10);
  ASSERT_TRUE(chunk.Decode(full).ok());
  EXPECT_EQ(chunk.count(), 64u);
  EXPECT_EQ(chunk.Inline(63), "3");
}

// Garbage slots (outside the live range) leave the run when the chunk is written; a write that
// would leave a live slot missing from the run is refused.
TEST(ListChunkTest, PlaceKeepsTheRunToTheLiveSlots) {
  ListChunk chunk;
  for (uint32_t slot = 0; slot < 64; ++slot) {
    ASSERT_TRUE(chunk.Place(slot, 0, slot + 1));
    chunk.SetInline(slot, std::to_string(slot));
  }
  chunk.SetApart(40);
  // Pops left [0, 30) live; a push right is not possible in a full chunk, so an LSET at 35.
  ASSERT_TRUE(chunk.Place(35, 30, 64));
  chunk.SetInline(35, "set");
  EXPECT_EQ(chunk.first(), 30u);
  EXPECT_EQ(chunk.count(), 34u);
  EXPECT_TRUE(chunk.Apart(40));
  // Then everything but [38, 42) popped, and a push left at 37.
  ASSERT_TRUE(chunk.Place(37, 37, 42));
  chunk.SetInline(37, "pushed");
  EXPECT_EQ(chunk.first(), 37u);
  EXPECT_EQ(chunk.count(), 5u);
  ListChunk decoded;
  ASSERT_TRUE(decoded.Decode(Encoded(chunk)).ok());
  EXPECT_EQ(decoded.Inline(37), "pushed");
  EXPECT_EQ(decoded.Inline(38), "38");
  EXPECT_TRUE(decoded.Apart(40));
  EXPECT_EQ(decoded.Inline(41), "41");
  // A gap: slots 35 and 36 are not in the run, so a live range from 35 cannot be.
  EXPECT_FALSE(decoded.Place(35, 35, 42));
  EXPECT_FALSE(decoded.Place(44, 37, 45));
  EXPECT_EQ(decoded.count(), 5u);
  // An absent chunk takes one live slot only.
  ListChunk absent;
  EXPECT_FALSE(absent.Place(5, 5, 7));
  EXPECT_FALSE(absent.Place(6, 5, 7));
}

TEST(ListChunkTest, InlineBytesAreCapped) {
  ListChunk chunk;
  EXPECT_FALSE(chunk.Place(0, 0, 1) &&
               chunk.FitsInline(0, std::string(kListInlineBytesMax + 1, 'x')));
  EXPECT_TRUE(chunk.FitsInline(0, std::string(kListInlineBytesMax, 'x')));
  uint32_t slot = 0;
  size_t bytes = 0;
  for (; bytes + kListInlineBytesMax <= kListChunkInlineBytesMax; ++slot) {
    ASSERT_TRUE(chunk.Place(slot, 0, slot + 1));
    ASSERT_TRUE(chunk.FitsInline(slot, std::string(kListInlineBytesMax, 'x')));
    chunk.SetInline(slot, std::string(kListInlineBytesMax, 'x'));
    bytes += kListInlineBytesMax;
  }
  ASSERT_TRUE(chunk.Place(slot, 0, slot + 1));
  EXPECT_FALSE(chunk.FitsInline(slot, std::string(kListInlineBytesMax, 'x')));
  // Replacing an inline value counts its old bytes out.
  EXPECT_TRUE(chunk.FitsInline(0, std::string(kListInlineBytesMax, 'y')));
  // Popped slots' bytes leave with them.
  ASSERT_TRUE(chunk.Place(slot, 1, slot + 1));
  EXPECT_TRUE(chunk.FitsInline(slot, std::string(kListInlineBytesMax, 'x')));
}

}  // namespace
}  // namespace plexus::kv
