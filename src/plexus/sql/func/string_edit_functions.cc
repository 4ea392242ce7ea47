// String functions that cut, search and assemble text, counting in characters: substr and
// substring, overlay, position and strpos, the trims, replace, split_part, left, right, lpad, rpad,
// translate, starts_with (^@), concat, concat_ws, text || any value, and the quote_* functions.
#include <algorithm>
#include <cstring>
#include <string>

#include "plexus/sql/func/cast.h"
#include "plexus/sql/func/registry.h"
#include "plexus/sql/func/string_support.h"
#include "plexus/sql/sqlstate.h"

// PostgreSQL's keyword table, inside libpg_query (the parser we link): used by quote_ident.
struct ScanKeywordList;
extern "C" const ScanKeywordList ScanKeywords;
extern "C" const uint8_t ScanKeywordCategories[];
extern "C" int ScanKeywordLookup(const char* text, const ScanKeywordList* keywords);

namespace plexus::sql {

void QuoteIdentifier(std::string_view text, std::string* out) {
  bool safe = !text.empty() && ((text[0] >= 'a' && text[0] <= 'z') || text[0] == '_');
  for (char c : text) {
    safe &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }
  if (safe) {
    const std::string word(text);
    const int keyword = ScanKeywordLookup(word.c_str(), &ScanKeywords);
    constexpr uint8_t kUnreservedKeyword = 0;
    safe = keyword < 0 || ScanKeywordCategories[keyword] == kUnreservedKeyword;
  }
  if (safe) {
    out->append(text);
    return;
  }
  out->push_back('"');
  for (char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void QuoteLiteral(std::string_view text, std::string* out) {
  if (text.find('\\') != std::string_view::npos) out->push_back('E');
  out->push_back('\'');
  for (char c : text) {
    if (c == '\'' || c == '\\') out->push_back(c);
    out->push_back(c);
  }
  out->push_back('\'');
}

Status TextOfValue(const Vector& vector, size_t row, std::string* out) {
  if (vector.type().id == TypeId::kBool) {
    out->append(vector.values<uint8_t>()[row] ? "true" : "false");
    return Status::Ok();
  }
  return FormatText(vector, row, out);
}

namespace {

// Characters [from, from + count) of `text`, 0-based, clipped to the text.
std::string_view Characters(std::string_view text, int64_t from, int64_t count) {
  if (count <= 0) return {};
  const size_t begin = Utf8Offset(text, from);
  std::string_view rest = text.substr(begin);
  return rest.substr(0, Utf8Offset(rest, count));
}

// substr(text, start [, count]) as text_substring: characters numbered from 1, a start before 1
// shortening the count.
template <bool kHasCount>
Status SubstrRow(const Vector* const* args, size_t row, Vector* out) {
  std::string_view text = args[0]->GetString(row);
  const int64_t start = args[1]->values<int32_t>()[row];
  const int64_t first = std::max<int64_t>(start, 1);
  int64_t count = INT64_MAX;
  if constexpr (kHasCount) {
    const int64_t length = args[2]->values<int32_t>()[row];
    if (length < 0) {
      return SqlError(kSubstringError, "negative substring length not allowed");
    }
    count = start + length - first;
  }
  out->SetString(row, Characters(text, first - 1, count));
  return Status::Ok();
}

// overlay(text PLACING replacement FROM start [FOR count]) as text_overlay: the characters
// before `start`, the replacement, then the text from start + count (count defaults to the
// replacement's length).
template <bool kHasCount>
Status OverlayRow(const Vector* const* args, size_t row, Vector* out) {
  std::string_view text = args[0]->GetString(row);
  std::string_view replacement = args[1]->GetString(row);
  const int64_t start = args[2]->values<int32_t>()[row];
  const int64_t count = kHasCount ? args[3]->values<int32_t>()[row] : Utf8Count(replacement);
  if (start <= 0) return SqlError(kSubstringError, "negative substring length not allowed");
  if (start + count > INT32_MAX) return SqlError(kNumericValueOutOfRange, "integer out of range");
  std::string result(Characters(text, 0, start - 1));
  result.append(replacement);
  result.append(Characters(text, std::max<int64_t>(start + count, 1) - 1, INT64_MAX));
  if (result.size() > kStringBytesMax) return RequestedLengthTooLarge();
  out->SetString(row, result);
  return Status::Ok();
}

// Byte offset of `needle` in `haystack` (npos when absent); UTF-8 is self-synchronizing, so a
// byte match is a character match.
int32_t CharacterPosition(std::string_view haystack, std::string_view needle) {
  const size_t offset = haystack.find(needle);
  if (offset == std::string_view::npos) return 0;
  return static_cast<int32_t>(Utf8Count(haystack.substr(0, offset)) + 1);
}

Status PositionRow(const Vector* const* args, size_t row, Vector* out) {
  out->values<int32_t>()[row] = CharacterPosition(args[0]->GetString(row), args[1]->GetString(row));
  return Status::Ok();
}

bool InSet(std::string_view set, std::string_view character) {
  size_t offset = 0;
  while (offset < set.size()) {
    const size_t length = Utf8CharBytesAt(set, offset);
    if (set.substr(offset, length) == character) return true;
    offset += length;
  }
  return false;
}

// Removes characters of `set` from the start (kLeft) and/or the end (kRight) of `text`.
template <bool kLeft, bool kRight>
std::string_view Trim(std::string_view text, std::string_view set) {
  if constexpr (kLeft) {
    while (!text.empty()) {
      const size_t length = Utf8CharBytesAt(text, 0);
      if (!InSet(set, text.substr(0, length))) break;
      text.remove_prefix(length);
    }
  }
  if constexpr (kRight) {
    while (!text.empty()) {
      size_t start = text.size() - 1;
      while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
      if (!InSet(set, text.substr(start))) break;
      text.remove_suffix(text.size() - start);
    }
  }
  return text;
}

template <bool kLeft, bool kRight, bool kHasSet>
Status TrimRow(const Vector* const* args, size_t row, Vector* out) {
  std::string_view set = kHasSet ? args[1]->GetString(row) : std::string_view(" ");
  out->SetString(row, Trim<kLeft, kRight>(args[0]->GetString(row), set));
  return Status::Ok();
}

Status ReplaceRow(const Vector* const* args, size_t row, Vector* out) {
  std::string_view text = args[0]->GetString(row);
  std::string_view from = args[1]->GetString(row);
  std::string_view to = args[2]->GetString(row);
  if (from.empty()) {
    out->SetString(row, text);
    return Status::Ok();
  }
  std::string result;
  size_t start = 0;
  for (size_t found = text.find(from); found != std::string_view::npos;
       found = text.find(from, start)) {
    result.append(text.substr(start, found - start)).append(to);
    if (result.size() > kStringBytesMax) return RequestedLengthTooLarge();
    start = found + from.size();
  }
  result.append(text.substr(start));
  out->SetString(row, result);
  return Status::Ok();
}

// split_part(text, delimiter, n): field n counted from 1, or from the end when negative.
Status SplitPartRow(const Vector* const* args, size_t row, Vector* out) {
  std::string_view text = args[0]->GetString(row);
  std::string_view delimiter = args[1]->GetString(row);
  int64_t field = args[2]->values<int32_t>()[row];
  if (field == 0) return SqlError(kInvalidParameterValue, "field position must not be zero");
  if (text.empty() || delimiter.empty()) {
    out->SetString(row, !text.empty() && (field == 1 || field == -1) ? text : std::string_view());
    return Status::Ok();
  }
  if (field < 0) {
    int64_t fields = 1;
    for (size_t at = text.find(delimiter); at != std::string_view::npos;
         at = text.find(delimiter, at + delimiter.size())) {
      ++fields;
    }
    field += fields + 1;
    if (field <= 0) {
      out->SetString(row, {});
      return Status::Ok();
    }
  }
  size_t start = 0;
  for (int64_t i = 1; i < field; ++i) {
    const size_t at = text.find(delimiter, start);
    if (at == std::string_view::npos) {
      out->SetString(row, {});
      return Status::Ok();
    }
    start = at + delimiter.size();
  }
  const size_t end = text.find(delimiter, start);
  out->SetString(row, text.substr(start, end == std::string_view::npos ? end : end - start));
  return Status::Ok();
}

// left(text, n) keeps the first n characters (all but the last -n when negative); right(text, n)
// the last n (all but the first -n).
template <bool kLeft>
Status LeftRightRow(const Vector* const* args, size_t row, Vector* out) {
  std::string_view text = args[0]->GetString(row);
  const int64_t n = args[1]->values<int32_t>()[row];
  const int64_t characters = Utf8Count(text);
  const int64_t keep = std::clamp<int64_t>(n >= 0 ? n : characters + n, 0, characters);
  out->SetString(row, kLeft ? Characters(text, 0, keep)
                            : Characters(text, characters - keep, keep));
  return Status::Ok();
}

// lpad / rpad(text, length [, fill]): truncates to `length` characters or pads with repeats of
// `fill` (a space by default) on the left / right.
template <bool kLeft, bool kHasFill>
Status PadRow(const Vector* const* args, size_t row, Vector* out) {
  std::string_view text = args[0]->GetString(row);
  const int64_t length = std::max<int64_t>(args[1]->values<int32_t>()[row], 0);
  std::string_view fill = kHasFill ? args[2]->GetString(row) : std::string_view(" ");
  if (static_cast<size_t>(length) > kStringBytesMax / 4) return RequestedLengthTooLarge();
  std::string_view kept = Characters(text, 0, length);
  const int64_t pad = fill.empty() ? 0 : length - Utf8Count(kept);
  std::string padding;
  for (int64_t i = 0, offset = 0; i < pad; ++i) {
    if (static_cast<size_t>(offset) == fill.size()) offset = 0;
    const size_t bytes = Utf8CharBytesAt(fill, static_cast<size_t>(offset));
    padding.append(fill.substr(static_cast<size_t>(offset), bytes));
    offset += static_cast<int64_t>(bytes);
  }
  std::string result = kLeft ? padding + std::string(kept) : std::string(kept) + padding;
  out->SetString(row, result);
  return Status::Ok();
}

// translate(text, from, to): each character found in `from` becomes the character at the same
// place in `to`, or disappears when `to` is shorter; the first occurrence in `from` counts.
Status TranslateRow(const Vector* const* args, size_t row, Vector* out) {
  std::string_view text = args[0]->GetString(row);
  std::string_view from = args[1]->GetString(row);
  std::string_view to = args[2]->GetString(row);
  std::string result;
  size_t offset = 0;
  while (offset < text.size()) {
    const size_t length = Utf8CharBytesAt(text, offset);
    std::string_view character = text.substr(offset, length);
    offset += length;
    int64_t index = 0;
    size_t at = 0;
    while (at < from.size() && from.substr(at, Utf8CharBytesAt(from, at)) != character) {
      at += Utf8CharBytesAt(from, at);
      ++index;
    }
    if (at == from.size()) {
      result.append(character);
    } else {
      result.append(Characters(to, index, 1));
    }
  }
  out->SetString(row, result);
  return Status::Ok();
}

Status StartsWithRow(const Vector* const* args, size_t row, Vector* out) {
  out->values<uint8_t>()[row] = args[0]->GetString(row).starts_with(args[1]->GetString(row));
  return Status::Ok();
}

// concat(...) and concat_ws(separator, ...): the text form of every non-NULL argument (as the
// type's output function writes it), joined. Not strict: concat_ws is NULL only for a NULL
// separator.
template <bool kWithSeparator>
Status ConcatValuesKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                          Vector* out, ExecContext&) {
  size_t arguments = 0;
  while (arguments < kFunctionArgumentsMax && args[arguments] != nullptr) ++arguments;
  std::string result;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    if (kWithSeparator && args[0]->IsNull(row)) {
      out->SetNull(row, true);
      continue;
    }
    result.clear();
    bool first = true;
    for (size_t i = kWithSeparator ? 1 : 0; i < arguments; ++i) {
      if (args[i]->IsNull(row)) continue;
      if (kWithSeparator && !first) result.append(args[0]->GetString(row));
      first = false;
      PLEXUS_RETURN_IF_ERROR(FormatText(*args[i], row, &result));
      if (result.size() > kStringBytesMax) return RequestedLengthTooLarge();
    }
    out->SetString(row, result);
  }
  return Status::Ok();
}

// quote_ident(text).
Status QuoteIdentRow(const Vector* const* args, size_t row, Vector* out) {
  std::string quoted;
  QuoteIdentifier(args[0]->GetString(row), &quoted);
  out->SetString(row, quoted);
  return Status::Ok();
}

// text || value and value || text (textanycat, anytextcat): the value cast to text. A char(n)
// value loses its padding, as PostgreSQL's text || text with the bpchar -> text cast does.
template <bool kTextFirst>
Status ConcatTextRow(const Vector* const* args, size_t row, Vector* out) {
  std::string result(args[kTextFirst ? 0 : 1]->GetString(row));
  std::string value;
  const Vector& other = *args[kTextFirst ? 1 : 0];
  PLEXUS_RETURN_IF_ERROR(TextOfValue(other, row, &value));
  if (other.type().id == TypeId::kChar) value.erase(value.find_last_not_of(' ') + 1);
  result.insert(kTextFirst ? result.size() : 0, value);
  if (result.size() > kStringBytesMax) return RequestedLengthTooLarge();
  out->SetString(row, result);
  return Status::Ok();
}

// quote_literal(value) (strict) and quote_nullable(value): NULL becomes the word NULL.
Status QuoteLiteralKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                          Vector* out, ExecContext&) {
  std::string text;
  std::string quoted;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    if (args[0]->IsNull(row)) {
      out->SetString(row, "NULL");
      continue;
    }
    text.clear();
    quoted.clear();
    PLEXUS_RETURN_IF_ERROR(TextOfValue(*args[0], row, &text));
    QuoteLiteral(text, &quoted);
    out->SetString(row, quoted);
  }
  return Status::Ok();
}

}  // namespace

