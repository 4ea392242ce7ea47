// DigitVector: the base-10000 digits of a numeric value, most significant first. The first
// kInlineDigits (32 decimal digits) live inside the object, so most values never touch the heap.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>

#include "plexus/base/assert.h"

namespace plexus::sql::numeric_internal {

using Digit = int16_t;

class DigitVector {
 public:
  static constexpr size_t kInlineDigits = 8;

  DigitVector() = default;
  DigitVector(std::initializer_list<Digit> digits) { Append(digits.begin(), digits.size()); }
  DigitVector(const DigitVector& other) { Append(other.data_, other.size_); }
  DigitVector(DigitVector&& other) noexcept { TakeFrom(other); }
  DigitVector& operator=(const DigitVector& other) {
    if (this != &other) {
      size_ = 0;
      Append(other.data_, other.size_);
    }
    return *this;
  }
  DigitVector& operator=(DigitVector&& other) noexcept {
    if (this != &other) {
      Release();
      TakeFrom(other);
    }
    return *this;
  }
  ~DigitVector() { Release(); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Digit* begin() { return data_; }
  Digit* end() { return data_ + size_; }
  const Digit* begin() const { return data_; }
  const Digit* end() const { return data_ + size_; }
  Digit& operator[](size_t index) {
    PLEXUS_DCHECK(index < size_);
    return data_[index];
  }
  Digit operator[](size_t index) const {
    PLEXUS_DCHECK(index < size_);
    return data_[index];
  }
  Digit front() const { return (*this)[0]; }
  Digit back() const { return (*this)[size_ - 1]; }

  void clear() { size_ = 0; }
  void pop_back() {
    PLEXUS_DCHECK(size_ > 0);
    size_--;
  }
  void push_back(Digit digit) {
    Reserve(size_ + 1);
    data_[size_++] = digit;
  }
  // Grows with zero digits or shrinks to `count`.
  void resize(size_t count) {
    Reserve(count);
    if (count > size_) std::fill(data_ + size_, data_ + count, Digit{0});
    size_ = count;
  }
  void assign(size_t count, Digit digit) {
    Reserve(count);
    std::fill(data_, data_ + count, digit);
    size_ = count;
  }
  void InsertFront(Digit digit) {
    Reserve(size_ + 1);
    std::memmove(data_ + 1, data_, size_ * sizeof(Digit));
    data_[0] = digit;
    size_++;
  }
  void EraseFront(size_t count) {
    PLEXUS_DCHECK(count <= size_);
    std::memmove(data_, data_ + count, (size_ - count) * sizeof(Digit));
    size_ -= count;
  }

 private:
  bool IsInline() const { return data_ == inline_; }

  void Reserve(size_t count) {
    if (count <= capacity_) return;
    size_t capacity = std::max(count, 2 * capacity_);
    Digit* grown = new Digit[capacity];
    std::memcpy(grown, data_, size_ * sizeof(Digit));
    Release();
    data_ = grown;
    capacity_ = capacity;
  }

  void Append(const Digit* digits, size_t count) {
    Reserve(size_ + count);
    std::memcpy(data_ + size_, digits, count * sizeof(Digit));
    size_ += count;
  }

  void Release() {
    if (!IsInline()) delete[] data_;
    data_ = inline_;
    capacity_ = kInlineDigits;
  }

  // Leaves `other` empty.
  void TakeFrom(DigitVector& other) {
    if (other.IsInline()) {
      std::memcpy(inline_, other.inline_, other.size_ * sizeof(Digit));
      data_ = inline_;
      capacity_ = kInlineDigits;
    } else {
      data_ = other.data_;
      capacity_ = other.capacity_;
      other.data_ = other.inline_;
      other.capacity_ = kInlineDigits;
    }
    size_ = other.size_;
    other.size_ = 0;
  }

  Digit inline_[kInlineDigits] = {};
  Digit* data_ = inline_;
  size_t size_ = 0;
  size_t capacity_ = kInlineDigits;
};

}  // namespace plexus::sql::numeric_internal
