"""POST /api/v1/sql: result shapes, JSON types, parameters, errors with their SQLSTATE."""
import json


def test_select_shape(server):
    status, data = server.sql("SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, 'y' UNION ALL SELECT 3, 'z'")
    assert status == 200
    assert data == {"columns": [{"name": "a", "type": "int4"}, {"name": "b", "type": "text"}],
                    "rows": [[1, "x"], [2, "y"], [3, "z"]], "command": "SELECT 3"}


def test_big_numbers_are_strings(server):
    status, data = server.sql("SELECT 9223372036854775807::bigint AS b, "
                              "123456789012345678901234567890.123::numeric AS n, 2::int2 AS s, "
                              "1.5::float8 AS f, 'Infinity'::float8 AS i, 'NaN'::float4 AS nan")
    assert status == 200
    assert [c["type"] for c in data["columns"]] == ["int8", "numeric", "int2", "float8", "float8",
                                                    "float4"]
    assert data["rows"] == [["9223372036854775807", "123456789012345678901234567890.123", 2, 1.5,
                             "Infinity", "NaN"]]


def test_jsonb_arrays_null_bool(server):
    status, data = server.sql("""SELECT '{"a": [1, {"b": null}], "c": "d"}'::jsonb AS j, """
                              "ARRAY[1, NULL, 3] AS ints, ARRAY['x', 'y\"z'] AS texts, "
                              "NULL::int AS n, true AS t, false AS f, "
                              "ARRAY[1.5, 2]::numeric[] AS nums")
    assert status == 200
    assert [c["type"] for c in data["columns"]] == ["jsonb", "_int4", "_text", "int4", "bool",
                                                    "bool", "_numeric"]
    assert data["rows"] == [[{"a": [1, {"b": None}], "c": "d"}, [1, None, 3], ["x", 'y"z'], None,
                             True, False, ["1.5", "2"]]]


