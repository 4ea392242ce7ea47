// jsonb values: canonical form, stored encoding, text output, ordering and containment, as
// PostgreSQL's jsonb.c, jsonb_util.c and jsonfuncs.c define them. Parsing is in jsonb_parse.cc.
#include "plexus/sql/types/jsonb.h"

#include <algorithm>
#include <cstdio>

#include "plexus/base/varint.h"
#include "plexus/storage/key_codec.h"

namespace plexus::sql {

namespace {

using base::GetVarint32;
using base::PutVarint32;

void PutBytes(std::string* out, std::string_view bytes) {
  PutVarint32(out, static_cast<uint32_t>(bytes.size()));
  out->append(bytes);
}

bool GetBytes(std::string_view* input, std::string_view* bytes) {
  uint32_t size = 0;
  if (!GetVarint32(input, &size) || input->size() < size) return false;
  *bytes = input->substr(0, size);
  input->remove_prefix(size);
  return true;
}

Status MalformedJsonb() { return Status::Corruption("stored jsonb value is malformed"); }

Status DecodeValue(std::string_view* input, size_t depth, Jsonb* value) {
  if (input->empty() || depth > kJsonbDepthMax) return MalformedJsonb();
  const auto tag = static_cast<uint8_t>(input->front());
  input->remove_prefix(1);
  if (tag > static_cast<uint8_t>(JsonbKind::kObject)) return MalformedJsonb();
  value->kind = static_cast<JsonbKind>(tag);
  switch (value->kind) {
    case JsonbKind::kNull:
    case JsonbKind::kFalse:
    case JsonbKind::kTrue:
      return Status::Ok();
    case JsonbKind::kNumber:
    case JsonbKind::kString: {
      std::string_view bytes;
      if (!GetBytes(input, &bytes)) return MalformedJsonb();
      if (value->kind == JsonbKind::kNumber && !Numeric::Decode(bytes).ok())
        return MalformedJsonb();
      value->scalar = std::string(bytes);
      return Status::Ok();
    }
    case JsonbKind::kArray:
    case JsonbKind::kObject:
      break;
  }
  uint32_t count = 0;
  std::string_view body;
  if (!GetVarint32(input, &count) || !GetBytes(input, &body)) return MalformedJsonb();
  // Each entry takes at least one byte, so a count beyond the body is corrupt (and bounded).
  if (count > body.size()) return MalformedJsonb();
  for (uint32_t i = 0; i < count; ++i) {
    Jsonb child;
    if (value->kind == JsonbKind::kArray) {
      PLEXUS_RETURN_IF_ERROR(DecodeValue(&body, depth + 1, &child));
      value->elements.push_back(std::move(child));
    } else {
      std::string_view key;
      if (!GetBytes(&body, &key)) return MalformedJsonb();
      PLEXUS_RETURN_IF_ERROR(DecodeValue(&body, depth + 1, &child));
      value->members.emplace_back(std::string(key), std::move(child));
    }
  }
  if (!body.empty()) return MalformedJsonb();
  return Status::Ok();
}

void AppendIndent(size_t level, std::string* out) { out->append(4 * level, ' '); }

void Format(const Jsonb& value, bool pretty, size_t level, std::string* out) {
  switch (value.kind) {
    case JsonbKind::kNull:
      out->append("null");
      return;
    case JsonbKind::kFalse:
      out->append("false");
      return;
    case JsonbKind::kTrue:
      out->append("true");
      return;
    case JsonbKind::kNumber:
      out->append(value.number().ToString());
      return;
    case JsonbKind::kString:
      AppendJsonString(value.scalar, out);
      return;
    case JsonbKind::kArray:
    case JsonbKind::kObject:
      break;
  }
  const bool array = value.kind == JsonbKind::kArray;
  const size_t count = array ? value.elements.size() : value.members.size();
  out->push_back(array ? '[' : '{');
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out->append(pretty ? "," : ", ");
    if (pretty) {
      out->push_back('\n');
      AppendIndent(level + 1, out);
    }
    if (array) {
      Format(value.elements[i], pretty, level + 1, out);
    } else {
      AppendJsonString(value.members[i].key, out);
      out->append(": ");
      Format(value.members[i].value, pretty, level + 1, out);
    }
  }
  if (pretty) {
    out->push_back('\n');
    AppendIndent(level, out);
  }
  out->push_back(array ? ']' : '}');
}

// Type order of nested values: null < string < number < boolean < array < object.
int Rank(JsonbKind kind) {
  switch (kind) {
    case JsonbKind::kNull:
      return 0;
    case JsonbKind::kString:
      return 1;
    case JsonbKind::kNumber:
      return 2;
    case JsonbKind::kFalse:
    case JsonbKind::kTrue:
      return 3;
    case JsonbKind::kArray:
      return 4;
    case JsonbKind::kObject:
      return 5;
  }
  return 0;
}

int SignOf(int value) { return value < 0 ? -1 : (value > 0 ? 1 : 0); }

int CompareCounts(size_t a, size_t b) { return a == b ? 0 : (a > b ? 1 : -1); }

int CompareValue(const Jsonb& a, const Jsonb& b) {
  const int rank_a = Rank(a.kind);
  const int rank_b = Rank(b.kind);
  if (rank_a != rank_b) return rank_a > rank_b ? 1 : -1;
  switch (a.kind) {
    case JsonbKind::kNull:
      return 0;
    case JsonbKind::kString:
      return SignOf(a.scalar.compare(b.scalar));
    case JsonbKind::kNumber:
      return a.number().Compare(b.number());
    case JsonbKind::kFalse:
    case JsonbKind::kTrue:  // same rank: both booleans; false < true
      return SignOf(static_cast<int>(a.kind) - static_cast<int>(b.kind));
    case JsonbKind::kArray: {
      if (int counts = CompareCounts(a.elements.size(), b.elements.size())) return counts;
      for (size_t i = 0; i < a.elements.size(); ++i) {
        if (int result = CompareValue(a.elements[i], b.elements[i])) return result;
      }
      return 0;
    }
    case JsonbKind::kObject: {
      if (int counts = CompareCounts(a.members.size(), b.members.size())) return counts;
      for (size_t i = 0; i < a.members.size(); ++i) {
        if (int keys = SignOf(a.members[i].key.compare(b.members[i].key))) return keys;
        if (int result = CompareValue(a.members[i].value, b.members[i].value)) return result;
      }
      return 0;
    }
  }
  return 0;
}

bool ScalarEqual(const Jsonb& a, const Jsonb& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == JsonbKind::kNumber) return a.number().Compare(b.number()) == 0;
  if (a.kind == JsonbKind::kString) return a.scalar == b.scalar;
  return true;
}

