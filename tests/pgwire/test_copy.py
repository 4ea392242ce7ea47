"""COPY FROM STDIN and COPY TO STDOUT in text, CSV and binary formats through psycopg and psql."""
import datetime
import decimal

import psycopg
import pytest


def test_copy_from_stdin_text(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name} (id int PRIMARY KEY, name text, score numeric)")
    with conn.cursor() as cursor:
        with cursor.copy(f"COPY {table_name} FROM STDIN") as copy:
            copy.write("1\talice\t1.5\n2\tbob\t\\N\n")
            copy.write("3\twith\\ttab and \\\\ backslash\t-2\n")
        assert cursor.statusmessage == "COPY 3"
    assert conn.execute(f"SELECT id, name, score::text FROM {table_name} ORDER BY id").fetchall() == [
        (1, "alice", "1.5"), (2, "bob", None), (3, "with\ttab and \\ backslash", "-2")]


def test_copy_rows_helper_and_column_list(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name} (a int, b text DEFAULT 'dflt', c int)")
    with conn.cursor() as cursor:
        with cursor.copy(f"COPY {table_name} (c, a) FROM STDIN") as copy:
            for i in range(1000):
                copy.write_row((i * 2, i))
    assert conn.execute(f"SELECT count(*), sum(a), min(b), sum(c) FROM {table_name}").fetchone() == (
        1000, sum(range(1000)), "dflt", 2 * sum(range(1000)))


def test_copy_from_stdin_csv_with_header_and_options(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name} (a int, b text, c text)")
    data = 'a;b;c\n1;"semi;colon";NULL\n2;"multi\nline";""\n3;"quote ""x""";plain\n'
    with conn.cursor() as cursor:
        with cursor.copy(f"COPY {table_name} FROM STDIN WITH (FORMAT csv, HEADER true,"
                         " DELIMITER ';', NULL 'NULL')") as copy:
            copy.write(data)
    assert conn.execute(f"SELECT * FROM {table_name} ORDER BY a").fetchall() == [
        (1, "semi;colon", None), (2, "multi\nline", ""), (3, 'quote "x"', "plain")]


def test_copy_to_stdout_text_and_csv(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name} (a int, b text)")
    conn.execute(f"INSERT INTO {table_name} VALUES (1, 'x\ty'), (2, NULL), (3, 'a,b')")
    with conn.cursor() as cursor:
        with cursor.copy(f"COPY {table_name} TO STDOUT") as copy:
            text = b"".join(bytes(chunk) for chunk in copy)
    assert sorted(text.decode().splitlines()) == ["1\tx\\ty", "2\t\\N", "3\ta,b"]
    with conn.cursor() as cursor:
        with cursor.copy(f"COPY (SELECT a, b FROM {table_name} ORDER BY a) TO STDOUT"
                         " WITH (FORMAT csv, HEADER)") as copy:
            csv = b"".join(bytes(chunk) for chunk in copy).decode()
    assert csv == 'a,b\n1,x\ty\n2,\n3,"a,b"\n'
    with conn.cursor() as cursor:  # psycopg parses each data message as one row
        with cursor.copy(f"COPY (SELECT a, b FROM {table_name} ORDER BY a) TO STDOUT") as copy:
            copy.set_types(["int4", "text"])
            assert list(copy.rows()) == [(1, "x\ty"), (2, None), (3, "a,b")]


