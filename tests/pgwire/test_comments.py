"""COMMENT ON TABLE / COLUMN / INDEX / SCHEMA: stored with the transaction, shown by
pg_description, obj_description, col_description and psql's \\d+, \\dt+, \\dn+ as PostgreSQL 15.18
shows them after the same statements."""
import subprocess

import psycopg
import pytest

from conftest import Server
from plexus_process import clean_environment

SETUP = """\
CREATE TABLE noted (id int PRIMARY KEY, label text);
CREATE INDEX noted_label_idx ON noted (label);
COMMENT ON TABLE noted IS 'a table with notes';
COMMENT ON COLUMN noted.label IS 'what it says';
COMMENT ON INDEX noted_label_idx IS 'by label';
CREATE SCHEMA annotated; COMMENT ON SCHEMA annotated IS 'schema notes';
"""

EXPECTED = [
    ('\\d+ noted',
     '                                           Table "public.noted"\n Column |  Type   | Collation | Nullable | Default | Storage  | Compression | Stats target | Description  \n--------+---------+-----------+----------+---------+----------+-------------+--------------+--------------\n id     | integer |           | not null |         | plain    |             |              | \n label  | text    |           |          |         | extended |             |              | what it says\nIndexes:\n    "noted_pkey" PRIMARY KEY, btree (id)\n    "noted_label_idx" btree (label)\nAccess method: heap\n\n'),
    ('\\dn+ annotated',
     '                     List of schemas\n   Name    |  Owner   | Access privileges | Description  \n-----------+----------+-------------------+--------------\n annotated | postgres |                   | schema notes\n(1 row)\n\n'),
]


def psql(server, *args, input=None):
    env = clean_environment()
    env["PGCONNECT_TIMEOUT"] = "10"
    return subprocess.run(["psql", "-X", "-h", "127.0.0.1", "-p", str(server.port), "-U",
                           "postgres", "-d", "postgres", *args],
                          input=input, capture_output=True, text=True, env=env, timeout=60)


@pytest.fixture(scope="module")
def noted(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("comments")).start()
    result = psql(server, "-v", "ON_ERROR_STOP=1", "-q", input=SETUP)
    assert result.returncode == 0, result.stderr
    yield server
    assert server.stop() == 0, "".join(server.output)


def connect(server, user="postgres"):
    return psycopg.connect(server.dsn(user=user, dbname="postgres"), autocommit=True)


@pytest.mark.parametrize("command,expected", EXPECTED, ids=[c for c, _ in EXPECTED])
def test_describe_matches_postgresql(noted, command, expected):
    result = psql(noted, "-c", command)
    assert result.stderr == ""
    assert result.stdout == expected


def test_table_and_index_descriptions_in_listings(noted):
    assert "| a table with notes" in psql(noted, "-c", "\\dt+ noted").stdout
    assert "| by label" in psql(noted, "-c", "\\di+ noted_label_idx").stdout


def test_pg_description_and_functions(noted):
    with connect(noted) as connection:
        assert connection.execute(
            "SELECT objsubid, description, classoid::regclass::text FROM pg_description "
            "WHERE objoid IN ('noted'::regclass, 'noted_label_idx'::regclass, "
            "(SELECT oid FROM pg_namespace WHERE nspname = 'annotated')) ORDER BY 1, 2"
        ).fetchall() == [(0, "a table with notes", "pg_class"), (0, "by label", "pg_class"),
                         (0, "schema notes", "pg_namespace"), (2, "what it says", "pg_class")]
        assert connection.execute(
            "SELECT obj_description('noted'::regclass, 'pg_class'), "
            "obj_description('noted'::regclass), col_description('noted'::regclass, 2), "
            "col_description('noted'::regclass, 1), "
            "obj_description('noted'::regclass, 'pg_namespace')").fetchone() == (
            "a table with notes", "a table with notes", "what it says", None, None)
        # initdb's comment on public is there until replaced.
        assert connection.execute(
            "SELECT obj_description(2200, 'pg_namespace')").fetchone() == (
            "standard public schema",)


def test_comments_are_transactional_and_removable(noted):
    with connect(noted) as connection:
        connection.execute("CREATE TABLE passing (a int)")
        with connection.transaction(force_rollback=True):
            connection.execute("COMMENT ON TABLE passing IS 'gone soon'")
            assert connection.execute(
                "SELECT obj_description('passing'::regclass, 'pg_class')").fetchone() == (
                "gone soon",)
        assert connection.execute(
            "SELECT obj_description('passing'::regclass, 'pg_class')").fetchone() == (None,)
        connection.execute("COMMENT ON TABLE passing IS 'kept'")
        connection.execute("ALTER TABLE passing ADD COLUMN b int DEFAULT 1")  # rewrites rows
        assert connection.execute(
            "SELECT obj_description('passing'::regclass, 'pg_class')").fetchone() == ("kept",)
        connection.execute("COMMENT ON TABLE passing IS NULL")
        connection.execute("COMMENT ON COLUMN passing.a IS 'x'")
        connection.execute("COMMENT ON COLUMN passing.a IS ''")
        assert connection.execute(
            "SELECT count(*) FROM pg_description WHERE objoid = 'passing'::regclass"
        ).fetchone() == (0,)


@pytest.mark.parametrize("sql,message", [
    ("COMMENT ON COLUMN noted.nope IS 'x'", 'column "nope" of relation "noted" does not exist'),
    ("COMMENT ON TABLE nope IS 'x'", 'relation "nope" does not exist'),
    ("COMMENT ON SCHEMA nope IS 'x'", 'schema "nope" does not exist'),
    ("COMMENT ON INDEX nope IS 'x'", 'relation "nope" does not exist'),
])
def test_missing_objects(noted, sql, message):
    with connect(noted) as connection:
        with pytest.raises(psycopg.Error) as info:
            connection.execute(sql)
        assert info.value.diag.message_primary == message


def test_only_the_owner_comments(noted):
    with connect(noted) as connection:
        connection.execute("CREATE ROLE commenter LOGIN")
    with connect(noted, "commenter") as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as info:
            connection.execute("COMMENT ON TABLE noted IS 'mine now'")
        assert info.value.diag.message_primary == "must be owner of table noted"
