"""Health, readiness, metrics, routing errors and protocol behaviour of the HTTP front end."""
import json
import shutil
import socket
import subprocess
import threading

import pytest


def problem(body):
    data = json.loads(body)
    assert data["type"] == "about:blank"
    assert isinstance(data["title"], str) and data["title"]
    return data


def test_health(server):
    status, headers, body = server.request("GET", "/health")
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"status": "ok"}


def test_ready(server):
    status, _, body = server.request("GET", "/ready")
    assert status == 200
    assert json.loads(body) == {"status": "ready"}


def test_head_has_length_and_no_body(server):
    status, headers, body = server.request("HEAD", "/health")
    assert status == 200
    assert headers["content-length"] == str(len(b'{"status":"ok"}'))
    assert body == b""


def test_unknown_path_is_404_problem(server):
    status, headers, body = server.request("GET", "/no/such/thing")
    assert status == 404
    assert headers["content-type"] == "application/problem+json"
    assert problem(body)["status"] == 404


def test_wrong_method_is_405_with_allow(server):
    status, headers, body = server.request("DELETE", "/health")
    assert status == 405
    assert headers["allow"] == "GET, HEAD"
    assert problem(body)["status"] == 405
    status, headers, _ = server.request("GET", "/api/v1/sql")
    assert status == 405
    assert headers["allow"] == "POST"


def test_metrics_prometheus_format(server):
    server.request("GET", "/health")
    status, headers, body = server.request("GET", "/metrics")
    assert status == 200
    assert headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    text = body.decode()
    assert 'plexus_http_requests_total{code="200",method="GET"}' in text
    assert "# TYPE plexus_http_request_duration_seconds histogram" in text
    assert 'plexus_http_request_duration_seconds_bucket{le="+Inf"}' in text
    # Open connections are the network layer's gauge (no HTTP duplicate).
    assert 'plexus_connections{protocol="http"}' in text
    assert "plexus_http_connections" not in text


def sql_statements_counted(server, command):
    text = server.request("GET", "/metrics")[2].decode()
    for line in text.splitlines():
        if line.startswith(f'plexus_http_sql_statements_total{{command="{command}"}} '):
            return float(line.split()[-1])
    return 0.0


def test_sql_api_statements_are_counted(server, table_name):
    before = sql_statements_counted(server, "SELECT")
    inserts = sql_statements_counted(server, "INSERT")
    assert server.sql("SELECT 1")[0] == 200
    assert server.sql("SELECT $1::int", params=[2])[0] == 200
    assert server.sql(f"CREATE TABLE {table_name} (i int); INSERT INTO {table_name} VALUES (1); "
                      f"SELECT * FROM {table_name}")[0] == 200
    assert sql_statements_counted(server, "SELECT") == before + 3
    assert sql_statements_counted(server, "INSERT") == inserts + 1
    text = server.request("GET", "/metrics")[2].decode()
    assert "# TYPE plexus_http_sql_statement_duration_seconds histogram" in text
    errors = [line for line in text.splitlines() if line.startswith("plexus_http_sql_errors_total ")]
    before_errors = float(errors[0].split()[-1]) if errors else 0.0
    assert server.sql("SELECT nonsense")[0] == 400
    text = server.request("GET", "/metrics")[2].decode()
    errors = [line for line in text.splitlines() if line.startswith("plexus_http_sql_errors_total ")]
    assert float(errors[0].split()[-1]) == before_errors + 1


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool (Debian prometheus) missing")
def test_metrics_pass_promtool(server):
    server.sql("SELECT 1")
    _, _, body = server.request("GET", "/metrics")
    result = subprocess.run(["promtool", "check", "metrics"], input=body, capture_output=True,
                            timeout=60)
    # promtool exits 0 when the text parses; lint findings (exit 3) are printed as problems.
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()


def test_malformed_json_is_400(server):
    status, headers, body = server.request("POST", "/api/v1/sql", "{not json",
                                           {"Content-Type": "application/json"})
    assert status == 400
    assert headers["content-type"] == "application/problem+json"
    assert "malformed JSON" in problem(body)["detail"]


