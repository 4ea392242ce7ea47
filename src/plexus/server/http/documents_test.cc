// The documents API's routes called directly with Request objects over an embedded engine.
#include "plexus/server/http/documents.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <re2/re2.h>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "plexus/server/http/documents_json.h"
#include "plexus/session/session_test_util.h"

namespace plexus::server::http {
namespace {

using nlohmann::json;

constexpr std::string_view kCollection = "/api/v1/collections/{name}";
constexpr std::string_view kDocuments = "/api/v1/collections/{name}/documents";
constexpr std::string_view kDocument = "/api/v1/collections/{name}/documents/{id}";

class DocumentsTest : public session::SessionTestBase {
 protected:
  void SetUp() override {
    SessionTestBase::SetUp();
    routes_ = DocumentRoutes(engine_.get());
  }
  void TearDown() override {
    routes_.clear();  // their sessions go before the engine
    SessionTestBase::TearDown();
  }

  Response Call(std::string_view method, std::string_view pattern,
                std::vector<std::string> parameters, std::string body = {},
                std::vector<std::pair<std::string, std::string>> query = {},
                std::string content_type = "application/json") {
    Request request;
    request.method = method;
    request.path = pattern;
    request.path_parameters = std::move(parameters);
    request.body = std::move(body);
    request.query = std::move(query);
    request.headers.emplace_back("content-type", std::move(content_type));
    request.role = role_;
    for (const RouteEntry& entry : routes_) {
      if (entry.method == method && entry.pattern == pattern) return entry.route(request);
    }
    ADD_FAILURE() << "no route " << method << " " << pattern;
    return {};
  }
  json Body(const Response& response) { return json::parse(response.body); }
  // Creates collection `name`.
  void Create(const std::string& name) {
    Response response = Call("POST", kCollection, {name});
    ASSERT_EQ(response.status, 201) << response.body;
  }
  json Insert(const std::string& name, const std::string& body) {
    Response response = Call("POST", kDocuments, {name}, body);
    EXPECT_EQ(response.status, 201) << response.body;
    return Body(response);
  }
  json Get(const std::string& name, const std::string& id) {
    Response response = Call("GET", kDocument, {name, id});
    EXPECT_EQ(response.status, 200) << response.body;
    return Body(response);
  }
  // A problem response's status, type and detail.
  void ExpectProblem(const Response& response, int status, std::string_view detail_part) {
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_EQ(response.content_type, "application/problem+json");
    json body = Body(response);
    EXPECT_EQ(body["status"], status);
    EXPECT_NE(body["detail"].get<std::string>().find(detail_part), std::string::npos)
        << body.dump();
  }
  // The document without its timestamps.
  static json Fields(json document) {
    document.erase("_created_at");
    document.erase("_updated_at");
    return document;
  }

