"""The documents REST API (/api/v1/collections) against a real `plexus serve`: every route and
error shape, merge patch, cursor pagination with a filter, NDJSON bulk insert (100,000 documents,
and a bad line inserting nothing), Unicode and big documents, and the same data seen from SQL."""
import concurrent.futures
import http.client
import json
import subprocess
import urllib.parse

import psycopg
import pytest

from conftest import Server
from plexus_process import clean_environment, free_port

COLLECTIONS = "/api/v1/collections"


class Client:
    """Requests to one server, each on a new connection with a long timeout (a bulk insert of
    100,000 documents takes seconds, more in a sanitizer build); answers (status, headers with
    lower-case names, body as JSON or None)."""

    def __init__(self, server, headers=None):
        self.server = server
        self.headers = headers or {}

    def call(self, method, path, body=None, content_type="application/json", query=None):
        if query:
            path += "?" + urllib.parse.urlencode(query)
        headers = dict(self.headers)
        if body is not None:
            if not isinstance(body, (str, bytes)):
                body = json.dumps(body)
            if isinstance(body, str):
                body = body.encode()
            headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=600)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            headers = {k.lower(): v for k, v in response.getheaders()}
            return response.status, headers, (json.loads(raw) if raw else None)
        finally:
            connection.close()


@pytest.fixture(scope="module")
def documents_server(tmp_path_factory):
    """A server of this module's own: the session's one caps bodies at 1 MiB, bulk inserts here
    send more (the default cap is 64 MiB); the PostgreSQL port is on for the psycopg checks."""
    s = Server(tmp_path_factory.mktemp("documents-data"),
               settings=[f"pg.port={free_port()}"]).start()
    yield s
    code = s.stop()
    assert code == 0, "".join(s.output)


@pytest.fixture
def client(documents_server):
    return Client(documents_server)


@pytest.fixture
def sql(documents_server):
    """Runs SQL through POST /api/v1/sql; its rows, values as text (bigint comes as a string)."""
    def run(text):
        status, body = documents_server.sql(text)
        assert status == 200, body
        return [[None if v is None else str(v) for v in row] for row in body["rows"]]
    return run


@pytest.fixture
def pg(documents_server):
    """A psycopg connection to the same server's PostgreSQL port."""
    port = next(int(s.split("=")[1]) for s in documents_server.settings if s.startswith("pg.port="))
    with psycopg.connect(host="127.0.0.1", port=port, user="tester", dbname="plexus",
                         autocommit=True, connect_timeout=10) as connection:
        yield connection


def document_path(collection, document_id=None):
    path = f"{COLLECTIONS}/{collection}/documents"
    if document_id is not None:
        path += "/" + urllib.parse.quote(document_id, safe="")
    return path


def fields(document):
    return {k: v for k, v in document.items() if k not in ("_created_at", "_updated_at")}


def assert_problem(answer, status, detail_part):
    code, headers, body = answer
    assert code == status, body
    assert headers["content-type"].startswith("application/problem+json")
    assert body["status"] == status and body["title"]
    assert detail_part in body["detail"], body


@pytest.fixture
def collection(client, request):
    """A new collection named after the test (the server is shared by the module)."""
    name = "c_" + request.node.name.lower().replace("[", "_").replace("]", "")[:50]
    client.call("DELETE", f"{COLLECTIONS}/{name}")
    status, headers, body = client.call("POST", f"{COLLECTIONS}/{name}")
    assert status == 201, body
    assert body == {"name": name}
    assert headers["location"] == f"{COLLECTIONS}/{name}"
    return name


