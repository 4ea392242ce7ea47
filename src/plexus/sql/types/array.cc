// Array encoding: ArrayBuilder writes it, ArrayView checks and indexes it.
#include "plexus/sql/types/array.h"

#include <cstring>
#include <memory>

#include "plexus/base/varint.h"
#include "plexus/sql/exec/vector_value.h"

namespace plexus::sql {

namespace {

using base::GetVarint32;
using base::PutVarint32;

Status Corrupt() { return Status::Corruption("stored array value is malformed"); }

}  // namespace

ArrayBuilder::ArrayBuilder(const Type& element) : physical_(PhysicalTypeOf(element)) {}

void ArrayBuilder::AppendNull() {
  body_.push_back(0);
  ++count_;
}

void ArrayBuilder::AppendSlot(const Vector& vector, size_t row) {
  PLEXUS_DCHECK(vector.physical() == physical_);
  if (vector.IsNull(row)) return AppendNull();
  body_.push_back(1);
  ++count_;
  if (physical_ == PhysicalType::kString) {
    std::string_view bytes = vector.GetString(row);
    PutVarint32(&body_, static_cast<uint32_t>(bytes.size()));
    body_.append(bytes);
    return;
  }
  const size_t width = PhysicalWidth(physical_);
  body_.append(reinterpret_cast<const char*>(vector.values<uint8_t>()) + row * width, width);
}

void ArrayBuilder::AppendValue(const Value& value) {
  if (value.is_null()) return AppendNull();
  Vector scratch(value.type());
  SetValue(&scratch, 0, value);
  AppendSlot(scratch, 0);
}

void ArrayBuilder::AppendElements(const ArrayView& array, size_t first, size_t count) {
  for (size_t i = first; i < first + count; ++i) {
    if (array.IsNull(i)) {
      AppendNull();
      continue;
    }
    body_.push_back(1);
    ++count_;
    std::string_view bytes = array.Bytes(i);
    if (physical_ == PhysicalType::kString) PutVarint32(&body_, static_cast<uint32_t>(bytes.size()));
    body_.append(bytes);
  }
}

std::string ArrayBuilder::Finish() {
  PLEXUS_ASSERT(count_ <= kArrayElementsMax);
  std::string encoded;
  encoded.reserve(body_.size() + 7);
  encoded.push_back(static_cast<char>(kArrayFormat));
  encoded.push_back(static_cast<char>(physical_));
  PutVarint32(&encoded, static_cast<uint32_t>(count_));
  encoded.append(body_);
  body_.clear();
  count_ = 0;
  return encoded;
}

Result<ArrayView> ArrayView::Open(std::string_view encoded, const Type& element) {
  ArrayView view;
  view.element_ = element;
  view.physical_ = PhysicalTypeOf(element);
  if (encoded.size() < 3 || static_cast<uint8_t>(encoded[0]) != kArrayFormat ||
      static_cast<uint8_t>(encoded[1]) != static_cast<uint8_t>(view.physical_)) {
    return Corrupt();
  }
  encoded.remove_prefix(2);
  uint32_t count = 0;
  // Each element takes at least one byte, which bounds the count by the input.
  if (!GetVarint32(&encoded, &count) || count > encoded.size() || count > kArrayElementsMax) {
    return Corrupt();
  }
  view.entries_.reserve(count);
  const size_t width = PhysicalWidth(view.physical_);
  for (uint32_t i = 0; i < count; ++i) {
    if (encoded.empty()) return Corrupt();
    const uint8_t flag = static_cast<uint8_t>(encoded.front());
    encoded.remove_prefix(1);
    if (flag == 0) {
      view.entries_.push_back({{}, true});
      continue;
    }
    if (flag != 1) return Corrupt();
    size_t size = width;
    if (view.physical_ == PhysicalType::kString) {
      uint32_t length = 0;
      if (!GetVarint32(&encoded, &length)) return Corrupt();
      size = length;
    }
    if (encoded.size() < size) return Corrupt();
    view.entries_.push_back({encoded.substr(0, size), false});
    encoded.remove_prefix(size);
  }
  if (!encoded.empty()) return Corrupt();
  return view;
}

void ArrayView::CopyTo(size_t index, Vector* out, size_t row) const {
  PLEXUS_DCHECK(out->physical() == physical_);
  const Entry& entry = entries_[index];
  out->SetNull(row, entry.is_null);
  if (entry.is_null) return;
  if (physical_ == PhysicalType::kString) {
    out->values<std::string_view>()[row] = out->arena().Copy(entry.bytes);
    return;
  }
  std::memcpy(reinterpret_cast<char*>(out->values<uint8_t>()) + row * entry.bytes.size(),
              entry.bytes.data(), entry.bytes.size());
}

Value ArrayView::Get(size_t index) const {
  Vector scratch(element_);
  CopyTo(index, &scratch, 0);
  return GetValue(scratch, 0);
}

std::string EmptyArray(const Type& element) { return ArrayBuilder(element).Finish(); }

Vector& ScratchVector(const Type& type, int slot) {
  struct Entry {
    Type type;
    int slot;
    std::unique_ptr<Vector> vector;
  };
  thread_local std::vector<Entry> entries;
  for (Entry& entry : entries) {
    if (entry.slot == slot && entry.type == type) {
      entry.vector->ResetArena();
      return *entry.vector;
    }
  }
  // Bounded: one entry per (type, slot) pair the engine uses; drop all if that ever grows.
  if (entries.size() >= 64) entries.clear();
  entries.push_back({type, slot, std::make_unique<Vector>(type)});
  return *entries.back().vector;
}

}  // namespace plexus::sql
