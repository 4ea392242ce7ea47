"""Blocking pops with timeouts and pub/sub with several clients."""
import threading
import time

import pytest
import redis

from conftest import raw


def test_blpop_returns_at_once_when_data_exists(r):
    r.rpush("a", "1", "2")
    assert r.blpop(["nosuch", "a"], timeout=1) == (b"a", b"1")
    assert r.brpop(["a"], timeout=1) == (b"a", b"2")
    assert r.exists("a") == 0


def test_blpop_times_out(r):
    start = time.monotonic()
    assert r.blpop(["empty"], timeout=0.3) is None
    elapsed = time.monotonic() - start
    assert 0.25 <= elapsed < 3


def test_blpop_wakes_on_push(server, r):
    result = {}

    def waiter():
        result["value"] = server.client().blpop(["q1", "q2"], timeout=10)

    t = threading.Thread(target=waiter)
    t.start()
    time.sleep(0.3)
    r.rpush("q2", "hello")
    t.join(timeout=10)
    assert result["value"] == (b"q2", b"hello")
    assert r.exists("q2") == 0


def test_one_push_wakes_one_waiter(server, r):
    results = []

    def waiter():
        results.append(server.client().blpop(["q"], timeout=1.5))

    threads = [threading.Thread(target=waiter) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    r.rpush("q", "only")
    for t in threads:
        t.join(timeout=10)
    assert sorted(results, key=str) == sorted([(b"q", b"only"), None], key=str)


def test_blmove_and_bzpop(server, r):
    def later(fn):
        t = threading.Timer(0.3, fn)
        t.start()
        return t

    t = later(lambda: server.client().rpush("src", "x"))
    assert r.blmove("src", "dst", 5, "LEFT", "RIGHT") == b"x"
    t.join()
    assert r.lrange("dst", 0, -1) == [b"x"]
    t = later(lambda: server.client().zadd("z", {"m": 2.5}))
    assert r.bzpopmin(["z"], timeout=5) == (b"z", b"m", 2.5)
    t.join()
    r.zadd("z", {"a": 1, "b": 2})
    assert r.bzpopmax(["z"], timeout=1) == (b"z", b"b", 2.0)
    assert r.bzpopmin(["nosuch"], timeout=0.1) is None


def test_blocking_errors(r):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("BLPOP", "q", "-1")
    assert str(e.value) == "timeout is negative"
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("BLPOP", "q", "abc")
    assert str(e.value) == "timeout is not a float or out of range"
    r.set("s", "v")
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("BLPOP", "s", "1")
    assert str(e.value).startswith("WRONGTYPE")


def test_blpop_inside_multi_does_not_block(r):
    pipe = r.pipeline(transaction=True)
    pipe.blpop(["empty"], timeout=0)
    assert pipe.execute() == [None]


def test_pipelined_commands_wait_behind_a_blocked_one(server, r):
    threading.Timer(0.3, lambda: server.client().rpush("q", "v")).start()
    answer = raw(server, b"BLPOP q 5\r\nPING\r\n", read_until=b"+PONG\r\n", timeout=10)
    assert answer == b"*2\r\n$1\r\nq\r\n$1\r\nv\r\n+PONG\r\n"


def test_pubsub_several_clients(server, r):
    subscriber_a = server.client().pubsub()
    subscriber_b = server.client().pubsub()
    subscriber_a.subscribe("news")
    subscriber_b.psubscribe("ne*")
    for s in (subscriber_a, subscriber_b):
        assert s.get_message(timeout=5)["type"] in ("subscribe", "psubscribe")
    assert r.publish("news", "hello") == 2
    assert r.publish("other", "x") == 0
    message = subscriber_a.get_message(timeout=5)
    assert message["type"] == "message" and message["data"] == b"hello"
    message = subscriber_b.get_message(timeout=5)
    assert message["type"] == "pmessage" and message["pattern"] == b"ne*"
    assert message["channel"] == b"news" and message["data"] == b"hello"
    assert r.pubsub_channels() == [b"news"]
    assert r.pubsub_numsub("news", "nosuch") == [(b"news", 1), (b"nosuch", 0)]
    assert r.pubsub_numpat() == 1
    subscriber_a.unsubscribe("news")
    assert subscriber_a.get_message(timeout=5)["type"] == "unsubscribe"
    assert r.publish("news", "again") == 1
    subscriber_a.close()
    subscriber_b.close()


def test_subscribe_mode_restricts_commands(server):
    answer = raw(server, b"SUBSCRIBE ch\r\nGET k\r\nPING\r\n", read_until=b"pong")
    assert answer.startswith(b"*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n")
    assert (b"-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
            b"RESET are allowed in this context\r\n") in answer
    assert answer.endswith(b"*2\r\n$4\r\npong\r\n$0\r\n\r\n")


def test_resp3_push_messages(server, r):
    import socket
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(b"HELLO 3\r\nSUBSCRIBE ch\r\n")
        data = b""
        while b">3\r\n$9\r\nsubscribe" not in data or not data.endswith(b":1\r\n"):
            data += s.recv(65536)
        assert r.publish("ch", "m") == 1
        data = b""
        while not data.endswith(b"$1\r\nm\r\n"):
            data += s.recv(65536)
        assert data == b">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nm\r\n"
