// Finds where SQL statements end in text fed line by line, as psql does: at a `;` outside
// quotes ('...', E'...', "..."), dollar quotes ($tag$...$tag$), comments (--, nested /* */) and
// parentheses. Used by `plexus sql` for interactive input, -f files and piped scripts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace plexus::app {

class StatementSplitter {
 public:
  // Appends `line` (without its newline) and returns each statement it completes, with the
  // terminating `;` and without surrounding blank lines. Text after the last `;` stays pending.
  std::vector<std::string> AddLine(std::string_view line);

  // True when nothing but whitespace is pending (psql's "=>" prompt; else "->").
  bool empty() const;
  // The pending text of an unterminated statement (sent at the end of a script, as psql does).
  std::string TakePending();
  // Forgets the pending text (\r in psql).
  void Reset();
  // Lines added so far (psql's "file:line:" error prefix names the line that ended a statement).
  int line_count() const { return lines_; }
  // psql's %R prompt character for a continuation line: '-' normally, or what is still open:
  // '\'', '"', '$', '*' (comment) or '(' (parenthesis).
  char ContinuationMark() const;

 private:
  enum class Mode : uint8_t {
    kNormal,
    kSingleQuote,   // '...' (or E'...' when escapes_ is set)
    kDoubleQuote,   // "identifier"
    kDollarQuote,   // $tag$ ... $tag$
    kBlockComment,  // /* ... */, nested
  };

  // Scans `pending_` from scanned_ on; appends the statements it finds to `out`.
  void Scan(std::vector<std::string>* out);
  // Completes a statement ending just before `end` in pending_.
  void Emit(size_t end, std::vector<std::string>* out);

  std::string pending_;
  size_t scanned_ = 0;  // bytes of pending_ already scanned
  Mode mode_ = Mode::kNormal;
  bool escapes_ = false;      // inside E'...': a backslash escapes the next byte
  int comment_depth_ = 0;     // nesting of /* */
  int paren_depth_ = 0;       // ( ) nesting: a `;` inside parentheses does not end a statement
  std::string dollar_tag_;    // "$tag$" of the open dollar quote
  int lines_ = 0;             // lines added so far
};

}  // namespace plexus::app
