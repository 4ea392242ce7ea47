#include "plexus/sql/parse/literals.h"

namespace plexus::sql {

namespace {

constexpr char kMarker = '\x01';

bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c) || c == '$'; }

class Scanner {
 public:
  Scanner(std::string_view sql, std::string* key, std::vector<NumberLiteral>* numbers)
      : sql_(sql), key_(key), numbers_(numbers) {}

  bool Run() {
    key_->clear();
    numbers_->clear();
    while (pos_ < sql_.size()) {
      const char c = sql_[pos_];
      if (c == kMarker || (static_cast<unsigned char>(c) < 0x20 && !IsBlank(c))) return false;
      if (c == '\'') {
        if (!QuotedString('\'', /*backslash_escapes=*/false)) return false;
      } else if (c == '"') {
        if (!QuotedString('"', false)) return false;
      } else if (c == '-' && Peek(1) == '-') {
        LineComment();
      } else if (c == '/' && Peek(1) == '*') {
        if (!BlockComment()) return false;
      } else if (c == '$') {
        if (!Dollar()) return false;
      } else if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) {
        if (!Number()) return false;
      } else if (IsIdentStart(c)) {
        if (!Identifier()) return false;
      } else if (c == ';') {
        Copy(1);
        if (!OnlyBlanksAndCommentsLeft()) return false;
      } else {
        Copy(1);
      }
    }
    return true;
  }

 private:
  char Peek(size_t ahead) const {
    return pos_ + ahead < sql_.size() ? sql_[pos_ + ahead] : '\0';
  }
  void Copy(size_t bytes) {
    key_->append(sql_.substr(pos_, bytes));
    pos_ += bytes;
  }

  // 'text' or "ident" (a doubled quote stands for itself); E'...' also takes backslash escapes.
  bool QuotedString(char quote, bool backslash_escapes) {
    size_t end = pos_ + 1;
    while (true) {
      if (end >= sql_.size()) return false;
      const char c = sql_[end];
      if (c == kMarker) return false;
      if (backslash_escapes && c == '\\') {
        end += 2;
        continue;
      }
      if (c == quote) {
        if (end + 1 < sql_.size() && sql_[end + 1] == quote) {
          end += 2;
          continue;
        }
        break;
      }
      ++end;
    }
    Copy(end + 1 - pos_);
    return true;
  }

  void LineComment() {
    size_t end = sql_.find('\n', pos_);
    Copy((end == std::string_view::npos ? sql_.size() : end) - pos_);
  }

  // /* ... */, nested as PostgreSQL nests them.
  bool BlockComment() {
    size_t end = pos_ + 2;
    int depth = 1;
    while (depth > 0) {
      if (end + 1 >= sql_.size()) return false;
      if (sql_[end] == '/' && sql_[end + 1] == '*') {
        ++depth;
        end += 2;
      } else if (sql_[end] == '*' && sql_[end + 1] == '/') {
        --depth;
        end += 2;
      } else {
        if (sql_[end] == kMarker) return false;
        ++end;
      }
    }
    Copy(end - pos_);
    return true;
  }

  // $tag$ ... $tag$ quoting; $1 is a parameter, which simple queries do not have.
  bool Dollar() {
    size_t end = pos_ + 1;
    if (end < sql_.size() && IsDigit(sql_[end])) return false;
    while (end < sql_.size() && sql_[end] != '$') {
      if (!IsIdentChar(sql_[end])) return false;
      ++end;
    }
    if (end >= sql_.size()) return false;
    const std::string_view tag = sql_.substr(pos_, end + 1 - pos_);
    const size_t close = sql_.find(tag, end + 1);
    if (close == std::string_view::npos) return false;
    if (sql_.substr(pos_, close + tag.size() - pos_).find(kMarker) != std::string_view::npos) {
      return false;
    }
    Copy(close + tag.size() - pos_);
    return true;
  }

  bool Identifier() {
    size_t end = pos_;
    while (end < sql_.size() && IsIdentChar(sql_[end])) ++end;
    const std::string_view word = sql_.substr(pos_, end - pos_);
    if (end < sql_.size() && sql_[end] == '\'') {
      // E'...' takes backslash escapes; B'..', X'..', N'..' and U&'..' are plain strings.
      if (word == "E" || word == "e") {
        Copy(word.size());
        return QuotedString('\'', true);
      }
      if (word.size() == 1 && std::string_view("bBxXnN").find(word[0]) != std::string_view::npos) {
        Copy(1);
        return QuotedString('\'', false);
      }
    }
    Copy(word.size());
    return true;
  }

  bool Number() {
    const size_t start = pos_;
    size_t end = pos_;
    bool integer = true;
    while (end < sql_.size() && IsDigit(sql_[end])) ++end;
    if (end < sql_.size() && sql_[end] == '.') {
      // "1..2" lexes as 1 then ".." in PostgreSQL; leave such text to the parser.
      if (end + 1 < sql_.size() && sql_[end + 1] == '.') return false;
      integer = false;
      ++end;
      while (end < sql_.size() && IsDigit(sql_[end])) ++end;
    }
    if (end < sql_.size() && (sql_[end] == 'e' || sql_[end] == 'E')) {
      size_t digits = end + 1;
      if (digits < sql_.size() && (sql_[digits] == '+' || sql_[digits] == '-')) ++digits;
      if (digits >= sql_.size() || !IsDigit(sql_[digits])) return false;
      while (digits < sql_.size() && IsDigit(sql_[digits])) ++digits;
      integer = false;
      end = digits;
    }
    // Trailing junk ("123abc", "0x1F", "1.2.3") is an error or a different split in PostgreSQL.
    if (end < sql_.size() && (IsIdentChar(sql_[end]) || sql_[end] == '.')) return false;
    NumberLiteral literal;
    literal.offset = static_cast<uint32_t>(start);
    literal.length = static_cast<uint32_t>(end - start);
    literal.integer = integer;
    size_t before = start;
    while (before > 0 && IsBlank(sql_[before - 1])) --before;
    if (before > 0 && sql_[before - 1] == '-') literal.minus_offset = static_cast<int32_t>(before - 1);
    numbers_->push_back(literal);
    key_->push_back(kMarker);
    pos_ = end;
    return true;
  }

  bool OnlyBlanksAndCommentsLeft() {
    while (pos_ < sql_.size()) {
      const char c = sql_[pos_];
      if (IsBlank(c)) {
        Copy(1);
      } else if (c == '-' && Peek(1) == '-') {
        LineComment();
      } else if (c == '/' && Peek(1) == '*') {
        if (!BlockComment()) return false;
      } else {
        return false;
      }
    }
    return true;
  }

  std::string_view sql_;
  std::string* key_;
  std::vector<NumberLiteral>* numbers_;
  size_t pos_ = 0;
};

}  // namespace

bool ScanNumberLiterals(std::string_view sql, std::string* key,
                        std::vector<NumberLiteral>* numbers) {
  if (sql.size() > UINT32_MAX / 2) return false;
  return Scanner(sql, key, numbers).Run();
}

}  // namespace plexus::sql