  std::vector<RouteEntry> routes_;
  std::string role_;
};

TEST_F(DocumentsTest, CollectionsAreCreatedListedAndDropped) {
  Response created = Call("POST", kCollection, {"users"});
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(Body(created), json({{"name", "users"}}));
  ASSERT_EQ(created.headers.size(), 1u);
  EXPECT_EQ(created.headers[0],
            std::make_pair(std::string("Location"), std::string("/api/v1/collections/users")));
  ExpectProblem(Call("POST", kCollection, {"users"}), 409, "already exists");
  ExpectProblem(Call("POST", kCollection, {"Users"}), 400, "identifier");
  ExpectProblem(Call("POST", kCollection, {"a-b"}), 400, "identifier");
  ExpectProblem(Call("POST", kCollection, {std::string(64, 'a')}), 400, "identifier");
  Create("orders");
  Run("CREATE TABLE plain (x int)");

  Response list = Call("GET", "/api/v1/collections", {});
  EXPECT_EQ(list.status, 200);
  EXPECT_EQ(Body(list), json({{"collections", {"orders", "users"}}}));
  Response one = Call("GET", kCollection, {"users"});
  EXPECT_EQ(Body(one), json({{"name", "users"}, {"documents", 0}}));
  ExpectProblem(Call("GET", kCollection, {"plain"}), 404, "does not exist");

  EXPECT_EQ(Call("DELETE", kCollection, {"users"}).status, 204);
  ExpectProblem(Call("DELETE", kCollection, {"users"}), 404, "\"users\" does not exist");
  // A table without the collection's columns is not dropped.
  ExpectProblem(Call("DELETE", kCollection, {"plain"}), 404, "does not exist");
  EXPECT_EQ(Query("SELECT count(*) FROM plain"), session::Rows({"0"}));
  EXPECT_EQ(Body(Call("GET", "/api/v1/collections", {})), json({{"collections", {"orders"}}}));
}

TEST_F(DocumentsTest, InsertedDocumentsAreReadByIdAndFromSql) {
  Create("users");
  Response response =
      Call("POST", kDocuments, {"users"}, R"({"_id": "alice", "name": "Alice", "age": 30})");
  ASSERT_EQ(response.status, 201) << response.body;
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].second, "/api/v1/collections/users/documents/alice");
  json inserted = Body(response);
  EXPECT_EQ(Fields(inserted), json({{"_id", "alice"}, {"name", "Alice"}, {"age", 30}}));
  // RE2, not std::regex: GCC 12's sanitizer build warns inside std::regex (-Werror).
  EXPECT_TRUE(RE2::FullMatch(inserted["_created_at"].get<std::string>(),
                             R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)"));
  EXPECT_EQ(Get("users", "alice"), inserted);
  EXPECT_EQ(Query("SELECT doc->>'name', doc FROM users"),
            session::Rows({R"(Alice|{"age": 30, "name": "Alice"})"}));

  // Without "_id": a UUID version 4; ids with characters a path must escape.
  json generated = Insert("users", R"({"name": "Bob"})");
  const std::string id = generated["_id"];
  EXPECT_TRUE(
      RE2::FullMatch(id, "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"))
      << id;
  EXPECT_EQ(Get("users", id)["name"], "Bob");
  Response spaced = Call("POST", kDocuments, {"users"}, R"({"_id": "a b?é"})");
  EXPECT_EQ(spaced.headers.at(0).second, "/api/v1/collections/users/documents/a%20b%3F%C3%A9");
  EXPECT_EQ(Get("users", "a b?é")["_id"], "a b?é");

  ExpectProblem(Call("POST", kDocuments, {"users"}, R"({"_id": "alice"})"), 409,
                "\"alice\" already exists");
  EXPECT_EQ(Body(Call("GET", kCollection, {"users"}))["documents"], 3);
}

TEST_F(DocumentsTest, BadRequestsAreProblems) {
  Create("users");
  ExpectProblem(Call("POST", kDocuments, {"users"}, R"({"a": )"), 400, "malformed JSON");
  ExpectProblem(Call("POST", kDocuments, {"users"}, ""), 400, "malformed JSON");
  ExpectProblem(Call("POST", kDocuments, {"users"}, "[1, 2]"), 422, "JSON object");
  ExpectProblem(Call("POST", kDocuments, {"users"}, "\"text\""), 422, "JSON object");
  ExpectProblem(Call("POST", kDocuments, {"users"}, R"({"_id": 5})"), 422, "\"_id\"");
  ExpectProblem(Call("POST", kDocuments, {"users"}, R"({"_id": ""})"), 422, "\"_id\"");
  ExpectProblem(Call("POST", kDocuments, {"users"}, R"({"_id": "a/b"})"), 422, "\"_id\"");
  const std::string long_id(kDocumentIdBytesMax + 1, 'x');
  ExpectProblem(Call("POST", kDocuments, {"users"}, R"({"_id": ")" + long_id + "\"}"), 422,
                "\"_id\"");
  Insert("users", R"({"_id": ")" + std::string(kDocumentIdBytesMax, 'x') + "\"}");

  ExpectProblem(Call("GET", kDocument, {"nothing", "a"}), 404, "collection \"nothing\"");
  ExpectProblem(Call("POST", kDocuments, {"nothing"}, "{}"), 404, "collection \"nothing\"");
  ExpectProblem(Call("GET", kDocuments, {"nothing"}), 404, "collection \"nothing\"");
  ExpectProblem(Call("GET", kDocument, {"Bad-Name", "a"}), 404, "collection");
  Run("CREATE TABLE plain (x int)");
  ExpectProblem(Call("GET", kDocument, {"plain", "a"}), 404, "collection \"plain\"");
  ExpectProblem(Call("GET", kDocument, {"users", "missing"}), 404, "document \"missing\"");
  // A body's timestamps are the row's, not the client's.
  json document = Insert("users", R"({"_id": "t", "_created_at": "x", "_updated_at": "y"})");
  EXPECT_NE(document["_created_at"], "x");
  EXPECT_EQ(Query("SELECT doc FROM users WHERE _id = 't'"), session::Rows({"{}"}));
}