def test_timestamptz_and_text_types(server):
    status, data = server.sql("SET TimeZone = 'UTC'; "
                              "SELECT '2024-05-06 07:08:09+00'::timestamptz AS ts, "
                              "'2024-05-06'::date AS d, "
                              "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u, "
                              "'\\x0102'::bytea AS b, '1 day'::interval AS i")
    assert status == 200
    assert [c["type"] for c in data["columns"]] == ["timestamptz", "date", "uuid", "bytea",
                                                    "interval"]
    assert data["rows"] == [["2024-05-06 07:08:09+00", "2024-05-06",
                             "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "\\x0102", "1 day"]]


def test_params(server, table_name):
    assert server.sql(f"CREATE TABLE {table_name} (id bigint PRIMARY KEY, name text, "
                      "score numeric, doc jsonb, tags text[], ok bool)")[0] == 200
    status, data = server.sql(f"INSERT INTO {table_name} VALUES ($1, $2, $3, $4, $5, $6)",
                              [9007199254740993, "ann", "12.50", {"k": [1, 2]}, ["a", "b,c"], True])
    assert status == 200, data
    assert data["command"] == "INSERT 0 1"
    status, data = server.sql(f"INSERT INTO {table_name} VALUES ($1, $2, $3, $4, $5, $6)",
                              ["2", None, 1.25, None, None, False])
    assert status == 200, data
    status, data = server.sql(f"SELECT id, name, score, doc, tags, ok FROM {table_name} "
                              "WHERE id = $1 OR name IS NULL ORDER BY id", ["9007199254740993"])
    assert status == 200, data
    assert data["rows"] == [["2", None, "1.25", None, None, False],
                            ["9007199254740993", "ann", "12.50", {"k": [1, 2]}, ["a", "b,c"],
                             True]]


def test_several_statements_return_the_last(server, table_name):
    status, data = server.sql(f"CREATE TABLE {table_name} (a int); "
                              f"INSERT INTO {table_name} VALUES (1), (2); "
                              f"SELECT sum(a) AS s FROM {table_name}")
    assert status == 200
    assert data["command"] == "SELECT 1"
    assert data["rows"] == [["3"]]
    status, data = server.sql(f"SELECT 1; DELETE FROM {table_name}")
    assert data == {"columns": [], "rows": [], "command": "DELETE 2"}


def test_sql_error_has_sqlstate(server):
    status, data = server.sql("SELECT * FROM no_such_table")
    assert status == 400
    assert data["sqlstate"] == "42P01"
    assert data["status"] == 400
    assert "no_such_table" in data["detail"]
    status, data = server.sql("SELEC 1")
    assert status == 400
    assert data["sqlstate"] == "42601"
    status, data = server.sql("SELECT 1 / 0")
    assert data["sqlstate"] == "22012"


def test_unique_violation_is_409(server, table_name):
    server.sql(f"CREATE TABLE {table_name} (id int PRIMARY KEY)")
    server.sql(f"INSERT INTO {table_name} VALUES (1)")
    status, data = server.sql(f"INSERT INTO {table_name} VALUES (1)")
    assert status == 409
    assert data["sqlstate"] == "23505"


def test_failed_statement_rolls_back_the_request(server, table_name):
    server.sql(f"CREATE TABLE {table_name} (id int PRIMARY KEY)")
    status, _ = server.sql(f"INSERT INTO {table_name} VALUES (1); INSERT INTO {table_name} VALUES (1)")
    assert status == 409
    assert server.sql(f"SELECT count(*) FROM {table_name}")[1]["rows"] == [["0"]]


def test_param_count_mismatch(server):
    status, data = server.sql("SELECT $1::int + $2::int", [1])
    assert status == 400
    assert data["sqlstate"] == "08P01"


def test_bad_param_value(server):
    status, data = server.sql("SELECT $1::int", ["abc"])
    assert status == 400
    assert data["sqlstate"] == "22P02"


def test_bad_request_shapes(server):
    for body in ['[]', '{"query": "SELECT 1"}', '{"sql": 5}', '{"sql": "SELECT 1", "params": 3}']:
        status, _, data = server.request("POST", "/api/v1/sql", body,
                                         {"Content-Type": "application/json"})
        assert status == 400, body
        assert json.loads(data)["status"] == 400


def test_deep_json_is_400_not_a_crash(server):
    body = "[" * 100000 + "]" * 100000
    status, _, data = server.request("POST", "/api/v1/sql", body,
                                     {"Content-Type": "application/json"})
    assert status == 400
    assert "nested deeper" in json.loads(data)["detail"]
    assert server.request("GET", "/health")[0] == 200


def test_pooled_sessions_do_not_leak_state(server, table_name):
    """Statements with params reuse sessions: what one request sets must not reach the next."""
    assert server.sql(f"CREATE TABLE {table_name} (a int)")[0] == 200
    for _ in range(3):
        # "params": [] takes the pooled, prepared path too.
        status, data = server.sql("SET search_path = nowhere", [])
        assert status == 200, data
        status, data = server.sql("SHOW search_path", None)
        assert data["rows"] == [['"$user", public']]
        status, data = server.sql(f"SELECT count(*) FROM {table_name} WHERE a = $1", [1])
        assert status == 200, data
        status, data = server.sql("SELECT current_setting('search_path') WHERE $1", [True])
        assert status == 200, data
        assert data["rows"] == [['"$user", public']]
    status, data = server.sql("BEGIN", [])
    assert status == 200
    status, data = server.sql(f"INSERT INTO {table_name} VALUES ($1)", [5])
    assert status == 200
    # The INSERT committed on its own: no request's BEGIN stays open for another.
    assert server.sql(f"SELECT count(*) FROM {table_name}")[1]["rows"] == [["1"]]


def test_repeated_prepared_statement_sees_schema_changes(server, table_name):
    server.sql(f"CREATE TABLE {table_name} (a int)")
    server.sql(f"INSERT INTO {table_name} VALUES (1)")
    for _ in range(3):
        assert server.sql(f"SELECT * FROM {table_name} WHERE a = $1", [1])[1]["rows"] == [[1]]
    server.sql(f"ALTER TABLE {table_name} ADD COLUMN b text DEFAULT 'x'")
    for _ in range(3):
        status, data = server.sql(f"SELECT * FROM {table_name} WHERE a = $1", [1])
        assert status == 200, data
        assert data["rows"] == [[1, "x"]]
