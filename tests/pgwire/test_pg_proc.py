"""pg_proc lists the built-in functions plexus implements, as PostgreSQL 15 describes them
(names, pg_catalog, result and argument types, prokind f/a/w, proretset), so that psql's \\df
and tools joining pg_proc see them. Rows PostgreSQL has for types plexus lacks (ranges, money)
are absent."""


def rows(conn, sql, params=None):
    return conn.execute(sql, params).fetchall()


def test_df_lower(server):
    result = server.psql("-c", "\\df lower")
    assert result.stdout == (
        "                         List of functions\n"
        "   Schema   | Name  | Result data type | Argument data types | Type \n"
        "------------+-------+------------------+---------------------+------\n"
        " pg_catalog | lower | text             | text                | func\n"
        "(1 row)\n\n")


def test_df_window_and_set_returning(server):
    result = server.psql("-c", "\\df row_number")
    assert " pg_catalog | row_number | bigint           |                     | window\n" in (
        result.stdout)
    result = server.psql("-c", "\\df generate_subscripts")
    assert "| generate_subscripts | SETOF integer    | anyarray, integer " in result.stdout


def test_pg_proc_columns(conn):
    got = rows(conn, "SELECT proname, prokind, proretset, pronargs, prorettype::regtype::text, "
                     "pronamespace::regnamespace::text FROM pg_proc "
                     "WHERE proname IN ('lower', 'row_number', 'count') "
                     "ORDER BY proname, pronargs")
    assert got == [("count", "a", False, 0, "bigint", "pg_catalog"),
                   ("count", "a", False, 1, "bigint", "pg_catalog"),
                   ("lower", "f", False, 1, "text", "pg_catalog"),
                   ("row_number", "w", False, 0, "bigint", "pg_catalog")]
    # sum over each argument type it takes, with PostgreSQL's result types.
    sums = rows(conn, "SELECT pg_get_function_arguments(oid), prorettype::regtype::text "
                      "FROM pg_proc WHERE proname = 'sum' ORDER BY 1")
    assert ("integer", "bigint") in sums
    assert ("bigint", "numeric") in sums
    assert ("double precision", "double precision") in sums
    series = rows(conn, "SELECT count(*) FROM pg_proc WHERE proname = 'generate_series' "
                        "AND proretset AND prokind = 'f'")
    assert series[0][0] >= 6
    # OIDs are unique and join back to the function's text.
    assert rows(conn, "SELECT count(*) = count(DISTINCT oid) FROM pg_proc") == [(True,)]
    assert rows(conn, "SELECT pg_get_function_arguments(oid), pg_get_function_result(oid) "
                      "FROM pg_proc WHERE proname = 'generate_subscripts' AND pronargs = 2") == [
        ("anyarray, integer", "SETOF integer")]