TEST_F(DocumentsTest, PutCreatesOrReplaces) {
  Create("users");
  Response created = Call("PUT", kDocument, {"users", "carol"}, R"({"name": "Carol"})");
  EXPECT_EQ(created.status, 201) << created.body;
  ASSERT_EQ(created.headers.size(), 1u);
  json first = Body(created);
  EXPECT_EQ(first["_created_at"], first["_updated_at"]);

  Response replaced =
      Call("PUT", kDocument, {"users", "carol"}, R"({"_id": "carol", "city": "Oslo"})");
  EXPECT_EQ(replaced.status, 200) << replaced.body;
  json second = Body(replaced);
  EXPECT_EQ(Fields(second), json({{"_id", "carol"}, {"city", "Oslo"}}));
  EXPECT_EQ(second["_created_at"], first["_created_at"]);
  EXPECT_NE(second["_updated_at"], first["_updated_at"]);
  EXPECT_EQ(Get("users", "carol"), second);

  ExpectProblem(Call("PUT", kDocument, {"users", "carol"}, R"({"_id": "dave"})"), 422,
                "not the path's");
  ExpectProblem(Call("PUT", kDocument, {"users", "carol"}, "[]"), 422, "JSON object");
  ExpectProblem(Call("PUT", kDocument, {"nothing", "carol"}, "{}"), 404, "collection");
}

TEST_F(DocumentsTest, PatchMergesAsRfc7386) {
  Create("users");
  Insert("users", R"({"_id": "p", "a": 1, "b": {"c": 2, "d": 3}, "e": [1, 2], "f": 1.50})");
  const json before = Get("users", "p");
  Response patched = Call("PATCH", kDocument, {"users", "p"},
                          R"({"a": null, "b": {"c": null, "x": 5}, "e": [3],
                              "n": {"z": null, "y": 1}, "absent": null})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  const json expected = {
      {"_id", "p"}, {"b", {{"d", 3}, {"x", 5}}}, {"e", {3}}, {"f", 1.5}, {"n", {{"y", 1}}}};
  EXPECT_EQ(Fields(Body(patched)), expected);
  EXPECT_EQ(Body(patched)["_created_at"], before["_created_at"]);
  EXPECT_NE(Body(patched)["_updated_at"], before["_updated_at"]);
  EXPECT_EQ(Get("users", "p"), Body(patched));
  // Numbers keep their text: jsonb's numeric, not a double.
  EXPECT_EQ(Query("SELECT doc->>'f' FROM users"), session::Rows({"1.50"}));

  ExpectProblem(Call("PATCH", kDocument, {"users", "missing"}, "{}"), 404, "document");
  ExpectProblem(Call("PATCH", kDocument, {"users", "p"}, "{"), 400, "malformed JSON");
  ExpectProblem(Call("PATCH", kDocument, {"users", "p"}, "[]"), 422, "JSON object");
  ExpectProblem(Call("PATCH", kDocument, {"users", "p"}, R"({"_id": "q"})"), 422, "not the path's");
  ExpectProblem(Call("PATCH", kDocument, {"nothing", "p"}, "{}"), 404, "collection");
  EXPECT_EQ(Fields(Get("users", "p")), expected);
}

TEST_F(DocumentsTest, DeleteRemovesOnce) {
  Create("users");
  Insert("users", R"({"_id": "gone"})");
  Response deleted = Call("DELETE", kDocument, {"users", "gone"});
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.empty());
  ExpectProblem(Call("DELETE", kDocument, {"users", "gone"}), 404, "document \"gone\"");
  ExpectProblem(Call("GET", kDocument, {"users", "gone"}), 404, "document");
  ExpectProblem(Call("DELETE", kDocument, {"nothing", "gone"}), 404, "collection");
}

