// Statement ends in line-by-line input, following psql's lexer (psqlscan.l) for what can hide a
// semicolon: quotes, dollar quotes, comments and parentheses.
#include "plexus/app/statement_splitter.h"

namespace plexus::app {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Characters that continue an identifier; `$` is one, so `a$b$` is a name, not a dollar quote.
bool IsIdentifierChar(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || byte >= 0x80;
}

bool IsTagStart(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || byte >= 0x80;
}

// The dollar-quote opener ("$$" or "$tag$") starting at text[at], or empty when there is none.
std::string_view DollarTagAt(std::string_view text, size_t at) {
  size_t end = at + 1;
  if (end < text.size() && text[end] != '$') {
    if (!IsTagStart(text[end])) return {};
    while (end < text.size() && text[end] != '$' && IsIdentifierChar(text[end])) ++end;
  }
  if (end >= text.size() || text[end] != '$') return {};
  return text.substr(at, end - at + 1);
}

}  // namespace

std::vector<std::string> StatementSplitter::AddLine(std::string_view line) {
  ++lines_;
  pending_.append(line);
  pending_.push_back('\n');
  std::vector<std::string> statements;
  Scan(&statements);
  return statements;
}

bool StatementSplitter::empty() const {
  for (char c : pending_) {
    if (!IsSpace(c)) return false;
  }
  return true;
}

std::string StatementSplitter::TakePending() {
  std::string text = empty() ? std::string() : pending_;
  while (!text.empty() && IsSpace(text.back())) text.pop_back();
  Reset();
  return text;
}

void StatementSplitter::Reset() {
  pending_.clear();
  scanned_ = 0;
  mode_ = Mode::kNormal;
  escapes_ = false;
  comment_depth_ = 0;
  paren_depth_ = 0;
  dollar_tag_.clear();
}

char StatementSplitter::ContinuationMark() const {
  switch (mode_) {
    case Mode::kSingleQuote:
      return '\'';
    case Mode::kDoubleQuote:
      return '"';
    case Mode::kDollarQuote:
      return '$';
    case Mode::kBlockComment:
      return '*';
    case Mode::kNormal:
      break;
  }
  return paren_depth_ > 0 ? '(' : '-';
}

void StatementSplitter::Emit(size_t end, std::vector<std::string>* out) {
  size_t begin = 0;
  while (begin < end && IsSpace(pending_[begin])) ++begin;
  out->push_back(pending_.substr(begin, end - begin));
  pending_.erase(0, end);
  scanned_ = 0;
  paren_depth_ = 0;
}

void StatementSplitter::Scan(std::vector<std::string>* out) {
  size_t i = scanned_;
  while (i < pending_.size()) {
    const std::string_view text = pending_;
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    switch (mode_) {
      case Mode::kSingleQuote:
        if (escapes_ && c == '\\') {
          i += 2;
          continue;
        }
        if (c == '\'') mode_ = Mode::kNormal;  // '' reopens at once on the next quote
        ++i;
        continue;
      case Mode::kDoubleQuote:
        if (c == '"') mode_ = Mode::kNormal;
        ++i;
        continue;
      case Mode::kDollarQuote:
        if (c == '$' && text.compare(i, dollar_tag_.size(), dollar_tag_) == 0) {
          i += dollar_tag_.size();
          mode_ = Mode::kNormal;
          continue;
        }
        ++i;
        continue;
      case Mode::kBlockComment:
        if (c == '/' && next == '*') {
          ++comment_depth_;
          i += 2;
        } else if (c == '*' && next == '/') {
          if (--comment_depth_ == 0) mode_ = Mode::kNormal;
          i += 2;
        } else {
          ++i;
        }
        continue;
      case Mode::kNormal:
        break;
    }
    const char previous = i > 0 ? text[i - 1] : ' ';
    if (c == '-' && next == '-') {
      const size_t newline = text.find('\n', i);
      i = newline == std::string_view::npos ? text.size() : newline;
    } else if (c == '/' && next == '*') {
      mode_ = Mode::kBlockComment;
      comment_depth_ = 1;
      i += 2;
    } else if (c == '\'') {
      // E'...' (and e'...') take backslash escapes; the E must not end a longer name.
      const char before_e = i > 1 ? text[i - 2] : ' ';
      escapes_ = (previous == 'E' || previous == 'e') && !IsIdentifierChar(before_e);
      mode_ = Mode::kSingleQuote;
      ++i;
    } else if (c == '"') {
      mode_ = Mode::kDoubleQuote;
      ++i;
    } else if (c == '$' && !IsIdentifierChar(previous) && !DollarTagAt(text, i).empty()) {
      dollar_tag_ = std::string(DollarTagAt(text, i));
      mode_ = Mode::kDollarQuote;
      i += dollar_tag_.size();
    } else if (c == '(') {
      ++paren_depth_;
      ++i;
    } else if (c == ')') {
      if (paren_depth_ > 0) --paren_depth_;
      ++i;
    } else if (c == ';' && paren_depth_ == 0) {
      Emit(i + 1, out);
      i = 0;
    } else {
      ++i;
    }
  }
  scanned_ = i;
}

}  // namespace plexus::app
