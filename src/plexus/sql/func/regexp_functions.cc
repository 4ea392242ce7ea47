// POSIX regular expressions as PostgreSQL has them (~, ~*, !~, !~*, regexp_like, regexp_replace,
// regexp_count, regexp_substr, regexp_instr, regexp_match, regexp_split_to_array,
// substring(text FROM pattern)), run by RE2. PostgreSQL's ARE syntax is translated where RE2
// spells it differently (\y \m \M \Z \B, flags, ***= and embedded options); what RE2 cannot run
// (back-references, lookaround) fails with 0A000. Without non-greedy quantifiers a match is
// leftmost-longest, as in PostgreSQL.
#include <re2/re2.h>

#include <cctype>
#include <list>
#include <memory>
#include <string>
#include <utility>

#include "plexus/sql/func/regexp.h"
#include "plexus/sql/func/registry.h"
#include "plexus/sql/func/string_support.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/array.h"

namespace plexus::sql {

namespace {

// Compiled expressions kept per thread, most recently used first (PostgreSQL keeps 32 too).
constexpr size_t kRegexCacheEntriesMax = 32;
// Capture groups a replacement can name (\1 .. \9) plus the whole match.
constexpr int kReplacementGroupsMax = 10;

// The options of one regular expression, from the flags argument and embedded options.
struct RegexFlags {
  bool case_insensitive = false;
  bool newline_stop = false;    // . and [^...] stop at newlines
  bool newline_anchor = false;  // ^ and $ match at newlines
  bool literal = false;         // the whole pattern is a literal string
  bool expanded = false;        // whitespace and # comments are ignored
  bool global = false;          // regexp_replace: every match