TEST_F(DocumentsTest, PagesFollowCursorsWithAFilter) {
  Create("items");
  std::string ndjson;
  for (int i = 0; i < 25; ++i) {
    char id[16];
    std::snprintf(id, sizeof(id), "d%02d", i);
    ndjson += R"({"_id": ")" + std::string(id) + R"(", "kind": ")" + (i % 2 == 0 ? "even" : "odd") +
              R"(", "tags": {"n": )" + std::to_string(i) + "}}\n";
  }
  Response bulk = Call("POST", kDocuments, {"items"}, ndjson, {}, "application/x-ndjson");
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_EQ(Body(bulk), json({{"inserted", 25}}));

  std::vector<std::string> ids;
  std::string after;
  int pages = 0;
  for (; pages < 10; ++pages) {
    std::vector<std::pair<std::string, std::string>> query = {{"filter", R"({"kind": "even"})"},
                                                              {"limit", "5"}};
    if (!after.empty()) query.emplace_back("after", after);
    Response page = Call("GET", kDocuments, {"items"}, {}, query);
    ASSERT_EQ(page.status, 200) << page.body;
    json body = Body(page);
    EXPECT_LE(body["documents"].size(), 5u);
    for (const json& document : body["documents"]) {
      EXPECT_EQ(document["kind"], "even");
      ids.push_back(document["_id"]);
    }
    if (body["next"].is_null()) break;
    after = body["next"];
  }
  EXPECT_EQ(pages, 2);  // pages 0..2: 5 + 5 + 3
  ASSERT_EQ(ids.size(), 13u);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(ids.front(), "d00");
  EXPECT_EQ(ids.back(), "d24");

  // Nested containment, no filter, the default limit.
  json nested = Body(Call("GET", kDocuments, {"items"}, {}, {{"filter", R"({"tags": {"n": 7}})"}}));
  ASSERT_EQ(nested["documents"].size(), 1u);
  EXPECT_EQ(nested["documents"][0]["_id"], "d07");
  EXPECT_TRUE(nested["next"].is_null());
  json all = Body(Call("GET", kDocuments, {"items"}, {}));
  EXPECT_EQ(all["documents"].size(), 25u);
  EXPECT_TRUE(all["next"].is_null());
  json exact = Body(Call("GET", kDocuments, {"items"}, {}, {{"limit", "25"}}));
  EXPECT_TRUE(exact["next"].is_null());
  json first = Body(Call("GET", kDocuments, {"items"}, {}, {{"limit", "24"}}));
  EXPECT_EQ(first["next"], EncodeCursor("d23"));

  for (const char* limit : {"0", "1001", "x", "-1", "5x", ""}) {
    Response response = Call("GET", kDocuments, {"items"}, {}, {{"limit", limit}});
    if (std::string_view(limit).empty()) {
      EXPECT_EQ(response.status, 200);
    } else {
      ExpectProblem(response, 400, "limit");
    }
  }
  EXPECT_EQ(Call("GET", kDocuments, {"items"}, {}, {{"limit", "1000"}}).status, 200);
  ExpectProblem(Call("GET", kDocuments, {"items"}, {}, {{"after", "***"}}), 400, "cursor");
  ExpectProblem(Call("GET", kDocuments, {"items"}, {}, {{"filter", "{"}}), 400, "filter");
  ExpectProblem(Call("GET", kDocuments, {"items"}, {}, {{"filter", "[1]"}}), 400, "filter");
}

TEST_F(DocumentsTest, PagesCoverEveryDocumentInIdOrder) {
  Create("shuffled");
  // Ids of several lengths and bytes (a shorter id sorts before its extensions; UTF-8 after
  // ASCII), inserted in a scrambled order.
  std::vector<std::string> ids;
  for (int i = 0; i < 1500; ++i) {
    ids.push_back(std::to_string((i * 7919) % 1500) + (i % 3 == 0 ? "é" : i % 3 == 1 ? "Z" : ""));
  }
  std::string ndjson;
  for (const std::string& id : ids)
    ndjson += json({{"_id", id}, {"odd", id.size() % 2}}).dump() + "\n";
  ASSERT_EQ(Call("POST", kDocuments, {"shuffled"}, ndjson, {}, "application/x-ndjson").status, 200);
  std::sort(ids.begin(), ids.end());
  for (const std::string limit : {"1", "7", "1000"}) {
    std::vector<std::string> seen;
    std::string after;
    for (int page = 0; page < 2000; ++page) {
      std::vector<std::pair<std::string, std::string>> query = {{"limit", limit}};
      if (!after.empty()) query.emplace_back("after", after);
      json body = Body(Call("GET", kDocuments, {"shuffled"}, {}, query));
      for (const json& document : body["documents"]) seen.push_back(document["_id"]);
      if (body["next"].is_null()) break;
      after = body["next"];
    }
    EXPECT_EQ(seen, ids) << "limit " << limit;
  }
  // With a filter: the matching ids, in order.
  std::vector<std::string> odd;
  for (const std::string& id : ids) {
    if (id.size() % 2 == 1) odd.push_back(id);
  }
  std::vector<std::string> seen;
  std::string after;
  for (int page = 0; page < 100; ++page) {
    std::vector<std::pair<std::string, std::string>> query = {{"limit", "100"},
                                                              {"filter", R"({"odd": 1})"}};
    if (!after.empty()) query.emplace_back("after", after);
    json body = Body(Call("GET", kDocuments, {"shuffled"}, {}, query));
    for (const json& document : body["documents"]) seen.push_back(document["_id"]);
    if (body["next"].is_null()) break;
    after = body["next"];
  }
  EXPECT_EQ(seen, odd);
}

