"""The extended query protocol: psycopg's server-side parameters, prepared statements,
executemany and binary results; raw Parse/Bind/Describe/Execute with row limits and
PortalSuspended; errors skipping to Sync."""
import datetime
import decimal
import struct
import uuid

import psycopg
import pytest

from conftest import error_fields, message, raw_connect, read_messages

VALUES = (True, 7, 2 ** 40, 1.25, decimal.Decimal("-12.3400"), "héllo", b"\x00\xff",
          datetime.date(2024, 2, 29), datetime.datetime(2024, 1, 2, 3, 4, 5, 6),
          datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
          datetime.timedelta(days=3, seconds=5), uuid.UUID(int=12345), [1, None, 3])


@pytest.mark.parametrize("binary", [False, True])
def test_parameters_round_trip(conn, binary):
    cursor = conn.cursor(binary=binary)
    cursor.execute("SELECT %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s", VALUES)
    assert cursor.fetchone() == VALUES


@pytest.mark.parametrize("binary", [False, True])
def test_jsonb_and_text_arrays(conn, binary):
    cursor = conn.cursor(binary=binary)
    document = {"a": [1, 2.5, None], "b": {"c": "d"}}
    cursor.execute("SELECT %s::jsonb, %s::text[]",
                   (psycopg.types.json.Jsonb(document), ["x", None, "y z"]))
    assert cursor.fetchone() == (document, ["x", None, "y z"])


def test_parameters_in_statements(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name} (id int PRIMARY KEY, name text, amount numeric(10,2))")
    conn.execute(f"INSERT INTO {table_name} VALUES (%s, %s, %s)", (1, "one", decimal.Decimal("1.5")))
    cursor = conn.execute(f"SELECT name, amount FROM {table_name} WHERE id = %s", (1,))
    assert cursor.fetchall() == [("one", decimal.Decimal("1.50"))]
    cursor = conn.execute(f"UPDATE {table_name} SET amount = amount + %s WHERE id = %s",
                          (decimal.Decimal("2"), 1))
    assert cursor.rowcount == 1
    assert conn.execute(f"SELECT %s::int + id FROM {table_name}", (10,)).fetchone() == (11,)


def test_executemany_and_prepared(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name} (a int, b text)")
    cursor = conn.cursor()
    cursor.executemany(f"INSERT INTO {table_name} VALUES (%s, %s)",
                       [(i, f"v{i}") for i in range(200)])
    for i in range(10):
        cursor.execute(f"SELECT b FROM {table_name} WHERE a = %s", (i,), prepare=True)
        assert cursor.fetchone() == (f"v{i}",)
    assert conn.execute(f"SELECT count(*) FROM {table_name}").fetchone() == (200,)


def test_parameter_errors(conn):
    with pytest.raises(psycopg.errors.InvalidTextRepresentation):
        conn.execute("SELECT %s::int", ("twelve",))
    with pytest.raises(psycopg.errors.DivisionByZero):
        conn.execute("SELECT 1 / %s", (0,))
    assert conn.execute("SELECT %s", ("fine",)).fetchone() == ("fine",)


def parse(name, sql, oids=()):
    body = name.encode() + b"\0" + sql.encode() + b"\0" + struct.pack("!h", len(oids))
    body += b"".join(struct.pack("!I", oid) for oid in oids)
    return message(b"P", body)


def bind(portal, statement, params=(), result_formats=()):
    body = portal.encode() + b"\0" + statement.encode() + b"\0" + struct.pack("!h", 0)
    body += struct.pack("!h", len(params))
    for param in params:
        if param is None:
            body += struct.pack("!i", -1)
        else:
            body += struct.pack("!i", len(param)) + param
    body += struct.pack("!h", len(result_formats))
    body += b"".join(struct.pack("!h", f) for f in result_formats)
    return message(b"B", body)


def describe(kind, name):
    return message(b"D", kind + name.encode() + b"\0")


def execute(portal, max_rows=0):
    return message(b"E", portal.encode() + b"\0" + struct.pack("!i", max_rows))


SYNC = message(b"S")


def test_row_limit_suspends_the_portal(server):
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(parse("s1", "SELECT g FROM generate_series(1, 5) g") + describe(b"S", "s1")
                     + bind("p1", "s1") + execute("p1", 2) + execute("p1", 2) + execute("p1", 2)
                     + SYNC)
        messages = read_messages(sock)
        kinds = b"".join(kind for kind, _ in messages)
        assert kinds == b"1tT2DDsDDsDCZ"
        rows = [int(body[6:]) for kind, body in messages if kind == b"D"]
        assert rows == [1, 2, 3, 4, 5]
        tags = [body for kind, body in messages if kind == b"C"]
        assert len(tags) == 1 and tags[0].startswith(b"SELECT ")