  bool operator==(const RegexFlags&) const = default;
};

Status InvalidOption(std::string_view option) {
  return SqlError(kInvalidParameterValue,
                  "invalid regular expression option: \"" + std::string(option) + "\"");
}

Status NotSupported(std::string_view what) {
  return SqlError(kFeatureNotSupported, std::string(what) + " are not supported in regular "
                                                            "expressions yet");
}

// Applies one flag letter, as parse_re_flags does. `option` is the letter's UTF-8 character.
Status ApplyFlag(std::string_view option, RegexFlags* flags) {
  if (option.size() != 1) return InvalidOption(option);
  switch (option[0]) {
    case 'g': flags->global = true; break;
    case 'c': flags->case_insensitive = false; break;
    case 'i': flags->case_insensitive = true; break;
    case 'e': flags->literal = false; break;  // ERE: read as ARE, a superset
    case 'm':
    case 'n': flags->newline_stop = flags->newline_anchor = true; break;
    case 'p': flags->newline_stop = true, flags->newline_anchor = false; break;
    case 'q': flags->literal = true; break;
    case 's': flags->newline_stop = flags->newline_anchor = false; break;
    case 't': flags->expanded = false; break;
    case 'w': flags->newline_stop = false, flags->newline_anchor = true; break;
    case 'x': flags->expanded = true; break;
    case 'b': return NotSupported("basic (BRE) expressions");
    default: return InvalidOption(option);
  }
  return Status::Ok();
}

Status ParseFlags(std::string_view text, RegexFlags* flags) {
  for (size_t offset = 0; offset < text.size();) {
    const size_t length = Utf8CharBytesAt(text, offset);
    PLEXUS_RETURN_IF_ERROR(ApplyFlag(text.substr(offset, length), flags));
    offset += length;
  }
  return Status::Ok();
}

// Translates one escape (the character after a backslash at pattern[*i]) outside or inside a
// bracket expression, appending RE2's spelling.
Status TranslateEscape(std::string_view pattern, size_t* i, bool in_brackets, std::string* out) {
  const char c = pattern[*i];
  ++*i;
  switch (c) {
    case 'y': out->append("\\b"); return Status::Ok();
    case 'Y': out->append("\\B"); return Status::Ok();
    case 'm':
    case 'M': out->append("\\b"); return Status::Ok();  // word start/end: a boundary there
    case 'Z': out->append("\\z"); return Status::Ok();
    case 'B': out->append("\\\\"); return Status::Ok();  // PostgreSQL's synonym for backslash
    case 'e': out->append("\\x{1B}"); return Status::Ok();
    case 'w':  // word characters are letters and digits of any script, as iswalnum says
      out->append(in_brackets ? "\\p{L}\\p{Nd}_" : "[\\p{L}\\p{Nd}_]");
      return Status::Ok();
    case 'W':
      out->append(in_brackets ? "\\W" : "[^\\p{L}\\p{Nd}_]");
      return Status::Ok();
    case 'x': {  // \xhh...: any number of hex digits
      size_t end = *i;
      while (end < pattern.size() && std::isxdigit(static_cast<unsigned char>(pattern[end]))) {
        ++end;
      }
      if (end == *i) break;
      out->append("\\x{").append(pattern.substr(*i, end - *i)).append("}");
      *i = end;
      return Status::Ok();
    }
    default: break;
  }
  if (c >= '1' && c <= '9' && !in_brackets) return NotSupported("back-references");
  out->push_back('\\');
  out->push_back(c);
  return Status::Ok();
}

// PostgreSQL ARE syntax to RE2 syntax. Sets *has_lazy when the pattern has a non-greedy
// quantifier (the match then prefers the shortest, which RE2's leftmost-first approximates).
Status TranslatePattern(std::string_view pattern, const RegexFlags& flags, std::string* out,
                        bool* has_lazy) {
  *has_lazy = false;
  bool in_brackets = false;
  for (size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      ++i;
      PLEXUS_RETURN_IF_ERROR(TranslateEscape(pattern, &i, in_brackets, out));
      continue;
    }
    if (in_brackets) {
      if (c == '[' && i + 1 < pattern.size() &&
          (pattern[i + 1] == ':' || pattern[i + 1] == '.' || pattern[i + 1] == '=')) {
        const size_t close = pattern.find(std::string{pattern[i + 1], ']'}, i + 2);
        const size_t end = close == std::string_view::npos ? pattern.size() : close + 2;
        out->append(pattern.substr(i, end - i));
        i = end;
        continue;
      }
      // A ']' right after '[' or '[^' is a member, not the end.
      if (c == ']' && !(out->ends_with("[") || out->ends_with("[^"))) in_brackets = false;
      out->push_back(c);
      ++i;
      continue;
    }
    if (flags.expanded && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
                           c == '\v')) {
      ++i;
      continue;
    }
    if (flags.expanded && c == '#') {
      while (i < pattern.size() && pattern[i] != '\n') ++i;
      continue;
    }
    if (c == '(' && pattern.substr(i).starts_with("(?") && i + 2 < pattern.size() &&
        (pattern[i + 2] == '=' || pattern[i + 2] == '!' || pattern[i + 2] == '<')) {
      return NotSupported("lookahead and lookbehind constraints");
    }
    if ((c == '?' || c == '*' || c == '+' || c == '}') && i + 1 < pattern.size() &&
        pattern[i + 1] == '?' && !(c == '?' && out->ends_with("("))) {
      *has_lazy = true;
    }
    if (c == '[') in_brackets = true;
    out->push_back(c);
    ++i;
  }
  return Status::Ok();
}

// The director prefix ***= (literal) or ***: (ARE), and leading embedded options (?flags).
std::string_view ReadDirectors(std::string_view pattern, RegexFlags* flags, Status* status) {
  if (pattern.starts_with("***=")) {
    flags->literal = true;
    return pattern.substr(4);
  }
  if (pattern.starts_with("***:")) pattern.remove_prefix(4);
  if (pattern.starts_with("(?") && pattern.size() > 2 &&
      std::isalpha(static_cast<uint8_t>(pattern[2]))) {
    const size_t close = pattern.find(')');
    if (close == std::string_view::npos) return pattern;  // RE2 reports the bad syntax
    for (size_t i = 2; i < close; ++i) {
      *status = ApplyFlag(pattern.substr(i, 1), flags);
      if (!status->ok()) return pattern;
    }
    if (flags->global) {
      *status = InvalidOption("g");
      return pattern;
    }
    pattern.remove_prefix(close + 1);
  }
  return pattern;
}

Status InvalidRegex(const RE2& regex) {
  std::string_view message;
  switch (regex.error_code()) {
    case RE2::ErrorMissingParen:
    case RE2::ErrorUnexpectedParen: message = "parentheses () not balanced"; break;
    case RE2::ErrorMissingBracket: message = "brackets [] not balanced"; break;
    case RE2::ErrorRepeatArgument:
    case RE2::ErrorRepeatOp: message = "quantifier operand invalid"; break;
    case RE2::ErrorRepeatSize: message = "invalid repetition count(s)"; break;
    case RE2::ErrorBadEscape:
    case RE2::ErrorTrailingBackslash: message = "invalid escape \\ sequence"; break;
    case RE2::ErrorBadCharRange: message = "invalid character range"; break;
    case RE2::ErrorBadCharClass: message = "invalid character class"; break;
    default: message = regex.error(); break;
  }
  return SqlError(kInvalidRegularExpression,
                  "invalid regular expression: " + std::string(message));
}

