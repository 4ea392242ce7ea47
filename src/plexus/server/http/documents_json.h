// The JSON side of the documents API: request bodies to stored jsonb (with "_id" taken out),
// JSON merge patch (RFC 7386) on jsonb, stored rows back to documents, pagination cursors and
// the names and ids the routes accept. jsonb (sql/types/jsonb.h) parses and stores bodies, so
// numbers keep their exact text (1.50, 12345678901234567890) as SQL sees them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "plexus/server/http/route.h"
#include "plexus/sql/types/jsonb.h"

namespace plexus::server::http {

// The members the API manages itself: "_id" (the row's key) and the row's timestamps.
inline constexpr std::string_view kIdMember = "_id";
inline constexpr std::string_view kCreatedAtMember = "_created_at";
inline constexpr std::string_view kUpdatedAtMember = "_updated_at";

// A request body as a document: the JSON object without the managed members.
struct DocumentBody {
  sql::Jsonb object;
  std::optional<std::string> id;  // the body's "_id", when it has one
};

// Why a body is refused: the HTTP status (400 malformed JSON, 422 well-formed but not a
// document) and the problem's detail.
struct BodyError {
  int status = 400;
  std::string detail;
};

// Parses a JSON object; nullopt and *error otherwise. "_created_at"/"_updated_at" are dropped,
// so a document read with GET can be sent back as it is.
std::optional<DocumentBody> ParseDocumentBody(std::string_view text, BodyError* error);
// ?filter=: documents containing `containment` (jsonb @>), and with _id `id` when the filter
// names "_id" (the row's key, not part of the stored body).
struct DocumentFilter {
  sql::Jsonb containment;         // an object, without "_id"
  std::optional<std::string> id;  // the filter's "_id"
};
// A JSON object for ?filter=, its "_id" (when present) a string: nullopt and *problem (400)
// otherwise.
std::optional<DocumentFilter> ParseFilter(std::string_view text, Response* problem);

// RFC 7386: null members of `patch` remove, objects merge recursively, anything else replaces.
void MergePatch(const sql::Jsonb& patch, sql::Jsonb* target);

// {"_id": id, <members of doc_text>, "_created_at": ..., "_updated_at": ...} where doc_text is
// a JSON object's text (jsonb's output).
std::string DocumentJson(std::string_view id, std::string_view doc_text,
                         std::string_view created_at, std::string_view updated_at);
// A JSON string literal.
std::string JsonString(std::string_view text);

// Whether `id` may be a document's _id: 1..kDocumentIdBytesMax bytes, no '/' (so that every
// document has a path).
bool IsDocumentId(std::string_view id);
// A new _id: a random (version 4) UUID, "f478522b-0681-4fc8-a91a-514666a79ee0".
std::string NewDocumentId();

// A plain lower-case SQL identifier of at most 63 bytes: [a-z_][a-z0-9_]*, so SQL names the
// collection's table without quotes.
bool IsCollectionName(std::string_view name);
// The identifier as SQL text, double-quoted.
std::string QuoteIdentifier(std::string_view name);
// One path segment with everything but RFC 3986's unreserved characters percent-encoded.
std::string PercentEncodeSegment(std::string_view segment);

// The opaque cursor of keyset pagination (base64url of the last _id) and back; nullopt when
// `cursor` is not one.
std::string EncodeCursor(std::string_view last_id);
std::optional<std::string> DecodeCursor(std::string_view cursor);

}  // namespace plexus::server::http
