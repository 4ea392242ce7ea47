// Request bodies, merge patches, documents, cursors, names and ids of the documents API.
#include "plexus/server/http/documents_json.h"

#include <algorithm>
#include <utility>

#include "plexus/base/scram.h"
#include "plexus/server/http/documents.h"
#include "plexus/server/http/problem.h"

namespace plexus::server::http {
namespace {

// The JSON text's error: PostgreSQL's message plus its detail ("Token "x" is invalid.").
std::string MalformedJson(const Status& status) {
  std::string detail = "malformed JSON: " + std::string(status.message());
  if (!status.detail().empty()) detail += ": " + std::string(status.detail());
  return detail;
}

void EraseMember(sql::Jsonb* object, std::string_view key) {
  auto& members = object->members;
  members.erase(std::remove_if(members.begin(), members.end(),
                               [key](const sql::JsonbMember& member) { return member.key == key; }),
                members.end());
}

}  // namespace

std::optional<DocumentBody> ParseDocumentBody(std::string_view text, BodyError* error) {
  Result<sql::Jsonb> parsed = sql::ParseJsonb(text);
  if (!parsed.ok()) {
    *error = {400, MalformedJson(parsed.status())};
    return std::nullopt;
  }
  DocumentBody body{std::move(parsed).value(), std::nullopt};
  if (body.object.kind != sql::JsonbKind::kObject) {
    *error = {422, "a document must be a JSON object"};
    return std::nullopt;
  }
  if (const sql::Jsonb* id = body.object.Find(kIdMember); id != nullptr) {
    if (id->kind != sql::JsonbKind::kString || !IsDocumentId(id->scalar)) {
      *error = {422, "\"_id\" must be a string of 1 to " + std::to_string(kDocumentIdBytesMax) +
                         " bytes without '/'"};
      return std::nullopt;
    }
    body.id = id->scalar;
    EraseMember(&body.object, kIdMember);
  }
  EraseMember(&body.object, kCreatedAtMember);
  EraseMember(&body.object, kUpdatedAtMember);
  return body;
}

std::optional<DocumentFilter> ParseFilter(std::string_view text, Response* problem) {
  Result<sql::Jsonb> parsed = sql::ParseJsonb(text);
  if (!parsed.ok()) {
    *problem = Problem(400, "filter: " + MalformedJson(parsed.status()));
    return std::nullopt;
  }
  if (parsed->kind != sql::JsonbKind::kObject) {
    *problem = Problem(400, "filter must be a JSON object");
    return std::nullopt;
  }
  DocumentFilter filter;
  filter.containment = std::move(parsed).value();
  if (const sql::Jsonb* id = filter.containment.Find(kIdMember); id != nullptr) {
    if (id->kind != sql::JsonbKind::kString) {
      *problem = Problem(400, "filter: \"_id\" must be a string");
      return std::nullopt;
    }
    filter.id = id->scalar;
    EraseMember(&filter.containment, kIdMember);
  }
  return filter;
}

void MergePatch(const sql::Jsonb& patch, sql::Jsonb* target) {
  if (patch.kind != sql::JsonbKind::kObject) {
    *target = patch;
    return;
  }
  if (target->kind != sql::JsonbKind::kObject) *target = sql::Jsonb::Object();
  for (const sql::JsonbMember& member : patch.members) {
    if (member.value.kind == sql::JsonbKind::kNull) {
      EraseMember(target, member.key);
      continue;
    }
    if (sql::Jsonb* existing = target->Find(member.key); existing != nullptr) {
      MergePatch(member.value, existing);
      continue;
    }
    // A new member: merged into null, so that nulls inside it are dropped as well.
    sql::Jsonb value = sql::Jsonb::Null();
    MergePatch(member.value, &value);
    target->members.emplace_back(member.key, std::move(value));
    target->Canonicalize();
  }
}

std::string DocumentJson(std::string_view id, std::string_view doc_text,
                         std::string_view created_at, std::string_view updated_at) {
  std::string out = "{\"_id\": ";
  sql::AppendJsonString(id, &out);
  // jsonb prints an object as "{}" or "{"a": 1, ...}": its members go between ours.
  if (doc_text.size() > 2 && doc_text.front() == '{' && doc_text.back() == '}') {
    out += ", ";
    out.append(doc_text.substr(1, doc_text.size() - 2));
  } else if (doc_text != "{}") {
    // Not an object (a row written by SQL): the value as it is, under "doc".
    out += ", \"doc\": ";
    out.append(doc_text);
  }
  out += ", \"_created_at\": ";
  sql::AppendJsonString(created_at, &out);
  out += ", \"_updated_at\": ";
  sql::AppendJsonString(updated_at, &out);
  out += "}";
  return out;
}

std::string JsonString(std::string_view text) {
  std::string out;
  sql::AppendJsonString(text, &out);
  return out;
}

bool IsDocumentId(std::string_view id) {
  return !id.empty() && id.size() <= kDocumentIdBytesMax && id.find('/') == std::string_view::npos;
}

std::string NewDocumentId() {
  std::string bytes = base::RandomBytes(16);
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);  // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id += '-';
    const auto byte = static_cast<unsigned char>(bytes[i]);
    id += kHex[byte >> 4];
    id += kHex[byte & 0x0f];
  }
  return id;
}

bool IsCollectionName(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (!(name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z'))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string PercentEncodeSegment(std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : segment) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0f];
    }
  }
  return out;
}

std::string EncodeCursor(std::string_view last_id) {
  std::string cursor = base::Base64Encode(last_id);
  while (!cursor.empty() && cursor.back() == '=') cursor.pop_back();
  std::replace(cursor.begin(), cursor.end(), '+', '-');
  std::replace(cursor.begin(), cursor.end(), '/', '_');
  return cursor;
}

std::optional<std::string> DecodeCursor(std::string_view cursor) {
  if (cursor.size() > 2 * kDocumentIdBytesMax) return std::nullopt;
  std::string text(cursor);
  if (text.find_first_of("+/=") != std::string::npos) return std::nullopt;
  std::replace(text.begin(), text.end(), '-', '+');
  std::replace(text.begin(), text.end(), '_', '/');
  while (text.size() % 4 != 0) text += '=';
  Result<std::string> id = base::Base64Decode(text);
  if (!id.ok() || !IsDocumentId(*id)) return std::nullopt;
  return std::move(id).value();
}

}  // namespace plexus::server::http
