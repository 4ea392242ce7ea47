"""Fixtures for the Redis-protocol tests: a real `plexus serve` (or, with RESP_TARGET=redis, a
real redis-server 7, to check that the tests expect what Redis does) on a free port."""
import os
import socket
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from plexus_process import ServerProcess, free_port  # noqa: E402
import redis

PLEXUS = os.environ.get("PLEXUS_BINARY", "build/resp/plexus")
TARGET = os.environ.get("RESP_TARGET", "plexus")  # "plexus" or "redis" (differential mode)


class Server(ServerProcess):
    """One server process on 127.0.0.1:port over data_dir."""

    def __init__(self, data_dir, port=None, settings=(), target=TARGET):
        self.data_dir = str(data_dir)
        self.port = port or free_port()
        self.settings = list(settings)
        self.target = target
        super().__init__()

    def start(self):
        os.makedirs(self.data_dir, exist_ok=True)
        if self.target == "redis":
            args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                    "--dir", self.data_dir, "--save", "", "--appendonly", "yes"]
            for setting in self.settings:
                key, value = setting.split("=", 1)
                if key == "resp.requirepass":
                    args += ["--requirepass", value]
                if key == "resp.proto_max_bulk_len":
                    args += ["--proto-max-bulk-len", value]
                if key == "resp.unixsocket":
                    args += ["--unixsocket", value]
            self.process = subprocess.Popen(args, stdout=subprocess.PIPE,
                                            stderr=subprocess.STDOUT, text=True)
            self.wait_for("Ready to accept connections")
            return self
        self.start_plexus(PLEXUS, self.data_dir, {"resp": self.port}, self.settings)
        return self

    def client(self, **kwargs):
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=60, **kwargs)

    def kill(self):
        if self.process is not None:
            self.process.kill()
            self.process.communicate(timeout=60)
            self.process = None


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("resp-data")).start()
    yield s
    code = s.stop()
    assert code == 0, "".join(s.output)


@pytest.fixture
def r(server):
    client = server.client()
    client.flushall()
    yield client
    client.close()


def raw(server, payload: bytes, read_until=None, timeout=10):
    """Sends raw bytes and returns everything the server answers until it closes or stays
    silent (or `read_until` has been seen)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as s:
        s.sendall(payload)
        data = b""
        s.settimeout(1.0)
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            data += chunk
            if read_until is not None and read_until in data:
                break
        return data


plexus_only = pytest.mark.skipif(TARGET != "plexus", reason="Plexus-specific behaviour")
