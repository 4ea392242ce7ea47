"""Data and TTLs survive a clean restart and, in sync mode, kill -9 (every acknowledged write)."""
import os
import random
import signal
import threading
import time

import pytest
import redis

from conftest import Server, plexus_only


@plexus_only
def test_every_type_survives_restart(tmp_path):
    s = Server(tmp_path / "d").start()
    try:
        c = s.client()
        c.set("str", b"\x00binary\xff")
        c.set("ttl", "v", ex=1000)
        c.set("short", "v", px=300)
        c.hset("h", mapping={"a": 1, "b": 2})
        c.rpush("l", "x", "y", "z")
        c.sadd("s", "m1", "m2")
        c.zadd("z", {"a": 1.5, "b": -2})
        c.execute_command("SELECT", 7)
        c.set("in7", "yes")
    finally:
        assert s.stop() == 0
    time.sleep(0.4)
    s.start()
    try:
        c = s.client()
        assert c.get("str") == b"\x00binary\xff"
        assert 990 <= c.ttl("ttl") <= 1000
        assert c.get("short") is None  # expired while the server was down
        assert c.hgetall("h") == {b"a": b"1", b"b": b"2"}
        assert c.lrange("l", 0, -1) == [b"x", b"y", b"z"]
        assert c.smembers("s") == {b"m1", b"m2"}
        assert c.zrange("z", 0, -1, withscores=True) == [(b"b", -2.0), (b"a", 1.5)]
        assert c.dbsize() == 6
        c.execute_command("SELECT", 7)
        assert c.get("in7") == b"yes"
    finally:
        assert s.stop() == 0


@plexus_only
@pytest.mark.parametrize("round_number", range(3))
def test_sync_mode_keeps_every_acknowledged_write_after_kill_9(tmp_path, round_number):
    s = Server(tmp_path / "d", settings=["storage.durability=sync"]).start()
    acknowledged = {}
    lock = threading.Lock()
    stop = threading.Event()

    def writer(worker):
        client = s.client()
        i = 0
        while not stop.is_set():
            key = f"w{worker}:{i}"
            try:
                pipe = client.pipeline(transaction=False)
                pipe.set(key, i).rpush(f"list{worker}", i).hset(f"hash{worker}", key, i)
                pipe.execute()
            except (redis.ConnectionError, redis.TimeoutError, OSError):
                return
            with lock:
                acknowledged[key] = i
            i += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    time.sleep(random.Random(round_number).uniform(0.5, 2.0))
    s.kill()
    stop.set()
    for t in threads:
        t.join()
    assert acknowledged, "no write was acknowledged before the kill"
    s.start()
    try:
        c = s.client()
        for key, value in acknowledged.items():
            assert c.get(key) == str(value).encode(), key
            worker = key.split(":")[0][1:]
            assert c.hget(f"hash{worker}", key) == str(value).encode(), key
        for worker in range(4):
            values = [int(v) for v in c.lrange(f"list{worker}", 0, -1)]
            assert values == list(range(len(values)))
            acked = sum(1 for k in acknowledged if k.startswith(f"w{worker}:"))
            assert len(values) >= acked
    finally:
        assert s.stop() == 0


@plexus_only
def test_shutdown_command_stops_cleanly(tmp_path):
    s = Server(tmp_path / "d").start()
    c = s.client()
    c.set("k", "v")
    c.shutdown()  # redis-py expects the connection to drop, as Redis does
    s.process.wait(timeout=60)
    assert s.process.returncode == 0
    s.process = None
    s.start()
    try:
        assert s.client().get("k") == b"v"
    finally:
        assert s.stop() == 0
