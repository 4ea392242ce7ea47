"""Connection and server commands, the protocol itself (RESP2/RESP3, inline, pipelining,
binary safety, limits, errors worded as Redis words them)."""
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
import redis

from conftest import PLEXUS, Server, plexus_only, raw, TARGET
from plexus_process import clean_environment, free_port


def test_ping_echo(r, server):
    assert r.ping() is True
    assert raw(server, b"PING hello\r\n", read_until=b"hello\r\n") == b"$5\r\nhello\r\n"
    assert r.echo(b"\x00\xff") == b"\x00\xff"


def test_unknown_command_and_arity_errors(r):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("NOSUCH", "a", "b")
    assert str(e.value) == "unknown command 'NOSUCH', with args beginning with: 'a' 'b' "
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("GET")
    assert str(e.value) == "wrong number of arguments for 'get' command"
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("SET", "k")
    assert str(e.value) == "wrong number of arguments for 'set' command"


def test_select_and_databases_are_separate(r):
    r.set("k", "zero")
    r.execute_command("SELECT", 5)
    assert r.get("k") is None
    r.set("k", "five")
    assert r.dbsize() == 1
    r.execute_command("SELECT", 0)
    assert r.get("k") == b"zero"
    with pytest.raises(redis.ResponseError, match="DB index is out of range"):
        r.execute_command("SELECT", 16)
    with pytest.raises(redis.ResponseError, match="value is not an integer or out of range"):
        r.execute_command("SELECT", "x")


def test_flushdb_flushall_dbsize(r):
    r.mset({"a": 1, "b": 2})
    assert r.dbsize() == 2
    r.execute_command("SELECT", 1)
    r.set("c", 3)
    r.flushdb()
    assert r.dbsize() == 0
    r.execute_command("SELECT", 0)
    assert r.dbsize() == 2
    r.flushall()
    assert r.dbsize() == 0


def test_client_commands(r):
    client_id = r.client_id()
    assert client_id > 0
    assert r.client_getname() is None
    assert r.client_setname("worker-1") is True
    assert r.client_getname() == "worker-1"
    with pytest.raises(redis.ResponseError, match="Client names cannot contain spaces"):
        r.client_setname("has space")
    listed = r.client_list()
    assert any(c["name"] == "worker-1" and int(c["id"]) == client_id for c in listed)


def test_info_and_time_and_command(r):
    r.set("k", "v")
    info = r.info()
    assert info["redis_version"].startswith("7.")
    assert "connected_clients" in info and "total_commands_processed" in info
    assert info["db0"]["keys"] == 1
    seconds, micros = r.time()
    assert abs(seconds - time.time()) < 5 and 0 <= micros < 1_000_000
    r.response_callbacks.clear()  # the replies as sent
    count = r.execute_command("COMMAND", "COUNT")
    assert count > 100
    info = r.execute_command("COMMAND", "INFO", "get", "nosuch")
    assert info[0][0] == b"get" and info[0][1] == 2 and info[1] is None


def test_config_get_set(r):
    assert r.config_get("databases") == {"databases": "16"}
    assert r.config_get("proto-max-bulk-len")["proto-max-bulk-len"] == "536870912"
    assert "maxmemory" in r.config_get("max*")
    with pytest.raises(redis.ResponseError, match="Unknown option"):
        r.config_set("no-such-option", "1")


def test_inline_commands(server):
    answer = raw(server, b"PING\r\nSET k \"a b\"\r\nGET k\r\nECHO 'x y'\r\n", read_until=b"x y")
    assert answer == b"+PONG\r\n+OK\r\n$3\r\na b\r\n$3\r\nx y\r\n"


def test_protocol_error_closes_connection(server):
    answer = raw(server, b"*1\r\n$x\r\n")
    assert answer == b"-ERR Protocol error: invalid bulk length\r\n"
    answer = raw(server, b"*a\r\n")
    assert answer == b"-ERR Protocol error: invalid multibulk length\r\n"
    answer = raw(server, b"\"unbalanced\r\n")
    assert answer == b"-ERR Protocol error: unbalanced quotes in request\r\n"


def test_hello_switches_to_resp3(server):
    answer = raw(server, b"HELLO 3\r\nHSET h f v\r\nHGETALL h\r\nGET missing\r\nDEL h\r\n",
                 read_until=b"_\r\n:1\r\n")
    assert answer.startswith(b"%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n")
    assert b"$5\r\nproto\r\n:3\r\n" in answer
    assert answer.endswith(b":1\r\n%1\r\n$1\r\nf\r\n$1\r\nv\r\n_\r\n:1\r\n")
    answer = raw(server, b"HELLO 4\r\n")
    assert answer == b"-NOPROTO unsupported protocol version\r\n"


def test_pipeline_of_ten_thousand(r):
    pipe = r.pipeline(transaction=False)
    for i in range(10_000):
        pipe.set(f"key:{i}", i)
    for i in range(10_000):
        pipe.incr(f"key:{i}")
    results = pipe.execute()
    assert results[:10_000] == [True] * 10_000
    assert results[10_000:] == list(range(1, 10_001))
    assert r.dbsize() == 10_000


def test_pipeline_in_one_write(server):
    payload = b"".join(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$%d\r\n%d\r\n" % (len(str(i)), i)
                       for i in range(5000))
    answer = raw(server, payload + b"GET k\r\n", read_until=b"$4\r\n4999\r\n")
    assert answer == b"+OK\r\n" * 5000 + b"$4\r\n4999\r\n"


