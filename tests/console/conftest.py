"""Fixtures for the web console test: a real `plexus serve` (PostgreSQL protocol and HTTP on
free ports) and headless Chromium driven through the DevTools protocol (cdp.py)."""
import os
import sys

import psycopg
import pytest
import redis

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from plexus_process import ServerProcess, free_port  # noqa: E402

from cdp import Chromium  # noqa: E402

PLEXUS = os.environ.get("PLEXUS_BINARY", "build/console/plexus")


class Server(ServerProcess):
    """One `plexus serve` with pgwire, RESP and HTTP on free ports of 127.0.0.1."""

    def __init__(self, data_dir):
        self.data_dir = str(data_dir)
        self.pg_port = free_port()
        self.resp_port = free_port()
        self.http_port = free_port()
        super().__init__()

    def start(self):
        self.start_plexus(PLEXUS, self.data_dir, {"pg": self.pg_port, "resp": self.resp_port,
                                                  "http": self.http_port})
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self.http_port}"

    def connect(self):
        return psycopg.connect(host="127.0.0.1", port=self.pg_port, user="tester",
                               dbname="plexus", connect_timeout=10, autocommit=True)


    def redis(self):
        return redis.Redis(host="127.0.0.1", port=self.resp_port, socket_timeout=10)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("console-data")).start()
    yield s
    code = s.stop()
    assert code == 0, "".join(s.output)


@pytest.fixture(scope="session")
def chromium():
    browser = Chromium()
    yield browser
    browser.close()


@pytest.fixture
def page(chromium):
    p = chromium.page()
    p.set_viewport(1400, 1000)
    yield p
    p.close()


@pytest.fixture(scope="session")
def artifact_dir():
    """Where screenshots go: $PLEXUS_ARTIFACT_DIR (CTest sets it under the build directory), or
    an `artifacts` directory beside the plexus binary."""
    path = os.environ.get("PLEXUS_ARTIFACT_DIR") or os.path.join(
        os.path.dirname(os.path.abspath(PLEXUS)), "artifacts")
    os.makedirs(path, exist_ok=True)
    return path
