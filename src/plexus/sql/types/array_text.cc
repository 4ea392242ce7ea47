// Array text input and element quoting, following PostgreSQL's ArrayCount/ReadArrayStr.
#include "plexus/sql/types/array_text.h"

#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

bool IsArraySpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool EqualsNullWord(std::string_view text) {
  if (text.size() != 4) return false;
  for (size_t i = 0; i < 4; ++i) {
    if ((text[i] | 0x20) != "null"[i]) return false;
  }
  return true;
}

class ArrayTextParser {
 public:
  explicit ArrayTextParser(std::string_view text) : text_(text) {}

  Result<std::vector<ArrayTextElement>> Parse() {
    SkipSpaces();
    if (at_ < text_.size() && text_[at_] == '[') {
      return SqlError(kFeatureNotSupported, "arrays with explicit bounds are not supported");
    }
    if (at_ >= text_.size() || text_[at_] != '{') {
      return Malformed("Array value must start with \"{\" or dimension information.");
    }
    ++at_;
    SkipSpaces();
    std::vector<ArrayTextElement> elements;
    if (at_ < text_.size() && text_[at_] == '}') {
      ++at_;
    } else {
      while (true) {
        PLEXUS_ASSIGN_OR_RETURN(ArrayTextElement element, ParseElement());
        if (elements.size() >= kArrayElementsMax) {
          return SqlError(kProgramLimitExceeded, "array size exceeds the maximum allowed (" +
                                                     std::to_string(kArrayElementsMax) + ")");
        }
        elements.push_back(std::move(element));
        // ParseElement stops at ',' or '}'.
        if (text_[at_++] == '}') break;
      }
    }
    SkipSpaces();
    if (at_ != text_.size()) return Malformed("Junk after closing right brace.");
    return elements;
  }

 private:
  void SkipSpaces() {
    while (at_ < text_.size() && IsArraySpace(text_[at_])) ++at_;
  }

  Status Malformed(std::string_view detail) {
    Status status = SqlError(kInvalidTextRepresentation,
                             "malformed array literal: \"" + std::string(text_) + "\"");
    status.SetDetail(detail);
    return status;
  }

  // One element up to (not past) the ',' or '}' after it.
  Result<ArrayTextElement> ParseElement() {
    SkipSpaces();
    if (at_ < text_.size() && text_[at_] == '{') {
      return SqlError(kFeatureNotSupported, "multidimensional arrays are not supported");
    }
    ArrayTextElement element;
    bool in_quotes = false;
    bool quoted = false;   // a quoted part was closed: only whitespace may follow
    bool literal = false;  // a quote or escape was seen: never NULL
    size_t kept = 0;       // element.text up to the last character not to trim
    while (true) {
      if (at_ >= text_.size()) return Malformed("Unexpected end of input.");
      const char c = text_[at_];
      if (!in_quotes && quoted && c != ',' && c != '}' && !IsArraySpace(c)) {
        return Malformed("Unexpected array element.");
      }
      if (c == '\\') {
        if (at_ + 1 >= text_.size()) return Malformed("Unexpected end of input.");
        element.text.push_back(text_[at_ + 1]);
        kept = element.text.size();
        literal = true;
        at_ += 2;
        continue;
      }
      if (c == '"') {
        // A quote opens only at the start of an element and closes it.
        if (!in_quotes && (literal || !element.text.empty())) {
          return Malformed("Unexpected array element.");
        }
        quoted = in_quotes;
        in_quotes = !in_quotes;
        literal = true;
        kept = element.text.size();
        ++at_;
        continue;
      }
      if (!in_quotes) {
        if (c == ',' || c == '}') break;
        if (c == '{') return Malformed("Unexpected \"{\" character.");
        if (IsArraySpace(c)) {
          if (!element.text.empty() || literal) element.text.push_back(c);
          ++at_;
          continue;
        }
      }
      element.text.push_back(c);
      kept = element.text.size();
      ++at_;
    }
    element.text.resize(kept);  // trailing unquoted whitespace is not part of the element
    if (element.text.empty() && !literal) {
      return Malformed(text_[at_] == ',' ? "Unexpected \",\" character."
                                         : "Unexpected \"}\" character.");
    }
    element.is_null = !literal && EqualsNullWord(element.text);
    return element;
  }

  std::string_view text_;
  size_t at_ = 0;
};

bool NeedsQuotes(std::string_view text) {
  if (text.empty() || EqualsNullWord(text)) return true;
  for (char c : text) {
    if (c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || IsArraySpace(c)) return true;
  }
  return false;
}

}  // namespace

Result<std::vector<ArrayTextElement>> ParseArrayText(std::string_view text) {
  return ArrayTextParser(text).Parse();
}

void AppendArrayElementText(std::string_view text, std::string* out) {
  if (!NeedsQuotes(text)) {
    out->append(text);
    return;
  }
  out->push_back('"');
  for (char c : text) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace plexus::sql