def test_binary_safe_keys_and_values(r):
    key = bytes(range(256))
    value = bytes(reversed(range(256))) * 10
    r.set(key, value)
    assert r.get(key) == value
    assert r.strlen(key) == 2560
    assert key in r.keys("*")


def test_large_value(r):
    value = b"x" * (20 * 1024 * 1024)
    r.set("big", value)
    assert r.get("big") == value
    assert r.strlen("big") == len(value)


def test_quit(server):
    assert raw(server, b"QUIT\r\nPING\r\n") == b"+OK\r\n"


def test_empty_requests_are_skipped(server):
    assert raw(server, b"*0\r\n\r\nPING\r\n", read_until=b"PONG") == b"+PONG\r\n"


def test_redis_cli_as_a_user(server):
    def cli(*args, stdin=None):
        return subprocess.run(["redis-cli", "-p", str(server.port), *args], input=stdin,
                              capture_output=True, text=True, timeout=60)
    assert cli("SET", "greeting", "hello world").stdout == "OK\n"
    assert cli("GET", "greeting").stdout == "hello world\n"
    assert cli("--raw", "INCRBY", "n", "5").stdout == "5\n"
    assert "ERR unknown command" in cli("FOO").stdout
    piped = cli(stdin="SET a 1\nINCR a\nGET a\n")
    assert piped.stdout == "OK\n2\n2\n"
    assert cli("--no-raw", "HSET", "h", "f", "v").stdout == "(integer) 1\n"
    scanned = cli("--scan", "--pattern", "gree*")
    assert scanned.stdout == "greeting\n"


@plexus_only
def test_connection_limit_has_a_clear_error(tmp_path):
    s = Server(tmp_path / "d", settings=["net.max_connections=2"]).start()
    try:
        first, second = s.client(), s.client()
        assert first.ping() and second.ping()
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as third:
            assert third.recv(100) == b"-ERR max number of clients reached\r\n"
        first.connection_pool.disconnect()
        time.sleep(0.5)
        assert s.client().ping()
    finally:
        assert s.stop() == 0


@plexus_only
def test_slow_reader_does_not_stop_the_server(tmp_path, server):
    """A client that never reads its replies gets back-pressure, not unbounded buffering; other
    clients are served meanwhile."""
    r = server.client()
    r.set("v", b"x" * 100_000)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as slow:
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        request = b"*2\r\n$3\r\nGET\r\n$1\r\nv\r\n" * 2000  # 200 MB of replies
        slow.settimeout(5)
        sent = 0
        try:
            while sent < len(request):
                sent += slow.send(request[sent:sent + 65536])
        except socket.timeout:
            pass  # the server stopped reading: back-pressure
        assert r.ping()
        assert r.get("v") == b"x" * 100_000


def test_bad_input_never_kills_the_server(server):
    import random
    rng = random.Random(7)
    for _ in range(200):
        payload = bytes(rng.choice(b"*$\r\n0123456789-abcGETSET ") for _ in range(rng.randint(1, 80)))
        raw(server, payload, timeout=2) if rng.random() < 0.05 else None
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=2) as s:
                s.sendall(payload)
        except OSError:
            pass
    assert server.client().ping()


def test_unix_socket(tmp_path):
    """resp.unixsocket (Redis's unixsocket): clients over the socket see the same data as over
    TCP, CLIENT LIST names them by path with flag U, and the file goes when the server stops."""
    directory = tempfile.mkdtemp(prefix="plexus-redis-", dir="/tmp")  # a short path
    path = os.path.join(directory, "redis.sock")
    server = Server(tmp_path / "data", settings=[f"resp.unixsocket={path}"]).start()
    try:
        local = redis.Redis(unix_socket_path=path, socket_timeout=60)
        assert local.set("over", "socket")
        assert server.client().get("over") == b"socket"
        assert local.config_get("unixsocket") == {"unixsocket": path}
        mine = [c for c in local.client_list() if c["id"] == str(local.client_id())]
        assert len(mine) == 1
        assert mine[0]["addr"] == f"{path}:0" and mine[0]["laddr"] == f"{path}:0"
        assert mine[0]["flags"] == "U"
        tcp = [c for c in local.client_list() if c["id"] != str(local.client_id())]
        assert all("U" not in c["flags"] for c in tcp)
        cli = subprocess.run(["redis-cli", "-s", path, "GET", "over"], capture_output=True,
                             text=True, timeout=60)
        assert cli.stdout == "socket\n"
        local.close()
    finally:
        assert server.stop() == 0, "".join(server.output)
        assert not os.path.exists(path)
        shutil.rmtree(directory, ignore_errors=True)


@plexus_only
def test_unix_socket_that_cannot_be_opened_stops_the_start(tmp_path):
    args = [PLEXUS, "serve", "--data", str(tmp_path / "d"), "--set", f"resp.port={free_port()}",
            "--set", "pg.port=0", "--set", "http.port=0",
            "--set", "resp.unixsocket=/nonexistent-dir/redis.sock"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60,
                            env=clean_environment())
    assert result.returncode != 0
    assert "cannot listen on /nonexistent-dir/redis.sock" in result.stdout + result.stderr