bool DeepContains(const Jsonb& a, const Jsonb& b);

bool ArrayContains(const std::vector<Jsonb>& container, const std::vector<Jsonb>& contained) {
  for (const Jsonb& wanted : contained) {
    bool found = false;
    for (const Jsonb& candidate : container) {
      found = wanted.is_scalar() ? candidate.is_scalar() && ScalarEqual(candidate, wanted)
                                 : candidate.is_container() && DeepContains(candidate, wanted);
      if (found) break;
    }
    if (!found) return false;
  }
  return true;
}

bool DeepContains(const Jsonb& a, const Jsonb& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == JsonbKind::kArray) return ArrayContains(a.elements, b.elements);
  if (a.members.size() < b.members.size()) return false;
  for (const auto& [key, wanted] : b.members) {
    const Jsonb* have = a.Find(key);
    if (have == nullptr || have->is_scalar() != wanted.is_scalar()) return false;
    if (wanted.is_scalar() ? !ScalarEqual(*have, wanted) : !DeepContains(*have, wanted)) {
      return false;
    }
  }
  return true;
}

void AppendCanonicalKey(const Jsonb& value, std::string* out) {
  out->push_back(static_cast<char>(value.kind));
  switch (value.kind) {
    case JsonbKind::kNumber:
      value.number().AppendKey(out, /*descending=*/false);
      return;
    case JsonbKind::kString:
      PutBytes(out, value.scalar);
      return;
    case JsonbKind::kArray:
      PutVarint32(out, static_cast<uint32_t>(value.elements.size()));
      for (const Jsonb& element : value.elements) AppendCanonicalKey(element, out);
      return;
    case JsonbKind::kObject:
      PutVarint32(out, static_cast<uint32_t>(value.members.size()));
      for (const auto& [key, member] : value.members) {
        PutBytes(out, key);
        AppendCanonicalKey(member, out);
      }
      return;
    default:
      return;
  }
}

}  // namespace

Jsonb Jsonb::Of(JsonbKind kind) {
  Jsonb jsonb;
  jsonb.kind = kind;
  return jsonb;
}

Jsonb Jsonb::Number(const Numeric& value) {
  Jsonb jsonb = Of(JsonbKind::kNumber);
  value.EncodeTo(&jsonb.scalar);
  return jsonb;
}

Jsonb Jsonb::String(std::string_view text) {
  Jsonb jsonb = Of(JsonbKind::kString);
  jsonb.scalar = std::string(text);
  return jsonb;
}

Numeric Jsonb::number() const {
  Result<Numeric> value = Numeric::Decode(scalar);
  // Numbers are only ever stored by Number() or a checked decode.
  PLEXUS_ASSERT(value.ok());
  return *value;
}

