// Array functions and operators: the ARRAY[...] constructor, subscripts and slices, ANY/ALL
// comparisons (three-valued), array_length, cardinality, array_append/prepend/cat (||),
// array_position, array_remove, array_to_string, string_to_array and the dimension functions.
// Polymorphic ones (anyarray/anyelement) are registered with ArrayOf(kUnknown) / "any"
// parameters; the binder (bind_array.cc) resolves their element type and sets the call's result
// type, which the kernels read from `out`.
#include "plexus/sql/func/array_functions.h"

#include <algorithm>
#include <climits>
#include <cstring>

#include "plexus/sql/exec/vector_compare.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/func/registry.h"
#include "plexus/sql/func/string_support.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/array.h"

namespace plexus::sql {

namespace {

Result<ArrayView> ArrayAt(const Vector& vector, size_t row) {
  return ArrayView::Open(vector.GetString(row), ArrayElementType(vector.type()));
}

void StoreArray(Vector* out, size_t row, ArrayBuilder& builder) {
  out->SetNull(row, false);
  out->values<std::string_view>()[row] = out->arena().Copy(builder.Finish());
}

// Calls visit(values, k, index) for each element, a batch of elements loaded at a time into
// `values` (of the element type), until visit returns false.
template <typename Visit>
void ForEachElement(const ArrayView& array, Vector* values, Visit visit) {
  for (size_t first = 0; first < array.size(); first += kBatchRowsMax) {
    const size_t count = std::min(kBatchRowsMax, array.size() - first);
    values->ResetArena();
    for (size_t k = 0; k < count; ++k) array.CopyTo(first + k, values, k);
    for (size_t k = 0; k < count; ++k) {
      if (!visit(*values, k, first + k)) return;
    }
  }
}

// IS NOT DISTINCT FROM between element k of `values` and row `row` of `probe`.
bool SameElement(const Vector& values, size_t k, const Vector& probe, size_t row) {
  if (values.IsNull(k) || probe.IsNull(row)) return values.IsNull(k) == probe.IsNull(row);
  return CompareSlots(probe, row, values, k) == 0;
}

Status ConstructKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                       ExecContext&) {
  const Type element = ArrayElementType(out->type());
  ArrayBuilder builder(element);
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    for (size_t i = 0; args[i] != nullptr; ++i) builder.AppendSlot(*args[i], row);
    StoreArray(out, row, builder);
  }
  return Status::Ok();
}

Status SubscriptKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                       ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(ArrayView array, ArrayAt(*args[0], row));
    const int64_t index = args[1]->values<int32_t>()[row];
    if (index < 1 || index > static_cast<int64_t>(array.size())) {
      out->SetNull(row, true);
      continue;
    }
    array.CopyTo(static_cast<size_t>(index - 1), out, row);
  }
  return Status::Ok();
}

Status SliceKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                   ExecContext&) {
  ArrayBuilder builder(ArrayElementType(out->type()));
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(ArrayView array, ArrayAt(*args[0], row));
    const int64_t low = std::max<int64_t>(1, args[1]->values<int32_t>()[row]);
    const int64_t high =
        std::min<int64_t>(static_cast<int64_t>(array.size()), args[2]->values<int32_t>()[row]);
    if (low <= high) {
      builder.AppendElements(array, static_cast<size_t>(low - 1),
                             static_cast<size_t>(high - low + 1));
    }
    StoreArray(out, row, builder);
  }
  return Status::Ok();
}

enum class ElementTest {
  kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual,
  kLike, kNotLike, kILike, kNotILike,  // text LIKE/ILIKE ANY/ALL (array of patterns)
};

constexpr bool IsLikeTest(ElementTest test) {
  return test == ElementTest::kLike || test == ElementTest::kNotLike ||
         test == ElementTest::kILike || test == ElementTest::kNotILike;
}

bool Holds(ElementTest test, int comparison) {
  switch (test) {
    case ElementTest::kEqual:
      return comparison == 0;
    case ElementTest::kNotEqual:
      return comparison != 0;
    case ElementTest::kLess:
      return comparison < 0;
    case ElementTest::kLessEqual:
      return comparison <= 0;
    case ElementTest::kGreater:
      return comparison > 0;
    case ElementTest::kGreaterEqual:
      return comparison >= 0;
    default:
      return false;
  }
}