def test_collections_are_created_listed_and_dropped(client, collection):
    assert_problem(client.call("POST", f"{COLLECTIONS}/{collection}"), 409, "already exists")
    assert_problem(client.call("POST", f"{COLLECTIONS}/Bad-Name"), 400, "identifier")
    status, _, body = client.call("GET", COLLECTIONS)
    assert status == 200 and collection in body["collections"]
    assert client.call("GET", f"{COLLECTIONS}/{collection}")[2] == {"name": collection,
                                                                   "documents": 0}
    assert client.call("DELETE", f"{COLLECTIONS}/{collection}")[0] == 204
    assert collection not in client.call("GET", COLLECTIONS)[2]["collections"]
    assert_problem(client.call("DELETE", f"{COLLECTIONS}/{collection}"), 404, "does not exist")
    assert_problem(client.call("GET", f"{COLLECTIONS}/{collection}"), 404, "does not exist")


def test_document_lifecycle(client, collection):
    status, headers, created = client.call("POST", document_path(collection),
                                           {"_id": "alice", "name": "Alice", "age": 30})
    assert status == 201, created
    assert headers["location"] == document_path(collection, "alice")
    assert fields(created) == {"_id": "alice", "name": "Alice", "age": 30}
    assert created["_created_at"].endswith("Z")
    assert client.call("GET", document_path(collection, "alice")) [2] == created

    status, headers, generated = client.call("POST", document_path(collection), {"name": "Bob"})
    assert status == 201 and len(generated["_id"]) == 36
    assert client.call("GET", headers["location"])[2]["name"] == "Bob"
    assert_problem(client.call("POST", document_path(collection), {"_id": "alice"}), 409,
                   "already exists")

    # PUT replaces (200) an existing document, creates (201) a missing one.
    status, _, replaced = client.call("PUT", document_path(collection, "alice"), {"name": "A"})
    assert status == 200 and fields(replaced) == {"_id": "alice", "name": "A"}
    assert replaced["_created_at"] == created["_created_at"]
    status, headers, carol = client.call("PUT", document_path(collection, "carol"), {"n": 1})
    assert status == 201 and headers["location"] == document_path(collection, "carol")

    assert client.call("DELETE", document_path(collection, "carol"))[0] == 204
    assert_problem(client.call("DELETE", document_path(collection, "carol")), 404, "document")
    assert_problem(client.call("GET", document_path(collection, "carol")), 404, "document")


def test_merge_patch(client, collection):
    client.call("POST", document_path(collection),
                {"_id": "p", "a": 1, "b": {"c": 2, "d": 3}, "e": [1, 2]})
    status, _, patched = client.call(
        "PATCH", document_path(collection, "p"),
        {"a": None, "b": {"c": None, "x": 5}, "e": [3], "n": {"z": None, "y": 1}},
        content_type="application/merge-patch+json")
    assert status == 200, patched
    expected = {"_id": "p", "b": {"d": 3, "x": 5}, "e": [3], "n": {"y": 1}}
    assert fields(patched) == expected
    assert fields(client.call("GET", document_path(collection, "p"))[2]) == expected
    assert_problem(client.call("PATCH", document_path(collection, "nobody"), {}), 404,
                   "document")


def test_error_shapes(client, collection):
    assert_problem(client.call("POST", document_path(collection), '{"a": '), 400,
                   "malformed JSON")
    assert_problem(client.call("POST", document_path(collection), "[1]"), 422, "JSON object")
    assert_problem(client.call("POST", document_path(collection), {"_id": 7}), 422, "_id")
    assert_problem(client.call("GET", document_path("no_such_collection", "x")), 404,
                   'collection "no_such_collection" does not exist')
    assert_problem(client.call("GET", document_path(collection), query={"limit": "1001"}), 400,
                   "limit")
    assert_problem(client.call("GET", document_path(collection), query={"after": "!"}), 400,
                   "cursor")
    assert_problem(client.call("GET", document_path(collection), query={"filter": "{"}), 400,
                   "filter")


