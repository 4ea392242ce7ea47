"""String commands with Redis 7.0's edge cases."""
import time

import pytest
import redis

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"


def test_set_get_options(r):
    assert r.set("k", "v") is True
    assert r.get("k") == b"v"
    assert r.set("k", "w", nx=True) is None
    assert r.set("new", "x", xx=True) is None
    assert r.set("k", "w", xx=True) is True
    assert r.set("k", "z", get=True) == b"w"
    assert r.set("missing", "1", get=True) is None
    assert r.set("k", "v2", ex=100) is True
    assert 99 <= r.ttl("k") <= 100
    assert r.set("k", "v3", keepttl=True) is True
    assert 99 <= r.ttl("k") <= 100
    assert r.set("k", "v4") is True
    assert r.ttl("k") == -1
    r.set("k", "v", px=100_000)
    assert 99_000 < r.pttl("k") <= 100_000
    r.set("k", "v", exat=int(time.time()) + 1000)
    assert 990 < r.ttl("k") <= 1000
    r.set("k", "v", pxat=int(time.time() * 1000) + 1_000_000)
    assert 990 < r.ttl("k") <= 1000


@pytest.mark.parametrize("args, error", [
    (["SET", "k", "v", "NX", "XX"], "syntax error"),
    (["SET", "k", "v", "EX", "10", "PX", "100"], "syntax error"),
    (["SET", "k", "v", "EX", "10", "KEEPTTL"], "syntax error"),
    (["SET", "k", "v", "EX"], "syntax error"),
    (["SET", "k", "v", "EX", "0"], "invalid expire time in 'set' command"),
    (["SET", "k", "v", "EX", "-1"], "invalid expire time in 'set' command"),
    (["SET", "k", "v", "EX", "x"], "value is not an integer or out of range"),
    (["SET", "k", "v", "EX", "9223372036854775807"], "invalid expire time in 'set' command"),
    (["SET", "k", "v", "BOGUS"], "syntax error"),
    (["SETEX", "k", "0", "v"], "invalid expire time in 'setex' command"),
    (["PSETEX", "k", "-5", "v"], "invalid expire time in 'psetex' command"),
    (["INCRBY", "k", "1.5"], "value is not an integer or out of range"),
    (["INCRBYFLOAT", "k", "abc"], "value is not a valid float"),
    (["SETRANGE", "k", "-1", "x"], "offset is out of range"),
    (["GETRANGE", "k", "a", "1"], "value is not an integer or out of range"),
    (["MSET", "a", "1", "b"], "wrong number of arguments for 'mset' command"),
    (["GETEX", "k", "PERSIST", "EX", "10"], "syntax error"),
])
def test_option_errors(r, args, error):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command(*args)
    assert str(e.value) == error


def test_set_past_absolute_expiry_deletes(r):
    r.set("k", "v")
    assert r.set("k", "v2", exat=1) is True
    assert r.exists("k") == 0


def test_setnx_setex_psetex(r):
    assert r.setnx("k", "1") is True
    assert r.setnx("k", "2") is False
    assert r.get("k") == b"1"
    assert r.setex("e", 100, "v") is True
    assert 99 <= r.ttl("e") <= 100
    assert r.psetex("p", 100_000, "v") is True
    assert r.pttl("p") > 99_000


def test_mget_mset_msetnx(r):
    r.response_callbacks.clear()  # the replies as sent
    assert r.mset({"a": "1", "b": "2"}) == b"OK"
    r.hset("h", "f", "v")
    assert r.mget("a", "b", "nosuch", "h") == [b"1", b"2", None, None]
    assert r.msetnx({"c": "3", "a": "x"}) == 0
    assert r.get("c") is None
    assert r.msetnx({"c": "3", "d": "4"}) == 1
    assert r.execute_command("MSET", "dup", "1", "dup", "2") == b"OK"
    assert r.get("dup") == b"2"