// x op ANY(array) / x op ALL(array), as PostgreSQL's ScalarArrayOpExpr: NULL array gives NULL,
// an empty array false (ANY) or true (ALL), else the OR (AND) of the comparisons, three-valued.
template <ElementTest kTest, bool kAny>
Status AnyAllKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  Vector values(ArrayElementType(args[1]->type()));
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    if (args[1]->IsNull(row)) {
      out->SetNull(row, true);
      continue;
    }
    PLEXUS_ASSIGN_OR_RETURN(ArrayView array, ArrayAt(*args[1], row));
    bool result = !kAny;
    bool saw_null = false;
    Status error = Status::Ok();
    if (array.size() > 0 && args[0]->IsNull(row)) {
      saw_null = true;
    } else {
      ForEachElement(array, &values, [&](const Vector& elements, size_t k, size_t) {
        if (elements.IsNull(k)) {
          saw_null = true;
          return true;
        }
        bool holds;
        if constexpr (IsLikeTest(kTest)) {
          const std::optional<bool> match =
              Like(args[0]->GetString(row), elements.GetString(k),
                   kTest == ElementTest::kILike || kTest == ElementTest::kNotILike);
          if (!match.has_value()) {
            error = SqlError(kInvalidEscapeSequence,
                             "LIKE pattern must not end with escape character");
            return false;
          }
          holds = *match != (kTest == ElementTest::kNotLike || kTest == ElementTest::kNotILike);
        } else {
          holds = Holds(kTest, CompareSlots(*args[0], row, elements, k));
        }
        if (holds == kAny) {
          result = kAny;
          return false;
        }
        return true;
      });
      PLEXUS_RETURN_IF_ERROR(error);
    }
    const bool is_null = result != kAny && saw_null;
    out->SetNull(row, is_null);
    out->values<uint8_t>()[row] = result;
  }
  return Status::Ok();
}

enum class Dimension { kLength, kUpper, kLower };

template <Dimension kWhat>
Status DimensionKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                       ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(ArrayView array, ArrayAt(*args[0], row));
    const bool present = array.size() > 0 && args[1]->values<int32_t>()[row] == 1;
    out->SetNull(row, !present);
    if (present) {
      out->values<int32_t>()[row] =
          kWhat == Dimension::kLower ? 1 : static_cast<int32_t>(array.size());
    }
  }
  return Status::Ok();
}

Status CardinalityKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                         ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(ArrayView array, ArrayAt(*args[0], row));
    out->values<int32_t>()[row] = static_cast<int32_t>(array.size());
  }
  return Status::Ok();
}

template <bool kDims>
Status ShapeKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                   ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(ArrayView array, ArrayAt(*args[0], row));
    out->SetNull(row, array.size() == 0);
    if (array.size() == 0) continue;
    if constexpr (kDims) {
      out->SetString(row, "[1:" + std::to_string(array.size()) + "]");
    } else {
      out->values<int32_t>()[row] = 1;
    }
  }
  return Status::Ok();
}

// array_append(a, e), array_prepend(e, a), array_cat(a, b): not strict; a NULL array is empty
// (array_cat of two NULLs is NULL).
enum class Join { kAppend, kPrepend, kCat };

template <Join kJoin>
Status JoinKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                  ExecContext&) {
  ArrayBuilder builder(ArrayElementType(out->type()));
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    if (kJoin == Join::kCat && args[0]->IsNull(row) && args[1]->IsNull(row)) {
      out->SetNull(row, true);
      continue;
    }
    for (size_t side = 0; side < 2; ++side) {
      const Vector& arg = *args[side];
      const bool is_array = kJoin == Join::kCat || (kJoin == Join::kAppend) == (side == 0);
      if (!is_array) {
        builder.AppendSlot(arg, row);
        continue;
      }
      if (arg.IsNull(row)) continue;
      PLEXUS_ASSIGN_OR_RETURN(ArrayView array, ArrayAt(arg, row));
      builder.AppendElements(array, 0, array.size());
    }
    StoreArray(out, row, builder);
  }
  return Status::Ok();
}

// array_position(a, e [, start]) and array_remove(a, e): elements IS NOT DISTINCT FROM e.
template <bool kRemove>
Status SearchKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  Vector values(ArrayElementType(args[0]->type()));
  ArrayBuilder builder(ArrayElementType(args[0]->type()));
  const bool has_start = !kRemove && args[2] != nullptr;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    if (args[0]->IsNull(row) || (has_start && args[2]->IsNull(row))) {
      out->SetNull(row, true);
      continue;
    }
    PLEXUS_ASSIGN_OR_RETURN(ArrayView array, ArrayAt(*args[0], row));
    const int64_t start = has_start ? args[2]->values<int32_t>()[row] : 1;
    int64_t found = 0;
    ForEachElement(array, &values, [&](const Vector& elements, size_t k, size_t index) {
      const bool same = SameElement(elements, k, *args[1], row);
      if constexpr (kRemove) {
        if (!same) builder.AppendSlot(elements, k);
        return true;
      }
      if (same && static_cast<int64_t>(index) + 1 >= start) {
        found = static_cast<int64_t>(index) + 1;
        return false;
      }
      return true;
    });
    if constexpr (kRemove) {
      StoreArray(out, row, builder);
    } else {
      out->SetNull(row, found == 0);
      out->values<int32_t>()[row] = static_cast<int32_t>(found);
    }
  }
  return Status::Ok();
}