bool JsonbKeyLess(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

void Jsonb::Canonicalize() {
  // Stable, so among duplicates the last one written stays last; keep that one.
  std::stable_sort(members.begin(), members.end(),
                   [](const auto& a, const auto& b) { return JsonbKeyLess(a.key, b.key); });
  std::vector<JsonbMember> unique;
  unique.reserve(members.size());
  for (auto& member : members) {
    if (!unique.empty() && unique.back().key == member.key) {
      unique.back().value = std::move(member.value);
    } else {
      unique.push_back(std::move(member));
    }
  }
  members = std::move(unique);
}

const Jsonb* Jsonb::Find(std::string_view key) const {
  auto it = std::lower_bound(
      members.begin(), members.end(), key,
      [](const auto& member, std::string_view wanted) { return JsonbKeyLess(member.key, wanted); });
  if (it == members.end() || it->key != key) return nullptr;
  return &it->value;
}

Jsonb* Jsonb::Find(std::string_view key) {
  return const_cast<Jsonb*>(static_cast<const Jsonb*>(this)->Find(key));
}

void EncodeJsonb(const Jsonb& value, std::string* out) {
  out->push_back(static_cast<char>(value.kind));
  switch (value.kind) {
    case JsonbKind::kNull:
    case JsonbKind::kFalse:
    case JsonbKind::kTrue:
      return;
    case JsonbKind::kNumber:
    case JsonbKind::kString:
      PutBytes(out, value.scalar);
      return;
    case JsonbKind::kArray:
    case JsonbKind::kObject:
      break;
  }
  std::string body;
  if (value.kind == JsonbKind::kArray) {
    for (const Jsonb& element : value.elements) EncodeJsonb(element, &body);
    PutVarint32(out, static_cast<uint32_t>(value.elements.size()));
  } else {
    for (const auto& [key, member] : value.members) {
      PutBytes(&body, key);
      EncodeJsonb(member, &body);
    }
    PutVarint32(out, static_cast<uint32_t>(value.members.size()));
  }
  PutBytes(out, body);
}

Result<Jsonb> DecodeJsonb(std::string_view encoded) {
  Jsonb value;
  PLEXUS_RETURN_IF_ERROR(DecodeValue(&encoded, 0, &value));
  if (!encoded.empty()) return MalformedJsonb();
  return value;
}

void FormatJsonb(const Jsonb& value, std::string* out, bool pretty) {
  Format(value, pretty, 0, out);
}

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  for (char c : text) {
    switch (c) {
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      default:
        if (static_cast<uint8_t>(c) < ' ') {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<int>(c));
          out->append(escaped);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

int CompareJsonb(const Jsonb& a, const Jsonb& b) {
  // At the top level a scalar is a one-element "raw scalar" array: objects sort above both, and
  // between a raw scalar and an array the element count decides before the elements do.
  const bool object_a = a.kind == JsonbKind::kObject;
  const bool object_b = b.kind == JsonbKind::kObject;
  if (object_a != object_b) return object_a ? 1 : -1;
  if (object_a) return CompareValue(a, b);
  const bool raw_a = a.is_scalar();
  const bool raw_b = b.is_scalar();
  int result = 0;
  if (raw_a != raw_b) result = raw_a ? -1 : 1;
  const size_t count_a = raw_a ? 1 : a.elements.size();
  const size_t count_b = raw_b ? 1 : b.elements.size();
  if (count_a != count_b) result = count_a > count_b ? 1 : -1;
  if (result != 0) return result;
  return CompareValue(a, b);  // two raw scalars, or two arrays of one size
}

void AppendJsonbKey(const Jsonb& value, std::string* out) {
  std::string canonical;
  AppendCanonicalKey(value, &canonical);
  storage::AppendBytes(out, canonical, SortOrder::kAscending);
}

bool JsonbContains(const Jsonb& container, const Jsonb& contained) {
  const bool raw_a = container.is_scalar();
  const bool raw_b = contained.is_scalar();
  if (!raw_a && !raw_b) return DeepContains(container, contained);
  // Raw scalars are one-element pseudo arrays: an array or raw scalar may contain a raw scalar,
  // a raw scalar never contains an array, objects never match pseudo arrays.
  if (container.kind == JsonbKind::kObject || contained.kind == JsonbKind::kObject) return false;
  if (raw_a && !raw_b) return false;
  const std::vector<Jsonb> wrapped_b{contained};
  if (raw_a) return ArrayContains(std::vector<Jsonb>{container}, wrapped_b);
  return ArrayContains(container.elements, raw_b ? wrapped_b : contained.elements);
}

std::string_view JsonbTypeName(const Jsonb& value) {
  switch (value.kind) {
    case JsonbKind::kNull:
      return "null";
    case JsonbKind::kFalse:
    case JsonbKind::kTrue:
      return "boolean";
    case JsonbKind::kNumber:
      return "number";
    case JsonbKind::kString:
      return "string";
    case JsonbKind::kArray:
      return "array";
    case JsonbKind::kObject:
      return "object";
  }
  return "null";
}

}  // namespace plexus::sql
