// A port of Redis's stringmatchlen, with its recursion bound (a pattern of many stars must not
// take exponential time or overflow the stack).
#include "plexus/server/resp/glob.h"

namespace plexus::server::resp {
namespace {

char Lower(char c, bool ignore_case) {
  return ignore_case && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr int kNestingMax = 1000;

bool Match(const char* pattern, int pattern_length, const char* text, int text_length,
           bool ignore_case, bool* skip_longer, int nesting) {
  if (nesting > kNestingMax) return false;
  while (pattern_length > 0 && text_length > 0) {
    switch (pattern[0]) {
      case '*':
        while (pattern_length > 1 && pattern[1] == '*') {
          ++pattern;
          --pattern_length;
        }
        if (pattern_length == 1) return true;
        while (text_length > 0) {
          if (Match(pattern + 1, pattern_length - 1, text, text_length, ignore_case, skip_longer,
                    nesting + 1)) {
            return true;
          }
          if (*skip_longer) return false;
          ++text;
          --text_length;
        }
        *skip_longer = true;
        return false;
      case '?':
        ++text;
        --text_length;
        break;
      case '[': {
        ++pattern;
        --pattern_length;
        const bool negate = pattern_length > 0 && pattern[0] == '^';
        if (negate) {
          ++pattern;
          --pattern_length;
        }
        bool matched = false;
        for (;;) {
          if (pattern_length == 0) break;
          if (pattern[0] == '\\' && pattern_length >= 2) {
            ++pattern;
            --pattern_length;
            if (pattern[0] == text[0]) matched = true;
          } else if (pattern[0] == ']') {
            break;
          } else if (pattern_length >= 3 && pattern[1] == '-') {
            char start = Lower(pattern[0], ignore_case);
            char end = Lower(pattern[2], ignore_case);
            const char c = Lower(text[0], ignore_case);
            if (start > end) std::swap(start, end);
            pattern += 2;
            pattern_length -= 2;
            if (c >= start && c <= end) matched = true;
          } else if (Lower(pattern[0], ignore_case) == Lower(text[0], ignore_case)) {
            matched = true;
          }
          ++pattern;
          --pattern_length;
        }
        if (pattern_length == 0) {  // a "[" without "]": like Redis, the pattern ends here
          pattern_length = 1;
          --pattern;
        }
        if (negate) matched = !matched;
        if (!matched) return false;
        ++text;
        --text_length;
        break;
      }
      case '\\':
        if (pattern_length >= 2) {
          ++pattern;
          --pattern_length;
        }
        [[fallthrough]];
      default:
        if (Lower(pattern[0], ignore_case) != Lower(text[0], ignore_case)) return false;
        ++text;
        --text_length;
        break;
    }
    ++pattern;
    --pattern_length;
    if (text_length == 0) {
      while (pattern_length > 0 && pattern[0] == '*') {
        ++pattern;
        --pattern_length;
      }
      break;
    }
  }
  return pattern_length == 0 && text_length == 0;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text, bool ignore_case) {
  bool skip_longer = false;
  return Match(pattern.data(), static_cast<int>(pattern.size()), text.data(),
               static_cast<int>(text.size()), ignore_case, &skip_longer, 0);
}

}  // namespace plexus::server::resp
