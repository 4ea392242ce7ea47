// Route matching by method and path segments.
#include "plexus/server/http/router.h"

#include "plexus/base/assert.h"
#include "plexus/server/http/limits.h"
#include "plexus/server/http/problem.h"

namespace plexus::server::http {
namespace {

constexpr std::string_view kPlaceholder = "{}";

// "/a/b/" -> {"a", "b", ""}; "/" -> {""}. REQUIRES: path starts with '/'.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 1;
  while (true) {
    const size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      segments.push_back(path.substr(start));
      return segments;
    }
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool PercentDecode(std::string_view text, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return false;
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return false;
      out->push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

void Router::Add(RouteEntry entry) {
  PLEXUS_ASSERT(!entry.pattern.empty() && entry.pattern[0] == '/');
  Compiled compiled;
  compiled.method = std::move(entry.method);
  compiled.route = std::move(entry.route);
  const std::vector<std::string_view> segments = SplitPath(entry.pattern);
  PLEXUS_ASSERT(segments.size() <= kPathSegmentsMax);
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string_view segment = segments[i];
    if (segment == "{*}") {
      PLEXUS_ASSERT(i + 1 == segments.size());
      compiled.rest = true;
    } else if (segment.size() >= 2 && segment.front() == '{' && segment.back() == '}') {
      compiled.segments.emplace_back(kPlaceholder);
    } else {
      compiled.segments.emplace_back(segment);
    }
  }
  routes_.push_back(std::move(compiled));
}

void Router::Add(std::vector<RouteEntry> entries) {
  for (RouteEntry& entry : entries) Add(std::move(entry));
}

bool Router::Matches(const Compiled& compiled, const std::vector<std::string_view>& segments,
                     std::vector<std::string>* parameters) {
  parameters->clear();
  if (compiled.rest ? segments.size() < compiled.segments.size()
                    : segments.size() != compiled.segments.size()) {
    return false;
  }
  std::string decoded;
  for (size_t i = 0; i < compiled.segments.size(); ++i) {
    if (compiled.segments[i] == kPlaceholder) {
      if (segments[i].empty() || !PercentDecode(segments[i], false, &decoded)) return false;
      parameters->push_back(decoded);
    } else if (compiled.segments[i] != segments[i]) {
      return false;
    }
  }
  if (compiled.rest) {
    std::string rest;
    for (size_t i = compiled.segments.size(); i < segments.size(); ++i) {
      if (i > compiled.segments.size()) rest.push_back('/');
      rest.append(segments[i]);
    }
    if (!PercentDecode(rest, false, &decoded)) return false;
    parameters->push_back(decoded);
  }
  return true;
}

Router::Match Router::Find(std::string_view method, std::string_view raw_path) const {
  Match match;
  if (raw_path.empty() || raw_path[0] != '/') {
    match.problem = Problem(404, "no resource at this path");
    return match;
  }
  const std::vector<std::string_view> segments = SplitPath(raw_path);
  if (segments.size() > kPathSegmentsMax) {
    match.problem = Problem(404, "no resource at this path");
    return match;
  }
  const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  std::string allow;
  std::vector<std::string> parameters;
  for (const Compiled& compiled : routes_) {
    if (!Matches(compiled, segments, &parameters)) continue;
    if (compiled.method == wanted) {
      match.route = &compiled.route;
      match.parameters = std::move(parameters);
      return match;
    }
    // Each method once, in registration order; GET brings HEAD.
    auto add = [&allow](std::string_view name) {
      std::string_view rest = allow;
      while (!rest.empty()) {
        const size_t comma = rest.find(", ");
        if (rest.substr(0, comma) == name) return;
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
      }
      if (!allow.empty()) allow += ", ";
      allow += name;
    };
    add(compiled.method);
    if (compiled.method == "GET") add("HEAD");
  }
  if (allow.empty()) {
    match.problem = Problem(404, "no resource at this path");
  } else {
    match.problem = Problem(405, "method " + std::string(method) + " is not allowed here");
    match.problem.headers.emplace_back("Allow", allow);
  }
  return match;
}

}  // namespace plexus::server::http
