"""Protocol 3.0 startup over raw sockets: negotiation answers, the server's greeting, and
malformed input answered with an error and a closed connection (the server keeps serving)."""
import socket
import struct

import psycopg
import pytest

from conftest import (Server, error_fields, message, raw_connect, read_messages,
                      startup_packet)


def test_greeting_reports_parameters_key_and_idle(server):
    sock, messages = raw_connect(server, application_name="probe", database="x")
    with sock:
        kinds = [kind for kind, _ in messages]
        assert kinds[0] == b"R" and struct.unpack("!I", messages[0][1]) == (0,)  # trust
        assert kinds[-1] == b"Z" and messages[-1][1] == b"I"
        assert kinds[-2] == b"K" and len(messages[-2][1]) == 8
        parameters = dict(body.rstrip(b"\0").split(b"\0") for kind, body in messages
                          if kind == b"S")
        assert parameters[b"server_version"].startswith(b"15.")
        assert parameters[b"server_encoding"] == b"UTF8"
        assert parameters[b"client_encoding"] == b"UTF8"
        assert parameters[b"DateStyle"] == b"ISO, MDY"
        assert parameters[b"integer_datetimes"] == b"on"
        assert parameters[b"standard_conforming_strings"] == b"on"
        assert parameters[b"application_name"] == b"probe"
        assert parameters[b"IntervalStyle"] == b"postgres"
        assert b"TimeZone" in parameters
        sock.sendall(message(b"X"))
        assert sock.recv(1) == b""


@pytest.mark.parametrize("code", [80877103, 80877104])  # SSLRequest, GSSENCRequest
def test_ssl_and_gssenc_requests_are_declined_then_startup_works(server, code):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(struct.pack("!II", 8, code))
        assert sock.recv(1) == b"N"
        sock.sendall(startup_packet(user="tester"))
        messages = read_messages(sock)
        assert messages[-1] == (b"Z", b"I")


def test_psycopg_reports_server_version_15(server):
    with server.connect() as connection:
        assert 150000 <= connection.info.server_version < 160000
        assert connection.info.parameter_status("standard_conforming_strings") == "on"


def expect_fatal(server, payload, sqlstate):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(payload)
        messages = read_messages(sock, until=b"E")
        assert messages and messages[-1][0] == b"E", messages
        fields = error_fields(messages[-1][1])
        assert fields["S"] == "FATAL" and fields["C"] == sqlstate, fields
        assert read_messages(sock, until=b"?") == []  # and the server closed the connection
        return fields


def test_unsupported_protocol_version(server):
    body = struct.pack("!I", 2 << 16) + b"user\0tester\0\0"
    fields = expect_fatal(server, struct.pack("!I", len(body) + 4) + body, "0A000")
    assert "unsupported frontend protocol 2.0" in fields["M"]


@pytest.mark.parametrize("length", [0, 3, 7, 10001, 0x7FFFFFFF])
def test_bad_startup_length(server, length):
    fields = expect_fatal(server, struct.pack("!I", length) + b"\0" * 8, "08P01")
    assert fields["M"] == "invalid length of startup packet"


def test_startup_without_user(server):
    fields = expect_fatal(server, startup_packet(database="x"), "28000")
    assert fields["M"] == "no PostgreSQL user name specified in startup packet"


def test_unterminated_startup_parameters(server):
    body = struct.pack("!I", 196608) + b"user\0tester"
    expect_fatal(server, struct.pack("!I", len(body) + 4) + body, "08P01")


@pytest.mark.parametrize("length", [0, 3, 0x40000004, 0xFFFFFFFF])
def test_bad_message_length_after_startup(server, length):
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(b"Q" + struct.pack("!I", length))
        messages = read_messages(sock, until=b"E")
        fields = error_fields(messages[-1][1])
        assert fields["S"] == "FATAL" and fields["C"] == "08P01"
        assert fields["M"] == "invalid message length"
        assert read_messages(sock, until=b"?") == []


def test_unknown_message_type(server):
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(message(b"!", b"xyz"))
        messages = read_messages(sock, until=b"E")
        fields = error_fields(messages[-1][1])
        assert fields["S"] == "FATAL" and fields["C"] == "08P01"
        assert fields["M"] == "invalid frontend message type 33"


def test_replies_before_a_violation_are_sent_first(server):
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(message(b"Q", b"SELECT 1\0") + b"Q" + struct.pack("!I", 2))
        messages = read_messages(sock, until=b"E")
        kinds = [kind for kind, _ in messages]
        assert kinds[:4] == [b"T", b"D", b"C", b"Z"]
        assert error_fields(messages[-1][1])["M"] == "invalid message length"


def test_truncated_input_then_close_keeps_server_serving(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(startup_packet(user="tester")[:9])
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(message(b"Q", b"SELECT 1\0")[:7])
    with server.connect() as connection:
        assert connection.execute("SELECT 42").fetchone() == (42,)


def test_connection_limit_gives_too_many_clients(tmp_path):
    limited = Server(tmp_path / "data", settings=["net.max_connections=2"]).start()
    try:
        first = limited.connect()
        second = limited.connect()
        with pytest.raises(psycopg.OperationalError) as raised:
            limited.connect()
        assert "sorry, too many clients already" in str(raised.value)
        first.close()
        # A freed slot is usable again (the server counts closes).
        for _ in range(50):
            try:
                third = limited.connect()
                break
            except psycopg.OperationalError:
                import time
                time.sleep(0.1)
        assert third.execute("SELECT 1").fetchone() == (1,)
        third.close()
        second.close()
    finally:
        code = limited.stop()
        assert code == 0, "".join(limited.output)


def test_startup_options_become_settings(server):
    with psycopg.connect(server.dsn(options="'-c statement_timeout=5s --work-mem=8MB'"),
                         application_name="tool") as connection:
        assert connection.execute("SHOW statement_timeout").fetchone() == ("5s",)
        assert connection.execute("SHOW work_mem").fetchone() == ("8MB",)
        assert connection.execute("SHOW application_name").fetchone() == ("tool",)
        assert connection.info.parameter_status("application_name") == "tool"


def test_bad_startup_setting_is_fatal(server):
    with pytest.raises(psycopg.OperationalError) as raised:
        psycopg.connect(server.dsn(options="'-c no_such_setting_x=1'"))
    assert "no_such_setting_x" in str(raised.value)


def test_client_encoding_other_than_utf8_is_answered_utf8(server):
    with psycopg.connect(server.dsn(client_encoding="SQL_ASCII")) as connection:
        assert connection.info.parameter_status("client_encoding") == "UTF8"