def test_copy_errors(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name} (a int PRIMARY KEY, b int NOT NULL)")
    with pytest.raises(psycopg.errors.InvalidTextRepresentation):
        with conn.cursor().copy(f"COPY {table_name} FROM STDIN") as copy:
            copy.write("1\tnot a number\n")
    with pytest.raises(psycopg.errors.BadCopyFileFormat) as raised:
        with conn.cursor().copy(f"COPY {table_name} FROM STDIN") as copy:
            copy.write("1\n")
    assert raised.value.diag.message_primary == 'missing data for column "b"'
    with pytest.raises(psycopg.errors.BadCopyFileFormat):
        with conn.cursor().copy(f"COPY {table_name} FROM STDIN") as copy:
            copy.write("1\t2\t3\n")
    with pytest.raises(psycopg.errors.UniqueViolation):
        with conn.cursor().copy(f"COPY {table_name} FROM STDIN") as copy:
            copy.write("1\t1\n1\t2\n")
    with pytest.raises(psycopg.errors.NotNullViolation):
        with conn.cursor().copy(f"COPY {table_name} FROM STDIN") as copy:
            copy.write("5\t\\N\n")
    with pytest.raises(psycopg.errors.UndefinedTable):
        with conn.cursor().copy("COPY no_such_table FROM STDIN") as copy:
            copy.write("1\n")
    # Nothing of the failed copies was kept, and the connection is still usable.
    assert conn.execute(f"SELECT count(*) FROM {table_name}").fetchone() == (0,)


def test_copy_client_abort(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name} (a int)")
    with pytest.raises(psycopg.errors.QueryCanceled):
        with conn.cursor().copy(f"COPY {table_name} FROM STDIN") as copy:
            copy.write("1\n")
            raise psycopg.errors.QueryCanceled("client gave up")
    assert conn.execute(f"SELECT count(*) FROM {table_name}").fetchone() == (0,)


def test_copy_inside_transaction_rolls_back(server, table_name):
    with server.connect() as connection:
        connection.execute(f"CREATE TABLE {table_name} (a int)")
        connection.commit()
        with connection.cursor().copy(f"COPY {table_name} FROM STDIN") as copy:
            copy.write("1\n2\n")
        connection.rollback()
        assert connection.execute(f"SELECT count(*) FROM {table_name}").fetchone() == (0,)


def test_psql_copy_from_stdin(server, table_name):
    server.psql("-c", f"CREATE TABLE {table_name} (a int, b text)")
    result = server.psql("-v", "ON_ERROR_STOP=1", input=f"COPY {table_name} FROM STDIN;\n1\tone\n2\ttwo\n\\.\n"
                         f"SELECT b FROM {table_name} ORDER BY a;\n")
    assert "COPY 2" in result.stdout
    assert "one" in result.stdout and "two" in result.stdout


def test_copy_binary_both_ways(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name} (a int8, b text, c numeric, d timestamptz,"
                 " e int4[], f bytea)")
    rows = [(1, "one", decimal.Decimal("1.50"),
             datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), [1, None],
             b"\x00\x01"),
            (2, None, None, None, None, None)]
    with conn.cursor() as cursor:
        with cursor.copy(f"COPY {table_name} FROM STDIN (FORMAT binary)") as copy:
            copy.set_types(["int8", "text", "numeric", "timestamptz", "int4[]", "bytea"])
            for row in rows:
                copy.write_row(row)
    assert conn.execute(f"SELECT * FROM {table_name} ORDER BY a").fetchall() == rows
    with conn.cursor() as cursor:
        with cursor.copy(f"COPY {table_name} TO STDOUT (FORMAT binary)") as copy:
            copy.set_types(["int8", "text", "numeric", "timestamptz", "int4[]", "bytea"])
            assert sorted(copy.rows(), key=lambda row: row[0]) == rows


def test_copy_binary_errors(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name} (a int4)")
    with pytest.raises(psycopg.errors.BadCopyFileFormat) as raised:
        with conn.cursor().copy(f"COPY {table_name} FROM STDIN (FORMAT binary)") as copy:
            copy.write(b"not a binary copy file header")
    assert raised.value.diag.message_primary == "COPY file signature not recognized"
    with pytest.raises(psycopg.errors.SyntaxError):
        conn.execute(f"COPY {table_name} FROM STDIN (FORMAT binary, DELIMITER ',')")
    assert conn.execute(f"SELECT count(*) FROM {table_name}").fetchone() == (0,)