def test_getset_getdel_getex(r):
    assert r.getset("k", "1") is None
    assert r.getset("k", "2") == b"1"
    assert r.getdel("k") == b"2"
    assert r.getdel("k") is None
    r.set("k", "v")
    assert r.getex("k", ex=100) == b"v"
    assert 99 <= r.ttl("k") <= 100
    assert r.getex("k", persist=True) == b"v"
    assert r.ttl("k") == -1
    assert r.getex("nosuch") is None


def test_append_strlen_ranges(r):
    assert r.append("k", "Hello") == 5
    assert r.append("k", " World") == 11
    assert r.strlen("k") == 11
    assert r.strlen("nosuch") == 0
    assert r.getrange("k", 0, 4) == b"Hello"
    assert r.getrange("k", -5, -1) == b"World"
    assert r.getrange("k", -1, -5) == b""
    assert r.getrange("k", 5, 3) == b""
    assert r.getrange("k", 0, 10_000_000) == b"Hello World"
    assert r.getrange("nosuch", 0, -1) == b""
    assert r.setrange("k", 6, "Redis") == 11
    assert r.get("k") == b"Hello Redis"
    assert r.setrange("pad", 5, "x") == 6
    assert r.get("pad") == b"\x00\x00\x00\x00\x00x"
    assert r.setrange("empty", 3, "") == 0
    assert r.exists("empty") == 0
    with pytest.raises(redis.ResponseError, match="string exceeds maximum allowed size"):
        r.setrange("k", 536870911, "xx")


def test_incr_family(r):
    assert r.incr("n") == 1
    assert r.incrby("n", 10) == 11
    assert r.decr("n") == 10
    assert r.decrby("n", 20) == -10
    r.set("n", "9223372036854775807")
    with pytest.raises(redis.ResponseError, match="increment or decrement would overflow"):
        r.incr("n")
    r.set("n", "-9223372036854775808")
    with pytest.raises(redis.ResponseError, match="increment or decrement would overflow"):
        r.decr("n")
    for bad in ["abc", " 1", "1 ", "01", "+1", "1.0", ""]:
        r.set("s", bad)
        with pytest.raises(redis.ResponseError, match="value is not an integer or out of range"):
            r.incr("s")
    r.set("t", "5", ex=100)
    r.incr("t")
    assert r.ttl("t") > 0
    r.hset("h", "f", "v")
    with pytest.raises(redis.ResponseError) as e:
        r.incr("h")
    assert str(e.value) == WRONGTYPE


def test_incrbyfloat(r):
    assert r.incrbyfloat("f", 10.5) == 10.5
    r.response_callbacks.clear()  # the replies as sent
    assert r.execute_command("INCRBYFLOAT", "f", "0.1") == b"10.6"
    assert r.execute_command("INCRBYFLOAT", "f", "-5") == b"5.6"
    r.set("e", "5.0e3")
    assert r.execute_command("INCRBYFLOAT", "e", "2.0e2") == b"5200"
    with pytest.raises(redis.ResponseError, match="increment would produce NaN or Infinity"):
        r.execute_command("INCRBYFLOAT", "f", "inf")
    r.set("s", "abc")
    with pytest.raises(redis.ResponseError, match="value is not a valid float"):
        r.execute_command("INCRBYFLOAT", "s", "1")


def test_wrongtype_on_string_commands(r):
    r.rpush("l", "a") if False else r.sadd("l", "a")
    for args in (["GET", "l"], ["APPEND", "l", "x"], ["STRLEN", "l"], ["GETRANGE", "l", "0", "1"],
                 ["SETRANGE", "l", "0", "x"], ["GETSET", "l", "x"], ["GETDEL", "l"],
                 ["SET", "l", "x", "GET"], ["INCRBYFLOAT", "l", "1"]):
        with pytest.raises(redis.ResponseError) as e:
            r.execute_command(*args)
        assert str(e.value) == WRONGTYPE, args
    assert r.set("l", "overwrites any type") is True
    assert r.type("l") == b"string"


def test_expiry_boundary(r):
    r.set("k", "v", px=100)
    assert r.get("k") == b"v"
    time.sleep(0.15)
    assert r.get("k") is None
    assert r.exists("k") == 0
