// ListChunk: the byte format of a list chunk (see list_chunk.h) and its edits.
#include "plexus/kv/list_chunk.h"

#include <algorithm>

#include "plexus/base/assert.h"
#include "plexus/base/varint.h"
#include "plexus/kv/keyspace_internal.h"

namespace plexus::kv {
namespace {

constexpr uint32_t kApartTag = 1;

}  // namespace

std::string ListChunkSubKey(uint64_t chunk_number) {
  std::string bytes;
  PutBigEndian64(&bytes, chunk_number);
  return bytes;
}

std::string ListApartSubKey(uint64_t index) {
  std::string bytes = ListChunkSubKey(index / kListChunkSlots);
  bytes.push_back(static_cast<char>(index % kListChunkSlots));
  return bytes;
}

std::pair<std::string, std::string> ListSubKeyRange(uint64_t first, uint64_t end) {
  PLEXUS_DCHECK(first < end);
  return {ListChunkSubKey(first / kListChunkSlots),
          ListChunkSubKey((end - 1) / kListChunkSlots + 1)};
}

void ListChunk::Clear() {
  first_ = 0;
  count_ = 0;
  apart_ = 0;
  inline_bytes_ = 0;
  stored_.clear();
  written_.clear();
}

Status ListChunk::Decode(std::string bytes) {
  Clear();
  stored_ = std::move(bytes);
  const char* data = stored_.data();
  const size_t end = stored_.size();
  if (end < 2) {
    Clear();
    return Status::Corruption("bad list chunk");
  }
  const uint32_t first = static_cast<uint8_t>(data[0]);
  const uint32_t count = static_cast<uint8_t>(data[1]);
  if (first + count > kListChunkSlots) {
    Clear();
    return Status::Corruption("bad list chunk");
  }
  size_t position = 2;
  for (uint32_t slot = first; slot < first + count; ++slot) {
    uint32_t tag = 0;
    std::string_view rest(data + position, end - position);
    if (!base::GetVarint32(&rest, &tag)) {
      Clear();
      return Status::Corruption("bad list chunk");
    }
    position = end - rest.size();
    if (tag == kApartTag) {
      apart_ |= uint64_t{1} << slot;
      slots_[slot] = {};
      continue;
    }
    const size_t length = tag / 2;
    if ((tag & 1) != 0 || end - position < length) {
      Clear();
      return Status::Corruption("bad list chunk");
    }
    slots_[slot] = std::string_view(data + position, length);
    inline_bytes_ += length;
    position += length;
  }
  if (position != end) {
    Clear();
    return Status::Corruption("bad list chunk");
  }
  first_ = first;
  count_ = count;
  return Status::Ok();
}

void ListChunk::Encode(std::string* out) const {
  PLEXUS_DCHECK(count_ > 0 && first_ + count_ <= kListChunkSlots);
  out->reserve(out->size() + 2 + count_ * 2 + inline_bytes_);
  out->push_back(static_cast<char>(first_));
  out->push_back(static_cast<char>(count_));
  for (uint32_t slot = first_; slot < first_ + count_; ++slot) {
    if (Apart(slot)) {
      base::PutVarint32(out, kApartTag);
      continue;
    }
    base::PutVarint32(out, static_cast<uint32_t>(slots_[slot].size() * 2));
    out->append(slots_[slot]);
  }
}

bool ListChunk::Place(uint32_t slot, uint32_t live_first, uint32_t live_end) {
  PLEXUS_DCHECK(live_first <= slot && slot < live_end && live_end <= kListChunkSlots);
  // Every live slot but `slot` must be in the run already: pushes add one position next to the
  // live ones, and a chunk is dropped only when none of its positions is live.
  const uint32_t run_end = first_ + count_;
  uint32_t rest_first = live_first, rest_end = live_end;
  if (slot == live_first) {
    ++rest_first;
  } else if (slot + 1 == live_end) {
    --rest_end;
  }
  if (rest_first < rest_end && (rest_first < first_ || rest_end > run_end)) return false;
  // Garbage slots outside the live range leave the run (their inline bytes with them).
  // Only those: a push's live range covers all of the run but garbage left by pops (a loop over
  // the whole run would cost every push 64 steps).
  const auto drop = [this](uint32_t from, uint32_t to) {
    for (uint32_t s = from; s < to; ++s) {
      if (!Apart(s)) inline_bytes_ -= slots_[s].size();
      slots_[s] = {};
    }
  };
  drop(first_, std::min(run_end, live_first));
  drop(std::max(first_, live_end), run_end);
  const uint64_t live_mask = (live_end - live_first == 64)
                                 ? ~uint64_t{0}
                                 : ((uint64_t{1} << (live_end - live_first)) - 1) << live_first;
  apart_ &= live_mask;
  if (slot < first_ || slot >= run_end) {
    // The new slot holds nothing yet (inline, empty) until the caller sets it.
    apart_ &= ~(uint64_t{1} << slot);
    slots_[slot] = {};
  }
  first_ = live_first;
  count_ = live_end - live_first;
  return true;
}

bool ListChunk::FitsInline(uint32_t slot, std::string_view value) const {
  if (value.size() > kListInlineBytesMax) return false;
  const size_t current = Apart(slot) ? 0 : slots_[slot].size();
  return inline_bytes_ - current + value.size() <= kListChunkInlineBytesMax;
}

void ListChunk::SetInline(uint32_t slot, std::string_view value) {
  PLEXUS_DCHECK(Has(slot));
  if (!Apart(slot)) inline_bytes_ -= slots_[slot].size();
  apart_ &= ~(uint64_t{1} << slot);
  written_.emplace_back(value);
  slots_[slot] = written_.back();
  inline_bytes_ += value.size();
}

void ListChunk::SetApart(uint32_t slot) {
  PLEXUS_DCHECK(Has(slot));
  if (!Apart(slot)) inline_bytes_ -= slots_[slot].size();
  apart_ |= uint64_t{1} << slot;
  slots_[slot] = {};
}

}  // namespace plexus::kv
