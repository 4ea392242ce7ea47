"""The simple query protocol with psycopg 3: rows with native type decoding, command tags,
multiple statements, errors with SQLSTATE and fields, notices, transaction status."""
import datetime
import decimal
import struct
import time
import uuid

import psycopg
import pytest
from psycopg import pq

from conftest import error_fields, message, raw_connect, read_messages


def test_select_values_decode_natively(conn):
    row = conn.execute(
        "SELECT 1::int2, 2::int4, 3::int8, 1.5::float4, 2.25::float8, 12.340::numeric,"
        " 'x'::text, 'y'::varchar(3), true, '\\x0102'::bytea, DATE '2024-02-29',"
        " TIMESTAMP '2024-01-02 03:04:05.5', INTERVAL '1 day 2 hours',"
        " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '{\"a\": [1, 2]}'::jsonb,"
        " ARRAY[1, 2, NULL]::int4[], NULL::int4").fetchone()
    assert row == (1, 2, 3, 1.5, 2.25, decimal.Decimal("12.340"), "x", "y", True, b"\x01\x02",
                   datetime.date(2024, 2, 29), datetime.datetime(2024, 1, 2, 3, 4, 5, 500000),
                   datetime.timedelta(days=1, hours=2),
                   uuid.UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), {"a": [1, 2]},
                   [1, 2, None], None)


def test_row_description_types_and_modifiers(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name} (a varchar(10), b numeric(8, 2), c char(3),"
                 " d timestamptz, e text[])")
    cursor = conn.execute(f"SELECT * FROM {table_name}")
    columns = {c.name: c for c in cursor.description}
    assert [c.name for c in cursor.description] == ["a", "b", "c", "d", "e"]
    assert columns["a"].type_code == 1043 and columns["a"].display_size == 10
    assert columns["b"].type_code == 1700
    assert (columns["b"].precision, columns["b"].scale) == (8, 2)
    assert columns["c"].type_code == 1042
    assert columns["d"].type_code == 1184
    assert columns["e"].type_code == 1009


def test_row_description_fields_as_postgres_sends_them(server, conn, table_name):
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(message(b"Q", f"CREATE TABLE {table_name} (c char(3), v varchar(5),"
                             f" n numeric(8, 2), i int8); SELECT * FROM {table_name}\0".encode()))
        description = [body for kind, body in read_messages(sock) if kind == b"T"][0]
        count, fields = struct.unpack("!h", description[:2])[0], []
        rest = description[2:]
        for _ in range(count):
            name, rest = rest.split(b"\0", 1)
            fields.append((name.decode(),) + struct.unpack("!IhIhih", rest[:18]))
            rest = rest[18:]
    oid = conn.execute(f"SELECT '{table_name}'::regclass::oid").fetchone()[0]
    # name, table OID, attnum, type OID, typlen, typmod (PostgreSQL's stored form), format
    assert fields == [("c", oid, 1, 1042, -1, 7, 0), ("v", oid, 2, 1043, -1, 9, 0),
                      ("n", oid, 3, 1700, -1, (8 << 16 | 2) + 4, 0), ("i", oid, 4, 20, 8, -1, 0)]


def test_command_tags(conn, table_name):
    cursor = conn.cursor()
    cursor.execute(f"CREATE TABLE {table_name} (id int PRIMARY KEY, v text)")
    assert cursor.statusmessage == "CREATE TABLE"
    cursor.execute(f"INSERT INTO {table_name} VALUES (1, 'a'), (2, 'b'), (3, 'c')")
    assert cursor.statusmessage == "INSERT 0 3" and cursor.rowcount == 3
    cursor.execute(f"UPDATE {table_name} SET v = 'z' WHERE id > 1")
    assert cursor.statusmessage == "UPDATE 2" and cursor.rowcount == 2
    cursor.execute(f"DELETE FROM {table_name} WHERE id = 1")
    assert cursor.statusmessage == "DELETE 1"
    cursor.execute(f"SELECT * FROM {table_name} ORDER BY id")
    assert cursor.statusmessage == "SELECT 2" and cursor.fetchall() == [(2, "z"), (3, "z")]


def test_many_rows_stream(conn):
    rows = conn.execute("SELECT g, repeat('x', 100) FROM generate_series(1, 50000) g").fetchall()
    assert len(rows) == 50000 and rows[-1] == (50000, "x" * 100)


