// Encoded one-dimensional arrays: the bytes of an array value in a kString vector slot (and in
// stored rows). Build one with ArrayBuilder, read one with ArrayView; both work on element
// values in vector slots, so any operator can turn vectors into arrays and back.
//
//   byte 0   format, kArrayFormat (0x01)
//   byte 1   the element's PhysicalType
//   varint32 element count (at most kArrayElementsMax)
//   per element: 0x00 for NULL, or 0x01 and the value: fixed-width physical types as the
//            vector slot's bytes (little-endian), kString as varint32 length and the bytes
//            (numerics as Numeric::EncodeTo, as in their vector slots)
// Lower bound 1, one dimension: that is all PostgreSQL features we support here.
//
// Example (array_agg): ArrayBuilder builder(element_type);
//   for each input row: builder.AppendSlot(vector, row);   // NULLs become NULL elements
//   out->SetString(row, builder.Finish());
// Example (unnest):    PLEXUS_ASSIGN_OR_RETURN(ArrayView array, ArrayView::Open(bytes, element));
//   for (size_t i = 0; i < array.size(); ++i) array.CopyTo(i, &out_vector, out_row++);
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/sql/exec/vector.h"
#include "plexus/sql/types/array_text.h"
#include "plexus/sql/types/value.h"

namespace plexus::sql {

inline constexpr uint8_t kArrayFormat = 1;

// The element type of an array type (int[] -> int), carrying the array's typmod.
inline Type ArrayElementType(const Type& array) {
  return Type{array.element, array.typmod, TypeId::kUnknown};
}
// The array type whose elements are `element` (typmod kept, varchar(3)[]).
inline Type ArrayTypeOf(const Type& element) {
  return Type{TypeId::kArray, element.typmod, element.id};
}

class ArrayBuilder {
 public:
  explicit ArrayBuilder(const Type& element);

  void AppendNull();
  // Appends row `row` of `vector` (NULL when its null flag is set).
  // REQUIRES: PhysicalTypeOf(vector.type()) is the element's physical type.
  void AppendSlot(const Vector& vector, size_t row);
  // REQUIRES: value's physical type is the element's (or value is NULL). Goes through a scratch
  // vector of its own: for many values, fill one vector and use AppendSlot.
  void AppendValue(const Value& value);
  // Appends the elements [first, first + count) of an encoded array of the same element type.
  void AppendElements(const class ArrayView& array, size_t first, size_t count);
  size_t size() const { return count_; }
  // The encoded array; the builder is empty again afterwards.
  std::string Finish();

 private:
  PhysicalType physical_;
  size_t count_ = 0;
  std::string body_;
};

class ArrayView {
 public:
  // Indexes the elements of `encoded` (which must outlive the view). kCorruption when the bytes
  // are not an array whose elements have `element`'s physical type.
  static Result<ArrayView> Open(std::string_view encoded, const Type& element);

  const Type& element_type() const { return element_; }
  size_t size() const { return entries_.size(); }
  bool IsNull(size_t index) const { return entries_[index].is_null; }
  // The element's bytes: its slot bytes (fixed width) or its string bytes.
  std::string_view Bytes(size_t index) const { return entries_[index].bytes; }
  // Copies element `index` into row `row` of `out` (strings into out's arena), null flag included.
  // REQUIRES: out's physical type is the element's.
  void CopyTo(size_t index, Vector* out, size_t row) const;
  Value Get(size_t index) const;

 private:
  struct Entry {
    std::string_view bytes;
    bool is_null;
  };
  Type element_;
  PhysicalType physical_ = PhysicalType::kString;
  std::vector<Entry> entries_;
};

// An encoded empty array.
std::string EmptyArray(const Type& element);

// A vector of `type` for the calling thread's temporary use, reused across calls (a new vector
// costs kBatchRowsMax zeroed slots, too much per row); its arena is reset. `slot` tells apart
// vectors in use at the same time. REQUIRES: not held across a call that may use the same slot.
Vector& ScratchVector(const Type& type, int slot);

}  // namespace plexus::sql
