"""RowDescription names the table OID and attnum of a result column that is a plain column of a
table (the OID pg_class shows, the attnum pg_attribute shows), 0/0 for anything computed — as
PostgreSQL 15 does (the cases and answers below were checked against PostgreSQL 15.18; a view's
columns name the view). And
current_database() is the startup packet's database, as pg_database lists it."""
import psycopg
import pytest

CASES = [
    ("SELECT * FROM rd", [("rd", "a"), ("rd", "b"), ("rd", "c")]),
    ("SELECT c, a, b AS bb, a + 1, a::bigint, a::int FROM rd",
     [("rd", "c"), ("rd", "a"), ("rd", "b"), None, None, ("rd", "a")]),
    ("SELECT rd.a, rd2.x FROM rd JOIN rd2 USING (a)", [("rd", "a"), ("rd2", "x")]),
    ("SELECT a, count(*) FROM rd GROUP BY a", [("rd", "a"), None]),
    ("SELECT * FROM (SELECT b, a FROM rd) s", [("rd", "b"), ("rd", "a")]),
    ("WITH w AS (SELECT a FROM rd) SELECT a FROM w", [("rd", "a")]),
    ("SELECT a FROM rd UNION SELECT a FROM rd2", [None]),
    ("SELECT * FROM rdv", [("rdv", "b"), ("rdv", "a")]),
    ("SELECT DISTINCT b FROM rd ORDER BY b", [("rd", "b")]),
    ("SELECT max(a) OVER (), a FROM rd", [None, ("rd", "a")]),
    ("SELECT (SELECT a FROM rd LIMIT 1)", [None]),
    ("SELECT 1 AS one", [None]),
    ("INSERT INTO rd VALUES (1, 'x', 1) RETURNING a, b, a + 1", [("rd", "a"), ("rd", "b"), None]),
    ("UPDATE rd SET b = 'y' RETURNING *", [("rd", "a"), ("rd", "b"), ("rd", "c")]),
    ("DELETE FROM rd RETURNING c", [("rd", "c")]),
]


@pytest.fixture(scope="module")
def origins(server):
    """(table, column) -> (table OID, attnum) as the catalogs show them."""
    with server.connect(autocommit=True) as connection:
        connection.execute("DROP VIEW IF EXISTS rdv")
        connection.execute("DROP TABLE IF EXISTS rd2")
        connection.execute("DROP TABLE IF EXISTS rd")
        # A dropped column first, so that attnums are not simply positions from 1.
        connection.execute("CREATE TABLE rd (gone int, a int, b text, c numeric)")
        connection.execute("ALTER TABLE rd DROP COLUMN gone")
        connection.execute("CREATE TABLE rd2 (x int, a int)")
        connection.execute("CREATE VIEW rdv AS SELECT b, a FROM rd")
        rows = connection.execute(
            "SELECT c.relname, a.attname, c.oid, a.attnum FROM pg_class c "
            "JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE c.relname IN ('rd', 'rd2', 'rdv') AND a.attnum > 0").fetchall()
    return {(table, column): (oid, attnum) for table, column, oid, attnum in rows}


def described(result, origins, expected):
    return [(result.ftable(i), result.ftablecol(i)) for i in range(result.nfields)], [
        origins[column] if column else (0, 0) for column in expected]


@pytest.mark.parametrize("sql,expected", CASES, ids=[sql for sql, _ in CASES])
@pytest.mark.parametrize("prepare", [False, True], ids=["simple", "extended"])
def test_column_origin(server, origins, sql, expected, prepare):
    with server.connect(autocommit=True) as connection:
        cursor = connection.cursor()
        cursor.execute(sql, prepare=prepare)
        got, want = described(cursor.pgresult, origins, expected)
        assert got == want


def test_catalog_relation_columns(server):
    # pg_class is OID 1259 in every PostgreSQL; relname its second column.
    with server.connect(autocommit=True) as connection:
        cursor = connection.cursor()
        cursor.execute("SELECT relname, relkind, 1 AS one FROM pg_class LIMIT 1")
        result = cursor.pgresult
        assert [(result.ftable(i), result.ftablecol(i)) for i in range(3)] == [
            (1259, 2), (1259, 17), (0, 0)]


def test_current_database_is_the_startup_database(server):
    with psycopg.connect(server.dsn(dbname="shop"), autocommit=True) as connection:
        assert connection.execute("SELECT current_database(), current_catalog").fetchone() == (
            "shop", "shop")
        assert connection.execute("SELECT datname FROM pg_database").fetchall() == [("shop",)]
    # Without a database, libpq and PostgreSQL use the user's name.
    dsn = server.dsn().replace("dbname=plexus", "")
    with psycopg.connect(dsn, autocommit=True) as connection:
        assert connection.execute("SELECT current_database()").fetchone() == ("tester",)


def test_column_names_follow_postgresql(server):
    # Names of unnamed select-list expressions as PostgreSQL 15 figures them (checked against
    # 15.18): a cast or CASE keeps the name of the column inside.
    with server.connect(autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS names")
        connection.execute("CREATE TABLE names (a int, arr int[])")
        connection.execute("INSERT INTO names VALUES (1, ARRAY[1, 2])")
        cursor = connection.execute(
            "SELECT a::text, arr[1], (SELECT a FROM names), (SELECT 1),"
            " CASE WHEN a > 0 THEN a END, CASE WHEN a > 0 THEN 1 ELSE a END, nullif(a, 2),"
            " ARRAY[1], current_date IS NOT NULL, 1::int, '1'::numeric(3,1),"
            " a::numeric(3,1), EXISTS (SELECT 1), current_date, localtimestamp FROM names")
        assert [column.name for column in cursor.description] == [
            "a", "arr", "a", "?column?", "case", "a", "nullif", "array", "?column?", "int4",
            "numeric", "a", "exists", "current_date", "localtimestamp"]