Result<std::unique_ptr<RE2>> Compile(std::string_view pattern, RegexFlags flags) {
  Status status;
  pattern = ReadDirectors(pattern, &flags, &status);
  PLEXUS_RETURN_IF_ERROR(status);
  std::string translated;
  bool has_lazy = false;
  if (flags.literal) {
    translated = RE2::QuoteMeta(re2::StringPiece(pattern.data(), pattern.size()));
  } else {
    PLEXUS_RETURN_IF_ERROR(TranslatePattern(pattern, flags, &translated, &has_lazy));
  }
  // PostgreSQL's default: '.' matches a newline, '^' and '$' only at the ends of the text.
  std::string prefix = "(?";
  if (!flags.newline_stop) prefix += "s";
  if (flags.newline_anchor) prefix += "m";
  translated = (prefix.size() > 2 ? prefix + ")" : "") + translated;
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_case_sensitive(!flags.case_insensitive);
  options.set_longest_match(!has_lazy);
  options.set_log_errors(false);
  auto regex = std::make_unique<RE2>(translated, options);
  if (!regex->ok()) return InvalidRegex(*regex);
  return regex;
}

struct CacheEntry {
  std::string pattern;
  RegexFlags flags;
  std::unique_ptr<RE2> regex;
};

// The compiled expression for (pattern, flags), from this thread's cache.
Result<const RE2*> CachedRegex(std::string_view pattern, const RegexFlags& flags) {
  thread_local std::list<CacheEntry> cache;
  for (auto entry = cache.begin(); entry != cache.end(); ++entry) {
    if (entry->pattern == pattern && entry->flags == flags) {
      cache.splice(cache.begin(), cache, entry);
      return cache.front().regex.get();
    }
  }
  PLEXUS_ASSIGN_OR_RETURN(std::unique_ptr<RE2> regex, Compile(pattern, flags));
  if (cache.size() == kRegexCacheEntriesMax) cache.pop_back();
  cache.push_front({std::string(pattern), flags, std::move(regex)});
  return cache.front().regex.get();
}

re2::StringPiece Piece(std::string_view text) { return {text.data(), text.size()}; }

// Finds the first match at or after byte `start`; groups[0] is the whole match.
bool Find(const RE2& regex, std::string_view text, size_t start, re2::StringPiece* groups,
          int group_count) {
  return regex.Match(Piece(text), start, text.size(), RE2::UNANCHORED, groups, group_count);
}

// The byte just past the character at `offset` (an empty match moves the search on by one).
size_t NextCharacter(std::string_view text, size_t offset) {
  return offset < text.size() ? offset + Utf8CharBytesAt(text, offset) : offset + 1;
}

// Reads the flags argument `index` when the call has it.
template <int kFlagsArgument>
Status ReadFlags(const Vector* const* args, size_t row, RegexFlags* flags) {
  if constexpr (kFlagsArgument >= 0) {
    return ParseFlags(args[kFlagsArgument]->GetString(row), flags);
  }
  return Status::Ok();
}

Status NoGlobalOption(const RegexFlags& flags, std::string_view function) {
  if (!flags.global) return Status::Ok();
  return SqlError(kInvalidParameterValue,
                  std::string(function) + " does not support the \"global\" option");
}

// text ~ pattern and its variants; regexp_like(text, pattern [, flags]).
template <bool kCaseInsensitive, bool kNegate, int kFlagsArgument>
Status MatchRow(const Vector* const* args, size_t row, Vector* out) {
  RegexFlags flags;
  flags.case_insensitive = kCaseInsensitive;
  PLEXUS_RETURN_IF_ERROR(ReadFlags<kFlagsArgument>(args, row, &flags));
  PLEXUS_RETURN_IF_ERROR(NoGlobalOption(flags, "regexp_like()"));
  PLEXUS_ASSIGN_OR_RETURN(const RE2* regex, CachedRegex(args[1]->GetString(row), flags));
  const bool match = Find(*regex, args[0]->GetString(row), 0, nullptr, 0);
  out->values<uint8_t>()[row] = match != kNegate;
  return Status::Ok();
}