void RegisterStringEditFunctions(FunctionRegistry& registry) {
  const Type text = Type::Of(TypeId::kText);
  const Type integer = Type::Of(TypeId::kInt32);
  const Type any = AnyArgumentType();
  for (const char* name : {"substr", "substring"}) {
    registry.Add({name, {text, integer}, text, RowKernel<SubstrRow<false>>});
    registry.Add({name, {text, integer, integer}, text, RowKernel<SubstrRow<true>>});
  }
  registry.Add({"overlay", {text, text, integer}, text, RowKernel<OverlayRow<false>>});
  registry.Add({"overlay", {text, text, integer, integer}, text, RowKernel<OverlayRow<true>>});
  registry.Add({"strpos", {text, text}, integer, RowKernel<PositionRow>});
  registry.Add({"position", {text, text}, integer, RowKernel<PositionRow>});
  registry.Add({"btrim", {text}, text, RowKernel<TrimRow<true, true, false>>});
  registry.Add({"btrim", {text, text}, text, RowKernel<TrimRow<true, true, true>>});
  registry.Add({"ltrim", {text}, text, RowKernel<TrimRow<true, false, false>>});
  registry.Add({"ltrim", {text, text}, text, RowKernel<TrimRow<true, false, true>>});
  registry.Add({"rtrim", {text}, text, RowKernel<TrimRow<false, true, false>>});
  registry.Add({"rtrim", {text, text}, text, RowKernel<TrimRow<false, true, true>>});
  registry.Add({"replace", {text, text, text}, text, RowKernel<ReplaceRow>});
  registry.Add({"split_part", {text, text, integer}, text, RowKernel<SplitPartRow>});
  registry.Add({"left", {text, integer}, text, RowKernel<LeftRightRow<true>>});
  registry.Add({"right", {text, integer}, text, RowKernel<LeftRightRow<false>>});
  registry.Add({"lpad", {text, integer}, text, RowKernel<PadRow<true, false>>});
  registry.Add({"lpad", {text, integer, text}, text, RowKernel<PadRow<true, true>>});
  registry.Add({"rpad", {text, integer}, text, RowKernel<PadRow<false, false>>});
  registry.Add({"rpad", {text, integer, text}, text, RowKernel<PadRow<false, true>>});
  registry.Add({"translate", {text, text, text}, text, RowKernel<TranslateRow>});
  const Type boolean = Type::Of(TypeId::kBool);
  registry.Add({"starts_with", {text, text}, boolean, RowKernel<StartsWithRow>});
  registry.Add({"^@", {text, text}, boolean, RowKernel<StartsWithRow>});
  // Arrays never get here: the binder sends || with an array operand to the array functions.
  registry.Add({"||", {text, any}, text, RowKernel<ConcatTextRow<true>>});
  registry.Add({"||", {any, text}, text, RowKernel<ConcatTextRow<false>>});
  ScalarFunction concat{"concat", {any}, text, ConcatValuesKernel<false>};
  concat.strict = false;
  concat.variadic = true;
  registry.Add(concat);
  ScalarFunction concat_ws{"concat_ws", {text, any}, text, ConcatValuesKernel<true>};
  concat_ws.strict = false;
  concat_ws.variadic = true;
  registry.Add(concat_ws);
  registry.Add({"quote_ident", {text}, text, RowKernel<QuoteIdentRow>});
  registry.Add({"quote_literal", {text}, text, QuoteLiteralKernel});
  registry.Add({"quote_literal", {any}, text, QuoteLiteralKernel});
  for (const Type& type : {text, any}) {
    ScalarFunction quote_nullable{"quote_nullable", {type}, text, QuoteLiteralKernel};
    quote_nullable.strict = false;
    registry.Add(quote_nullable);
  }
}

}  // namespace plexus::sql
