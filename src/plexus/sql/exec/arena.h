// Arena: bump allocation of variable-length values (strings, numerics, jsonb) for one batch.
// Reset() keeps the largest block, so a steady stream of batches allocates nothing.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace plexus::sql {

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&&) noexcept = default;
  Arena& operator=(Arena&&) noexcept = default;

  char* Allocate(size_t bytes);
  std::string_view Copy(std::string_view text) {
    if (text.empty()) return {};
    char* copy = Allocate(text.size());
    std::char_traits<char>::copy(copy, text.data(), text.size());
    return {copy, text.size()};
  }
  void Reset();
  size_t allocated_bytes() const { return allocated_bytes_; }

 private:
  static constexpr size_t kBlockBytesMin = 16 * 1024;
  struct Block {
    std::unique_ptr<char[]> data;
    size_t size;
  };
  std::vector<Block> blocks_;
  size_t used_ = 0;  // in blocks_.back()
  size_t allocated_bytes_ = 0;
};

}  // namespace plexus::sql