// The replacement text with \1..\9 (a group), \& (the match) and \\ substituted, as
// appendStringInfoRegexpSubstr; any other backslash stays.
void AppendReplacement(std::string_view replacement, const re2::StringPiece* groups,
                       int group_count, std::string* out) {
  for (size_t i = 0; i < replacement.size(); ++i) {
    if (replacement[i] != '\\') {
      out->push_back(replacement[i]);
      continue;
    }
    if (i + 1 == replacement.size()) {
      out->push_back('\\');
      break;
    }
    const char next = replacement[i + 1];
    int group = -1;
    if (next >= '1' && next <= '9') group = next - '0';
    if (next == '&') group = 0;
    if (group >= 0) {
      if (group < group_count && groups[group].data() != nullptr) {
        out->append(groups[group].data(), groups[group].size());
      }
      ++i;
    } else if (next == '\\') {
      out->push_back('\\');
      ++i;
    } else {
      out->push_back('\\');
    }
  }
}

Status InvalidParameter(std::string_view name, int32_t value) {
  return SqlError(kInvalidParameterValue, "invalid value for parameter \"" + std::string(name) +
                                              "\": " + std::to_string(value));
}

// The integer argument `index` when the call has it (kArguments arguments), else `absent`.
template <int kArguments>
int32_t IntegerArgument(const Vector* const* args, int index, size_t row, int32_t absent) {
  return index < kArguments ? args[index]->values<int32_t>()[row] : absent;
}

// The byte where a search from character `start` (1-based, > 0) begins; past the end (so that
// nothing matches) when the text is shorter.
size_t SearchStart(std::string_view text, int32_t start) {
  const size_t offset = Utf8Offset(text, start - 1);
  return offset == text.size() && Utf8Count(text) < start - 1 ? text.size() + 1 : offset;
}

// Steps through the successive matches from a byte position, as setup_regexp_matches does: the
// next search starts where a match ended, one character later after an empty match.
class MatchWalker {
 public:
  MatchWalker(const RE2& regex, std::string_view text, size_t start, int group_count)
      : regex_(regex), text_(text), search_(start), group_count_(group_count) {}

  // The next match into groups()[0 .. group_count); false when there is none.
  bool Next() {
    if (search_ > text_.size() ||
        !regex_.Match(Piece(text_), search_, text_.size(), RE2::UNANCHORED, groups_,
                      group_count_)) {
      return false;
    }
    const size_t end = match_start() + groups_[0].size();
    search_ = groups_[0].empty() ? NextCharacter(text_, end) : end;
    return true;
  }
  // Skips `count` matches; false when fewer remain.
  bool Skip(int64_t count) {
    for (int64_t i = 0; i < count; ++i) {
      if (!Next()) return false;
    }
    return true;
  }
  const re2::StringPiece* groups() const { return groups_; }
  size_t match_start() const { return static_cast<size_t>(groups_[0].data() - text_.data()); }
  size_t match_end() const { return match_start() + groups_[0].size(); }

 private:
  const RE2& regex_;
  std::string_view text_;
  size_t search_;
  int group_count_;
  re2::StringPiece groups_[kReplacementGroupsMax];
};

// regexp_replace(text, pattern, replacement [, start [, n]] [, flags]) as
// textregexreplace_extended: the n-th match from character `start`, or every match when n is 0
// (without n: the 'g' flag says every match, else the first).
template <bool kHasStart, bool kHasN, int kFlagsArgument>
Status ReplaceRow(const Vector* const* args, size_t row, Vector* out) {
  RegexFlags flags;
  PLEXUS_RETURN_IF_ERROR(ReadFlags<kFlagsArgument>(args, row, &flags));
  const int32_t start = kHasStart ? args[3]->values<int32_t>()[row] : 1;
  if (start <= 0) return InvalidParameter("start", start);
  const int32_t n = kHasN ? args[4]->values<int32_t>()[row] : (flags.global ? 0 : 1);
  if (n < 0) return InvalidParameter("n", n);
  PLEXUS_ASSIGN_OR_RETURN(const RE2* regex, CachedRegex(args[1]->GetString(row), flags));
  std::string_view text = args[0]->GetString(row);
  std::string_view replacement = args[2]->GetString(row);
  const int group_count = std::min(regex->NumberOfCapturingGroups() + 1, kReplacementGroupsMax);
  MatchWalker walker(*regex, text, SearchStart(text, start), group_count);
  if (n > 1 && !walker.Skip(n - 1)) {
    out->SetString(row, text);
    return Status::Ok();
  }
  std::string result;
  size_t copied = 0;  // text before this byte is in `result`
  while (walker.Next()) {
    result.append(text.substr(copied, walker.match_start() - copied));
    AppendReplacement(replacement, walker.groups(), group_count, &result);
    if (result.size() > kStringBytesMax) return RequestedLengthTooLarge();
    copied = walker.match_end();
    if (n > 0) break;
  }
  result.append(text.substr(copied));
  out->SetString(row, result);
  return Status::Ok();
}

