"""TLS on the HTTP port when tls.cert/tls.key are set; plain HTTP keeps working on it."""
import http.client
import json
import ssl
import subprocess

import pytest

from conftest import Server


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("http-tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
                    "/CN=localhost", "-days", "1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    s = Server(directory / "data", settings=[f"tls.cert={cert}", f"tls.key={key}"]).start()
    yield s
    assert s.stop() == 0, "".join(s.output)


def test_https_requests_keep_alive(tls_server):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", tls_server.port, timeout=30, context=context)
    try:
        conn.request("GET", "/health")
        response = conn.getresponse()
        assert response.status == 200
        assert json.loads(response.read()) == {"status": "ok"}
        for i in range(3):
            conn.request("POST", "/api/v1/sql", json.dumps({"sql": f"SELECT {i} AS n"}),
                         {"Content-Type": "application/json"})
            response = conn.getresponse()
            assert response.status == 200
            assert json.loads(response.read())["rows"] == [[i]]
    finally:
        conn.close()


def test_plain_http_on_the_same_port(tls_server):
    status, _, body = tls_server.request("GET", "/health")
    assert status == 200
    assert json.loads(body) == {"status": "ok"}
