// jsonb operators and functions: -> ->> #> #>> @> <@ ? ?| ?& || - #-, jsonb_typeof,
// jsonb_array_length, jsonb_extract_path(_text), jsonb_pretty, jsonb_set, jsonb_strip_nulls.
// Semantics and error wording follow PostgreSQL 15's jsonfuncs.c and jsonb_op.c.
#include <algorithm>
#include <charconv>
#include <optional>

#include "plexus/sql/func/jsonb_support.h"
#include "plexus/sql/func/registry.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

void RegisterJsonbBuildFunctions(FunctionRegistry& registry);  // jsonb_build.cc

namespace {

using Path = std::vector<std::optional<std::string>>;

// An array index as PostgreSQL reads one from text: an integer, negative from the end.
std::optional<int64_t> ParseIndex(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

const Jsonb* Element(const Jsonb& array, int64_t index) {
  const auto size = static_cast<int64_t>(array.elements.size());
  if (index < 0) index += size;
  if (index < 0 || index >= size) return nullptr;
  return &array.elements[static_cast<size_t>(index)];
}

// One step of a path: a key of an object or an index of an array; null otherwise.
const Jsonb* Step(const Jsonb& value, std::string_view key) {
  if (value.kind == JsonbKind::kObject) return value.Find(key);
  if (value.kind != JsonbKind::kArray) return nullptr;
  std::optional<int64_t> index = ParseIndex(key);
  return index ? Element(value, *index) : nullptr;
}

const Jsonb* FollowPath(const Jsonb& root, const Path& path) {
  const Jsonb* at = &root;
  for (const auto& key : path) {
    if (!key || at == nullptr) return nullptr;
    at = Step(*at, *key);
  }
  return at;
}

// Stores `value` as jsonb, or with `as_text` as ->> does (strings unquoted, JSON null as NULL).
void StoreResult(Vector* out, size_t row, const Jsonb* value, bool as_text) {
  if (value == nullptr || (as_text && value->kind == JsonbKind::kNull)) {
    out->SetNull(row, true);
    return;
  }
  if (!as_text) return StoreJsonb(out, row, *value);
  if (value->kind == JsonbKind::kString) return StoreText(out, row, value->scalar);
  std::string text;
  FormatJsonb(*value, &text);
  StoreText(out, row, text);
}

template <bool kAsText, bool kIndex>
Status FieldKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                   ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(Jsonb value, JsonbAt(*args[0], row));
    const Jsonb* found = nullptr;
    if constexpr (kIndex) {
      if (value.kind == JsonbKind::kArray) found = Element(value, args[1]->values<int32_t>()[row]);
    } else {
      if (value.kind == JsonbKind::kObject) found = value.Find(args[1]->GetString(row));
    }
    StoreResult(out, row, found, kAsText);
  }
  return Status::Ok();
}

// #> and #>> (path as text[]); jsonb_extract_path(_text) (path as variadic text arguments).
template <bool kAsText, bool kVariadic>
Status PathKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                  ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(Jsonb value, JsonbAt(*args[0], row));
    Path path;
    if constexpr (kVariadic) {
      for (size_t i = 1; args[i] != nullptr; ++i) path.emplace_back(args[i]->GetString(row));
    } else {
      PLEXUS_ASSIGN_OR_RETURN(path, TextArrayAt(*args[1], row));
    }
    StoreResult(out, row, FollowPath(value, path), kAsText);
  }
  return Status::Ok();
}

template <bool kReversed>
Status JsonbContainsKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                           Vector* out, ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(Jsonb left, JsonbAt(*args[0], row));
    PLEXUS_ASSIGN_OR_RETURN(Jsonb right, JsonbAt(*args[1], row));
    out->values<uint8_t>()[row] =
        kReversed ? JsonbContains(right, left) : JsonbContains(left, right);
  }
  return Status::Ok();
}

// ?: a top-level key, or a string element of a top-level array (or raw scalar string).
bool HasKey(const Jsonb& value, std::string_view key) {
  if (value.kind == JsonbKind::kObject) return value.Find(key) != nullptr;
  if (value.kind == JsonbKind::kString) return value.scalar == key;
  if (value.kind != JsonbKind::kArray) return false;
  for (const Jsonb& element : value.elements) {
    if (element.kind == JsonbKind::kString && element.scalar == key) return true;
  }
  return false;
}

Status ExistsKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(Jsonb value, JsonbAt(*args[0], row));
    out->values<uint8_t>()[row] = HasKey(value, args[1]->GetString(row));
  }
  return Status::Ok();
}

