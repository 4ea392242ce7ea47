"""Fixtures for the PostgreSQL wire protocol tests: a real `plexus serve` on free ports (the
Redis listener off), clients with psycopg 3, psql and raw sockets."""
import os
import socket
import struct
import subprocess
import sys

import psycopg
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from plexus_process import ServerProcess, clean_environment, free_port  # noqa: E402

PLEXUS = os.environ.get("PLEXUS_BINARY", "build/pgwire/plexus")


class Server(ServerProcess):
    """One `plexus serve` with the PostgreSQL protocol on 127.0.0.1:port over data_dir."""

    def __init__(self, data_dir, settings=()):
        self.data_dir = str(data_dir)
        self.port = free_port()
        self.settings = list(settings)
        super().__init__()

    def start(self):
        self.start_plexus(PLEXUS, self.data_dir, {"pg": self.port}, self.settings)
        return self

    def dsn(self, **extra):
        parts = {"host": "127.0.0.1", "port": self.port, "user": "tester", "dbname": "plexus",
                 "connect_timeout": 10}
        parts.update(extra)
        return " ".join(f"{k}={v}" for k, v in parts.items())

    def connect(self, **kwargs):
        return psycopg.connect(self.dsn(), **kwargs)

    def psql(self, *args, input=None, check=True):
        env = clean_environment()
        env["PGCONNECT_TIMEOUT"] = "10"
        result = subprocess.run(
            ["psql", "-X", "-h", "127.0.0.1", "-p", str(self.port), "-U", "tester", "-d", "plexus",
             *args], input=input, capture_output=True, text=True, env=env, timeout=60)
        if check:
            assert result.returncode == 0, result.stderr
        return result


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("pg-data")).start()
    yield s
    code = s.stop()
    assert code == 0, "".join(s.output)


@pytest.fixture
def conn(server):
    connection = server.connect(autocommit=True)
    yield connection
    connection.close()


@pytest.fixture
def table_name(request):
    """A table name unique to the test (the session's server is shared)."""
    return "t_" + request.node.name.replace("[", "_").replace("]", "").replace("-", "_").lower()[:50]


# Raw protocol helpers.

def startup_packet(**parameters):
    body = struct.pack("!I", 196608)
    for name, value in parameters.items():
        body += name.encode() + b"\0" + value.encode() + b"\0"
    body += b"\0"
    return struct.pack("!I", len(body) + 4) + body


def message(kind, body=b""):
    return kind + struct.pack("!I", len(body) + 4) + body


_unread = {}  # socket -> bytes received after the last message returned


def read_messages(sock, until=b"Z", timeout=10):
    """Reads backend messages until one of type `until` (or the connection closes); returns a
    list of (type, body). Bytes after that message are kept for the next call."""
    sock.settimeout(timeout)
    data = _unread.pop(sock, b"")
    messages = []
    while True:
        while len(data) >= 5:
            kind = data[:1]
            length = struct.unpack("!I", data[1:5])[0]
            if len(data) < 1 + length:
                break
            messages.append((kind, data[5:1 + length]))
            data = data[1 + length:]
            if kind == until:
                if data:
                    _unread[sock] = data
                return messages
        try:
            chunk = sock.recv(65536)
        except (socket.timeout, ConnectionResetError):
            return messages
        if not chunk:
            return messages
        data += chunk


def error_fields(body):
    fields = {}
    for part in body.split(b"\0"):
        if part:
            fields[part[:1].decode()] = part[1:].decode()
    return fields


def raw_connect(server, **parameters):
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.sendall(startup_packet(user="tester", **parameters))
    return sock, read_messages(sock)
