// Arena blocks grow geometrically; Reset keeps only the largest one.
#include "plexus/sql/exec/arena.h"

#include <algorithm>

namespace plexus::sql {

char* Arena::Allocate(size_t bytes) {
  if (blocks_.empty() || blocks_.back().size - used_ < bytes) {
    size_t size = std::max({bytes, kBlockBytesMin, blocks_.empty() ? 0 : blocks_.back().size * 2});
    blocks_.push_back(Block{std::make_unique<char[]>(size), size});
    used_ = 0;
  }
  char* result = blocks_.back().data.get() + used_;
  used_ += bytes;
  allocated_bytes_ += bytes;
  return result;
}

void Arena::Reset() {
  if (blocks_.size() > 1) {
    auto largest = std::max_element(blocks_.begin(), blocks_.end(),
                                    [](const Block& a, const Block& b) { return a.size < b.size; });
    Block keep = std::move(*largest);
    blocks_.clear();
    blocks_.push_back(std::move(keep));
  }
  used_ = 0;
  allocated_bytes_ = 0;
}

}  // namespace plexus::sql
