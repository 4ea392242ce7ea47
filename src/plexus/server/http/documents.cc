// The documents API's routes: collections as tables with a jsonb body, documents as their rows.
// Every statement takes its values as parameters; collection names are checked identifiers,
// quoted as well.
#include "plexus/server/http/documents.h"

#include <cctype>
#include <charconv>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "plexus/server/http/documents_json.h"
#include "plexus/server/http/documents_session.h"
#include "plexus/server/http/json_body.h"
#include "plexus/server/http/problem.h"
#include "plexus/server/pgwire/errors.h"

namespace plexus::server::http {
namespace {

constexpr std::string_view kCollectionsPath = "/api/v1/collections";

// Tables of the current schema with the four columns of a collection, by name.
constexpr std::string_view kCollectionsSql =
    "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
    "AND ((column_name = '_id' AND data_type = 'text') "
    "OR (column_name = 'doc' AND data_type = 'jsonb') "
    "OR (column_name IN ('_created_at', '_updated_at') "
    "AND data_type = 'timestamp with time zone')) "
    "GROUP BY table_name HAVING count(*) = 4 ORDER BY table_name";
constexpr std::string_view kIsCollectionSql =
    "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
    "AND table_name = $1::text "
    "AND ((column_name = '_id' AND data_type = 'text') "
    "OR (column_name = 'doc' AND data_type = 'jsonb') "
    "OR (column_name IN ('_created_at', '_updated_at') "
    "AND data_type = 'timestamp with time zone')) "
    "GROUP BY table_name HAVING count(*) = 4";

sql::Value JsonbValue(const sql::Jsonb& value) {
  std::string bytes;
  sql::EncodeJsonb(value, &bytes);
  return sql::Value::String(catalog::Type::Of(catalog::TypeId::kJsonb), bytes);
}

Response JsonResponse(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Response NoContent() {
  Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

std::string DocumentPath(std::string_view collection, std::string_view id) {
  return std::string(kCollectionsPath) + "/" + std::string(collection) + "/documents/" +
         PercentEncodeSegment(id);
}

Response NoSuchCollection(std::string_view name) {
  return Problem(404, "collection " + JsonString(name) + " does not exist");
}

Response NoSuchDocument(std::string_view id) {
  return Problem(404, "document " + JsonString(id) + " does not exist");
}

// A failed statement on collection `name`: a table that is missing or is no collection is a
// missing collection (not SQL's message), a denied privilege 403, the rest SQL's problem.
Response StatementProblem(const Status& status, std::string_view name) {
  const std::string_view sql_state = pgwire::SqlStateOf(status);
  if (sql_state == "42P01" || sql_state == "42703") return NoSuchCollection(name);
  if (sql_state == "42501") return Problem(403, status.message(), sql_state);
  return SqlProblem(status);
}

// The stored document of row {doc, _created_at, _updated_at}.
std::string RowDocument(std::string_view id, const DocumentCells& row) {
  return DocumentJson(id, row[0], row[1], row[2]);
}

enum class BodyType : uint8_t { kJson, kNdjson, kOther };

// A body without Content-Type is taken as JSON; application/json and application/*+json
// (merge-patch+json) are JSON.
BodyType BodyTypeOf(const Request& request) {
  const std::string_view type = request.Header("content-type");
  if (type.empty() || IsJsonContentType(type)) return BodyType::kJson;
  std::string media(type.substr(0, type.find(';')));
  for (char& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.pop_back();
  return media == "application/x-ndjson" ? BodyType::kNdjson : BodyType::kOther;
}

// 415 for a body that is not `expected` (curl -d sends application/x-www-form-urlencoded).
Response UnsupportedBodyType(std::string_view expected) {
  return Problem(415, "the request body must be " + std::string(expected) +
                          " (curl: -H 'Content-Type: application/json')");
}

// Runs `body` (returning the route's answer) inside BEGIN ... COMMIT: an answer of 400 or more
// rolls back.
template <typename Body>
Response InTransaction(DocumentSession& session, std::string_view name, Body body) {
  if (Status status = session.Execute("BEGIN"); !status.ok()) return StatementProblem(status, name);
  Response response = body();
  if (response.status >= 400) {
    // A failed ROLLBACK leaves the session in its block; the pool then drops the session.
    (void)session.Execute("ROLLBACK");
    return response;
  }
  if (Status status = session.Execute("COMMIT"); !status.ok()) {
    (void)session.Execute("ROLLBACK");  // as above
    return StatementProblem(status, name);
  }
  return response;
}

class DocumentService {
 public:
  explicit DocumentService(session::Engine* engine) : sessions_(engine) {}

  Response ListCollections(const Request& request);
  Response CreateCollection(const Request& request);
  Response GetCollection(const Request& request);
  Response DropCollection(const Request& request);
  Response InsertDocuments(const Request& request);
  Response ListDocuments(const Request& request);
  Response GetDocument(const Request& request);
  Response PutDocument(const Request& request);
  Response PatchDocument(const Request& request);
  Response DeleteDocument(const Request& request);

 private:
  Response InsertDocument(const Request& request, const std::string& name);
  Response InsertNdjson(const Request& request, const std::string& name);

  DocumentSessionPool sessions_;
};

Response DocumentService::ListCollections(const Request& request) {
  DocumentSessionPool::Lease session = sessions_.Acquire(request.role);
  Result<StatementResult> result = session->Run(kCollectionsSql, {});
  if (!result.ok()) return SqlProblem(result.status());
  std::string body = "{\"collections\": [";
  for (size_t i = 0; i < result->rows.size(); ++i) {
    if (i > 0) body += ", ";
    body += JsonString(result->rows[i][0]);
  }
  body += "]}";
  return JsonResponse(200, std::move(body));
}

Response DocumentService::CreateCollection(const Request& request) {
  const std::string& name = request.path_parameters.at(0);
  if (!IsCollectionName(name)) {
    return Problem(400,
                   "a collection name is a lower-case SQL identifier ([a-z_][a-z0-9_]*, "
                   "at most 63 bytes): " +
                       JsonString(name));
  }
  DocumentSessionPool::Lease session = sessions_.Acquire(request.role);
  const Status status = session->Execute("CREATE TABLE " + QuoteIdentifier(name) +
                                         " (_id text PRIMARY KEY, doc jsonb NOT NULL, "
                                         "_created_at timestamptz NOT NULL DEFAULT now(), "
                                         "_updated_at timestamptz NOT NULL DEFAULT now())");
  if (!status.ok()) {
    if (pgwire::SqlStateOf(status) == "42P07") {
      return Problem(409, "collection " + JsonString(name) + " already exists", "42P07");
    }
    return SqlProblem(status);
  }
  Response response = JsonResponse(201, "{\"name\": " + JsonString(name) + "}");
  response.headers.emplace_back("Location", std::string(kCollectionsPath) + "/" + name);
  return response;
}

Response DocumentService::GetCollection(const Request& request) {
  const std::string& name = request.path_parameters.at(0);
  if (!IsCollectionName(name)) return NoSuchCollection(name);
  DocumentSessionPool::Lease session = sessions_.Acquire(request.role);
  Result<StatementResult> shape = session->Run(kIsCollectionSql, {sql::Value::Text(name)});
  if (!shape.ok()) return SqlProblem(shape.status());
  if (shape->rows.empty()) return NoSuchCollection(name);
  Result<StatementResult> count = session->Run("SELECT count(*) FROM " + QuoteIdentifier(name), {});
  if (!count.ok()) return StatementProblem(count.status(), name);
  return JsonResponse(
      200, "{\"name\": " + JsonString(name) + ", \"documents\": " + count->rows.at(0).at(0) + "}");
}

Response DocumentService::DropCollection(const Request& request) {
  const std::string& name = request.path_parameters.at(0);
  if (!IsCollectionName(name)) return NoSuchCollection(name);
  DocumentSessionPool::Lease session = sessions_.Acquire(request.role);
  // Only a collection's table is dropped: the check and the DROP in one transaction.
  return InTransaction(*session, name, [&]() {
    Result<StatementResult> shape = session->Run(kIsCollectionSql, {sql::Value::Text(name)});
    if (!shape.ok()) return SqlProblem(shape.status());
    if (shape->rows.empty()) return NoSuchCollection(name);
    if (Status status = session->Execute("DROP TABLE " + QuoteIdentifier(name)); !status.ok()) {
      return StatementProblem(status, name);
    }
    return NoContent();
  });
}

Response DocumentService::InsertDocuments(const Request& request) {
  const std::string& name = request.path_parameters.at(0);
  if (!IsCollectionName(name)) return NoSuchCollection(name);
  const BodyType type = BodyTypeOf(request);
  if (type == BodyType::kNdjson) return InsertNdjson(request, name);
  if (type != BodyType::kJson) return UnsupportedBodyType("application/json or application/x-ndjson");
  return InsertDocument(request, name);
}

Response DocumentService::InsertDocument(const Request& request, const std::string& name) {
  BodyError error;
  std::optional<DocumentBody> body = ParseDocumentBody(request.body, &error);
  if (!body) return Problem(error.status, error.detail);
  const std::string id = body->id ? *body->id : NewDocumentId();
  DocumentSessionPool::Lease session = sessions_.Acquire(request.role);
  Result<StatementResult> result = session->Run(
      "INSERT INTO " + QuoteIdentifier(name) +
          " (_id, doc) VALUES ($1::text, $2::jsonb) RETURNING _created_at, _updated_at",
      {sql::Value::Text(id), JsonbValue(body->object)});
  if (!result.ok()) {
    if (pgwire::SqlStateOf(result.status()) == "23505") {
      return Problem(409, "document " + JsonString(id) + " already exists", "23505");
    }
    return StatementProblem(result.status(), name);
  }
  std::string doc_text;
  sql::FormatJsonb(body->object, &doc_text);
  const DocumentCells& row = result->rows.at(0);
  Response response = JsonResponse(201, DocumentJson(id, doc_text, row.at(0), row.at(1)));
  response.headers.emplace_back("Location", DocumentPath(name, id));
  return response;
}

// One document per line, all inserted in one transaction or none: every line is parsed first,
// so a bad line inserts nothing and names its number. Blank lines are skipped.
Response DocumentService::InsertNdjson(const Request& request, const std::string& name) {
  struct Line {
    size_t number;
    std::string id;
    sql::Value doc;
  };
  std::vector<Line> lines;
  std::string_view rest = request.body;
  for (size_t number = 1; !rest.empty(); ++number) {
    const size_t end = rest.find('\n');
    std::string_view text = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (lines.size() >= kBulkDocumentsMax) {
      return Problem(413, "more than " + std::to_string(kBulkDocumentsMax) + " documents");
    }
    BodyError error;
    std::optional<DocumentBody> body = ParseDocumentBody(text, &error);
    if (!body) return Problem(error.status, "line " + std::to_string(number) + ": " + error.detail);
    lines.push_back({number, body->id ? *body->id : NewDocumentId(), JsonbValue(body->object)});
  }
  DocumentSessionPool::Lease session = sessions_.Acquire(request.role);
  const std::string insert =
      "INSERT INTO " + QuoteIdentifier(name) + " (_id, doc) VALUES ($1::text, $2::jsonb)";
  return InTransaction(*session, name, [&]() {
    for (Line& line : lines) {
      Result<StatementResult> result =
          session->Run(insert, {sql::Value::Text(line.id), std::move(line.doc)});
      if (result.ok()) continue;
      const std::string where = "line " + std::to_string(line.number) + ": ";
      if (pgwire::SqlStateOf(result.status()) == "23505") {
        return Problem(409, where + "document " + JsonString(line.id) + " already exists", "23505");
      }
      Response problem = StatementProblem(result.status(), name);
      if (problem.status == 404) return problem;
      return Problem(problem.status, where + std::string(result.status().message()),
                     pgwire::SqlStateOf(result.status()));
    }
    return JsonResponse(200, "{\"inserted\": " + std::to_string(lines.size()) + "}");
  });
}

Response DocumentService::ListDocuments(const Request& request) {
  const std::string& name = request.path_parameters.at(0);
  if (!IsCollectionName(name)) return NoSuchCollection(name);
  size_t limit = kDocumentPageDefault;
  if (const std::string_view text = request.QueryParameter("limit"); !text.empty()) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (error != std::errc() || end != text.data() + text.size() || limit == 0 ||
        limit > kDocumentPageMax) {
      return Problem(400, "limit must be an integer from 1 to " + std::to_string(kDocumentPageMax));
    }
  }
  std::string after;  // every _id is greater than ""
  if (const std::string_view cursor = request.QueryParameter("after"); !cursor.empty()) {
    std::optional<std::string> id = DecodeCursor(cursor);
    if (!id) return Problem(400, "after: not a cursor of this API (use a page's \"next\")");
    after = std::move(*id);
  }
  std::vector<sql::Value> parameters = {sql::Value::Text(after),
                                        sql::Value::Int64(static_cast<int64_t>(limit) + 1)};
  std::string conditions;
  if (const std::string_view text = request.QueryParameter("filter"); !text.empty()) {
    Response problem;
    std::optional<DocumentFilter> filter = ParseFilter(text, &problem);
    if (!filter) return problem;
    if (filter->id) {
      parameters.push_back(sql::Value::Text(*filter->id));
      conditions += "_id = $" + std::to_string(parameters.size()) + "::text AND ";
    }
    if (!filter->containment.members.empty()) {
      parameters.push_back(JsonbValue(filter->containment));
      conditions += "doc @> $" + std::to_string(parameters.size()) + "::jsonb AND ";
    }
  }
  // The primary key's range scan returns rows in _id order, so ORDER BY _id LIMIT reads only
  // the page (the planner drops the sort).
  const std::string query = "SELECT _id, doc, _created_at, _updated_at FROM " +
                            QuoteIdentifier(name) + " WHERE " + conditions +
                            "_id > $1::text ORDER BY _id LIMIT $2::int8";
  DocumentSessionPool::Lease session = sessions_.Acquire(request.role);
  Result<StatementResult> result = session->Run(query, std::move(parameters));
  if (!result.ok()) return StatementProblem(result.status(), name);
  std::vector<DocumentCells>& rows = result->rows;
  const bool more = rows.size() > limit;
  if (more) rows.resize(limit);
  std::string body = "{\"documents\": [";
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) body += ", ";
    body += DocumentJson(rows[i][0], rows[i][1], rows[i][2], rows[i][3]);
  }
  body += "], \"next\": ";
  body += more ? JsonString(EncodeCursor(rows.back()[0])) : "null";
  body += "}";
  return JsonResponse(200, std::move(body));
}

Response DocumentService::GetDocument(const Request& request) {
  const std::string& name = request.path_parameters.at(0);
  const std::string& id = request.path_parameters.at(1);
  if (!IsCollectionName(name)) return NoSuchCollection(name);
  DocumentSessionPool::Lease session = sessions_.Acquire(request.role);
  Result<StatementResult> result = session->Run("SELECT doc, _created_at, _updated_at FROM " +
                                                    QuoteIdentifier(name) + " WHERE _id = $1::text",
                                                {sql::Value::Text(id)});
  if (!result.ok()) return StatementProblem(result.status(), name);
  if (result->rows.empty()) return NoSuchDocument(id);
  return JsonResponse(200, RowDocument(id, result->rows[0]));
}

// PUT creates the document when it is missing (201, as PUT to a new URL does), else replaces
// its body (200), keeping _created_at.
Response DocumentService::PutDocument(const Request& request) {
  const std::string& name = request.path_parameters.at(0);
  const std::string& id = request.path_parameters.at(1);
  if (!IsCollectionName(name)) return NoSuchCollection(name);
  if (!IsDocumentId(id)) return Problem(422, "not a document _id: " + JsonString(id));
  if (BodyTypeOf(request) != BodyType::kJson) return UnsupportedBodyType("application/json");
  BodyError error;
  std::optional<DocumentBody> body = ParseDocumentBody(request.body, &error);
  if (!body) return Problem(error.status, error.detail);
  if (body->id && *body->id != id) {
    return Problem(422, "the body's \"_id\" " + JsonString(*body->id) + " is not the path's");
  }
  DocumentSessionPool::Lease session = sessions_.Acquire(request.role);
  Result<StatementResult> result =
      session->Run("INSERT INTO " + QuoteIdentifier(name) +
                       " (_id, doc) VALUES ($1::text, $2::jsonb) ON CONFLICT (_id) DO UPDATE "
                       "SET doc = EXCLUDED.doc, _updated_at = now() "
                       "RETURNING _created_at, _updated_at",
                   {sql::Value::Text(id), JsonbValue(body->object)});
  if (!result.ok()) return StatementProblem(result.status(), name);
  std::string doc_text;
  sql::FormatJsonb(body->object, &doc_text);
  const DocumentCells& row = result->rows.at(0);
  // An insert gives both timestamps the transaction's now(); a replace only _updated_at.
  const bool created = row.at(0) == row.at(1);
  Response response =
      JsonResponse(created ? 201 : 200, DocumentJson(id, doc_text, row.at(0), row.at(1)));
  if (created) response.headers.emplace_back("Location", DocumentPath(name, id));
  return response;
}

// RFC 7386 merge patch, read and written in one transaction. The read is an UPDATE: it locks
// the row until commit and returns its latest version (READ COMMITTED updates wait for the lock
// and act on the newest row), so concurrent patches apply one after the other; SELECT ... FOR
// UPDATE would read the statement's snapshot (the engine does not lock for it).
Response DocumentService::PatchDocument(const Request& request) {
  const std::string& name = request.path_parameters.at(0);
  const std::string& id = request.path_parameters.at(1);
  if (!IsCollectionName(name)) return NoSuchCollection(name);
  if (BodyTypeOf(request) != BodyType::kJson) {
    return UnsupportedBodyType("application/merge-patch+json or application/json");
  }
  BodyError error;
  std::optional<DocumentBody> patch = ParseDocumentBody(request.body, &error);
  if (!patch) return Problem(error.status, error.detail);
  if (patch->id && *patch->id != id) {
    return Problem(422, "the patch's \"_id\" " + JsonString(*patch->id) + " is not the path's");
  }
  const std::string table = QuoteIdentifier(name);
  DocumentSessionPool::Lease session = sessions_.Acquire(request.role);
  return InTransaction(*session, name, [&]() {
    Result<StatementResult> current = session->Run(
        "UPDATE " + table + " SET _updated_at = now() WHERE _id = $1::text RETURNING doc",
        {sql::Value::Text(id)});
    if (!current.ok()) return StatementProblem(current.status(), name);
    if (current->rows.empty()) return NoSuchDocument(id);
    Result<sql::Jsonb> doc = sql::ParseJsonb(current->rows[0][0]);
    if (!doc.ok()) return SqlProblem(doc.status());
    MergePatch(patch->object, &*doc);
    Result<StatementResult> updated =
        session->Run("UPDATE " + table +
                         " SET doc = $2::jsonb, _updated_at = now() WHERE _id = $1::text "
                         "RETURNING doc, _created_at, _updated_at",
                     {sql::Value::Text(id), JsonbValue(*doc)});
    if (!updated.ok()) return StatementProblem(updated.status(), name);
    if (updated->rows.empty()) return NoSuchDocument(id);
    return JsonResponse(200, RowDocument(id, updated->rows[0]));
  });
}

Response DocumentService::DeleteDocument(const Request& request) {
  const std::string& name = request.path_parameters.at(0);
  const std::string& id = request.path_parameters.at(1);
  if (!IsCollectionName(name)) return NoSuchCollection(name);
  DocumentSessionPool::Lease session = sessions_.Acquire(request.role);
  Result<StatementResult> result =
      session->Run("DELETE FROM " + QuoteIdentifier(name) + " WHERE _id = $1::text RETURNING _id",
                   {sql::Value::Text(id)});
  if (!result.ok()) return StatementProblem(result.status(), name);
  if (result->rows.empty()) return NoSuchDocument(id);
  return NoContent();
}

}  // namespace

std::vector<RouteEntry> DocumentRoutes(session::Engine* engine) {
  auto service = std::make_shared<DocumentService>(engine);
  auto bind = [service](Response (DocumentService::*handler)(const Request&)) -> Route {
    return [service, handler](const Request& request) { return ((*service).*handler)(request); };
  };
  const std::string collections(kCollectionsPath);
  const std::string collection = collections + "/{name}";
  const std::string documents = collection + "/documents";
  const std::string document = documents + "/{id}";
  return {
      {"GET", collections, bind(&DocumentService::ListCollections)},
      {"POST", collection, bind(&DocumentService::CreateCollection)},
      {"GET", collection, bind(&DocumentService::GetCollection)},
      {"DELETE", collection, bind(&DocumentService::DropCollection)},
      {"POST", documents, bind(&DocumentService::InsertDocuments)},
      {"GET", documents, bind(&DocumentService::ListDocuments)},
      {"GET", document, bind(&DocumentService::GetDocument)},
      {"PUT", document, bind(&DocumentService::PutDocument)},
      {"PATCH", document, bind(&DocumentService::PatchDocument)},
      {"DELETE", document, bind(&DocumentService::DeleteDocument)},
  };
}

}  // namespace plexus::server::http
