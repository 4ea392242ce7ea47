// jsonb: a JSON value in canonical form. Object keys are unique (the last duplicate wins) and
// sorted as PostgreSQL stores them (shorter keys first, then bytewise); numbers are numerics
// and keep their text's scale (1.50 stays 1.50). Text output matches PostgreSQL's jsonb_out.
//
// Stored form (a kString vector slot), one value:
//   tag byte: 0 null, 1 false, 2 true, 3 number, 4 string, 5 array, 6 object
//   number:   varint32 length, Numeric::EncodeTo bytes
//   string:   varint32 length, UTF-8 bytes
//   array:    varint32 count, varint32 body length, then `count` values
//   object:   varint32 count, varint32 body length, then `count` × (varint32 key length, key
//             bytes, value), keys in canonical order
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/sql/types/numeric.h"

namespace plexus::sql {

// Nesting depth of arrays and objects (PostgreSQL stops at its stack depth limit).
inline constexpr size_t kJsonbDepthMax = 1000;

enum class JsonbKind : uint8_t { kNull, kFalse, kTrue, kNumber, kString, kArray, kObject };

struct JsonbMember;

// A decoded jsonb value, as a tree.
struct Jsonb {
  JsonbKind kind = JsonbKind::kNull;
  std::string scalar;                // number: encoded Numeric; string: text
  std::vector<Jsonb> elements;       // array
  std::vector<JsonbMember> members;  // object, canonical order

  static Jsonb Of(JsonbKind kind);
  static Jsonb Null();
  static Jsonb Bool(bool value);
  static Jsonb Number(const Numeric& value);
  static Jsonb String(std::string_view text);
  static Jsonb Array();
  static Jsonb Object();

  bool is_container() const { return kind == JsonbKind::kArray || kind == JsonbKind::kObject; }
  bool is_scalar() const { return !is_container(); }
  // REQUIRES: kind == kNumber.
  Numeric number() const;

  // Sorts members canonically, keeping the last of duplicate keys. Call after filling members.
  void Canonicalize();
  // The member `key`, or null. REQUIRES: canonical object.
  const Jsonb* Find(std::string_view key) const;
  Jsonb* Find(std::string_view key);
};

struct JsonbMember {
  JsonbMember(std::string member_key, Jsonb member_value)
      : key(std::move(member_key)), value(std::move(member_value)) {}
  std::string key;
  Jsonb value;
};

// Defined here, where JsonbMember is complete (a vector of it is a member of Jsonb).
inline Jsonb Jsonb::Null() { return Of(JsonbKind::kNull); }
inline Jsonb Jsonb::Bool(bool value) { return Of(value ? JsonbKind::kTrue : JsonbKind::kFalse); }
inline Jsonb Jsonb::Array() { return Of(JsonbKind::kArray); }
inline Jsonb Jsonb::Object() { return Of(JsonbKind::kObject); }

// PostgreSQL's key order: shorter first, then bytewise.
bool JsonbKeyLess(std::string_view a, std::string_view b);

// JSON text to jsonb. 22P02 "invalid input syntax for type json" (with PostgreSQL's detail),
// 22P05 for \u0000, 54001 beyond kJsonbDepthMax.
Result<Jsonb> ParseJsonb(std::string_view text);

void EncodeJsonb(const Jsonb& value, std::string* out);
// Decodes a stored value; kCorruption when the bytes are not one.
Result<Jsonb> DecodeJsonb(std::string_view encoded);

// jsonb_out's text; with `pretty`, jsonb_pretty's layout (4-space indent).
void FormatJsonb(const Jsonb& value, std::string* out, bool pretty = false);
// A JSON string literal with PostgreSQL's escapes (escape_json).
void AppendJsonString(std::string_view text, std::string* out);

// PostgreSQL's jsonb btree order (compareJsonbContainers): null < string < number < boolean <
// array < object; containers by size first, then element by element. `top_level` applies the
// rule that a top-level scalar is a one-element pseudo array.
int CompareJsonb(const Jsonb& a, const Jsonb& b);
// A key part that is equal exactly for values that compare equal (numbers by value).
void AppendJsonbKey(const Jsonb& value, std::string* out);

// @>: whether `container` contains `contained`, as PostgreSQL's JsonbDeepContains.
bool JsonbContains(const Jsonb& container, const Jsonb& contained);

// "null", "string", "number", "boolean", "array", "object" (jsonb_typeof).
std::string_view JsonbTypeName(const Jsonb& value);

}  // namespace plexus::sql