TEST_F(DocumentsTest, NdjsonBulkInsertIsAllOrNothing) {
  Create("logs");
  Response bad = Call("POST", kDocuments, {"logs"}, "{\"a\": 1}\n{\"a\": \n{\"a\": 3}\n", {},
                      "application/x-ndjson");
  ExpectProblem(bad, 400, "line 2: malformed JSON");
  ExpectProblem(Call("POST", kDocuments, {"logs"}, "{}\n\n[1]\n", {}, "application/x-ndjson"), 422,
                "line 3");
  Response duplicate = Call("POST", kDocuments, {"logs"},
                            "{\"_id\": \"x\"}\r\n{\"_id\": \"y\"}\r\n{\"_id\": \"x\"}\r\n", {},
                            "application/x-ndjson");
  ExpectProblem(duplicate, 409, "line 3: document \"x\" already exists");
  EXPECT_EQ(Query("SELECT count(*) FROM logs"), session::Rows({"0"}));

  Response good = Call("POST", kDocuments, {"logs"}, "{\"a\": 1}\n\n  \n{\"_id\": \"k\"}", {},
                       "application/x-ndjson; charset=utf-8");
  EXPECT_EQ(Body(good), json({{"inserted", 2}}));
  EXPECT_EQ(Query("SELECT count(*) FROM logs"), session::Rows({"2"}));
  EXPECT_EQ(Body(Call("POST", kDocuments, {"logs"}, "", {}, "application/x-ndjson")),
            json({{"inserted", 0}}));
  ExpectProblem(Call("POST", kDocuments, {"nothing"}, "{}", {}, "application/x-ndjson"), 404,
                "collection");
}

TEST_F(DocumentsTest, UnicodeAndBigDocumentsRoundTrip) {
  Create("texts");
  const std::string big(1 << 20, 'z');
  json document = {{"_id", "ünïcødé"},
                   {"名前", "Ünïcødé 🎉"},
                   {"big", big},
                   {"list", json::array({1, "two", nullptr, true})}};
  Response response = Call("POST", kDocuments, {"texts"}, document.dump());
  ASSERT_EQ(response.status, 201) << response.body.substr(0, 200);
  EXPECT_EQ(Fields(Get("texts", "ünïcødé")), document);
  EXPECT_EQ(Query("SELECT doc->>'名前', length(doc->>'big') FROM texts"),
            session::Rows({"Ünïcødé 🎉|1048576"}));
  json escaped = Insert("texts", R"({"_id": "q\"\\\n", "s": "\u00e9\t\"x\""})");
  EXPECT_EQ(escaped["_id"], "q\"\\\n");
  EXPECT_EQ(escaped["s"], "é\t\"x\"");
  EXPECT_EQ(Get("texts", "q\"\\\n")["s"], "é\t\"x\"");
}

TEST_F(DocumentsTest, SqlChangesAreSeenByTheApi) {
  Create("users");
  Run(R"(INSERT INTO users (_id, doc) VALUES ('sql', '{"from": "sql"}'))");
  EXPECT_EQ(Fields(Get("users", "sql")), json({{"_id", "sql"}, {"from", "sql"}}));
  // A body that is not an object (written by SQL) still comes out as JSON.
  Run(R"(INSERT INTO users (_id, doc) VALUES ('scalar', '[1, 2]'))");
  EXPECT_EQ(Fields(Get("users", "scalar")), json({{"_id", "scalar"}, {"doc", {1, 2}}}));
  // Dropped and created again: the kept statements are bound again.
  EXPECT_EQ(Call("DELETE", kCollection, {"users"}).status, 204);
  ExpectProblem(Call("GET", kDocument, {"users", "sql"}), 404, "collection");
  Create("users");
  ExpectProblem(Call("GET", kDocument, {"users", "sql"}), 404, "document");
  Insert("users", R"({"_id": "sql", "again": true})");
  EXPECT_EQ(Get("users", "sql")["again"], true);
}

