"""Key commands: DEL EXISTS TYPE TTL family (NX XX GT LT), RENAME, COPY, KEYS, SCAN, RANDOMKEY,
OBJECT."""
import time

import pytest
import redis


def test_del_exists_type_touch(r):
    r.mset({"a": 1, "b": 2})
    r.hset("h", "f", "v")
    r.sadd("s", "m")
    r.zadd("z", {"m": 1})
    assert r.exists("a", "a", "nosuch") == 2
    assert r.type("a") == b"string"
    assert r.type("h") == b"hash"
    assert r.type("s") == b"set"
    assert r.type("z") == b"zset"
    assert r.type("nosuch") == b"none"
    assert r.touch("a", "b", "c") == 2
    assert r.delete("a", "h", "nosuch") == 2
    assert r.unlink("b", "s") == 2
    assert r.exists("a", "b", "h", "s") == 0
    assert r.dbsize() == 1


def test_expire_family(r):
    r.set("k", "v")
    assert r.ttl("k") == -1
    assert r.pttl("k") == -1
    assert r.ttl("nosuch") == -2
    assert r.expire("k", 100) is True
    assert 99 <= r.ttl("k") <= 100
    assert r.pexpire("k", 200_000) is True
    assert 199 <= r.ttl("k") <= 200
    at = int(time.time()) + 300
    assert r.expireat("k", at) is True
    assert r.execute_command("EXPIRETIME", "k") == at
    assert r.execute_command("PEXPIRETIME", "k") == at * 1000
    assert r.pexpireat("k", at * 1000 + 500) is True
    assert r.persist("k") is True
    assert r.persist("k") is False
    assert r.ttl("k") == -1
    assert r.execute_command("EXPIRETIME", "k") == -1
    assert r.execute_command("EXPIRETIME", "nosuch") == -2
    assert r.expire("nosuch", 100) is False


def test_expire_options(r):
    r.set("k", "v")
    assert r.execute_command("EXPIRE", "k", 100, "XX") == 0
    assert r.execute_command("EXPIRE", "k", 100, "GT") == 0
    assert r.execute_command("EXPIRE", "k", 100, "LT") == 1
    assert r.execute_command("EXPIRE", "k", 50, "NX") == 0
    assert r.execute_command("EXPIRE", "k", 50, "GT") == 0
    assert r.execute_command("EXPIRE", "k", 200, "GT") == 1
    assert r.execute_command("EXPIRE", "k", 300, "LT") == 0
    assert r.execute_command("EXPIRE", "k", 10, "XX") == 1
    assert 9 <= r.ttl("k") <= 10
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("EXPIRE", "k", 10, "NX", "XX")
    assert str(e.value) == "NX and XX, GT or LT options at the same time are not compatible"
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("EXPIRE", "k", 10, "GT", "LT")
    assert str(e.value) == "GT and LT options at the same time are not compatible"
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("EXPIRE", "k", 10, "BOGUS")
    assert str(e.value) == "Unsupported option BOGUS"
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("EXPIRE", "k", "ten")
    assert str(e.value) == "value is not an integer or out of range"
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("EXPIRE", "k", "9223372036854775807")
    assert str(e.value) == "invalid expire time in 'expire' command"


def test_expire_in_the_past_deletes(r):
    r.set("k", "v")
    assert r.expire("k", -1) is True
    assert r.exists("k") == 0
    r.set("k", "v")
    assert r.expireat("k", 1) is True
    assert r.exists("k") == 0
    assert r.dbsize() == 0


def test_active_expiry_removes_untouched_keys(r):
    for i in range(20):
        r.set(f"k{i}", "v", px=50)
    r.set("keep", "v")
    deadline = time.time() + 5
    while time.time() < deadline and r.dbsize() > 1:
        time.sleep(0.1)
    assert r.dbsize() == 1