def test_pages_with_a_filter(client, collection):
    lines = [json.dumps({"_id": f"d{i:03}", "kind": "even" if i % 2 == 0 else "odd", "i": i})
             for i in range(250)]
    status, _, body = client.call("POST", document_path(collection), "\n".join(lines) + "\n",
                                  content_type="application/x-ndjson")
    assert status == 200 and body == {"inserted": 250}
    ids, after, pages = [], None, 0
    while True:
        query = {"filter": json.dumps({"kind": "even"}), "limit": "40"}
        if after:
            query["after"] = after
        status, _, page = client.call("GET", document_path(collection), query=query)
        assert status == 200, page
        pages += 1
        assert all(d["kind"] == "even" for d in page["documents"])
        ids += [d["_id"] for d in page["documents"]]
        after = page["next"]
        if after is None:
            break
        assert pages < 10
    assert pages == 4  # 125 documents: 40 + 40 + 40 + 5
    assert ids == [f"d{i:03}" for i in range(0, 250, 2)]


def test_filter_on_id(client, collection):
    for i, kind in enumerate(["a", "b", "a"]):
        client.call("POST", document_path(collection), {"_id": f"x{i}", "kind": kind})

    def ids(filter_value):
        status, _, page = client.call("GET", document_path(collection),
                                      query={"filter": json.dumps(filter_value)})
        assert status == 200, page
        return [d["_id"] for d in page["documents"]]

    assert ids({"_id": "x1"}) == ["x1"]
    assert ids({"_id": "x2", "kind": "a"}) == ["x2"]
    assert ids({"_id": "x1", "kind": "a"}) == []
    assert ids({"_id": "nope"}) == []
    assert ids({"kind": "a"}) == ["x0", "x2"]
    assert_problem(client.call("GET", document_path(collection),
                               query={"filter": json.dumps({"_id": 1})}), 400, "_id")


def test_body_content_types(client, collection):
    form = "application/x-www-form-urlencoded"  # what curl -d sends without -H
    assert_problem(client.call("POST", document_path(collection), {"_id": "f"}, content_type=form),
                   415, "application/json")
    assert_problem(client.call("POST", document_path(collection), {"_id": "f"},
                               content_type="text/plain"), 415, "application/json")
    assert_problem(client.call("PUT", document_path(collection, "f"), {"a": 1},
                               content_type=form), 415, "application/json")
    assert_problem(client.call("PATCH", document_path(collection, "f"), {"a": 1},
                               content_type=form), 415, "merge-patch+json")
    # No Content-Type is taken as JSON; charset parameters are fine.
    connection = http.client.HTTPConnection("127.0.0.1", client.server.port, timeout=60)
    try:
        connection.putrequest("PUT", document_path(collection, "f"))
        body = b'{"a": 1}'
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        assert response.status == 201, response.read()
        response.read()
    finally:
        connection.close()
    status, _, patched = client.call("PATCH", document_path(collection, "f"), {"b": 2},
                                     content_type="application/json; charset=utf-8")
    assert status == 200 and fields(patched) == {"_id": "f", "a": 1, "b": 2}
    assert client.call("GET", document_path(collection, "f"))[2]["b"] == 2


def test_bulk_insert_of_100000_documents(client, collection, sql):
    lines = "\n".join(json.dumps({"n": i, "name": f"user {i}"}) for i in range(100_000))
    status, _, body = client.call("POST", document_path(collection), lines,
                                  content_type="application/x-ndjson")
    assert status == 200, body
    assert body == {"inserted": 100_000}
    assert sql(f"SELECT count(*), count(DISTINCT _id), sum((doc->>'n')::int8) FROM {collection}") \
        == [["100000", "100000", str(sum(range(100_000)))]]


def test_bad_ndjson_line_inserts_nothing(client, collection, sql):
    lines = [json.dumps({"n": i}) for i in range(1000)]
    lines[500] = '{"n": oops}'
    assert_problem(client.call("POST", document_path(collection), "\n".join(lines),
                               content_type="application/x-ndjson"), 400, "line 501")
    assert sql(f"SELECT count(*) FROM {collection}") == [["0"]]


