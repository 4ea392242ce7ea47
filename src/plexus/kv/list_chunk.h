// A list's elements are stored 64 positions to a kv_data entry (a chunk), so that a commit
// group of pushes to one list writes a few entries instead of one per element.
//
// Keys (under the list's DataPrefix):
//   [chunk number = index / 64 : 8 BE]             -> chunk
//   [chunk number : 8 BE][slot = index % 64 : 1]   -> an element stored apart (see below)
// Chunk value: [first slot:1][slot count:1], then per slot of the run [first, first + count):
//   [varint32 tag] with tag = 2 * length followed by the element's bytes (inline), or tag = 1
//   (the element is stored apart, under the slot's own key).
// Slots outside the list's [head, head + size) are garbage: a write of the chunk drops them, and
// kv's compaction check drops a chunk none of whose 64 positions is live, and an apart entry
// whose position is not live or whose chunk does not say "apart" for it.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "plexus/base/status.h"

namespace plexus::kv {

inline constexpr uint64_t kListChunkSlots = 64;
// An element longer than this is stored apart: LSET/LINDEX of big values then rewrite or read
// that value alone, not the 63 beside it.
inline constexpr size_t kListInlineBytesMax = 1024;
// A chunk's inline bytes at most (then further elements go apart): a push rewrites its chunk,
// so this bounds the bytes one push writes.
inline constexpr size_t kListChunkInlineBytesMax = 8192;

// The sub-key of chunk `chunk_number`, and of the element stored apart at `index`.
std::string ListChunkSubKey(uint64_t chunk_number);
std::string ListApartSubKey(uint64_t index);
// The sub-keys [lower, upper) that hold the list positions [first, end) (chunks and elements
// stored apart). REQUIRES: first < end.
std::pair<std::string, std::string> ListSubKeyRange(uint64_t first, uint64_t end);

// One chunk, decoded: a run of slots, each inline (a view into the stored bytes or into a value
// written since) or stored apart.
class ListChunk {
 public:
  ListChunk() = default;
  ListChunk(const ListChunk&) = delete;
  ListChunk& operator=(const ListChunk&) = delete;

  // Replaces the contents by the chunk value `bytes`; Corruption when malformed (then empty).
  Status Decode(std::string bytes);
  // Appends the chunk value.
  void Encode(std::string* out) const;

  bool Has(uint32_t slot) const { return slot >= first_ && slot < first_ + count_; }
  // REQUIRES: Has(slot).
  bool Apart(uint32_t slot) const { return (apart_ >> slot) & 1; }
  // REQUIRES: Has(slot) && !Apart(slot). Valid until the chunk changes.
  std::string_view Inline(uint32_t slot) const { return slots_[slot]; }

  // Keeps the run's slots in [live_first, live_end) (the list's live positions within this
  // chunk) and adds `slot` to it; false (nothing changed) when a live slot other than `slot`
  // is missing from the run, which a consistent list never has.
  // REQUIRES: live_first <= slot < live_end <= kListChunkSlots.
  bool Place(uint32_t slot, uint32_t live_first, uint32_t live_end);
  // REQUIRES: Has(slot) (after Place). Whether `value` fits inline (else it goes apart).
  bool FitsInline(uint32_t slot, std::string_view value) const;
  void SetInline(uint32_t slot, std::string_view value);
  void SetApart(uint32_t slot);

  uint32_t first() const { return first_; }
  uint32_t count() const { return count_; }

 private:
  void Clear();
  uint32_t first_ = 0;
  uint32_t count_ = 0;
  uint64_t apart_ = 0;  // bit per slot
  size_t inline_bytes_ = 0;
  std::array<std::string_view, kListChunkSlots> slots_{};
  std::string stored_;               // the decoded value, which slots_ point into
  std::deque<std::string> written_;  // values set since (a deque: their addresses stay)
};

}  // namespace plexus::kv
