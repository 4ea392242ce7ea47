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


def info_persistence(client):
    return client.info("persistence")


@plexus_only
def test_save_and_bgsave_write_checkpoints_that_open_with_the_data(tmp_path):
    s = Server(tmp_path / "d").start()
    try:
        c = s.client()
        c.set("a", "1")
        c.rpush("l", "x", "y")
        c.zadd("z", {"m": 2.5})
        before = info_persistence(c)
        assert before["rdb_changes_since_last_save"] > 0
        assert before["rdb_bgsave_in_progress"] == 0
        time.sleep(1.1)  # LASTSAVE counts seconds
        assert c.save() is True
        after = info_persistence(c)
        assert after["rdb_changes_since_last_save"] == 0
        assert after["rdb_last_bgsave_status"] == "ok"
        assert c.lastsave().timestamp() > before["rdb_last_save_time"]
        assert after["rdb_last_save_time"] == int(c.lastsave().timestamp())
        first = str(after["plexus_last_checkpoint"])
        assert os.path.dirname(first) == str(tmp_path / "d" / "checkpoints")
        c.set("a", "2")  # after the first checkpoint
        c.hset("h", "f", "v")
        assert info_persistence(c)["rdb_changes_since_last_save"] > 0
        time.sleep(1.1)
        previous = c.lastsave()
        assert c.bgsave() is True
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
                info_persistence(c)["rdb_bgsave_in_progress"] == 1 or c.lastsave() == previous):
            time.sleep(0.05)
        second = str(info_persistence(c)["plexus_last_checkpoint"])
        assert second != first and c.lastsave() > previous
        assert info_persistence(c)["rdb_last_bgsave_status"] == "ok"
        with pytest.raises(redis.ResponseError) as error:
            c.execute_command("BGSAVE", "NOW")
        assert str(error.value) == "syntax error"
    finally:
        assert s.stop() == 0
    # Each checkpoint is a data directory of its own, with the data as of its save.
    for directory, expected in [(first, b"1"), (second, b"2")]:
        copy = Server(directory).start()
        try:
            c = copy.client()
            assert c.get("a") == expected
            assert c.lrange("l", 0, -1) == [b"x", b"y"]
            assert c.zscore("z", "m") == 2.5
            assert c.hget("h", "f") == (b"v" if expected == b"2" else None)
        finally:
            assert copy.stop() == 0


@plexus_only
def test_only_the_newest_checkpoints_are_kept(tmp_path):
    s = Server(tmp_path / "d").start()
    try:
        c = s.client()
        for i in range(4):
            c.set("k", str(i))
            assert c.save() is True
        kept = sorted(os.listdir(tmp_path / "d" / "checkpoints"))
        assert len(kept) == 2
        assert os.path.basename(str(info_persistence(c)["plexus_last_checkpoint"])) == kept[-1]
    finally:
        assert s.stop() == 0