// Whether element k of `probe` equals a non-null element of `array` (scratch holds batches).
bool HasElement(const ArrayView& array, Vector* scratch, const Vector& probe, size_t k) {
  bool found = false;
  ForEachElement(array, scratch, [&](const Vector& elements, size_t j, size_t) {
    found = !elements.IsNull(j) && CompareSlots(probe, k, elements, j) == 0;
    return !found;
  });
  return found;
}

// a @> b (kOverlap false: every element of b is in a; a NULL element of b never is) and
// a && b (kOverlap true: some non-null element of b is in a). <@ binds as @> swapped.
template <bool kOverlap>
Status ContainsKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                      ExecContext&) {
  const Type element = ArrayElementType(args[0]->type());
  Vector haystack_scratch(element);
  Vector needles(element);
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(ArrayView haystack, ArrayAt(*args[0], row));
    PLEXUS_ASSIGN_OR_RETURN(ArrayView wanted, ArrayAt(*args[1], row));
    bool result = !kOverlap;
    ForEachElement(wanted, &needles, [&](const Vector& items, size_t k, size_t) {
      if (items.IsNull(k)) {
        if (!kOverlap) result = false;
        return kOverlap;
      }
      const bool found = HasElement(haystack, &haystack_scratch, items, k);
      if (found == kOverlap) {
        result = kOverlap;
        return false;
      }
      return true;
    });
    out->values<uint8_t>()[row] = result;
  }
  return Status::Ok();
}

// array_to_string(a, delimiter [, null_string]): NULL elements skipped unless null_string given.
Status ToStringKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                      ExecContext&) {
  Vector values(ArrayElementType(args[0]->type()));
  const bool has_null_text = args[2] != nullptr;
  std::string result;
  std::string text;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    if (args[0]->IsNull(row) || args[1]->IsNull(row)) {
      out->SetNull(row, true);
      continue;
    }
    PLEXUS_ASSIGN_OR_RETURN(ArrayView array, ArrayAt(*args[0], row));
    const std::string_view delimiter = args[1]->GetString(row);
    const bool use_null_text = has_null_text && !args[2]->IsNull(row);
    result.clear();
    bool first = true;
    Status status;
    ForEachElement(array, &values, [&](const Vector& elements, size_t k, size_t) {
      if (elements.IsNull(k) && !use_null_text) return true;
      if (!first) result.append(delimiter);
      first = false;
      if (elements.IsNull(k)) {
        result.append(args[2]->GetString(row));
        return true;
      }
      text.clear();
      status = FormatText(elements, k, &text);
      result.append(text);
      return status.ok();
    });
    PLEXUS_RETURN_IF_ERROR(status);
    out->SetNull(row, false);
    out->SetString(row, result);
  }
  return Status::Ok();
}

// string_to_array(text, delimiter [, null_string]): a NULL delimiter splits into characters, an
// empty one gives the whole string; an empty string gives an empty array.
Status FromStringKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                        ExecContext&) {
  ArrayBuilder builder(Type::Of(TypeId::kText));
  Vector item(Type::Of(TypeId::kText));
  const bool has_null_text = args[2] != nullptr;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    if (args[0]->IsNull(row)) {
      out->SetNull(row, true);
      continue;
    }
    const std::string_view text = args[0]->GetString(row);
    const bool split_chars = args[1]->IsNull(row);
    const std::string_view delimiter = split_chars ? std::string_view() : args[1]->GetString(row);
    const bool use_null_text = has_null_text && !args[2]->IsNull(row);
    auto add = [&](std::string_view piece) {
      item.ResetArena();
      const bool is_null = use_null_text && piece == args[2]->GetString(row);
      item.SetNull(0, is_null);
      if (!is_null) item.SetString(0, piece);
      builder.AppendSlot(item, 0);
    };
    if (!text.empty()) {
      if (split_chars) {
        for (size_t at = 0; at < text.size();) {
          size_t length = 1;
          while (at + length < text.size() &&
                 (static_cast<uint8_t>(text[at + length]) & 0xc0) == 0x80) {
            ++length;
          }
          add(text.substr(at, length));
          at += length;
        }
      } else if (delimiter.empty()) {
        add(text);
      } else {
        size_t start = 0;
        while (true) {
          const size_t end = text.find(delimiter, start);
          add(text.substr(start,
                          end == std::string_view::npos ? std::string_view::npos : end - start));
          if (end == std::string_view::npos) break;
          start = end + delimiter.size();
        }
      }
    }
    StoreArray(out, row, builder);
  }
  return Status::Ok();
}