def test_error_fields(conn):
    with pytest.raises(psycopg.errors.DivisionByZero) as raised:
        conn.execute("SELECT 1 / 0")
    assert raised.value.sqlstate == "22012"
    assert raised.value.diag.severity == "ERROR"
    assert raised.value.diag.message_primary == "division by zero"
    with pytest.raises(psycopg.errors.SyntaxError) as raised:
        conn.execute("SELECT * FRM nothing")
    assert raised.value.diag.statement_position == "10"
    with pytest.raises(psycopg.errors.UndefinedTable) as raised:
        conn.execute("SELECT * FROM no_such_table")
    assert raised.value.diag.message_primary == 'relation "no_such_table" does not exist'
    assert conn.execute("SELECT 'still usable'").fetchone() == ("still usable",)


def test_multiple_statements_in_one_query(server, table_name):
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(message(b"Q", b"SELECT 1; SELECT 'two', 3; CREATE TABLE "
                             + table_name.encode() + b" (a int)\0"))
        kinds = [kind for kind, _ in read_messages(sock)]
        assert kinds == [b"T", b"D", b"C", b"T", b"D", b"C", b"C", b"Z"]


def test_error_ends_a_multi_statement_query(server, table_name):
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(message(b"Q", b"SELECT 1; SELECT 1 / (g - 1) FROM generate_series(1, 2) g;"
                             b" SELECT 3\0"))
        messages = read_messages(sock)
        kinds = [kind for kind, _ in messages]
        # The failing statement may describe its columns before it fails (as PostgreSQL does
        # for an error found during execution); no row and nothing of the third statement.
        assert kinds[:3] == [b"T", b"D", b"C"] and kinds[-2:] == [b"E", b"Z"]
        assert b"D" not in kinds[3:] and len(kinds) <= 6
        assert error_fields(messages[-2][1])["C"] == "22012"
        assert messages[-1][1] == b"I"


def test_empty_query(server):
    sock, _ = raw_connect(server)
    with sock:
        for text in [b"", b"  ", b";", b"-- only a comment"]:
            sock.sendall(message(b"Q", text + b"\0"))
            assert [kind for kind, _ in read_messages(sock)] == [b"I", b"Z"]


def test_transaction_status(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name} (a int)")
    assert conn.info.transaction_status == pq.TransactionStatus.IDLE
    conn.execute("BEGIN")
    assert conn.info.transaction_status == pq.TransactionStatus.INTRANS
    conn.execute(f"INSERT INTO {table_name} VALUES (1)")
    with pytest.raises(psycopg.errors.DivisionByZero):
        conn.execute("SELECT 1/0")
    assert conn.info.transaction_status == pq.TransactionStatus.INERROR
    with pytest.raises(psycopg.errors.InFailedSqlTransaction):
        conn.execute("SELECT 1")
    conn.execute("ROLLBACK")
    assert conn.info.transaction_status == pq.TransactionStatus.IDLE
    assert conn.execute(f"SELECT count(*) FROM {table_name}").fetchone() == (0,)


def test_psycopg_transactions_commit_and_rollback(server, table_name):
    with server.connect() as connection:  # not autocommit: psycopg sends BEGIN itself
        connection.execute(f"CREATE TABLE {table_name} (a int)")
        connection.commit()
        connection.execute(f"INSERT INTO {table_name} VALUES (1)")
        connection.rollback()
        connection.execute(f"INSERT INTO {table_name} VALUES (2)")
        connection.commit()
        assert connection.execute(f"SELECT a FROM {table_name}").fetchall() == [(2,)]


def test_notice(conn):
    notices = []
    conn.add_notice_handler(lambda diagnostic: notices.append(diagnostic.message_primary))
    conn.execute("COMMIT")
    assert notices == ["there is no transaction in progress"]


def test_client_side_parameters(server, table_name):
    with server.connect(autocommit=True, cursor_factory=psycopg.ClientCursor) as connection:
        connection.execute(f"CREATE TABLE {table_name} (a int, b text, c numeric)")
        connection.execute(f"INSERT INTO {table_name} VALUES (%s, %s, %s)",
                           (1, "it's", decimal.Decimal("1.5")))
        assert connection.execute(f"SELECT * FROM {table_name} WHERE b = %s",
                                  ("it's",)).fetchall() == [(1, "it's", decimal.Decimal("1.5"))]


