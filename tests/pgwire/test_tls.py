"""TLS after SSLRequest when tls.cert and tls.key are configured."""
import shutil
import subprocess

import psycopg
import pytest

from conftest import PLEXUS, Server, clean_environment, free_port


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not installed")
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    server = Server(directory / "data", settings=[f"tls.cert={cert}", f"tls.key={key}"]).start()
    yield server
    assert server.stop() == 0, "".join(server.output)


def test_tls_connection_runs_queries(tls_server):
    with psycopg.connect(tls_server.dsn(sslmode="require"), autocommit=True) as connection:
        assert connection.pgconn.ssl_in_use
        assert connection.execute("SELECT 'over tls'").fetchone() == ("over tls",)
        rows = connection.execute("SELECT g, repeat('y', 200) FROM generate_series(1, 20000) g")
        assert len(rows.fetchall()) == 20000
        assert connection.execute("SELECT %s::int + 1", (41,)).fetchone() == (42,)


def test_plain_connections_still_work_with_tls_configured(tls_server):
    with psycopg.connect(tls_server.dsn(sslmode="disable"), autocommit=True) as connection:
        assert not connection.pgconn.ssl_in_use
        assert connection.execute("SELECT 1").fetchone() == (1,)


def test_bad_certificate_file_stops_startup(tmp_path):
    process = subprocess.run(
        [PLEXUS, "serve", "--data", str(tmp_path / "data"), "--set", "resp.port=0",
         "--set", f"pg.port={free_port()}", "--set", "tls.cert=/nonexistent.pem",
         "--set", "tls.key=/nonexistent.key", "--set", "http.port=0"], capture_output=True, text=True, timeout=60,
        env=clean_environment())
    assert process.returncode != 0
    assert "tls.cert" in process.stdout + process.stderr