TEST_F(DocumentsTest, ConcurrentPatchesLoseNoField) {
  Create("shared");
  Insert("shared", R"({"_id": "d"})");
  constexpr int kThreads = 4;
  constexpr int kRounds = 15;
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([this, thread] {
      for (int round = 0; round < kRounds; ++round) {
        const std::string field = "t" + std::to_string(thread) + "_" + std::to_string(round);
        Response response = Call("PATCH", kDocument, {"shared", "d"}, "{\"" + field + "\": 1}");
        EXPECT_EQ(response.status, 200) << response.body;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(Fields(Get("shared", "d")).size(), size_t{kThreads * kRounds + 1});
}

TEST_F(DocumentsTest, StatementsRunAsTheRequestsRole) {
  Create("secrets");
  Insert("secrets", R"({"_id": "s", "v": 1})");
  Run("CREATE ROLE reader LOGIN");
  role_ = "reader";
  ExpectProblem(Call("GET", kDocument, {"secrets", "s"}), 403, "permission denied");
  role_.clear();
  Run("GRANT SELECT ON secrets TO reader");
  role_ = "reader";
  EXPECT_EQ(Get("secrets", "s")["v"], 1);
  EXPECT_EQ(Body(Call("GET", kDocuments, {"secrets"}))["documents"].size(), 1u);
  ExpectProblem(Call("PATCH", kDocument, {"secrets", "s"}, R"({"v": 2})"), 403,
                "permission denied");
  ExpectProblem(Call("DELETE", kDocument, {"secrets", "s"}), 403, "permission denied");
  ExpectProblem(Call("POST", kDocuments, {"secrets"}, "{}"), 403, "permission denied");
  role_.clear();
  EXPECT_EQ(Get("secrets", "s")["v"], 1);
}

TEST(DocumentsJsonTest, MergePatchFollowsRfc7386Examples) {
  // RFC 7386 appendix A: target, patch, result.
  const char* cases[][3] = {
      {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
      {R"({"a":"b"})", R"({"a":null})", R"({})"},
      {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
      {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
      {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
      {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
      {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
      {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
      {R"({"a":"foo"})", "null", "null"},
      {R"({"a":"foo"})", R"("bar")", R"("bar")"},
      {R"({"e":null})", R"({"a":1})", R"({"a":1,"e":null})"},
      {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
      {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
  };
  for (const auto& [target_text, patch_text, result_text] : cases) {
    sql::Jsonb target = sql::ParseJsonb(target_text).value();
    MergePatch(sql::ParseJsonb(patch_text).value(), &target);
    std::string got;
    sql::FormatJsonb(target, &got);
    EXPECT_EQ(json::parse(got), json::parse(result_text)) << target_text << " + " << patch_text;
  }
}

TEST(DocumentsJsonTest, CursorsNamesAndIds) {
  for (const std::string& id : std::vector<std::string>{"a", "d23", "ünï", "a b",
                                                        std::string(kDocumentIdBytesMax, '\xff')}) {
    const std::string cursor = EncodeCursor(id);
    EXPECT_EQ(cursor.find_first_of("+/="), std::string::npos);
    EXPECT_EQ(DecodeCursor(cursor), id);
  }
  EXPECT_EQ(DecodeCursor("a"), std::nullopt);
  EXPECT_EQ(DecodeCursor("YQ=="), std::nullopt);  // padding is not ours
  EXPECT_EQ(DecodeCursor(""), std::nullopt);      // "" is no _id
  EXPECT_EQ(DecodeCursor(EncodeCursor("a/b")), std::nullopt);

  EXPECT_TRUE(IsCollectionName("users"));
  EXPECT_TRUE(IsCollectionName("_x9"));
  EXPECT_TRUE(IsCollectionName(std::string(63, 'a')));
  EXPECT_FALSE(IsCollectionName(std::string(64, 'a')));
  EXPECT_FALSE(IsCollectionName(""));
  EXPECT_FALSE(IsCollectionName("9a"));
  EXPECT_FALSE(IsCollectionName("Users"));
  EXPECT_FALSE(IsCollectionName("a\"b"));
  EXPECT_EQ(QuoteIdentifier("select"), "\"select\"");

  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(NewDocumentId());
  EXPECT_EQ(ids.size(), 1000u);
}

}  // namespace
}  // namespace plexus::server::http