// regexp_count(text, pattern [, start [, flags]]): non-overlapping matches from character
// `start` on.
template <int kArguments, int kFlagsArgument>
Status CountRow(const Vector* const* args, size_t row, Vector* out) {
  RegexFlags flags;
  PLEXUS_RETURN_IF_ERROR(ReadFlags<kFlagsArgument>(args, row, &flags));
  PLEXUS_RETURN_IF_ERROR(NoGlobalOption(flags, "regexp_count()"));
  const int32_t start = IntegerArgument<kArguments>(args, 2, row, 1);
  if (start <= 0) return InvalidParameter("start", start);
  PLEXUS_ASSIGN_OR_RETURN(const RE2* regex, CachedRegex(args[1]->GetString(row), flags));
  std::string_view text = args[0]->GetString(row);
  MatchWalker walker(*regex, text, SearchStart(text, start), 1);
  int32_t count = 0;
  while (walker.Next()) ++count;
  out->values<int32_t>()[row] = count;
  return Status::Ok();
}

// The common arguments of regexp_substr and regexp_instr: character `start`, the n-th match,
// and capture group `subexpr` (0: the whole match).
struct NthMatch {
  int32_t start = 1;
  int32_t n = 1;
  int32_t subexpr = 0;
};

Status CheckNthMatch(const NthMatch& nth) {
  if (nth.start <= 0) return InvalidParameter("start", nth.start);
  if (nth.n <= 0) return InvalidParameter("n", nth.n);
  if (nth.subexpr < 0) return InvalidParameter("subexpr", nth.subexpr);
  return Status::Ok();
}

// Finds the match; the group's bytes in *found (data() null when the match or the group is
// missing).
Status FindNth(const Vector* const* args, size_t row, const NthMatch& nth,
               const RegexFlags& flags, re2::StringPiece* found) {
  *found = {};
  PLEXUS_ASSIGN_OR_RETURN(const RE2* regex, CachedRegex(args[1]->GetString(row), flags));
  if (nth.subexpr > regex->NumberOfCapturingGroups()) return Status::Ok();
  std::string_view text = args[0]->GetString(row);
  const int group_count = std::max(nth.subexpr + 1, 1);
  if (group_count > kReplacementGroupsMax) {
    return SqlError(kFeatureNotSupported, "capture groups beyond 9 are not supported yet");
  }
  MatchWalker walker(*regex, text, SearchStart(text, nth.start), group_count);
  if (walker.Skip(nth.n)) *found = walker.groups()[nth.subexpr];
  return Status::Ok();
}

// regexp_substr(text, pattern [, start [, n [, flags [, subexpr]]]]): NULL without the match.
template <int kArguments>
Status RegexpSubstrRow(const Vector* const* args, size_t row, Vector* out) {
  RegexFlags flags;
  if (kArguments >= 5) PLEXUS_RETURN_IF_ERROR(ParseFlags(args[4]->GetString(row), &flags));
  PLEXUS_RETURN_IF_ERROR(NoGlobalOption(flags, "regexp_substr()"));
  const NthMatch nth{IntegerArgument<kArguments>(args, 2, row, 1),
                     IntegerArgument<kArguments>(args, 3, row, 1),
                     IntegerArgument<kArguments>(args, 5, row, 0)};
  PLEXUS_RETURN_IF_ERROR(CheckNthMatch(nth));
  re2::StringPiece found;
  PLEXUS_RETURN_IF_ERROR(FindNth(args, row, nth, flags, &found));
  if (found.data() == nullptr) {
    out->SetNull(row, true);
  } else {
    out->SetString(row, {found.data(), found.size()});
  }
  return Status::Ok();
}