def test_rename(r):
    r.set("a", "1", ex=100)
    assert r.rename("a", "b") is True
    assert r.get("b") == b"1" and r.exists("a") == 0
    assert 99 <= r.ttl("b") <= 100
    with pytest.raises(redis.ResponseError) as e:
        r.rename("nosuch", "x")
    assert str(e.value) == "no such key"
    r.set("c", "2")
    assert r.renamenx("b", "c") is False
    assert r.renamenx("b", "d") is True
    r.hset("h", mapping={"f1": "v1", "f2": "v2"})
    r.rename("h", "h2")
    assert r.hgetall("h2") == {b"f1": b"v1", b"f2": b"v2"}
    assert r.hgetall("h") == {}
    r.zadd("z", {"a": 1, "b": 2})
    r.rename("z", "d")  # overwrites the string
    assert r.zrange("d", 0, -1, withscores=True) == [(b"a", 1.0), (b"b", 2.0)]
    assert r.rename("d", "d") is True
    assert r.dbsize() == 3


def test_copy(r):
    r.sadd("s", "a", "b")
    assert r.execute_command("COPY", "s", "t") == 1
    assert r.smembers("t") == {b"a", b"b"}
    r.sadd("t", "c")
    assert r.scard("s") == 2
    assert r.execute_command("COPY", "s", "t") == 0
    assert r.execute_command("COPY", "s", "t", "REPLACE") == 1
    assert r.scard("t") == 2
    assert r.execute_command("COPY", "nosuch", "t") == 0
    assert r.execute_command("COPY", "s", "s1", "DB", 3) == 1
    r.execute_command("SELECT", 3)
    assert r.smembers("s1") == {b"a", b"b"}


def test_keys_patterns(r):
    r.mset({"user:1": 1, "user:2": 2, "user:10": 3, "other": 4, "h?llo": 5})
    assert sorted(r.keys("user:*")) == [b"user:1", b"user:10", b"user:2"]
    assert sorted(r.keys("user:?")) == [b"user:1", b"user:2"]
    assert r.keys("user:[1]0") == [b"user:10"]
    assert r.keys("h\\?llo") == [b"h?llo"]
    assert len(r.keys()) == 5
    assert r.keys("nomatch*") == []


def test_scan_visits_every_key_once(r):
    keys = {f"key:{i}".encode() for i in range(1000)}
    r.mset({k: 1 for k in keys})
    r.hset("hash:1", "f", "v")
    seen = []
    cursor = 0
    while True:
        cursor, batch = r.scan(cursor, count=97)
        seen.extend(batch)
        if cursor == 0:
            break
    assert sorted(seen) == sorted(keys | {b"hash:1"})
    assert set(r.scan_iter(match="key:99*")) == {b"key:99"} | {b"key:99%d" % i for i in range(10)}
    assert list(r.scan_iter(_type="hash")) == [b"hash:1"]
    assert list(r.scan_iter(_type="nosuchtype")) == []
    with pytest.raises(redis.ResponseError, match="invalid cursor"):
        r.execute_command("SCAN", "abc")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("SCAN", "0", "COUNT", "0")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("SCAN", "0", "MATCH")


def test_randomkey(r):
    assert r.randomkey() is None
    r.mset({"a": 1, "b": 2, "c": 3})
    seen = {r.randomkey() for _ in range(50)}
    assert seen <= {b"a", b"b", b"c"} and len(seen) >= 1


def test_object_encoding(r):
    r.set("int", "12345")
    r.set("short", "hello")
    r.set("long", "x" * 100)
    assert r.object("encoding", "int") == b"int"
    assert r.object("encoding", "short") == b"embstr"
    assert r.object("encoding", "long") == b"raw"
    r.hset("h", "f", "v")
    assert r.object("encoding", "h") == b"listpack"
    r.sadd("ints", 1, 2, 3)
    r.sadd("words", "a", "b")
    assert r.object("encoding", "ints") == b"intset"
    assert r.object("encoding", "words") == b"hashtable"
    r.rpush("l", "a")
    assert r.object("encoding", "l") == b"quicklist"
    assert r.object("encoding", "nosuch") is None