def test_unicode_and_big_documents(client, collection, sql):
    document = {"_id": "ünïcødé 名前 ?", "名前": "Ünïcødé 🎉", "big": "z" * (4 << 20),
                "nested": [{"deep": [1, 2.5, None, True]}]}
    status, headers, body = client.call("POST", document_path(collection), document)
    assert status == 201
    assert fields(client.call("GET", headers["location"])[2]) == document
    assert sql(f"SELECT doc->>'名前', length(doc->>'big') FROM {collection}") \
        == [["Ünïcødé 🎉", str(4 << 20)]]


def test_sql_sees_documents_and_documents_see_sql(client, collection, sql, pg):
    client.call("POST", document_path(collection), {"_id": "u1", "name": "Ann"})
    assert sql(f"SELECT doc->>'name' FROM {collection} WHERE _id = 'u1'") == [["Ann"]]
    assert pg.execute(f"SELECT doc->>'name', doc FROM {collection}").fetchall() == [
        ("Ann", {"name": "Ann"})]
    port = pg.info.port
    psql = subprocess.run(["psql", "-X", "-At", "-h", "127.0.0.1", "-p", str(port), "-U", "tester",
                           "-d", "plexus", "-c", f"SELECT doc->>'name' FROM {collection}"],
                          capture_output=True, text=True, timeout=60, env=clean_environment())
    assert psql.returncode == 0, psql.stderr
    assert psql.stdout == "Ann\n"
    sql(f"""INSERT INTO {collection} (_id, doc) VALUES ('u2', '{{"name": "Ben"}}')""")
    assert fields(client.call("GET", document_path(collection, "u2"))[2]) == {"_id": "u2",
                                                                             "name": "Ben"}


ADMIN_TOKEN = "documents-admin-token-0123"


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("documents-auth"),
               settings=["http.auth=token", f"http.tokens={ADMIN_TOKEN}:postgres"]).start()
    yield s
    assert s.stop() == 0, "".join(s.output)


def test_documents_run_as_the_tokens_role(auth_server):
    admin = Client(auth_server, {"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert admin.call("POST", f"{COLLECTIONS}/notes")[0] == 201
    assert admin.call("POST", document_path("notes"), {"_id": "n1", "text": "hi"})[0] == 201
    assert admin.call("POST", "/api/v1/sql",
                      {"sql": "CREATE ROLE alice LOGIN PASSWORD 'secret'"})[0] == 200
    status, _, issued = Client(auth_server).call("POST", "/api/v1/auth/token",
                                                 {"user": "alice", "password": "secret"})
    assert status == 200, issued
    alice = Client(auth_server, {"Authorization": f"Bearer {issued['token']}"})

    assert Client(auth_server).call("GET", document_path("notes", "n1"))[0] == 401
    assert_problem(alice.call("GET", document_path("notes", "n1")), 403, "permission denied")
    assert admin.call("POST", "/api/v1/sql", {"sql": "GRANT SELECT ON notes TO alice"})[0] == 200
    status, _, note = alice.call("GET", document_path("notes", "n1"))
    assert status == 200 and note["text"] == "hi"
    assert_problem(alice.call("PATCH", document_path("notes", "n1"), {"text": "no"}), 403,
                   "permission denied")
    assert_problem(alice.call("DELETE", f"{COLLECTIONS}/notes"), 403, "")
    assert admin.call("GET", document_path("notes", "n1"))[2]["text"] == "hi"


def test_concurrent_patches_lose_no_field(client, collection):
    """PATCH reads the document FOR UPDATE and writes it in one transaction: patches of different
    fields at the same time all land."""
    assert client.call("POST", document_path(collection), {"_id": "shared"})[0] == 201

    def patch(worker):
        for round_number in range(10):
            status, _, body = client.call("PATCH", document_path(collection, "shared"),
                                          {f"w{worker}_{round_number}": worker})
            assert status == 200, body

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(patch, range(8)))
    document = fields(client.call("GET", document_path(collection, "shared"))[2])
    assert document == {"_id": "shared", **{f"w{w}_{r}": w for w in range(8) for r in range(10)}}