// regexp_instr(text, pattern [, start [, n [, endoption [, flags [, subexpr]]]]]): the
// character position of the match (endoption 0) or just after it (1); 0 without the match.
template <int kArguments>
Status InstrRow(const Vector* const* args, size_t row, Vector* out) {
  RegexFlags flags;
  if (kArguments >= 6) PLEXUS_RETURN_IF_ERROR(ParseFlags(args[5]->GetString(row), &flags));
  PLEXUS_RETURN_IF_ERROR(NoGlobalOption(flags, "regexp_instr()"));
  const NthMatch nth{IntegerArgument<kArguments>(args, 2, row, 1),
                     IntegerArgument<kArguments>(args, 3, row, 1),
                     IntegerArgument<kArguments>(args, 6, row, 0)};
  PLEXUS_RETURN_IF_ERROR(CheckNthMatch(nth));
  const int32_t end_option = IntegerArgument<kArguments>(args, 4, row, 0);
  if (end_option != 0 && end_option != 1) return InvalidParameter("endoption", end_option);
  re2::StringPiece found;
  PLEXUS_RETURN_IF_ERROR(FindNth(args, row, nth, flags, &found));
  int32_t position = 0;
  if (found.data() != nullptr) {
    std::string_view text = args[0]->GetString(row);
    const size_t byte = static_cast<size_t>(found.data() - text.data()) +
                        (end_option == 1 ? found.size() : 0);
    position = static_cast<int32_t>(Utf8Count(text.substr(0, byte)) + 1);
  }
  out->values<int32_t>()[row] = position;
  return Status::Ok();
}

// substring(text FROM pattern): the first match, or what its first capture group matched;
// NULL without a match.
Status SubstringRow(const Vector* const* args, size_t row, Vector* out) {
  PLEXUS_ASSIGN_OR_RETURN(const RE2* regex, CachedRegex(args[1]->GetString(row), RegexFlags{}));
  std::string_view text = args[0]->GetString(row);
  re2::StringPiece groups[2];
  const int wanted = regex->NumberOfCapturingGroups() > 0 ? 1 : 0;
  if (!Find(*regex, text, 0, groups, wanted + 1) || groups[wanted].data() == nullptr) {
    out->SetNull(row, true);
    return Status::Ok();
  }
  out->SetString(row, {groups[wanted].data(), groups[wanted].size()});
  return Status::Ok();
}

// `regex`'s capture groups for text[] results: how many, as MatchWalker needs them.
Result<int> GroupCount(const RE2& regex) {
  const int groups = regex.NumberOfCapturingGroups();
  if (groups + 1 > kReplacementGroupsMax) {
    return SqlError(kFeatureNotSupported, "capture groups beyond 9 are not supported yet");
  }
  return groups + 1;
}

// The walker's current match as text[]: its capture groups (the whole match when there are
// none), a group that took no part NULL.
std::string MatchArray(const MatchWalker& walker, int group_count) {
  ArrayBuilder builder(Type::Of(TypeId::kText));
  for (int group = group_count == 1 ? 0 : 1; group < group_count; ++group) {
    const re2::StringPiece& piece = walker.groups()[group];
    if (piece.data() == nullptr) {
      builder.AppendNull();
    } else {
      builder.AppendValue(Value::Text({piece.data(), piece.size()}));
    }
  }
  return builder.Finish();
}

// regexp_match(text, pattern [, flags]): the first match's capture groups as text[] (the whole
// match when there are none); NULL without a match.
template <int kFlagsArgument>
Status MatchArrayRow(const Vector* const* args, size_t row, Vector* out) {
  RegexFlags flags;
  PLEXUS_RETURN_IF_ERROR(ReadFlags<kFlagsArgument>(args, row, &flags));
  if (flags.global) {
    Status status = NoGlobalOption(flags, "regexp_match()");
    status.SetHint("Use the regexp_matches function instead.");
    return status;
  }
  PLEXUS_ASSIGN_OR_RETURN(const RE2* regex, CachedRegex(args[1]->GetString(row), flags));
  PLEXUS_ASSIGN_OR_RETURN(const int group_count, GroupCount(*regex));
  MatchWalker walker(*regex, args[0]->GetString(row), 0, group_count);
  if (!walker.Next()) {
    out->SetNull(row, true);
    return Status::Ok();
  }
  out->SetString(row, MatchArray(walker, group_count));
  return Status::Ok();
}

