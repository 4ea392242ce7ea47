// JSON text to a canonical jsonb tree, with nlohmann/json's SAX parser (the only translation
// unit that includes it). Numbers keep their text's scale by going through Numeric::Parse.
#include <nlohmann/json.hpp>

#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/jsonb.h"

namespace plexus::sql {

namespace {

class JsonbBuilder {
 public:
  using json = nlohmann::json;

  bool null() { return Add(Jsonb::Null()); }
  bool boolean(bool value) { return Add(Jsonb::Bool(value)); }
  // Integers go through their decimal text: Numeric::FromInt64 does not strip trailing zero
  // digits (10000 would encode non-canonically).
  bool number_integer(json::number_integer_t value) { return AddInteger(std::to_string(value)); }
  bool number_unsigned(json::number_unsigned_t value) { return AddInteger(std::to_string(value)); }
  bool number_float(json::number_float_t, const json::string_t& text) {
    Result<Numeric> value = Numeric::Parse(text);
    if (!value.ok()) return Fail(value.status());
    return Add(Jsonb::Number(*value));
  }
  bool string(json::string_t& text) {
    if (!CheckText(text)) return false;
    return Add(Jsonb::String(text));
  }
  bool binary(json::binary_t&) { return false; }
  bool start_object(std::size_t) { return Open(Jsonb::Object()); }
  bool key(json::string_t& text) {
    if (!CheckText(text)) return false;
    keys_.push_back(std::move(text));
    return true;
  }
  bool end_object() { return Close(); }
  bool start_array(std::size_t) { return Open(Jsonb::Array()); }
  bool end_array() { return Close(); }
  bool parse_error(std::size_t, const std::string& token, const nlohmann::detail::exception&) {
    Status status = SqlError(kInvalidJsonText, "invalid input syntax for type json");
    status.SetDetail(token.empty() ? "The input string ended unexpectedly."
                                   : "Token \"" + token + "\" is invalid.");
    return Fail(std::move(status));
  }

  const Status& status() const { return status_; }
  Jsonb TakeRoot() { return std::move(root_); }

 private:
  bool Fail(Status status) {
    if (status_.ok()) status_ = std::move(status);
    return false;
  }
  bool CheckText(const std::string& text) {
    // PostgreSQL's text cannot hold NUL, so jsonb refuses \u0000.
    if (text.find('\0') == std::string::npos) return true;
    Status status(StatusCode::kInvalidArgument, "unsupported Unicode escape sequence");
    status.SetSqlState("22P05");
    status.SetDetail("\\u0000 cannot be converted to text.");
    return Fail(std::move(status));
  }
  bool AddInteger(const std::string& text) {
    Result<Numeric> value = Numeric::Parse(text);
    if (!value.ok()) return Fail(value.status());
    return Add(Jsonb::Number(*value));
  }
  bool Add(Jsonb value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return true;
    }
    Jsonb& top = stack_.back();
    if (top.kind == JsonbKind::kArray) {
      top.elements.push_back(std::move(value));
    } else {
      top.members.emplace_back(std::move(keys_.back()), std::move(value));
      keys_.pop_back();
    }
    return true;
  }
  bool Open(Jsonb container) {
    if (stack_.size() >= kJsonbDepthMax) {
      return Fail(SqlError(kProgramLimitExceeded, "stack depth limit exceeded"));
    }
    stack_.push_back(std::move(container));
    return true;
  }
  bool Close() {
    Jsonb value = std::move(stack_.back());
    stack_.pop_back();
    if (value.kind == JsonbKind::kObject) value.Canonicalize();
    return Add(std::move(value));
  }

  std::vector<Jsonb> stack_;
  std::vector<std::string> keys_;
  Jsonb root_;
  Status status_;
};

}  // namespace

Result<Jsonb> ParseJsonb(std::string_view text) {
  JsonbBuilder builder;
  bool parsed = false;
  try {
    parsed = nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
  } catch (const std::exception&) {
    parsed = false;  // reported below as invalid input
  }
  if (parsed) return builder.TakeRoot();
  if (!builder.status().ok()) return builder.status();
  return SqlError(kInvalidJsonText, "invalid input syntax for type json");
}

}  // namespace plexus::sql