// ?| (kAll false) and ?& (kAll true); NULL keys are ignored.
template <bool kAll>
Status ExistsManyKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                        ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(Jsonb value, JsonbAt(*args[0], row));
    PLEXUS_ASSIGN_OR_RETURN(Path keys, TextArrayAt(*args[1], row));
    bool result = kAll;
    for (const auto& key : keys) {
      if (!key) continue;
      if (HasKey(value, *key) != kAll) {
        result = !kAll;
        break;
      }
    }
    out->values<uint8_t>()[row] = result;
  }
  return Status::Ok();
}

// ||: objects merge (right wins); otherwise both sides become arrays (a scalar or object as a
// one-element array) and concatenate.
Jsonb Concatenate(Jsonb left, Jsonb right) {
  if (left.kind == JsonbKind::kObject && right.kind == JsonbKind::kObject) {
    for (auto& member : right.members) left.members.push_back(std::move(member));
    left.Canonicalize();
    return left;
  }
  Jsonb result = Jsonb::Array();
  for (Jsonb* side : {&left, &right}) {
    if (side->kind == JsonbKind::kArray) {
      for (Jsonb& element : side->elements) result.elements.push_back(std::move(element));
    } else {
      result.elements.push_back(std::move(*side));
    }
  }
  return result;
}

Status JsonbConcatKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                         ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(Jsonb left, JsonbAt(*args[0], row));
    PLEXUS_ASSIGN_OR_RETURN(Jsonb right, JsonbAt(*args[1], row));
    StoreJsonb(out, row, Concatenate(std::move(left), std::move(right)));
  }
  return Status::Ok();
}

Status DeleteKey(Jsonb* value, std::string_view key) {
  if (value->is_scalar()) return SqlError(kInvalidParameterValue, "cannot delete from scalar");
  if (value->kind == JsonbKind::kObject) {
    std::erase_if(value->members, [&](const auto& member) { return member.key == key; });
  } else {
    std::erase_if(value->elements, [&](const Jsonb& element) {
      return element.kind == JsonbKind::kString && element.scalar == key;
    });
  }
  return Status::Ok();
}

Status DeleteIndex(Jsonb* value, int64_t index) {
  if (value->is_scalar()) return SqlError(kInvalidParameterValue, "cannot delete from scalar");
  if (value->kind == JsonbKind::kObject) {
    return SqlError(kInvalidParameterValue, "cannot delete from object using integer index");
  }
  const auto size = static_cast<int64_t>(value->elements.size());
  if (index < 0) index += size;
  if (index >= 0 && index < size) value->elements.erase(value->elements.begin() + index);
  return Status::Ok();
}

enum class DeleteBy { kKey, kIndex, kKeys };

template <DeleteBy kBy>
Status DeleteKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(Jsonb value, JsonbAt(*args[0], row));
    if constexpr (kBy == DeleteBy::kKey) {
      PLEXUS_RETURN_IF_ERROR(DeleteKey(&value, args[1]->GetString(row)));
    } else if constexpr (kBy == DeleteBy::kIndex) {
      PLEXUS_RETURN_IF_ERROR(DeleteIndex(&value, args[1]->values<int32_t>()[row]));
    } else {
      PLEXUS_ASSIGN_OR_RETURN(Path keys, TextArrayAt(*args[1], row));
      for (const auto& key : keys) {
        if (key) PLEXUS_RETURN_IF_ERROR(DeleteKey(&value, *key));
      }
    }
    StoreJsonb(out, row, value);
  }
  return Status::Ok();
}

Status TypeofKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(Jsonb value, JsonbAt(*args[0], row));
    StoreText(out, row, JsonbTypeName(value));
  }
  return Status::Ok();
}

Status ArrayLengthKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                         ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(Jsonb value, JsonbAt(*args[0], row));
    if (value.is_scalar()) {
      return SqlError(kInvalidParameterValue, "cannot get array length of a scalar");
    }
    if (value.kind != JsonbKind::kArray) {
      return SqlError(kInvalidParameterValue, "cannot get array length of a non-array");
    }
    out->values<int32_t>()[row] = static_cast<int32_t>(value.elements.size());
  }
  return Status::Ok();
}

Status PrettyKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  std::string text;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(Jsonb value, JsonbAt(*args[0], row));
    text.clear();
    FormatJsonb(value, &text, /*pretty=*/true);
    StoreText(out, row, text);
  }
  return Status::Ok();
}

void StripNulls(Jsonb* value) {
  if (value->kind == JsonbKind::kObject) {
    std::erase_if(value->members,
                  [](const auto& member) { return member.value.kind == JsonbKind::kNull; });
    for (auto& member : value->members) StripNulls(&member.value);
  } else if (value->kind == JsonbKind::kArray) {
    for (Jsonb& element : value->elements) StripNulls(&element);
  }
}

