"""Fixtures for the HTTP front end tests: a real `plexus serve` with only its http listener on a
free port (the PostgreSQL one too where SQL roles are needed), clients with http.client and raw
sockets."""
import http.client
import json
import os
import socket
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from plexus_process import ServerProcess, free_port  # noqa: E402

PLEXUS = os.environ.get("PLEXUS_BINARY", "build/http/plexus")


class Server(ServerProcess):
    """One `plexus serve` with HTTP on 127.0.0.1:port over data_dir."""

    def __init__(self, data_dir, settings=()):
        self.data_dir = str(data_dir)
        self.port = free_port()
        self.settings = list(settings)
        super().__init__()

    def start(self):
        self.start_plexus(PLEXUS, self.data_dir, {"http": self.port}, self.settings)
        return self

    def connection(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def request(self, method, path, body=None, headers=None):
        """(status, headers dict with lower-case names, body bytes) of one request."""
        conn = self.connection()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return (response.status, {k.lower(): v for k, v in response.getheaders()},
                    response.read())
        finally:
            conn.close()

    def sql(self, sql, params=None, headers=None):
        """(status, parsed JSON body) of POST /api/v1/sql."""
        body = {"sql": sql}
        if params is not None:
            body["params"] = params
        all_headers = {"Content-Type": "application/json"}
        all_headers.update(headers or {})
        status, _, data = self.request("POST", "/api/v1/sql", json.dumps(body), all_headers)
        return status, json.loads(data)

    def raw(self, data, read_until_close=True, timeout=10):
        """Sends raw bytes; the bytes the server answers until it closes (or the timeout)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(data)
            chunks = []
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
                    if not read_until_close:
                        break
            except socket.timeout:
                pass
            return b"".join(chunks)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("http-data"),
               settings=["http.max_body_bytes=1048576", "http.idle_timeout_ms=2000"]).start()
    yield s
    code = s.stop()
    assert code == 0, "".join(s.output)


@pytest.fixture
def table_name(request):
    """A table name unique to the test (the session's server is shared)."""
    return "t_" + request.node.name.replace("[", "_").replace("]", "").replace("-", "_").lower()[:50]