// regexp_split_to_array(text, pattern [, flags]): the pieces between matches. As PostgreSQL,
// an empty match at either end of the text or right after the previous match does not split.
template <int kFlagsArgument>
Status SplitRow(const Vector* const* args, size_t row, Vector* out) {
  RegexFlags flags;
  PLEXUS_RETURN_IF_ERROR(ReadFlags<kFlagsArgument>(args, row, &flags));
  PLEXUS_RETURN_IF_ERROR(NoGlobalOption(flags, "regexp_split_to_array()"));
  PLEXUS_ASSIGN_OR_RETURN(const RE2* regex, CachedRegex(args[1]->GetString(row), flags));
  std::string_view text = args[0]->GetString(row);
  MatchWalker walker(*regex, text, 0, 1);
  ArrayBuilder builder(Type::Of(TypeId::kText));
  size_t piece_start = 0;
  while (walker.Next()) {
    if (walker.match_start() >= text.size() || walker.match_end() <= piece_start) continue;
    if (builder.size() + 1 == kArrayElementsMax) {  // the last piece still has to fit
      return SqlError(kProgramLimitExceeded, "array size exceeds the maximum allowed (" +
                                                 std::to_string(kArrayElementsMax) + ")");
    }
    builder.AppendValue(Value::Text(text.substr(piece_start, walker.match_start() - piece_start)));
    piece_start = walker.match_end();
  }
  builder.AppendValue(Value::Text(text.substr(piece_start)));
  out->SetString(row, builder.Finish());
  return Status::Ok();
}

