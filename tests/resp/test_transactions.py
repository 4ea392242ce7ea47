"""MULTI / EXEC / DISCARD / WATCH."""
import threading

import pytest
import redis


def test_multi_exec(r):
    pipe = r.pipeline(transaction=True)
    pipe.set("a", 1).incr("a").rpush("l", "x").get("a")
    assert pipe.execute() == [True, 2, 1, b"2"]


def test_exec_reports_runtime_errors_in_place(r):
    r.set("s", "v")
    pipe = r.pipeline(transaction=True)
    pipe.incr("n").lpush("s", "x").incr("n")
    results = pipe.execute(raise_on_error=False)
    assert results[0] == 1 and results[2] == 2
    assert isinstance(results[1], redis.ResponseError)
    assert str(results[1]).startswith("WRONGTYPE")


def test_flushdb_in_multi_drops_what_the_transaction_wrote_before_it(r):
    pipe = r.pipeline(transaction=True)
    pipe.set("big", "x" * 5000).set("small", "y").set("ttl", "z", ex=100).rpush("list", "a")
    pipe.flushdb().set("after", "w").dbsize()
    assert pipe.execute() == [True, True, True, 1, True, True, 1]
    assert [r.get("big"), r.get("small"), r.get("ttl"), r.lrange("list", 0, -1)] == [None, None, None, []]
    assert r.get("after") == b"w" and r.dbsize() == 1


def test_flushdb_in_multi_keeps_what_the_transaction_wrote_in_other_databases(r):
    pipe = r.pipeline(transaction=True)
    pipe.set("small", "y").set("big", "x" * 5000).rpush("list", "a")
    pipe.execute_command("SELECT", 1).set("gone", "1").flushdb().execute_command("SELECT", 0)
    pipe.rpush("list", "b")
    assert pipe.execute() == [True, True, 1, True, True, True, True, 2]
    assert [r.get("small"), len(r.get("big")), r.lrange("list", 0, -1)] == [b"y", 5000,
                                                                              [b"a", b"b"]]
    assert r.dbsize() == 3
    r.execute_command("SELECT", 1)
    assert r.dbsize() == 0
    r.execute_command("SELECT", 0)


def test_queue_time_error_aborts(r):
    r.response_callbacks.clear()  # the replies as sent
    r.execute_command("MULTI")
    assert r.execute_command("SET", "k", "v") == b"QUEUED"
    with pytest.raises(redis.ResponseError):
        r.execute_command("NOSUCHCOMMAND")
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("EXEC")
    assert str(e.value) == "Transaction discarded because of previous errors."
    assert r.get("k") is None


def test_discard_and_errors(r):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("EXEC")
    assert str(e.value) == "EXEC without MULTI"
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("DISCARD")
    assert str(e.value) == "DISCARD without MULTI"
    r.execute_command("MULTI")
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("MULTI")
    assert str(e.value) == "MULTI calls can not be nested"
    r.execute_command("SET", "k", "v")
    assert r.execute_command("DISCARD") == b"OK"
    assert r.get("k") is None


def test_watch_conflict(server, r):
    r.set("k", "1")
    other = server.client()
    with r.pipeline(transaction=True) as pipe:
        pipe.watch("k")
        other.set("k", "2")
        pipe.multi()
        pipe.set("k", "3")
        with pytest.raises(redis.WatchError):
            pipe.execute()
    assert r.get("k") == b"2"
    with r.pipeline(transaction=True) as pipe:
        pipe.watch("k")
        pipe.multi()
        pipe.set("k", "4")
        assert pipe.execute() == [True]
    assert r.get("k") == b"4"
    r.response_callbacks.clear()  # the replies as sent
    r.execute_command("WATCH", "k")
    assert r.execute_command("UNWATCH") == b"OK"
    other.set("k", "5")
    r.execute_command("MULTI")
    r.execute_command("GET", "k")
    assert r.execute_command("EXEC") == [b"5"]
    r.execute_command("MULTI")
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("WATCH", "k")
    assert str(e.value) == "WATCH inside MULTI is not allowed"
    r.execute_command("DISCARD")


def test_watch_conflict_on_a_write_that_changes_no_value(server, r):
    # HSET of a field to the value it holds touches the key (Redis signals every HSET), though
    # Plexus skips the element write; SADD of a member already there does not.
    r.hset("h", "f", "v")
    r.sadd("s", "m")
    other = server.client()
    with r.pipeline(transaction=True) as pipe:
        pipe.watch("h")
        assert other.hset("h", "f", "v") == 0
        pipe.multi()
        pipe.hset("h", "f", "w")
        with pytest.raises(redis.WatchError):
            pipe.execute()
    assert r.hget("h", "f") == b"v"
    with r.pipeline(transaction=True) as pipe:
        pipe.watch("s")
        assert other.sadd("s", "m") == 0
        pipe.multi()
        pipe.sadd("s", "n")
        assert pipe.execute() == [1]
    assert r.smembers("s") == {b"m", b"n"}


def test_concurrent_watch_increments_lose_nothing(server):
    def worker():
        client = server.client()
        for _ in range(50):
            while True:
                try:
                    with client.pipeline(transaction=True) as pipe:
                        pipe.watch("counter")
                        value = int(pipe.get("counter") or 0)
                        pipe.multi()
                        pipe.set("counter", value + 1)
                        pipe.execute()
                        break
                except redis.WatchError:
                    continue
    server.client().delete("counter")
    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert int(server.client().get("counter")) == 200


def test_exec_is_atomic_for_other_clients(server, r):
    """Another client never sees half of a MULTI block."""
    stop = threading.Event()
    seen_torn = []

    def reader():
        client = server.client()
        while not stop.is_set():
            a, b = client.mget("a", "b")
            if a != b:
                seen_torn.append((a, b))

    t = threading.Thread(target=reader)
    t.start()
    for i in range(200):
        pipe = r.pipeline(transaction=True)
        pipe.set("a", i).set("b", i)
        pipe.execute()
    stop.set()
    t.join()
    assert seen_torn == []