def test_wrong_content_type_is_415(server):
    status, _, body = server.request("POST", "/api/v1/sql", '{"sql": "SELECT 1"}',
                                     {"Content-Type": "text/plain"})
    assert status == 415
    assert problem(body)["status"] == 415


def test_oversize_body_is_413_and_closes(server):
    # http.max_body_bytes is 1 MiB in this server; the length alone is refused.
    answer = server.raw(b"POST /api/v1/sql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        b"Content-Length: 2000000\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    assert b"Connection: close" in head
    assert problem(body)["status"] == 413


def test_oversize_chunked_body_is_413(server):
    chunk = b"x" * 65536
    data = (b"POST /api/v1/sql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(data)
        try:
            for _ in range(20):  # 1.25 MiB > 1 MiB
                s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = s.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413 ")


def test_body_at_limit_is_accepted(server):
    sql = "SELECT 1 AS x"
    body = json.dumps({"sql": sql})
    body += " " * (1048576 - len(body))
    status, _, _ = server.request("POST", "/api/v1/sql", body, {"Content-Type": "application/json"})
    assert status == 200


def test_huge_headers_are_431(server):
    answer = server.raw(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 ")
    assert problem(body)["status"] == 431


def test_garbage_is_400_and_closes(server):
    answer = server.raw(b"HELLO\x00\x01 there\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ")


def test_keep_alive_reuses_connection(server):
    conn = server.connection()
    try:
        for _ in range(5):
            conn.request("GET", "/health")
            response = conn.getresponse()
            assert response.status == 200
            assert response.read() == b'{"status":"ok"}'
        first_socket = conn.sock
        conn.request("GET", "/ready")
        conn.getresponse().read()
        assert conn.sock is first_socket
    finally:
        conn.close()


def test_pipelined_requests_answered_in_order(server):
    requests = []
    for i in range(10):
        body = json.dumps({"sql": f"SELECT {i} AS n"}).encode()
        requests.append(b"POST /api/v1/sql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        b"Content-Length: %d\r\n\r\n" % len(body) + body)
    requests.append(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    answer = server.raw(b"".join(requests))
    bodies = []
    rest = answer
    while rest:
        head, _, rest = rest.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 ")
        length = int([line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length")][0])
        bodies.append(rest[:length])
        rest = rest[length:]
    assert [json.loads(b)["rows"] for b in bodies[:10]] == [[[i]] for i in range(10)]
    assert bodies[10] == b'{"status":"ok"}'


def test_connection_close_is_honoured(server):
    answer = server.raw(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b"Connection: close" in answer


def test_http10_closes_by_default(server):
    answer = server.raw(b"GET /health HTTP/1.0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 ")


def test_idle_connection_is_closed(server):
    # http.idle_timeout_ms is 2 s here: the server closes a silent connection.
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as s:
        assert s.recv(100) == b""


def test_slow_request_gets_408(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as s:
        s.sendall(b"GET /health HTTP/1.1\r\n")
        answer = s.recv(65536)
    assert answer.startswith(b"HTTP/1.1 408 ")


def test_expect_continue(server):
    body = json.dumps({"sql": "SELECT 7 AS n"}).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(b"POST /api/v1/sql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(body))
        interim = s.recv(100)
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
        s.sendall(body)
        answer = s.recv(65536)
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["rows"] == [[7]]


def test_concurrent_clients(server, table_name):
    server.sql(f"CREATE TABLE {table_name} (id int PRIMARY KEY, v text)")
    errors = []

    def client(worker):
        try:
            conn = server.connection()
            for i in range(25):
                key = worker * 1000 + i
                body = json.dumps({"sql": f"INSERT INTO {table_name} VALUES ($1, $2)",
                                   "params": [key, f"v{key}"]})
                conn.request("POST", "/api/v1/sql", body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                data = json.loads(response.read())
                if response.status != 200 or data["command"] != "INSERT 0 1":
                    errors.append(data)
            conn.close()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=client, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    status, data = server.sql(f"SELECT count(*) FROM {table_name}")
    assert status == 200
    assert data["rows"] == [["200"]]