// similar_to_escape(pattern [, escape]): SIMILAR TO's pattern as a regular expression, as
// PostgreSQL's similar_escape_internal writes it: anchored, % as .*, _ as ., ( as a
// non-capturing group, \ . ^ $ escaped, bracket expressions copied, the escape character
// (default \) quoting the next one, and escape-double-quote separators as substring()'s groups.
template <int kArguments>
Status SimilarToEscapeRow(const Vector* const* args, size_t row, Vector* out) {
  const std::string_view pattern = args[0]->GetString(row);
  std::string_view escape = "\\";
  if constexpr (kArguments == 2) escape = args[1]->GetString(row);
  if (escape.size() > 1) {
    Status status = SqlError(kInvalidEscapeSequence, "invalid escape string");
    status.SetHint("Escape string must be empty or one character.");
    return status;
  }
  std::string regex = "^(?:";
  bool after_escape = false;
  bool in_class = false;
  int class_position = 0;  // 1 just after [, 2 after [^; a ] there is literal
  int separators = 0;
  for (const char c : pattern) {
    if (after_escape) {
      after_escape = false;
      if (c == '"' && !in_class) {
        if (separators == 2) {
          return SqlError(SqlState{"2200C", StatusCode::kInvalidArgument},
                          "SQL regular expression may not contain more than two "
                          "escape-double-quote separators");
        }
        regex += separators++ == 0 ? "){1,1}?(" : "){1,1}(?:";
      } else {
        regex += '\\';
        regex += c;
      }
    } else if (!escape.empty() && c == escape[0]) {
      after_escape = true;
    } else if (in_class) {
      if (c == '\\') regex += '\\';
      regex += c;
      if (c == ']' && class_position > 2) {
        in_class = false;
      } else if (c == '^' && class_position == 1) {
        class_position = 2;
      } else {
        class_position = 3;
      }
    } else if (c == '[') {
      regex += c;
      in_class = true;
      class_position = 1;
    } else if (c == '%') {
      regex += ".*";
    } else if (c == '_') {
      regex += '.';
    } else if (c == '(') {
      regex += "(?:";
    } else if (c == '\\' || c == '.' || c == '^' || c == '$') {
      regex += '\\';
      regex += c;
    } else {
      regex += c;
    }
  }
  regex += ")$";
  out->SetString(row, regex);
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> RegexpMatches(std::string_view text, std::string_view pattern,
                                               std::string_view flag_text) {
  RegexFlags flags;
  PLEXUS_RETURN_IF_ERROR(ParseFlags(flag_text, &flags));
  PLEXUS_ASSIGN_OR_RETURN(const RE2* regex, CachedRegex(pattern, flags));
  PLEXUS_ASSIGN_OR_RETURN(const int group_count, GroupCount(*regex));
  std::vector<std::string> matches;
  MatchWalker walker(*regex, text, 0, group_count);
  while (walker.Next()) {
    matches.push_back(MatchArray(walker, group_count));
    if (!flags.global) break;
  }
  return matches;
}

void RegisterRegexpFunctions(FunctionRegistry& registry) {
  const Type text = Type::Of(TypeId::kText);
  const Type integer = Type::Of(TypeId::kInt32);
  const Type boolean = Type::Of(TypeId::kBool);
  registry.Add({"~", {text, text}, boolean, RowKernel<MatchRow<false, false, -1>>});
  registry.Add({"~*", {text, text}, boolean, RowKernel<MatchRow<true, false, -1>>});
  registry.Add({"!~", {text, text}, boolean, RowKernel<MatchRow<false, true, -1>>});
  registry.Add({"!~*", {text, text}, boolean, RowKernel<MatchRow<true, true, -1>>});
  registry.Add({"similar_to_escape", {text}, text, RowKernel<SimilarToEscapeRow<1>>});
  registry.Add({"similar_to_escape", {text, text}, text, RowKernel<SimilarToEscapeRow<2>>});
  registry.Add({"regexp_like", {text, text}, boolean, RowKernel<MatchRow<false, false, -1>>});
  registry.Add(
      {"regexp_like", {text, text, text}, boolean, RowKernel<MatchRow<false, false, 2>>});
  // The flags form first: an untyped fourth argument is flags, as PostgreSQL resolves it.
  registry.Add({"regexp_replace", {text, text, text}, text,
                RowKernel<ReplaceRow<false, false, -1>>});
  registry.Add({"regexp_replace", {text, text, text, text}, text,
                RowKernel<ReplaceRow<false, false, 3>>});
  registry.Add({"regexp_replace", {text, text, text, integer}, text,
                RowKernel<ReplaceRow<true, false, -1>>});
  registry.Add({"regexp_replace", {text, text, text, integer, integer}, text,
                RowKernel<ReplaceRow<true, true, -1>>});
  registry.Add({"regexp_replace", {text, text, text, integer, integer, text}, text,
                RowKernel<ReplaceRow<true, true, 5>>});
  registry.Add({"regexp_count", {text, text}, integer, RowKernel<CountRow<2, -1>>});
  registry.Add({"regexp_count", {text, text, integer}, integer, RowKernel<CountRow<3, -1>>});
  registry.Add(
      {"regexp_count", {text, text, integer, text}, integer, RowKernel<CountRow<4, 3>>});
  registry.Add({"regexp_substr", {text, text}, text, RowKernel<RegexpSubstrRow<2>>});
  registry.Add({"regexp_substr", {text, text, integer}, text, RowKernel<RegexpSubstrRow<3>>});
  registry.Add(
      {"regexp_substr", {text, text, integer, integer}, text, RowKernel<RegexpSubstrRow<4>>});
  registry.Add(
      {"regexp_substr", {text, text, integer, integer, text}, text, RowKernel<RegexpSubstrRow<5>>});
  registry.Add({"regexp_substr",
                {text, text, integer, integer, text, integer},
                text,
                RowKernel<RegexpSubstrRow<6>>});
  registry.Add({"regexp_instr", {text, text}, integer, RowKernel<InstrRow<2>>});
  registry.Add({"regexp_instr", {text, text, integer}, integer, RowKernel<InstrRow<3>>});
  registry.Add({"regexp_instr", {text, text, integer, integer}, integer, RowKernel<InstrRow<4>>});
  registry.Add({"regexp_instr", {text, text, integer, integer, integer}, integer,
                RowKernel<InstrRow<5>>});
  registry.Add({"regexp_instr", {text, text, integer, integer, integer, text}, integer,
                RowKernel<InstrRow<6>>});
  registry.Add({"regexp_instr", {text, text, integer, integer, integer, text, integer}, integer,
                RowKernel<InstrRow<7>>});
  registry.Add({"substring", {text, text}, text, RowKernel<SubstringRow>});
  const Type text_array = Type::ArrayOf(TypeId::kText);
  registry.Add({"regexp_match", {text, text}, text_array, RowKernel<MatchArrayRow<-1>>});
  registry.Add({"regexp_match", {text, text, text}, text_array, RowKernel<MatchArrayRow<2>>});
  registry.Add({"regexp_split_to_array", {text, text}, text_array, RowKernel<SplitRow<-1>>});
  registry.Add(
      {"regexp_split_to_array", {text, text, text}, text_array, RowKernel<SplitRow<2>>});
}

}  // namespace plexus::sql
