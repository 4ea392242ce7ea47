"""Unix-domain sockets (pg.unix_socket_directories), as PostgreSQL's: psql, psycopg and pgbench
connect with -h DIRECTORY; `local` pg.hba rules apply to them and `host` rules do not; no TLS
over them; a socket file left by a server that died is replaced; the file goes when the server
stops."""
import os
import shutil
import socket
import subprocess
import tempfile

import psycopg
import pytest

from conftest import Server, clean_environment


@pytest.fixture
def socket_dir():
    # Short: a socket path must fit in 107 bytes, pytest's tmp_path may not.
    directory = tempfile.mkdtemp(prefix="plexus-pgsock-", dir="/tmp")
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def socket_path(server, directory):
    return os.path.join(directory, f".s.PGSQL.{server.port}")


def start(tmp_path, directory, *settings):
    return Server(tmp_path / "data",
                  settings=[f"pg.unix_socket_directories={directory}", *settings]).start()


def connect_local(server, directory, user="tester", **kwargs):
    return psycopg.connect(host=directory, port=server.port, user=user, dbname="plexus",
                           connect_timeout=10, autocommit=True, **kwargs)


def test_psycopg_psql_and_pgbench_over_the_socket(tmp_path, socket_dir):
    server = start(tmp_path, socket_dir)
    try:
        path = socket_path(server, socket_dir)
        assert os.path.exists(path)
        assert oct(os.stat(path).st_mode & 0o777) == "0o777"
        with connect_local(server, socket_dir) as connection:
            connection.execute("CREATE TABLE over_socket (id int PRIMARY KEY, v text)")
            connection.execute("INSERT INTO over_socket VALUES (1, 'one'), (2, 'two')")
            assert connection.execute("SELECT v FROM over_socket ORDER BY id").fetchall() == [
                ("one",), ("two",)]
        env = clean_environment()
        env["PGCONNECT_TIMEOUT"] = "10"
        result = subprocess.run(
            ["psql", "-X", "-At", "-h", socket_dir, "-p", str(server.port), "-U", "tester",
             "-d", "plexus", "-c", "SELECT count(*) FROM over_socket"],
            capture_output=True, text=True, env=env, timeout=60)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "2"
        # The same server over TCP sees the same rows.
        with server.connect(autocommit=True) as tcp:
            assert tcp.execute("SELECT count(*) FROM over_socket").fetchone() == (2,)
        common = ["-h", socket_dir, "-p", str(server.port), "-U", "tester", "plexus"]
        init = subprocess.run(["pgbench", "-i", "-s", "1", "-q", *common], capture_output=True,
                              text=True, env=env, timeout=300)
        assert init.returncode == 0, init.stderr
        run = subprocess.run(["pgbench", "-S", "-M", "prepared", "-c", "4", "-t", "100", *common],
                             capture_output=True, text=True, env=env, timeout=300)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "number of transactions actually processed: 400/400" in run.stdout
    finally:
        assert server.stop() == 0, "".join(server.output)
    assert not os.path.exists(socket_path(server, socket_dir))


def test_local_rules_apply_to_the_socket_and_host_rules_do_not(tmp_path, socket_dir):
    hba = ("local all postgres trust; local all all scram-sha-256; "
           "host all all 127.0.0.1/32 reject")
    server = start(tmp_path, socket_dir, f"pg.hba={hba}")
    try:
        with connect_local(server, socket_dir, user="postgres") as admin:
            admin.execute("CREATE ROLE alice LOGIN PASSWORD 'secret'")
            assert admin.execute("SELECT current_user").fetchone() == ("postgres",)
        with connect_local(server, socket_dir, user="alice", password="secret") as alice:
            assert alice.execute("SELECT current_user").fetchone() == ("alice",)
        with pytest.raises(psycopg.OperationalError) as wrong:
            connect_local(server, socket_dir, user="alice", password="nope")
        assert "password authentication failed for user \"alice\"" in str(wrong.value)
        with pytest.raises(psycopg.OperationalError) as refused:
            psycopg.connect(server.dsn(user="postgres"))
        assert 'rejects connection for host "127.0.0.1"' in str(refused.value)
    finally:
        assert server.stop() == 0, "".join(server.output)
    only_tcp = Server(tmp_path / "data2", settings=[
        f"pg.unix_socket_directories={socket_dir}", "pg.hba=host all all all trust"]).start()
    try:
        with pytest.raises(psycopg.OperationalError) as none:
            connect_local(only_tcp, socket_dir)
        assert 'no pg_hba.conf entry for host "[local]", user "tester"' in str(none.value)
    finally:
        assert only_tcp.stop() == 0, "".join(only_tcp.output)


def test_no_tls_over_the_socket(tmp_path, socket_dir):
    cert = tmp_path / "server.crt"
    key = tmp_path / "server.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    server = start(tmp_path, socket_dir, f"tls.cert={cert}", f"tls.key={key}")
    try:
        raw = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        raw.settimeout(10)
        raw.connect(socket_path(server, socket_dir))
        raw.sendall((8).to_bytes(4, "big") + (80877103).to_bytes(4, "big"))  # SSLRequest
        assert raw.recv(1) == b"N"
        raw.close()
        with server.connect(sslmode="require") as tls:  # TCP still offers it
            assert tls.info.pgconn.ssl_in_use
    finally:
        assert server.stop() == 0, "".join(server.output)


def test_a_dead_servers_socket_file_is_replaced_and_bad_directories_are_skipped(
        tmp_path, socket_dir):
    server = Server(tmp_path / "data", settings=[
        f"pg.unix_socket_directories=/nonexistent-plexus-dir, {socket_dir}"])
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(socket_path(server, socket_dir))  # bound, never listening: a dead server's file
    stale.close()
    server.start()
    try:
        with connect_local(server, socket_dir) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
        assert any("/nonexistent-plexus-dir" in line for line in server.output)
    finally:
        assert server.stop() == 0, "".join(server.output)