Status StripNullsKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                        ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(Jsonb value, JsonbAt(*args[0], row));
    StripNulls(&value);
    StoreJsonb(out, row, value);
  }
  return Status::Ok();
}

// How SetPath writes the last path element: jsonb_set replaces it (and with create_if_missing
// adds it), jsonb_insert adds it before or after an array element and refuses an existing key.
enum class PathWrite { kReplace, kReplaceOrCreate, kInsertBefore, kInsertAfter };

// jsonb_set's and jsonb_insert's walk (setPath); a missing intermediate element leaves the value
// unchanged.
Status SetPath(Jsonb* value, const Path& path, size_t level, const Jsonb& replacement,
               PathWrite mode) {
  const std::string& key = *path[level];
  const bool last = level + 1 == path.size();
  const bool insert = mode == PathWrite::kInsertBefore || mode == PathWrite::kInsertAfter;
  const bool create = mode != PathWrite::kReplace;
  if (value->kind == JsonbKind::kObject) {
    Jsonb* member = value->Find(key);
    if (member == nullptr) {
      if (!last || !create) return Status::Ok();
      value->members.emplace_back(key, replacement);
      value->Canonicalize();
      return Status::Ok();
    }
    if (last) {
      if (insert) {
        Status status = SqlError(kInvalidParameterValue, "cannot replace existing key");
        status.SetHint("Try using the function jsonb_set to replace key value.");
        return status;
      }
      *member = replacement;
      return Status::Ok();
    }
    return SetPath(member, path, level + 1, replacement, mode);
  }
  if (value->kind != JsonbKind::kArray) return Status::Ok();
  std::optional<int64_t> index = ParseIndex(key);
  if (!index) {
    return SqlError(kInvalidTextRepresentation, "path element at position " +
                                                    std::to_string(level + 1) +
                                                    " is not an integer: \"" + key + "\"");
  }
  const auto size = static_cast<int64_t>(value->elements.size());
  int64_t at = *index < 0 ? *index + size : *index;
  if (at >= 0 && at < size) {
    const auto position = value->elements.begin() + at;
    if (!last) return SetPath(&*position, path, level + 1, replacement, mode);
    if (mode == PathWrite::kInsertBefore) {
      value->elements.insert(position, replacement);
    } else if (mode == PathWrite::kInsertAfter) {
      value->elements.insert(position + 1, replacement);
    } else {
      *position = replacement;
    }
    return Status::Ok();
  }
  if (!last || !create) return Status::Ok();
  if (at < 0) {
    value->elements.insert(value->elements.begin(), replacement);
  } else {
    value->elements.push_back(replacement);
  }
  return Status::Ok();
}

// jsonb_set and #- refuse NULL path elements.
Status CheckPathNotNull(const Path& path) {
  for (size_t i = 0; i < path.size(); ++i) {
    if (!path[i]) {
      return SqlError(kNullValueNotAllowed,
                      "path element at position " + std::to_string(i + 1) + " is null");
    }
  }
  return Status::Ok();
}

// #-: removes the element at `path` (deletePath); a missing step leaves the value unchanged.
Status DeletePath(Jsonb* value, const Path& path, size_t level) {
  const std::string& key = *path[level];
  const bool last = level + 1 == path.size();
  if (value->kind == JsonbKind::kObject) {
    if (last) {
      std::erase_if(value->members, [&](const JsonbMember& member) { return member.key == key; });
      return Status::Ok();
    }
    Jsonb* member = value->Find(key);
    return member == nullptr ? Status::Ok() : DeletePath(member, path, level + 1);
  }
  if (value->kind != JsonbKind::kArray) return Status::Ok();
  std::optional<int64_t> index = ParseIndex(key);
  if (!index) {
    return SqlError(kInvalidTextRepresentation, "path element at position " +
                                                    std::to_string(level + 1) +
                                                    " is not an integer: \"" + key + "\"");
  }
  const auto size = static_cast<int64_t>(value->elements.size());
  const int64_t at = *index < 0 ? *index + size : *index;
  if (at < 0 || at >= size) return Status::Ok();
  if (last) {
    value->elements.erase(value->elements.begin() + at);
    return Status::Ok();
  }
  return DeletePath(&value->elements[static_cast<size_t>(at)], path, level + 1);
}

Status DeletePathKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                        ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(Jsonb value, JsonbAt(*args[0], row));
    PLEXUS_ASSIGN_OR_RETURN(Path path, TextArrayAt(*args[1], row));
    if (value.is_scalar()) return SqlError(kInvalidParameterValue, "cannot delete path in scalar");
    PLEXUS_RETURN_IF_ERROR(CheckPathNotNull(path));
    if (!path.empty()) PLEXUS_RETURN_IF_ERROR(DeletePath(&value, path, 0));
    StoreJsonb(out, row, value);
  }
  return Status::Ok();
}

