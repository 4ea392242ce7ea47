// Casts of arrays: text input and output with PostgreSQL's array syntax, and array to array
// element by element (through the element types' own casts, a batch of elements at a time).
#include <algorithm>
#include <string>

#include "plexus/sql/func/cast.h"
#include "plexus/sql/func/cast_families.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/array.h"

namespace plexus::sql {

namespace {

// Casts the first `count` slots of `from` into `to` (nulls stay NULL).
Status CastElements(const Vector& from, size_t count, Vector* to) {
  uint8_t active[kBatchRowsMax];
  for (size_t i = 0; i < count; ++i) {
    active[i] = !from.IsNull(i);
    to->SetNull(i, from.IsNull(i));
  }
  if (from.type() == to->type()) {
    for (size_t i = 0; i < count; ++i) to->CopyRow(from, i, i);
    return Status::Ok();
  }
  return CastVector(from, count, active, to);
}

Result<std::string> ArrayFromText(std::string_view text, const Type& element) {
  PLEXUS_ASSIGN_OR_RETURN(std::vector<ArrayTextElement> elements, ParseArrayText(text));
  ArrayBuilder builder(element);
  Vector& texts = ScratchVector(Type::Of(TypeId::kText), 0);
  Vector& values = ScratchVector(element, 1);
  for (size_t first = 0; first < elements.size(); first += kBatchRowsMax) {
    const size_t count = std::min(kBatchRowsMax, elements.size() - first);
    texts.ResetArena();
    values.ResetArena();
    for (size_t i = 0; i < count; ++i) {
      const ArrayTextElement& item = elements[first + i];
      texts.SetNull(i, item.is_null);
      if (!item.is_null) texts.SetString(i, item.text);
    }
    PLEXUS_RETURN_IF_ERROR(CastElements(texts, count, &values));
    for (size_t i = 0; i < count; ++i) builder.AppendSlot(values, i);
  }
  return builder.Finish();
}

Result<std::string> ArrayFromArray(std::string_view encoded, const Type& from_element,
                                   const Type& to_element) {
  PLEXUS_ASSIGN_OR_RETURN(ArrayView array, ArrayView::Open(encoded, from_element));
  ArrayBuilder builder(to_element);
  Vector& from = ScratchVector(from_element, 0);
  Vector& to = ScratchVector(to_element, 1);
  for (size_t first = 0; first < array.size(); first += kBatchRowsMax) {
    const size_t count = std::min(kBatchRowsMax, array.size() - first);
    from.ResetArena();
    to.ResetArena();
    for (size_t i = 0; i < count; ++i) array.CopyTo(first + i, &from, i);
    PLEXUS_RETURN_IF_ERROR(CastElements(from, count, &to));
    for (size_t i = 0; i < count; ++i) builder.AppendSlot(to, i);
  }
  return builder.Finish();
}

}  // namespace

bool ArrayCastExists(const Type& from, const Type& to) {
  if (from.id == TypeId::kArray && to.id == TypeId::kArray) {
    return CastExists(ArrayElementType(from), ArrayElementType(to));
  }
  if (to.id == TypeId::kArray) return IsTextLike(from.id);
  return catalog::IsString(to.id);
}

bool IsImplicitArrayCast(const Type& from, const Type& to) {
  return IsImplicitCast(ArrayElementType(from), ArrayElementType(to));
}

Status CastArrayFamily(const Vector& in, size_t rows, const uint8_t* active, Vector* out) {
  const Type& from = in.type();
  const Type& to = out->type();
  std::string text;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    if (to.id != TypeId::kArray) {
      text.clear();
      PLEXUS_RETURN_IF_ERROR(FormatArrayText(in, row, &text));
      out->values<std::string_view>()[row] = out->arena().Copy(text);
      continue;
    }
    std::string encoded;
    if (from.id == TypeId::kArray) {
      PLEXUS_ASSIGN_OR_RETURN(
          encoded, ArrayFromArray(in.GetString(row), ArrayElementType(from), ArrayElementType(to)));
    } else {
      PLEXUS_ASSIGN_OR_RETURN(encoded, ArrayFromText(in.GetString(row), ArrayElementType(to)));
    }
    out->values<std::string_view>()[row] = out->arena().Copy(encoded);
  }
  return Status::Ok();
}

Status FormatArrayText(const Vector& vector, size_t row, std::string* out) {
  const Type element = ArrayElementType(vector.type());
  PLEXUS_ASSIGN_OR_RETURN(ArrayView array, ArrayView::Open(vector.GetString(row), element));
  out->push_back('{');
  Vector& values = ScratchVector(element, 2);
  std::string text;
  for (size_t first = 0; first < array.size(); first += kBatchRowsMax) {
    const size_t count = std::min(kBatchRowsMax, array.size() - first);
    values.ResetArena();
    for (size_t i = 0; i < count; ++i) {
      if (first + i > 0) out->push_back(',');
      if (array.IsNull(first + i)) {
        out->append("NULL");
        continue;
      }
      array.CopyTo(first + i, &values, i);
      text.clear();
      PLEXUS_RETURN_IF_ERROR(FormatText(values, i, &text));
      AppendArrayElementText(text, out);
    }
  }
  out->push_back('}');
  return Status::Ok();
}

}  // namespace plexus::sql