def test_unicode_round_trip(conn):
    assert conn.execute("SELECT 'héllo wörld ✓ 😀'").fetchone() == ("héllo wörld ✓ 😀",)


def test_slow_reader_gets_every_row_and_others_are_served(server):
    """A result far larger than the connection's output mark waits for the client to read it
    (back-pressure on the worker); other clients are served meanwhile."""
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(message(b"Q", b"SELECT g, repeat('z', 200) FROM generate_series(1, 100000) g\0"))
        time.sleep(1.0)  # not reading: the server must hold the worker, not buffer 20 MB
        with server.connect(autocommit=True) as other:
            assert other.execute("SELECT 'other'").fetchone() == ("other",)
        messages = read_messages(sock, timeout=60)
        kinds = [kind for kind, _ in messages]
        assert kinds.count(b"D") == 100000
        assert kinds[-2:] == [b"C", b"Z"] and messages[-2][1] == b"SELECT 100000\0"


def test_client_gone_during_a_large_result_and_during_copy(server, table_name):
    """A client that disconnects mid-result or mid-COPY frees its worker; its COPY rolls back."""
    sock, _ = raw_connect(server)
    sock.sendall(message(b"Q", b"SELECT g, repeat('z', 200) FROM generate_series(1, 100000) g\0"))
    sock.recv(1000)
    sock.close()
    with server.connect(autocommit=True) as connection:
        connection.execute(f"CREATE TABLE {table_name} (a int)")
    sock, _ = raw_connect(server)
    sock.sendall(message(b"Q", f"COPY {table_name} FROM STDIN\0".encode()))
    assert read_messages(sock, until=b"G")[-1][0] == b"G"  # CopyInResponse
    sock.sendall(message(b"d", b"1\n2\n"))
    sock.close()
    with server.connect(autocommit=True) as connection:
        assert connection.execute(f"SELECT count(*) FROM {table_name}").fetchone() == (0,)
        assert connection.execute("SELECT 'alive'").fetchone() == ("alive",)


def test_repeated_simple_queries_with_other_numbers(conn, table_name):
    # The second query of a shape runs from the session's plan cache with its numbers as
    # parameters (session/query_cache.h); answers, types and errors stay PostgreSQL's.
    conn.execute(f"CREATE TABLE {table_name} (id int PRIMARY KEY, v numeric(10,2), b bigint)")
    for i in range(1, 6):
        conn.execute(f"INSERT INTO {table_name} VALUES ({i}, {i}.5, {i * 10})")
    for i in range(1, 6):
        assert conn.execute(f"SELECT v, b FROM {table_name} WHERE id = {i}").fetchone() == (
            decimal.Decimal(f"{i}.50"), i * 10)
    for delta in (-3, 4, -5):
        conn.execute(f"UPDATE {table_name} SET b = b + {delta} WHERE id = 1")
    assert conn.execute(f"SELECT b FROM {table_name} WHERE id = 1").fetchone() == (6,)
    assert conn.execute("SELECT 1 + 1, 2.50 * 2").fetchone() == (2, decimal.Decimal("5.00"))
    assert conn.execute("SELECT 2147483647 + 0, 1.5 * 2").fetchone() == (
        2147483647, decimal.Decimal("3.0"))
    # A number past int4 is bigint, as in a fresh parse; int4 overflow stays an error.
    assert conn.execute("SELECT 2147483648 + 0, 1 * 2").fetchone() == (2147483648, 2)
    with pytest.raises(psycopg.errors.NumericValueOutOfRange):
        conn.execute("SELECT 2147483647 + 1, 1 * 2")
    conn.rollback()
    # ORDER BY positions are not parameters.
    assert conn.execute(f"SELECT id, b FROM {table_name} ORDER BY 2 DESC LIMIT 1").fetchone() == (
        5, 50)
    assert conn.execute(f"SELECT id, b FROM {table_name} ORDER BY 1 DESC LIMIT 1").fetchone() == (
        5, 50)
    assert conn.execute(f"SELECT id, b FROM {table_name} ORDER BY 1 LIMIT 1").fetchone() == (6 - 5, 6)