// jsonb_set(target, path, value [, create_if_missing]) and jsonb_insert(target, path, value
// [, insert_after]).
template <bool kInsert>
Status SetKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                 ExecContext&) {
  const bool has_flag = args[3] != nullptr;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(Jsonb value, JsonbAt(*args[0], row));
    PLEXUS_ASSIGN_OR_RETURN(Path path, TextArrayAt(*args[1], row));
    PLEXUS_ASSIGN_OR_RETURN(Jsonb replacement, JsonbAt(*args[2], row));
    const bool flag = has_flag && args[3]->values<uint8_t>()[row] != 0;
    PathWrite mode = PathWrite::kReplaceOrCreate;
    if (kInsert) {
      mode = flag ? PathWrite::kInsertAfter : PathWrite::kInsertBefore;
    } else if (has_flag && !flag) {
      mode = PathWrite::kReplace;
    }
    if (value.is_scalar()) return SqlError(kInvalidParameterValue, "cannot set path in scalar");
    PLEXUS_RETURN_IF_ERROR(CheckPathNotNull(path));
    if (!path.empty()) PLEXUS_RETURN_IF_ERROR(SetPath(&value, path, 0, replacement, mode));
    StoreJsonb(out, row, value);
  }
  return Status::Ok();
}

}  // namespace

void RegisterJsonbFunctions(FunctionRegistry& registry) {
  const Type jsonb = Type::Of(TypeId::kJsonb);
  const Type text = Type::Of(TypeId::kText);
  const Type integer = Type::Of(TypeId::kInt32);
  const Type boolean = Type::Of(TypeId::kBool);
  const Type text_array = Type::ArrayOf(TypeId::kText);
  registry.Add({"->", {jsonb, text}, jsonb, FieldKernel<false, false>});
  registry.Add({"->", {jsonb, integer}, jsonb, FieldKernel<false, true>});
  registry.Add({"->>", {jsonb, text}, text, FieldKernel<true, false>});
  registry.Add({"->>", {jsonb, integer}, text, FieldKernel<true, true>});
  registry.Add({"#>", {jsonb, text_array}, jsonb, PathKernel<false, false>});
  registry.Add({"#>>", {jsonb, text_array}, text, PathKernel<true, false>});
  ScalarFunction extract{"jsonb_extract_path", {jsonb, text}, jsonb, PathKernel<false, true>};
  extract.variadic = true;
  registry.Add(extract);
  ScalarFunction extract_text{
      "jsonb_extract_path_text", {jsonb, text}, text, PathKernel<true, true>};
  extract_text.variadic = true;
  registry.Add(extract_text);
  registry.Add({"@>", {jsonb, jsonb}, boolean, JsonbContainsKernel<false>});
  registry.Add({"<@", {jsonb, jsonb}, boolean, JsonbContainsKernel<true>});
  registry.Add({"?", {jsonb, text}, boolean, ExistsKernel});
  registry.Add({"?|", {jsonb, text_array}, boolean, ExistsManyKernel<false>});
  registry.Add({"?&", {jsonb, text_array}, boolean, ExistsManyKernel<true>});
  registry.Add({"||", {jsonb, jsonb}, jsonb, JsonbConcatKernel});
  registry.Add({"-", {jsonb, text}, jsonb, DeleteKernel<DeleteBy::kKey>});
  registry.Add({"-", {jsonb, integer}, jsonb, DeleteKernel<DeleteBy::kIndex>});
  registry.Add({"-", {jsonb, text_array}, jsonb, DeleteKernel<DeleteBy::kKeys>});
  registry.Add({"#-", {jsonb, text_array}, jsonb, DeletePathKernel});
  registry.Add({"jsonb_typeof", {jsonb}, text, TypeofKernel});
  registry.Add({"jsonb_array_length", {jsonb}, integer, ArrayLengthKernel});
  registry.Add({"jsonb_pretty", {jsonb}, text, PrettyKernel});
  registry.Add({"jsonb_strip_nulls", {jsonb}, jsonb, StripNullsKernel});
  registry.Add({"jsonb_set", {jsonb, text_array, jsonb}, jsonb, SetKernel<false>});
  registry.Add({"jsonb_set", {jsonb, text_array, jsonb, boolean}, jsonb, SetKernel<false>});
  registry.Add({"jsonb_insert", {jsonb, text_array, jsonb}, jsonb, SetKernel<true>});
  registry.Add({"jsonb_insert", {jsonb, text_array, jsonb, boolean}, jsonb, SetKernel<true>});
  RegisterJsonbBuildFunctions(registry);
}

}  // namespace plexus::sql