void AddFunction(FunctionRegistry& registry, std::string name, std::vector<Type> arguments,
                 Type result, ScalarKernel kernel, bool strict = true, bool variadic = false) {
  ScalarFunction function{std::move(name), std::move(arguments), result, kernel};
  function.strict = strict;
  function.variadic = variadic;
  registry.Add(std::move(function));
}

template <ElementTest kTest>
void AddAnyAll(FunctionRegistry& registry, std::string_view op) {
  const Type any_array = AnyArrayType();
  const Type boolean = Type::Of(TypeId::kBool);
  AddFunction(registry, AnyAllFunctionName(op, true), {AnyArgumentType(), any_array}, boolean,
              AnyAllKernel<kTest, true>, /*strict=*/false);
  AddFunction(registry, AnyAllFunctionName(op, false), {AnyArgumentType(), any_array}, boolean,
              AnyAllKernel<kTest, false>, /*strict=*/false);
}

}  // namespace

std::string AnyAllFunctionName(std::string_view op, bool any) {
  return std::string(op) + (any ? " any" : " all");
}

void RegisterArrayFunctions(FunctionRegistry& registry) {
  const Type any_array = AnyArrayType();
  const Type any = AnyArgumentType();
  const Type integer = Type::Of(TypeId::kInt32);
  const Type text = Type::Of(TypeId::kText);
  const Type text_array = Type::ArrayOf(TypeId::kText);
  AddFunction(registry, std::string(kArrayConstructorName), {any}, any_array, ConstructKernel,
              false, true);
  AddFunction(registry, std::string(kArraySubscriptName), {any_array, integer}, any,
              SubscriptKernel);
  AddFunction(registry, std::string(kArraySliceName), {any_array, integer, integer}, any_array,
              SliceKernel);
  AddAnyAll<ElementTest::kEqual>(registry, "=");
  AddAnyAll<ElementTest::kNotEqual>(registry, "<>");
  AddAnyAll<ElementTest::kLess>(registry, "<");
  AddAnyAll<ElementTest::kLessEqual>(registry, "<=");
  AddAnyAll<ElementTest::kGreater>(registry, ">");
  AddAnyAll<ElementTest::kGreaterEqual>(registry, ">=");
  AddAnyAll<ElementTest::kLike>(registry, "~~");
  AddAnyAll<ElementTest::kNotLike>(registry, "!~~");
  AddAnyAll<ElementTest::kILike>(registry, "~~*");
  AddAnyAll<ElementTest::kNotILike>(registry, "!~~*");
  AddFunction(registry, std::string(kArrayContainsName), {any_array, any_array},
              Type::Of(TypeId::kBool), ContainsKernel<false>);
  AddFunction(registry, std::string(kArrayOverlapName), {any_array, any_array},
              Type::Of(TypeId::kBool), ContainsKernel<true>);
  AddFunction(registry, "array_length", {any_array, integer}, integer,
              DimensionKernel<Dimension::kLength>);
  AddFunction(registry, "array_upper", {any_array, integer}, integer,
              DimensionKernel<Dimension::kUpper>);
  AddFunction(registry, "array_lower", {any_array, integer}, integer,
              DimensionKernel<Dimension::kLower>);
  AddFunction(registry, "cardinality", {any_array}, integer, CardinalityKernel);
  AddFunction(registry, "array_ndims", {any_array}, integer, ShapeKernel<false>);
  AddFunction(registry, "array_dims", {any_array}, text, ShapeKernel<true>);
  AddFunction(registry, "array_append", {any_array, any}, any_array, JoinKernel<Join::kAppend>,
              false);
  AddFunction(registry, "array_prepend", {any, any_array}, any_array, JoinKernel<Join::kPrepend>,
              false);
  AddFunction(registry, "array_cat", {any_array, any_array}, any_array, JoinKernel<Join::kCat>,
              false);
  AddFunction(registry, "array_position", {any_array, any}, integer, SearchKernel<false>, false);
  AddFunction(registry, "array_position", {any_array, any, integer}, integer, SearchKernel<false>,
              false);
  AddFunction(registry, "array_remove", {any_array, any}, any_array, SearchKernel<true>, false);
  AddFunction(registry, "array_to_string", {any_array, text}, text, ToStringKernel);
  AddFunction(registry, "array_to_string", {any_array, text, text}, text, ToStringKernel, false);
  AddFunction(registry, "string_to_array", {text, text}, text_array, FromStringKernel, false);
  AddFunction(registry, "string_to_array", {text, text, text}, text_array, FromStringKernel, false);
}

}  // namespace plexus::sql