def test_describe_parameters_and_binary_results(server):
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(parse("", "SELECT $1::int8 + 1, $2::text") + describe(b"S", "")
                     + bind("", "", [b"41", b"x"], [1, 0]) + describe(b"P", "") + execute("")
                     + SYNC)
        messages = read_messages(sock)
        kinds = b"".join(kind for kind, _ in messages)
        assert kinds == b"1tT2TDCZ"
        parameter_description = messages[1][1]
        assert struct.unpack("!hII", parameter_description) == (2, 20, 25)
        row = messages[5][1]
        assert row == struct.pack("!hiqi", 2, 8, 42, 1) + b"x"


def test_error_skips_to_sync(server):
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(parse("", "SELECT 1 / (g - 1) FROM generate_series(1, 2) g") + bind("", "")
                     + execute("")
                     + parse("", "SELECT 2") + bind("", "") + execute("") + SYNC
                     + parse("", "SELECT 3") + bind("", "") + execute("") + SYNC)
        first = read_messages(sock)
        assert b"".join(kind for kind, _ in first) == b"12EZ"
        assert error_fields(first[2][1])["C"] == "22012"
        second = read_messages(sock)
        assert b"".join(kind for kind, _ in second) == b"12DCZ"


def test_unknown_statement_and_portal(server):
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(bind("", "nope") + SYNC + execute("nope") + SYNC + describe(b"S", "x") + SYNC)
        fields = [error_fields(body) for kind, body in read_messages(sock) if kind == b"E"]
        assert fields[0]["C"] == "26000"
        assert fields[0]["M"] == 'prepared statement "nope" does not exist'
        fields = [error_fields(body) for kind, body in read_messages(sock) if kind == b"E"]
        assert fields[0]["C"] == "34000"
        fields = [error_fields(body) for kind, body in read_messages(sock) if kind == b"E"]
        assert fields[0]["C"] == "26000"


def test_named_statements_close_and_duplicate(server):
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(parse("named", "SELECT 1") + parse("named", "SELECT 2") + SYNC)
        messages = read_messages(sock)
        assert error_fields(messages[1][1])["C"] == "42P05"
        sock.sendall(message(b"C", b"Snamed\0") + parse("named", "SELECT 2") + SYNC)
        assert b"".join(kind for kind, _ in read_messages(sock)) == b"31Z"


def test_bind_parameter_count_mismatch(server):
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(parse("", "SELECT $1::int") + bind("", "", []) + SYNC)
        messages = read_messages(sock)
        fields = error_fields(messages[1][1])
        assert fields["C"] == "08P01"
        assert fields["M"] == ('bind message supplies 0 parameters, but prepared statement ""'
                               " requires 1")


def test_binary_parameter_malformed(server):
    sock, _ = raw_connect(server)
    with sock:
        body = b"\0\0" + struct.pack("!hh", 1, 1) + struct.pack("!h", 1) + struct.pack("!i", 2) \
            + b"\0\1" + struct.pack("!h", 0)
        sock.sendall(parse("", "SELECT $1::int4") + message(b"B", body) + SYNC)
        messages = read_messages(sock)
        assert error_fields(messages[1][1])["C"] == "22P03"


def test_rollback_of_the_extended_protocol(server, table_name):
    connection = server.connect()
    try:
        connection.execute(f"CREATE TABLE {table_name} (a int)")
        connection.execute(f"INSERT INTO {table_name} VALUES (%s)", (1,))
        connection.rollback()
        with pytest.raises(psycopg.errors.UndefinedTable):
            connection.execute(f"SELECT * FROM {table_name} WHERE a = %s", (1,))
    finally:
        connection.close()  # the block failed: closing rolls it back


# psycopg sends ROLLBACK through Parse/Bind/Execute; PostgreSQL accepts a transaction end in a
# failed block at Parse (exec_parse_message's IsTransactionExitStmt).
def test_rollback_after_an_error_in_a_block(server, table_name):
    with server.connect() as connection:
        with pytest.raises(psycopg.errors.UndefinedTable):
            connection.execute(f"SELECT * FROM {table_name}_missing WHERE 1 = %s", (1,))
        connection.rollback()
        assert connection.execute("SELECT %s::int", (5,)).fetchone() == (5,)
